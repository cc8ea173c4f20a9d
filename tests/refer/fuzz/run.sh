#!/usr/bin/env bash
# Builds the libFuzzer target for the referral API (tests/refer/fuzz/api_router_fuzz.cc) and runs it for SECONDS
# (default 60) from the seed corpus, then keeps what it learned in build/fuzz/corpus.
#
#   tests/refer/fuzz/run.sh [SECONDS] [JOBS]      SECONDS "build": build only; JOBS compilers at once (2)
#
# The refer sources and the harness are compiled with clang, coverage-instrumented for libFuzzer and under
# AddressSanitizer + UndefinedBehaviorSanitizer, into build/fuzz/obj (recompiled only when a source or header is
# newer). Everything else comes from the release library (build/release/libvouch.a, built by `make release` when
# missing): the linker takes the archive's refer members only for symbols the clang objects do not define, so the
# code under test is the instrumented one. A crash leaves its input as build/fuzz/crash-*; replay it with
#   build/fuzz/api_router_fuzz build/fuzz/crash-...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
seconds="${1:-60}"
jobs="${2:-2}"
out="$root/build/fuzz"
mkdir -p "$out/obj" "$out/corpus"
[[ -f "$root/build/release/libvouch.a" ]] || make -C "$root" release
cp -n "$root"/tests/refer/fuzz/seeds/* "$out/corpus/" 2>/dev/null || true

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
       -fno-omit-frame-pointer -I"$root/include" -I"$root/src" -DBOOST_ALL_NO_LIB -DFMT_SHARED)
newest_header=$(find "$root/include/vouch/refer" "$root/src/refer" -name '*.h' -printf '%T@\n' | sort -n | tail -1)
# The transport (http_server, webhook_dispatcher: Boost.Beast, slow to compile) is not what the harness drives.
sources=()
for src in "$root"/src/refer/*.cc "$root"/tests/refer/fuzz/api_router_fuzz.cc; do
  case "$(basename "$src")" in http_server.cc|webhook_dispatcher.cc) continue ;; esac
  sources+=("$src")
done
stale=()
for src in "${sources[@]}"; do
  obj="$out/obj/$(basename "${src%.cc}").o"
  if [[ ! -f "$obj" || "$src" -nt "$obj" ]] || \
     awk -v h="$newest_header" -v o="$(stat -c %Y "$obj")" 'BEGIN { exit !(h > o) }'; then
    stale+=("$src")
  fi
done
if ((${#stale[@]})); then
  printf '%s\n' "${stale[@]}" | xargs -P "$jobs" -I{} sh -c \
    'clang++ "$@" -c "$0" -o "'"$out"'/obj/$(basename "$0" .cc).o"' {} "${flags[@]}"
fi
libs=(-lsimdjson -ltomlplusplus -ltbb -lsqlite3 -lfmt -lz -lzstd -lutf8proc
      -lxxhash -lboost_system -lcrypto -lpthread)
clang++ -fsanitize=fuzzer,address,undefined "$out"/obj/*.o "$root/build/release/libvouch.a" "${libs[@]}" \
  -o "$out/api_router_fuzz"
[[ "$seconds" == build ]] && exit 0
cd "$out"
./api_router_fuzz -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 corpus
