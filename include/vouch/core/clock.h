// Clock: where libvouch gets the time. Tests hand it a FakeClock; nothing in the library calls the system clock
// directly.
#pragma once

#include <atomic>
#include <cstdint>

namespace vouch {

// Times are Unix epoch seconds (UTC) throughout Vouch unless a name says otherwise.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowSeconds() const = 0;
  virtual int64_t NowMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override;
  int64_t NowMillis() const override;
  // A process-wide instance; thread safe.
  static const SystemClock& Instance();
};

// A clock that only moves when told to. Thread safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_millis = 0) : millis_(start_millis) {}
  int64_t NowSeconds() const override { return millis_.load() / 1000; }
  int64_t NowMillis() const override { return millis_.load(); }
  void AdvanceMillis(int64_t delta) { millis_ += delta; }
  void SetMillis(int64_t now) { millis_ = now; }

 private:
  std::atomic<int64_t> millis_;
};

}  // namespace vouch
