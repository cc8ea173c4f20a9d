// Test helpers for the record ingests: scratch files, a reject sink that keeps what it is told, and the fixture
// the ingests' tests share.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vouch/core/clock.h"
#include "vouch/core/run_control.h"
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

// The fixture of a record ingest's tests (Ingest: RatingsIngest, OrdersIngest, PeopleIngest): an in-memory store
// at a fixed time, a scratch file, a reject sink, run control, and the last ingest run.
template <typename Ingest>
class RecordIngestTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = MemoryStore(clock_); }
  // Writes content to the scratch file file_name and runs an ingest of it; returns its status.
  template <typename Options>
  Status RunIngest(const std::string& file_name, const std::string& content, Options options) {
    path_ = dir_.Write(file_name, content);
    job_ = std::make_unique<Ingest>(*store_, path_, std::move(options), rejects_, control_);
    return job_->run();
  }
  // The person that holds the identity (0, and a failure, when there is none).
  PersonId PersonOf(const IdentityKey& key) {
    auto found = store_->FindIdentity(key);
    EXPECT_TRUE(found.ok() && found->has_value()) << key.value;
    return found.ok() && found->has_value() ? (*found)->person : 0;
  }

  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<SqliteStore> store_;
  ScratchDir dir_;
  std::string path_;
  CollectRejects rejects_;
  RunControl control_;
  std::unique_ptr<Ingest> job_;
};

}  // namespace vouch::ingest::testing
