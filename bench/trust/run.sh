#!/usr/bin/env bash
# All trust of a generated 10-million-edge signed graph on 1 and on 2 threads (docs/benchmarks.md, ## Trust).
# Usage: bench/trust/run.sh [BUILD_DIR] [EDGES]   (BUILD_DIR defaults to $BUILD, then build/bench)
set -euo pipefail
build="${1:-${BUILD:-build/bench}}"
edges="${2:-10000000}"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
for t in 1 2; do
  /usr/bin/time -f "wall %e s, max RSS %M KB" "$build/bench/bench_trust" --edges "$edges" --people $((edges / 10)) --threads "$t"
done
