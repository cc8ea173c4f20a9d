// The service's WAL checkpoints off the database thread: they happen, they leave every committed row readable,
// and the writer takes over when the checkpointer falls behind, so the WAL stays bounded.
#include "vouch/refer/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "vouch/store/sqlite_db.h"

namespace vouch::refer {
namespace {

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vouch_wal_checkpointer_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "vouch.db").string();
    auto db = store::SqliteDb::Open(path_, true);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Exec("CREATE TABLE t (x BLOB NOT NULL)").ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // One transaction per row, each a page and more: the WAL grows by at least a frame a commit.
  void InsertRows(int n) {
    for (int i = 0; i < n; ++i) {
      auto q = db_->Prepare("INSERT INTO t (x) VALUES (zeroblob(5000))");
      ASSERT_TRUE(q.ok());
      ASSERT_TRUE((*q)->Run().ok());
    }
  }
  int64_t WalBytes() const { return static_cast<int64_t>(std::filesystem::file_size(path_ + "-wal")); }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<store::SqliteDb> db_;
};

TEST_F(WalCheckpointerTest, CheckpointsOnItsOwnThreadAndKeepsEveryRow) {
  WalCheckpointer checkpointer(/*threshold_pages=*/8, /*limit_pages=*/1000000);
  ASSERT_TRUE(checkpointer.Start(*db_).ok());
  InsertRows(300);
  checkpointer.Stop();
  EXPECT_GE(checkpointer.checkpoints(), 1u);
  EXPECT_EQ(checkpointer.writer_checkpoints(), 0u);
  // Stop's last checkpoint copied every frame into the database file.
  int log = -1, copied = -1;
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(db_->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, &log, &copied), SQLITE_OK);
  EXPECT_EQ(log, copied);
  auto reader = store::SqliteDb::Open(path_, false);
  ASSERT_TRUE(reader.ok());
  auto count = (*reader)->Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(count.ok());
  auto row = (*count)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*count)->Int(0), 300);
}

TEST_F(WalCheckpointerTest, WriterCheckpointsWhenTheWalReachesTheLimit) {
  // A threshold equal to the limit: every commit past it is the writer's own checkpoint, as SQLite's automatic
  // one would be, and the WAL is rewritten from its start instead of growing.
  WalCheckpointer checkpointer(/*threshold_pages=*/16, /*limit_pages=*/16);
  ASSERT_TRUE(checkpointer.Start(*db_).ok());
  InsertRows(400);
  EXPECT_GE(checkpointer.writer_checkpoints(), 1u);
  // 400 commits of two pages each would be 3 MB of WAL without checkpoints; bounded, it stays near 16 pages.
  EXPECT_LT(WalBytes(), 400 * 1024);
  checkpointer.Stop();
}

TEST_F(WalCheckpointerTest, StopWithoutStartAndTwiceIsHarmless) {
  WalCheckpointer never_started;
  never_started.Stop();
  WalCheckpointer checkpointer(4, 64);
  ASSERT_TRUE(checkpointer.Start(*db_).ok());
  InsertRows(10);
  checkpointer.Stop();
  checkpointer.Stop();
  // The writer has SQLite's automatic checkpoint back and keeps committing.
  InsertRows(10);
}

}  // namespace
}  // namespace vouch::refer
