#!/usr/bin/env bash
# Graph ingest benchmark (issue 2, "Numbers"): `vouch ingest graph` of a 16-million-edge SNAP edge list (R-MAT
# scale 20, edge factor 16: 646,247 nodes, 16,083,529 lines) into a fresh workspace, against the limit: reading
# the same file and parsing its integers on one thread (bench/influence/read_integers.cc), in the same run, from
# the page cache. Times are CPU seconds (user + sys from /usr/bin/time) and wall seconds; the issue's target (2x)
# is in wall time, which only an idle machine measures (the ingest runs on every core, the limit on one).
#
#   BUILD=build/release bench/ingest/graph_bench.sh      (env: SCALE=20, BASELINE_VOUCH=an older vouch to compare)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD="${BUILD:-build/release}"
SCALE="${SCALE:-20}"
WORK="${WORK:-$(mktemp -d /tmp/vouch-bench-graph.XXXXXX)}"
KEEP="${KEEP:-0}"
mkdir -p "$WORK"
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
[ -x "$BUILD/vouch" ] || { echo "missing $BUILD/vouch: build first" >&2; exit 1; }
for tool in rmat read_integers; do
  [ -x "$WORK/$tool" ] || c++ -O3 -std=c++20 -o "$WORK/$tool" "bench/influence/$tool.cc"
done
file="$WORK/rmat$SCALE.txt"
[ -f "$file" ] || "$WORK/rmat" "$SCALE" 16 1 "$file"
cat "$file" > /dev/null

timed() {  # NAME CMD...: cpu_NAME (user+sys s), wall_NAME, rss_NAME (MB)
  local name="$1"; shift
  /usr/bin/time -f "%U %S %e %M" -o "$WORK/time" "$@" > "$WORK/out.$name"
  read -r u s e m < "$WORK/time"
  printf -v "cpu_$name" '%s' "$(python3 -c "print(round($u + $s, 2))")"
  printf -v "wall_$name" '%s' "$e"
  printf -v "rss_$name" '%s' "$(( m / 1000 ))"
}
ingest() {  # NAME VOUCH
  rm -rf "$WORK/ws"
  "$2" init "$WORK/ws" > /dev/null
  timed "$1" "$2" ingest graph "$file" -w "$WORK/ws" --platform x --json
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
timed limit "$WORK/read_integers" "$file"
# One untimed ingest first: whichever ingest ran first used to be 0.1-0.3 CPU s slower (its parse stage ~0.08 s),
# whatever the binary (docs/benchmarks.md, "Idle re-run"), so without it the first-timed binary was handicapped.
ingest warmup "$BUILD/vouch"
ingest ingest "$BUILD/vouch"
# shellcheck disable=SC2154  # set by timed
echo "limit (read + parse integers): ${cpu_limit} CPU s, ${wall_limit} s wall"
ratios() {  # CPU WALL: the ratios to the limit
  python3 -c "print(f'ratio to the limit {$1 / $cpu_limit:.1f} (CPU), {$2 / $wall_limit:.1f} (wall)')"
}
echo "vouch ingest graph:            ${cpu_ingest} CPU s, ${wall_ingest} s wall, ${rss_ingest} MB; $(ratios "$cpu_ingest" "$wall_ingest")"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('  stages (wall s):', d['times'])" "$WORK/out.ingest"
if [ -n "${BASELINE_VOUCH:-}" ]; then
  ingest baseline "$BASELINE_VOUCH"
  echo "baseline $BASELINE_VOUCH: ${cpu_baseline} CPU s, ${wall_baseline} s wall, ${rss_baseline} MB; $(ratios "$cpu_baseline" "$wall_baseline")"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('  stages (wall s):', d['times'])" "$WORK/out.baseline"
fi
