#!/usr/bin/env bash
# The influence benchmark: Vouch against the SUBSIM, OPIM-C and Ripples (IMM) peers, side by side on this machine.
# One command:
#
#   bench/influence/run.sh [--graphs enron,epinions,rmat] [--settings ic-wc:50:0.1,lt-wc:100:0.05,...]
#     env: SUBSIM=/path/to/subsim  OPIM=/path/to/opim  RIPPLES=/path/to/imm  REPEAT=3  SCALE=20  SETTINGS=...
#
# Builds Vouch (release) and the small standalone helpers of this folder, generates the R-MAT graph, runs every
# tool on every graph and setting and prints the table for docs/benchmarks.md (also build/bench-influence/
# results.{md,json}). The peers are built beforehand, outside the repository, from their public sources (see
# docs/benchmarks.md); a peer whose binary is missing is skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/build/bench-influence"
mkdir -p "$OUT"
cmake -S "$ROOT" -B "$ROOT/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$ROOT/build/release" --target vouch >/dev/null
for tool in rmat read_integers to_subsim to_weighted; do
  [ "$OUT/$tool" -nt "$ROOT/bench/influence/$tool.cc" ] || c++ -O3 -std=c++20 -o "$OUT/$tool" "$ROOT/bench/influence/$tool.cc"
done
exec python3 "$ROOT/bench/influence/run.py" --root "$ROOT" --out "$OUT" "$@"
