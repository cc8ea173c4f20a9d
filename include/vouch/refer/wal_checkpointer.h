// WalCheckpointer: runs the WAL's checkpoints on its own thread and its own connection, so that the database
// thread of `vouch serve` never stops for one.
//
// Why: SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL past 1,000 pages, on the thread
// that committed. It copies the WAL's pages into the database file and fsyncs that file (synchronous=NORMAL),
// 5 to 15 ms on the development VM, and every request queued behind that commit waits for it: at 40,000 clicks a
// second that is a stall every fraction of a second, which is what the redirect's p99 latency sees.
//
// How: Start() replaces the writer connection's automatic checkpoint with a WAL hook (sqlite3_wal_hook). After a
// commit that leaves at least `threshold_pages` frames in the WAL the hook wakes the checkpointer thread, which
// runs a PASSIVE checkpoint on its own connection: it never blocks the writer (SQLite's WAL locks let one writer
// append while a checkpoint copies older frames) and it syncs exactly what the automatic one did. The WAL is
// rewritten from its start by the first transaction after a complete checkpoint, as before.
//
// Bound: should the checkpointer fall behind (a slow disk, a reader holding an old snapshot), the hook runs the
// PASSIVE checkpoint itself on the writer's connection once the WAL holds `limit_pages` frames, so the WAL stays
// bounded as it did with the automatic checkpoint.
//
// Durability is unchanged: a checkpoint only copies committed frames and syncs the database file before the WAL
// may be reused; what a commit promised is on disk through the WAL (see wal_syncer.h) whether or not it has been
// checkpointed.
//
// Thread safety: Start() and Stop() from the thread that owns the writer connection, with no statement of that
// connection running; the hook runs on the writer's thread during its commits.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "vouch/core/status.h"

namespace vouch::store {
class SqliteDb;
}

namespace vouch::refer {

class WalCheckpointer final {
 public:
  // threshold_pages: WAL frames after which a checkpoint starts (SQLite's automatic default is 1,000);
  // limit_pages: frames after which the writer checkpoints itself (at least threshold_pages).
  explicit WalCheckpointer(int threshold_pages = 1000, int limit_pages = 16000);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Opens a second connection to the writer's database file and hooks the writer's commits. The writer must
  // outlive Stop().
  Status Start(store::SqliteDb& writer);
  // Runs a last checkpoint, joins the thread and gives the writer back SQLite's automatic checkpoint.
  void Stop();

  // Checkpoints run by the checkpointer thread, and by the writer when the WAL reached limit_pages.
  uint64_t checkpoints() const { return checkpoints_.load(); }
  uint64_t writer_checkpoints() const { return writer_checkpoints_.load(); }

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages);
  void Loop();
  void Checkpoint();

  const int threshold_pages_;
  const int limit_pages_;
  sqlite3* writer_ = nullptr;
  std::unique_ptr<store::SqliteDb> connection_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;  // a checkpoint was asked for and has not started
  bool stop_ = false;
  std::thread thread_;
  std::atomic<uint64_t> checkpoints_{0}, writer_checkpoints_{0};
};

}  // namespace vouch::refer
