#include "vouch/trust/algorithm.h"

#include <tbb/task_arena.h>

#include <chrono>

namespace vouch::trust {

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int CurrentConcurrency() {
  return tbb::this_task_arena::max_concurrency();
}

}  // namespace vouch::trust
