#include "terminal.h"

#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace vouch::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void OnSignal(int sig) {
  if (g_interrupted.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

std::string Human(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  return fmt::format("{:.1f} {}", bytes, units[u]);
}

}  // namespace

ProgressBar::ProgressBar()
    : enabled_(::isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressBar::Report(const Progress& p) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  uint64_t records = p.unit == "bytes" ? p.records : p.done;
  double rate = secs > 0 ? static_cast<double>(records) / secs : 0;
  std::string amount;
  if (p.unit == "bytes") {
    amount = p.total ? fmt::format("{}/{}", Human(static_cast<double>(p.done)), Human(static_cast<double>(p.total)))
                     : Human(static_cast<double>(p.done));
  } else {
    amount = p.total ? fmt::format("{}/{} {}", p.done, p.total, p.unit) : fmt::format("{} {}", p.done, p.unit);
  }
  std::string pct = p.total ? fmt::format("{:3.0f}%", 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total))
                            : std::string("    ");
  fmt::print(stderr, "\r\033[K{}  {}  {}  {:.0f} records/s", p.stage, pct, amount, rate);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (enabled_ && drawn_) {
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  drawn_ = false;
}

const std::atomic<bool>* InstallInterruptFlag() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return &g_interrupted;
}

}  // namespace vouch::cli
