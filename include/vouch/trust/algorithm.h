// TrustAlgorithm: the family base of Vouch's trust algorithms (NetworKit's Algorithm habit, STYLE.md).
//
// Inputs and parameters go to the constructor, the work happens in Run(), and results come from getters that
// refuse (FailedPrecondition) until Run() has finished successfully. What the run did (iterations, convergence,
// seconds, threads) is a separate value, RunRecord, so the CLI, the service and the benchmarks print the same
// thing.
//
// Thread safety: Run() uses TBB's worker threads internally (as many as the arena allows: `tbb::global_control`
// or the `--threads` flag of the CLI bound them); an object is otherwise used by one thread at a time. Getters
// are safe to call concurrently after Run().
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"

namespace vouch::trust {

// What one Run() did.
struct RunRecord {
  std::string algorithm;   // "fairness-goodness", "trust-rank", ...
  int iterations = 0;      // sweeps over the edges (0 for non-iterative steps)
  bool converged = false;  // the change fell below the tolerance before max_iterations
  double final_delta = 0;  // the last sweep's change (algorithm-specific norm, stated in its header)
  double seconds = 0;      // wall-clock time of Run()
  uint64_t nodes = 0;
  uint64_t edges = 0;
  int threads = 0;  // TBB's maximum concurrency during the run
};

class TrustAlgorithm {
 public:
  virtual ~TrustAlgorithm() = default;
  // Does the work. Cancelled when control's flag is set (checked once per sweep).
  virtual Status Run(const RunControl& control = {}) = 0;
  bool has_run() const { return has_run_; }
  // The record of the last successful Run(); FailedPrecondition before.
  Result<RunRecord> record() const {
    VOUCH_TRY(CheckRun());
    return record_;
  }

 protected:
  Status CheckRun() const {
    if (!has_run_)
      return Status::FailedPrecondition(record_.algorithm + ": results asked for before Run() finished");
    return Status::Ok();
  }
  template <typename T>
  Result<std::span<const T>> Checked(const std::vector<T>& values) const {
    VOUCH_TRY(CheckRun());
    return std::span<const T>(values);
  }

  bool has_run_ = false;
  RunRecord record_;
};

// Seconds on a steady clock, for run records only (durations, never dates: those come from vouch::Clock).
double SteadySeconds();
int CurrentConcurrency();

}  // namespace vouch::trust
