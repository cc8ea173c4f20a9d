#!/usr/bin/env bash
# Selection CPU on a small graph, where one process's CPU is too noisy for run.sh's 3-run subtraction:
# perf stat -r RUNS (task-clock) of a k-query and of a trivial query (k = 1, epsilon = 0.6), for Vouch (from its
# cache, 2 threads) and SUBSIM (from a formatted folder of its own). Selection CPU = difference of the means.
# Needs a run.sh run on Enron first (its work folder). One command:
#
#   bench/influence/selection_cpu.sh [K EPS] [MODEL: wc|uni]    (env RUNS=10, SUBSIM=/path/to/subsim,
#     VOUCH_ARGS="--min-rr-sets N": extra options for Vouch's k-query, not for its trivial one)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
K="${1:-50}" EPS="${2:-0.1}" M="${3:-wc}" RUNS="${RUNS:-10}"
read -r -a VARGS <<< "${VOUCH_ARGS:-}"
V="$ROOT/build/release/vouch"
S="${SUBSIM:-/work/peers/subsim/subsim}"
W="$ROOT/build/bench-influence/work"
P="$W/peers_email_Enron"
[ -f "$P/email_Enron" ] || { echo "run bench/influence/run.sh --graphs enron first" >&2; exit 1; }
D="$P/subsim_cpu_$M"
mkdir -p "$D"
ln -sf "$P/email_Enron" "$D/email_Enron"
w=wc; flags=(-pdist=wc)
if [ "$M" = uni ]; then w=uniform:0.01; flags=(-pdist=uniform -pedge=0.01); fi
"$S" -func=format -gname=email_Enron -dir="$D" "${flags[@]}" > /dev/null
"$V" advocates --graph "$W/email_Enron.txt" --k 1 --weights "$w" --output "$D/seeds" > /dev/null  # the cache
for q in "$K $EPS" "1 0.6"; do
  set -- $q
  extra=()
  [ "$1" = 1 ] || extra=("${VARGS[@]}")
  echo "vouch $M k=$1 eps=$2 ${extra[*]}: $(perf stat -r "$RUNS" -e task-clock "$V" advocates --graph "$W/email_Enron.txt" \
    --k "$1" --epsilon "$2" --weights "$w" --threads 2 --output "$D/seeds" "${extra[@]}" 2>&1 >/dev/null | grep task-clock)"
  echo "subsim $M k=$1 eps=$2: $(perf stat -r "$RUNS" -e task-clock "$S" -func=im -gname=email_Enron -dir="$D" \
    -seedsize="$1" -eps="$2" -outpath="$D/res" 2>&1 >/dev/null | grep task-clock)"
done
uptime
