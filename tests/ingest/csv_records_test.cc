#include "vouch/ingest/csv_records.h"

#include <gtest/gtest.h>

#include "ingest/records_fixture.h"

namespace vouch::ingest {
namespace {

std::vector<CsvRecord> ReadAll(const std::string& path, CsvRecordReader::Options options = {}) {
  auto reader = CsvRecordReader::Open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<CsvRecord> out;
  CsvRecord rec;
  for (;;) {
    auto more = (*reader)->Next(rec);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    out.push_back(rec);
  }
  return out;
}

using Fields = std::vector<std::string>;

TEST(CsvRecordReader, PlainAndQuotedFields) {
  testing::ScratchDir dir;
  auto recs = ReadAll(dir.Write("a.csv", "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n,,\n"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(recs[1].fields, (Fields{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(recs[1].line, 2u);
  // The blank line 3 is skipped; line numbers still count it.
  EXPECT_EQ(recs[2].fields, (Fields{"", "", ""}));
  EXPECT_EQ(recs[2].line, 4u);
  for (const auto& r : recs) EXPECT_TRUE(r.error.empty()) << r.error;
}

TEST(CsvRecordReader, QuotedFieldsSpanLinesAndRecordsKeepTheirFirstLine) {
  testing::ScratchDir dir;
  auto recs = ReadAll(dir.Write("a.csv", "id,text\n1,\"first line\nsecond, line\nthird\"\n2,after\n"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].fields, (Fields{"1", "first line\nsecond, line\nthird"}));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[1].raw, "1,\"first line\nsecond, line\nthird\"");
  EXPECT_EQ(recs[2].fields, (Fields{"2", "after"}));
  EXPECT_EQ(recs[2].line, 5u);
}

TEST(CsvRecordReader, AnUnclosedQuoteCostsOnlyItsOwnLine) {
  testing::ScratchDir dir;
  auto recs = ReadAll(dir.Write("a.csv", "1,\"never closed\n2,b\n3,c\n"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_FALSE(recs[0].error.empty());
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_EQ(recs[0].raw, "1,\"never closed");
  EXPECT_EQ(recs[1].fields, (Fields{"2", "b"}));
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].fields, (Fields{"3", "c"}));
}

TEST(CsvRecordReader, AQuotedFieldLongerThanTheLimitIsABadRecord) {
  testing::ScratchDir dir;
  std::string body = "1,\"open\n";
  for (int i = 0; i < 50; ++i) body += "0123456789012345678901234567890123456789\n";
  body += "end\"\n";
  CsvRecordReader::Options options;
  options.max_record_bytes = 256;
  auto recs = ReadAll(dir.Write("a.csv", body), options);
  ASSERT_GE(recs.size(), 2u);
  EXPECT_NE(recs[0].error.find("not closed"), std::string::npos);
  EXPECT_EQ(recs[1].line, 2u);  // read again as a record of its own
}

TEST(CsvRecordReader, StrayCharactersAfterAClosingQuoteAndInvalidUtf8AreErrors) {
  testing::ScratchDir dir;
  auto recs = ReadAll(dir.Write("a.csv", "\"a\"b,c\nok,\xff\xfe\nfine,\"caf\xc3\xa9\"\n"));
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_NE(recs[0].error.find("closing quote"), std::string::npos);
  EXPECT_EQ(recs[1].error, "invalid UTF-8");
  EXPECT_TRUE(recs[2].error.empty());
  EXPECT_EQ(recs[2].fields[1], "caf\xc3\xa9");
}

TEST(CsvRecordReader, ByteOrderMarkAndQuotesInsideUnquotedFields) {
  testing::ScratchDir dir;
  auto recs = ReadAll(dir.Write("a.csv", "\xEF\xBB\xBFid,name\n1,5\" screen\n"));
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (Fields{"id", "name"}));
  EXPECT_EQ(recs[1].fields, (Fields{"1", "5\" screen"}));
  EXPECT_TRUE(recs[1].error.empty());
}

TEST(CsvRecordReader, EmptyFileHasNoRecords) {
  testing::ScratchDir dir;
  EXPECT_TRUE(ReadAll(dir.Write("empty.csv", "")).empty());
  EXPECT_TRUE(ReadAll(dir.Write("blank.csv", "\n\n\r\n")).empty());
}

TEST(CsvHeader, FindsColumnsCaseInsensitivelyAndSpotsDuplicates) {
  CsvHeader header({" Order_ID", "email", "EMAIL "});
  EXPECT_EQ(header.Find("order_id"), 0u);
  EXPECT_EQ(header.Find("Email"), 1u);
  EXPECT_FALSE(header.Find("time").has_value());
  EXPECT_EQ(header.duplicate(), "email");
}

TEST(IsValidUtf8, RejectsOverlongsAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // an emoji
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));         // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));     // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));         // truncated
}

}  // namespace
}  // namespace vouch::ingest
