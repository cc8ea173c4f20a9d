#include "vouch/ingest/line_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace vouch::ingest {
namespace {

namespace fs = std::filesystem;

class LineReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vouch_line_reader_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  // Compresses with the command-line tools (installed with the project), so the reader is checked against the
  // real formats rather than against our own writer.
  std::string Compress(const std::string& path, const std::string& tool) {
    std::string cmd = tool + " -q -f -k " + path + (tool == "zstd" ? " 2>/dev/null" : "");
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return path + (tool == "zstd" ? ".zst" : ".gz");
  }
  static std::vector<std::string> ReadAll(const std::string& path, Compression* compression = nullptr) {
    auto reader = LineReader::Open(path);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    std::vector<std::string> lines;
    Line line;
    for (;;) {
      auto more = (*reader)->Next(line);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      EXPECT_EQ(line.number, lines.size() + 1);
      EXPECT_GE((*reader)->capacity(), line.text.size() + LineReader::kPadding);
      lines.emplace_back(line.text);
    }
    if (compression) *compression = (*reader)->compression();
    return lines;
  }
  fs::path dir_;
};

TEST_F(LineReaderTest, PlainLinesWithCrlfAndNoFinalNewline) {
  auto lines = ReadAll(Write("a.txt", "one\r\ntwo\n\nfour"));
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "", "four"}));
}

TEST_F(LineReaderTest, EmptyFileHasNoLines) { EXPECT_TRUE(ReadAll(Write("empty.txt", "")).empty()); }

TEST_F(LineReaderTest, GzipAndZstdAreDetectedByContent) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "line " + std::to_string(i) + "\n";
  std::string plain = Write("many.txt", text);
  Compression c;
  auto gz = ReadAll(Compress(plain, "gzip"), &c);
  EXPECT_EQ(c, Compression::kGzip);
  ASSERT_EQ(gz.size(), 50000u);
  EXPECT_EQ(gz[49999], "line 49999");
  auto zst = ReadAll(Compress(plain, "zstd"), &c);
  EXPECT_EQ(c, Compression::kZstd);
  EXPECT_EQ(zst, gz);
}

TEST_F(LineReaderTest, TruncatedGzipIsAnErrorNamingTheFile) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "record number " + std::to_string(i) + "\n";
  std::string gz = Compress(Write("t.txt", text), "gzip");
  fs::resize_file(gz, fs::file_size(gz) / 2);
  auto reader = LineReader::Open(gz);
  ASSERT_TRUE(reader.ok());
  Line line;
  Status last;
  for (;;) {
    auto more = (*reader)->Next(line);
    if (!more.ok()) {
      last = more.status();
      break;
    }
    if (!*more) break;
  }
  EXPECT_EQ(last.code(), StatusCode::kCorruption);
  EXPECT_NE(last.message().find(gz), std::string::npos);
}

TEST_F(LineReaderTest, OversizedLineIsReportedAndSkipped) {
  std::string big(3u << 20, 'x');
  std::string path = Write("big.txt", "first\n" + big + "\nlast\n");
  auto reader = LineReader::Open(path, /*max_line_bytes=*/1u << 20);
  ASSERT_TRUE(reader.ok());
  Line line;
  ASSERT_TRUE(*(*reader)->Next(line));
  EXPECT_EQ(line.text, "first");
  ASSERT_TRUE(*(*reader)->Next(line));
  EXPECT_TRUE(line.oversized);
  EXPECT_EQ(line.number, 2u);
  EXPECT_LT(line.text.size(), 8192u);
  ASSERT_TRUE(*(*reader)->Next(line));
  EXPECT_FALSE(line.oversized);
  EXPECT_EQ(line.text, "last");
  EXPECT_EQ(line.number, 3u);
  EXPECT_FALSE(*(*reader)->Next(line));
}

TEST_F(LineReaderTest, LongLineUnderTheLimitComesWhole) {
  std::string big(5u << 20, 'y');
  auto lines = ReadAll(Write("long.txt", "a\n" + big + "\nb\n"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), big.size());
}

TEST_F(LineReaderTest, MissingFileAndDirectoryAreClearErrors) {
  auto missing = LineReader::Open((dir_ / "nope.jsonl").string());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto directory = LineReader::Open(dir_.string());
  EXPECT_EQ(directory.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vouch::ingest
