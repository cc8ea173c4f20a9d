#!/usr/bin/env bash
# The influence benchmark: Vouch against the SUBSIM peer, side by side on this machine. One command:
#
#   bench/influence/run.sh            (env: SUBSIM=/work/peers/subsim/subsim, REPEAT=3, SCALE=20, K=50, EPS=0.1)
#
# Builds Vouch (release) and the small standalone helpers of this folder, generates the R-MAT graph, runs both
# tools on every graph and prints the table for docs/benchmarks.md (also build/bench-influence/results.md).
# The peer is built beforehand, outside the repository, from its public source (see docs/benchmarks.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/build/bench-influence"
mkdir -p "$OUT"
cmake -S "$ROOT" -B "$ROOT/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$ROOT/build/release" --target vouch >/dev/null
for tool in rmat read_integers to_subsim; do
  [ "$OUT/$tool" -nt "$ROOT/bench/influence/$tool.cc" ] || c++ -O3 -std=c++20 -o "$OUT/$tool" "$ROOT/bench/influence/$tool.cc"
done
exec python3 "$ROOT/bench/influence/run.py" --root "$ROOT" --out "$OUT" "$@"
