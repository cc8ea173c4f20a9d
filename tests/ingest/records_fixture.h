// Test helpers for the record ingests: scratch files and a reject sink that keeps what it is told.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "vouch/ingest/rejects.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::ingest::testing {

struct Rejected {
  std::string file;
  uint64_t line = 0;
  std::string reason;
  std::string record;
};

class CollectRejects final : public RejectSink {
 public:
  Status Reject(std::string_view file, uint64_t line, std::string_view reason, std::string_view record) override {
    all.push_back({std::string(file), line, std::string(reason), std::string(record)});
    return Status::Ok();
  }
  std::vector<Rejected> all;
};

// A scratch directory removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("vouch_records_") + info->test_suite_name() + "_" + info->name() + "_" +
            std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

 private:
  std::filesystem::path dir_;
};

inline std::unique_ptr<SqliteStore> MemoryStore(const Clock& clock) {
  auto opened = SqliteStore::Open(":memory:", true, clock);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  return std::move(opened).value();
}

}  // namespace vouch::ingest::testing
