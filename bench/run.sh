#!/usr/bin/env bash
# Runs every benchmark: each bench/<module>/run.sh, in turn. BUILD names the build directory holding the vouch
# binary and the bench_* targets (default build/bench, as `make bench` builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD="${BUILD:-build/bench}"
for script in bench/*/run.sh; do
  echo "== $script"
  bash "$script"
done
