#include "vouch/refer/wal_syncer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vouch::refer {

WalSyncer::~WalSyncer() { Stop(); }

Status WalSyncer::Start(const std::string& wal_path) {
  fd_ = ::open(wal_path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0) {
    return Status::IoError(fmt::format("{}: cannot open the WAL to sync it: {}", wal_path, std::strerror(errno)));
  }
  for (int i = 0; i < threads_; ++i) workers_.emplace_back([this] { Loop(); });
  return Status::Ok();
}

void WalSyncer::Submit(std::vector<Completion> completions) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& c : completions) pending_.push_back(std::move(c));
  }
  cv_.notify_one();
}

void WalSyncer::Loop() {
  for (;;) {
    std::vector<Completion> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping and drained
      batch.swap(pending_);
    }
    // Everything in batch was committed before it was submitted, so before this call starts.
    bool ok = ::fdatasync(fd_) == 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++syncs_;
    }
    for (auto& c : batch) c(ok);
  }
}

void WalSyncer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

uint64_t WalSyncer::syncs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return syncs_;
}

}  // namespace vouch::refer
