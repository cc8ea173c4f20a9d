#!/usr/bin/env bash
# Benchmark of `vouch synth` against the physical limit of its output: the time to merely compress and write the
# same bytes with the standard tools (zstd -3 on all cores for the X posts, gzip -6 for Reddit, a plain copy of
# every uncompressed file), from the page cache, on the same machine. Reports both and their ratio.
#
#   bench/synth/run.sh                 # 1,000,000 people, default 10 posts a person (10M posts)
#   PEOPLE=100000 bench/synth/run.sh   # smaller
#
# Needs build/release/vouch (make) and /usr/bin/time, zstd, gzip. Leaves nothing behind (KEEP=1 keeps the world).
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${PEOPLE:-1000000}
VOUCH=${VOUCH:-build/release/vouch}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vouch-synth-bench.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "== vouch synth --people $PEOPLE --days 30 --seed 1"
/usr/bin/time -f "%e %M %U %S" -o "$WORK/synth.time" "$VOUCH" synth --people "$PEOPLE" --days 30 --seed 1 \
  --out "$WORK/world" | tee "$WORK/summary.txt"
read -r synth_s synth_kb synth_user synth_sys < "$WORK/synth.time"
bytes=$(du -sb "$WORK/world" | cut -f1)

# The baseline's input: the same content, uncompressed, already in the page cache.
mkdir -p "$WORK/raw" "$WORK/base"
zstd -dcq "$WORK/world/posts/x.jsonl.zst" > "$WORK/raw/x.jsonl"
gzip -dc "$WORK/world/posts/reddit.jsonl.gz" > "$WORK/raw/reddit.jsonl"
plain=$(cd "$WORK/world" && find . -type f ! -name '*.zst' ! -name '*.gz' | sort)
cat "$WORK/raw/x.jsonl" "$WORK/raw/reddit.jsonl" > /dev/null
raw_bytes=$(( $(stat -c %s "$WORK/raw/x.jsonl") + $(stat -c %s "$WORK/raw/reddit.jsonl") ))
for f in $plain; do raw_bytes=$(( raw_bytes + $(stat -c %s "$WORK/world/$f") )); done

export WORK plain
/usr/bin/time -f "%e %U %S" -o "$WORK/base.time" bash -c '
  zstd -q -3 -T0 -f "$WORK/raw/x.jsonl" -o "$WORK/base/x.jsonl.zst" &
  gzip -6 -c "$WORK/raw/reddit.jsonl" > "$WORK/base/reddit.jsonl.gz" &
  (cd "$WORK/world" && for f in $plain; do cat "$f"; done) > "$WORK/base/plain"
  wait'
read -r base_s base_user base_sys < "$WORK/base.time"

posts=$(sed -n 's/^posts *\([0-9]*\).*/\1/p' "$WORK/summary.txt")
printf '\nsynth:    %.1f s, peak RSS %.0f MB, %s posts (%.0f posts/s), %.2f GB written (%.2f GB uncompressed)\n' \
  "$synth_s" "$(echo "$synth_kb / 1024" | bc -l)" "$posts" "$(echo "$posts / $synth_s" | bc -l)" \
  "$(echo "$bytes / 1000000000" | bc -l)" "$(echo "$raw_bytes / 1000000000" | bc -l)"
printf 'baseline: %.1f s to compress (zstd -3 -T0, gzip -6) and write the same bytes\n' "$base_s"
printf 'cpu:      synth %.1f s, baseline %.1f s (user + system: less sensitive to other load on the machine)\n' \
  "$(echo "$synth_user + $synth_sys" | bc -l)" "$(echo "$base_user + $base_sys" | bc -l)"
printf 'ratio:    %.2fx the baseline in wall time, %.2fx in CPU time\n' "$(echo "$synth_s / $base_s" | bc -l)" \
  "$(echo "($synth_user + $synth_sys) / ($base_user + $base_sys)" | bc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
