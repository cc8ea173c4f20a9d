// Terminal helpers for verbs: a progress bar that draws only on a terminal, and Ctrl-C / SIGTERM turned into a
// cancellation flag the library polls (core/run_control.h).
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "vouch/core/run_control.h"

namespace vouch::cli {

// Draws "stage  43%  12.1/27.9 MB  312,000 records/s" on stderr, at most 10 times a second, when stderr is a
// terminal; does nothing when output is piped or redirected.
class ProgressBar final : public ProgressSink {
 public:
  ProgressBar();
  void Report(const Progress& progress) override;
  void Finish() override;

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

// Installs SIGINT and SIGTERM handlers that set the returned flag (the first signal asks politely; a second one
// ends the process at once). Call once per process.
const std::atomic<bool>* InstallInterruptFlag();

}  // namespace vouch::cli
