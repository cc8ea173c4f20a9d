#!/usr/bin/env bash
# All trust of a generated 10-million-edge signed graph on 1 and on 2 threads (docs/benchmarks.md, ## Trust).
# Usage: bench/trust/run_bench.sh [BUILD_DIR] [EDGES]
set -euo pipefail
build="${1:-build/bench}"
edges="${2:-10000000}"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
for t in 1 2; do
  /usr/bin/time -f "wall %e s, max RSS %M KB" "$build/trust_bench" --edges "$edges" --people $((edges / 10)) --threads "$t"
done
