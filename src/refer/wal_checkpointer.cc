#include "vouch/refer/wal_checkpointer.h"

#include <algorithm>

#include "vouch/store/sqlite_db.h"

namespace vouch::refer {

WalCheckpointer::WalCheckpointer(int threshold_pages, int limit_pages)
    : threshold_pages_(std::max(1, threshold_pages)), limit_pages_(std::max(limit_pages, threshold_pages_)) {}

WalCheckpointer::~WalCheckpointer() { Stop(); }

Status WalCheckpointer::Start(store::SqliteDb& writer) {
  VOUCH_ASSIGN_OR_RETURN(connection_, store::SqliteDb::Open(writer.path(), /*create_if_missing=*/false));
  // The checkpointer reads nothing: a small cache is enough for the WAL-index and the copy.
  VOUCH_TRY(connection_->Exec("PRAGMA cache_size=-1024"));
  // Its own automatic checkpoint off: it checkpoints only when asked.
  sqlite3_wal_autocheckpoint(connection_->raw(), 0);
  writer_ = writer.raw();
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
  sqlite3_wal_hook(writer_, &WalCheckpointer::OnCommit, this);
  return Status::Ok();
}

void WalCheckpointer::Stop() {
  if (!thread_.joinable()) return;
  sqlite3_wal_autocheckpoint(writer_, 1000);  // removes our hook, restores SQLite's default
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    wanted_ = true;  // one last checkpoint
  }
  cv_.notify_one();
  thread_.join();
  connection_.reset();
  writer_ = nullptr;
}

int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (pages >= c->limit_pages_) {
    // Fallen behind: the writer checkpoints, as SQLite's automatic checkpoint would.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    c->writer_checkpoints_.fetch_add(1, std::memory_order_relaxed);
    return SQLITE_OK;
  }
  if (pages >= c->threshold_pages_) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(c->mu_);
      wake = !c->wanted_;
      c->wanted_ = true;
    }
    if (wake) c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::Loop() {
  for (;;) {
    bool last = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return wanted_ || stop_; });
      wanted_ = false;
      last = stop_;
    }
    Checkpoint();
    if (last) return;
  }
}

void WalCheckpointer::Checkpoint() {
  // PASSIVE: copies what no reader still needs and never waits for the writer or readers. A busy result (another
  // checkpoint running) is harmless: the next commit past the threshold asks again.
  sqlite3_wal_checkpoint_v2(connection_->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  checkpoints_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace vouch::refer
