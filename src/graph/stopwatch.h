// Stopwatch: elapsed seconds for run records. Durations come from the monotonic clock, which is not the
// time of day that vouch::Clock provides (and that tests fake); nothing depends on these values but reports.
#pragma once

#include <chrono>

namespace vouch {

class Stopwatch final {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  // Seconds since the last Lap (or construction).
  double Lap() {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    return s;
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace vouch
