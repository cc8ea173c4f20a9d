#!/usr/bin/env bash
# Zero-shot classification speed of `vouch classify` against VADER under Node (npm vader-sentiment) over the same
# posts: the texts of ../shared/data/listen/airline_tweets.csv (read in place; the JSON Lines both tools read is a
# transient file in a temporary directory), repeated REPEAT times for vouch.
#
#   bench/listen/run.sh [REPEAT]        (default 20: 292,800 posts)
#
# Figures are posts per CPU-second on one thread (CPU time, not wall time, because the build machine is shared
# and its wall clock measures the neighbours). vouch: `vouch classify --threads 1`, end to end (start-up, lexicon
# and cue loading, JSON parsing, classification, JSON writing), minus the same run on a 1-post file; best of 3.
# VADER: its scoring loop only, after an untimed warm-up (file reading and parsing excluded), so the comparison
# favours VADER.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export VOUCH="${VOUCH:-$root/build/release/vouch}"
repeat="${1:-20}"
data=""
for d in "$root/../shared/data/listen" "$root/../../shared/data/listen"; do
  [ -f "$d/airline_tweets.csv" ] && data="$d" && break
done
[ -n "$data" ] || { echo "run.sh: airline_tweets.csv not found beside the checkout" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 - "$data/airline_tweets.csv" "$tmp" "$repeat" "$root" <<'PY'
import csv, json, os, resource, subprocess, sys
src, tmp, repeat, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
vouch = os.environ["VOUCH"]
with open(src, newline="", encoding="utf-8") as f:
    texts = [r["text"] for r in csv.DictReader(f)]
def write(name, n_repeat, limit=None):
    with open(f"{tmp}/{name}", "w") as f:
        for r in range(n_repeat):
            for i, t in enumerate(texts[:limit]):
                f.write(json.dumps({"id": r * len(texts) + i, "text": t}) + "\n")
write("posts.jsonl", repeat)
write("once.jsonl", 1)
write("one.jsonl", 1, 1)

def cpu_of(args):
    best = None
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = cpu if best is None else min(best, cpu)
    return best

posts = repeat * len(texts)
full = cpu_of([vouch, "classify", "--threads", "1", "--input", f"{tmp}/posts.jsonl", "--output", f"{tmp}/out.jsonl"])
startup = cpu_of([vouch, "classify", "--threads", "1", "--input", f"{tmp}/one.jsonl", "--output", f"{tmp}/out1.jsonl"])
vader = json.loads(subprocess.run(["node", f"{root}/bench/listen/vader_baseline.js", f"{tmp}/once.jsonl", "1"],
                                  check=True, capture_output=True, text=True).stdout)
rate = posts / (full - startup)
print(f"machine                   {os.cpu_count()} cores; {subprocess.run(['uname', '-m'], capture_output=True, text=True).stdout.strip()}")
print(f"vouch classify, 1 thread  {posts} posts: {full:.3f} CPU-s, start-up {startup:.3f} CPU-s -> {rate:,.0f} posts/CPU-s")
print(f"VADER (node), 1 thread    {vader['posts']} posts: {vader['cpu_seconds']:.3f} CPU-s -> "
      f"{vader['posts_per_cpu_second']:,.0f} posts/CPU-s")
print(f"ratio                     {rate / vader['posts_per_cpu_second']:.1f}x")
PY
