#include "synth/text_format.h"

#include <gtest/gtest.h>

#include <cctype>

#include "synth/frame_compressor.h"
#include "synth/phrasebook.h"

namespace vouch::synth {
namespace {

TEST(TextFormatTest, JsonStringsEscapeWhatJsonNeeds) {
  std::string out;
  AppendJsonString("say \"hi\"\\ \n\t\x01 café ☕", out);
  EXPECT_EQ(out, "\"say \\\"hi\\\"\\\\ \\n\\t\\u0001 café ☕\"");
}

TEST(TextFormatTest, CsvFieldsAreQuotedOnlyWhenNeeded) {
  std::string out;
  AppendCsvField("plain", out);
  out += '|';
  AppendCsvField("a,b", out);
  out += '|';
  AppendCsvField("say \"x\"", out);
  EXPECT_EQ(out, "plain|\"a,b\"|\"say \"\"x\"\"\"");
}

TEST(TextFormatTest, Rfc3339) {
  std::string out;
  AppendRfc3339(1772409600, false, out);
  out += ' ';
  AppendRfc3339(951782399, true, out);  // the last second of 2000-02-28... (a leap year)
  out += ' ';
  AppendRfc3339(951868800, false, out);
  EXPECT_EQ(out, "2026-03-02T00:00:00Z 2000-02-28T23:59:59.000Z 2000-03-01T00:00:00Z");
}

TEST(TextFormatTest, Base36) {
  EXPECT_EQ(Base36(0), "0");
  EXPECT_EQ(Base36(35), "z");
  EXPECT_EQ(Base36(36), "10");
}

TEST(PhrasebookTest, EveryKindExpandsFullyWithTheBrandNamed) {
  for (int kind = 0; kind <= static_cast<int>(TextKind::kReplySympathy); ++kind) {
    for (uint64_t i = 0; i < 300; ++i) {
      Rng rng = Rng::For(1, 99, i * 100 + static_cast<uint64_t>(kind));
      TextContext ctx;
      const auto k = static_cast<TextKind>(kind);
      const bool chatter = k == TextKind::kChatter || k == TextKind::kExclusionTrap;
      ctx.brand = chatter ? -1 : static_cast<int>(i % 3);
      ctx.product = static_cast<int>(i % 2);
      ctx.mention = "someone";
      ctx.refcode = "JANE0042";
      ctx.salt = i;
      Composed out;
      Phrasebook::Instance().Compose(k, ctx, rng, true, out);
      // No template syntax left, no doubled or trailing spaces, a title for Reddit.
      EXPECT_EQ(out.text.find_first_of("[]{}|"), std::string::npos) << kind << ": " << out.text;
      EXPECT_EQ(out.text.find("  "), std::string::npos) << out.text;
      EXPECT_FALSE(out.text.empty());
      EXPECT_NE(out.text.back(), ' ');
      EXPECT_FALSE(out.title.empty());
      if (k == TextKind::kEndorse || k == TextKind::kReplyEndorse) {
        EXPECT_EQ(out.sentiment, Sentiment::kPositive);
      }
      if (k == TextKind::kComplain || k == TextKind::kOutageComplaint) {
        EXPECT_EQ(out.sentiment, Sentiment::kNegative);
      }
      // A post about a brand names it (its name, a product, its handle or hashtag all contain the name).
      std::string lower = out.text;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const std::string names[] = {"nimbus", "brewlux", "kaffio"};
      if (!chatter) {
        EXPECT_NE(lower.find(names[ctx.brand]), std::string::npos) << kind << ": " << out.text;
      }
    }
  }
}

TEST(FrameCompressorTest, ConcatenatedFramesAreOneStream) {
  std::string z, g;
  ASSERT_TRUE(AppendZstdFrame("hello\n", 3, z).ok());
  ASSERT_TRUE(AppendZstdFrame("world\n", 3, z).ok());
  ASSERT_TRUE(AppendGzipMember("hello\n", 6, g).ok());
  ASSERT_TRUE(AppendGzipMember("world\n", 6, g).ok());
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x28u);  // zstd magic 28 b5 2f fd
  EXPECT_EQ(static_cast<unsigned char>(g[0]), 0x1fu);  // gzip magic 1f 8b
  std::string again;
  ASSERT_TRUE(AppendZstdFrame("hello\n", 3, again).ok());
  EXPECT_EQ(again, z.substr(0, again.size()));  // a frame depends only on its input
}

}  // namespace
}  // namespace vouch::synth
