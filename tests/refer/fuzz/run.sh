#!/usr/bin/env bash
# Builds the libFuzzer target with clang (address + undefined behaviour sanitizers, coverage on the refer and
# store sources) into build/fuzz/ and runs it for SECONDS (default 60) from the seed corpus.
# Status (2026-11-22): written but not yet compiled or run; the first run may need fixes to this script.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
seconds="${1:-60}"
out="$root/build/fuzz"
mkdir -p "$out/corpus"
cp "$root"/tests/refer/fuzz/seeds/* "$out/corpus/"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$root/include" -I"$root/src"
       -DVOUCH_VERSION=\"fuzz\" -DVOUCH_SOURCE_DIR=\"$root\")
clang++ "${flags[@]}" "$root"/tests/refer/fuzz/api_router_fuzz.cc "$root"/src/refer/*.cc "$root"/src/store/*.cc \
  "$root"/src/core/*.cc -o "$out/api_router_fuzz" -lsqlite3 -lfmt -lcrypto -lboost_system -lpthread
"$out/api_router_fuzz" -max_total_time="$seconds" -max_len=4096 "$out/corpus"
