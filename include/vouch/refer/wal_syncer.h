// WalSyncer: makes group commits durable off the database thread, so that the next batch runs while the last one
// is being flushed.
//
// The server's database connection commits with synchronous=NORMAL (WAL): COMMIT writes the transaction's frames
// to the WAL file without fsync, and SQLite still syncs the database file before it ever reuses the WAL after a
// checkpoint. The database thread then hands the batch's completions to Submit(); a syncer thread calls
// fdatasync() on the WAL file and only then runs them. An fdatasync that starts after a COMMIT returned covers
// every frame of it (Linux syncs the file, whichever descriptor names it), so a completion never runs before its
// commit is on disk: a 2xx still means "committed to disk", as with synchronous=FULL.
//
// Why: an fdatasync takes 5 to 15 ms on the development VM, and a database thread that waits for each one can
// commit at most ~150 batches a second whatever its CPU. Several syncers keep fsyncs in flight concurrently
// (the disk overlaps them), and the database thread never waits on the disk.
//
// Thread safety: Submit() and Stop() from any thread. Completions run on a syncer thread, in an unspecified order
// across batches.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vouch/core/status.h"

namespace vouch::refer {

class WalSyncer final {
 public:
  // ok: the fdatasync succeeded (false: nothing may be reported as durable).
  using Completion = std::function<void(bool ok)>;

  // threads: concurrent fdatasync callers (at least 1).
  explicit WalSyncer(int threads = 2) : threads_(threads < 1 ? 1 : threads) {}
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // Opens wal_path (the connection's WAL file, which must exist and stay the same file while the connection is
  // open) and starts the threads.
  Status Start(const std::string& wal_path);
  // Runs every completion after an fdatasync of the WAL that began after this call. If that fdatasync fails the
  // process cannot know what is on disk: completions get ok = false and must not answer 2xx.
  void Submit(std::vector<Completion> completions);
  // Syncs and completes what was submitted, then joins the threads.
  void Stop();

  uint64_t syncs() const;

 private:
  void Loop();

  int threads_;
  int fd_ = -1;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Completion> pending_;
  bool stop_ = false;
  uint64_t syncs_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace vouch::refer
