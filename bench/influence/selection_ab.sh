#!/usr/bin/env bash
# Alternated A/B of two vouch binaries on one advocates query: the runs take turns (A, B, A, B, ...) so that a
# change in the machine's load falls on both, and the medians of the run record's sampling, selection and
# maximisation times are printed per binary, in ms. For a busy machine prefer callgrind's instruction counts;
# this is the wall-clock check. One command:
#
#   bench/influence/selection_ab.sh BASE_VOUCH NEW_VOUCH REPS advocates-options...
#   e.g. bench/influence/selection_ab.sh /tmp/base_vouch build/release/vouch 25 \
#          --graph email-Enron.txt --k 50 --epsilon 0.1 --threads 2 --model lt
set -euo pipefail
A="$1" B="$2" REPS="$3"
shift 3
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$A" advocates "$@" --output "$OUT/seeds" > /dev/null  # writes the graph's cache before any timed run
for _ in $(seq "$REPS"); do
  for x in A B; do
    "${!x}" advocates "$@" --output "$OUT/seeds" --json | python3 -c "
import json, sys
t = json.load(sys.stdin)['times']
print('$x', t['sampling_seconds'] * 1e3, t['selection_seconds'] * 1e3, t['maximisation_seconds'] * 1e3)"
  done
done | python3 -c "
import statistics, sys
runs = {}
for line in sys.stdin:
    x, *v = line.split()
    runs.setdefault(x, []).append([float(t) for t in v])
for x in sorted(runs):
    cols = list(zip(*runs[x]))
    print(x, 'n=%d' % len(runs[x]),
          'sampling %.2f selection %.2f maximisation %.2f ms (medians)' % tuple(statistics.median(c) for c in cols))
"
