#!/usr/bin/env bash
# Selection CPU of Vouch at several --r1-ratio values against SUBSIM (and optionally a baseline Vouch binary), on
# Enron, in interleaved repetitions: in each repetition `perf stat -r RUNS -e task-clock` of Vouch's trivial query
# (k = 1, eps = 0.6), BASE's k-query, Vouch's k-query at each ratio, SUBSIM's trivial and k-query, in that order
# (the commands of selection_cpu.sh). Selection CPU = k-query mean minus the same tool's trivial mean within a
# repetition; printed: the median over the repetitions, their range, and the median of the per-repetition ratios
# to SUBSIM. Interleaving and medians because on a shared machine one process's CPU drifts by tens of ms between
# minutes, and SUBSIM's own runs vary with its clock seed. Needs run.sh's Enron work folder and selection_cpu.sh
# run once for the model (SUBSIM's formatted folder). One command:
#
#   bench/influence/selection_cpu_reps.sh [K EPS] [MODEL: wc|uni]   (env REPS=5, RUNS=10, RATIOS="1 8 16",
#     BASE=/path/to/a/baseline/vouch (optional), SUBSIM=/path/to/subsim)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
K="${1:-50}" EPS="${2:-0.1}" M="${3:-wc}" REPS="${REPS:-5}" RUNS="${RUNS:-10}" RATIOS="${RATIOS:-1 8 16}"
V="$ROOT/build/release/vouch"
S="${SUBSIM:-/work/peers/subsim/subsim}"
W="$ROOT/build/bench-influence/work"
D="$W/peers_email_Enron/subsim_cpu_$M"
[ -f "$D/email_Enron" ] || { echo "run bench/influence/selection_cpu.sh $K $EPS $M first" >&2; exit 1; }
w=wc
[ "$M" = uni ] && w=uniform:0.01
q=(advocates --graph "$W/email_Enron.txt" --weights "$w" --threads 2 --output "$D/seeds")
tc() { perf stat -r "$RUNS" -e task-clock "$@" 2>&1 >/dev/null | awk '/task-clock/{print $1}'; }
out="$(mktemp)"
for rep in $(seq "$REPS"); do
  echo "$rep vouch-trivial $(tc "$V" "${q[@]}" --k 1 --epsilon 0.6)" >> "$out"
  [ -z "${BASE:-}" ] || echo "$rep base $(tc "$BASE" "${q[@]}" --k "$K" --epsilon "$EPS")" >> "$out"
  for r in $RATIOS; do
    echo "$rep ratio-$r $(tc "$V" "${q[@]}" --k "$K" --epsilon "$EPS" --r1-ratio "$r")" >> "$out"
  done
  sq=("$S" -func=im -gname=email_Enron -dir="$D" -outpath="$D/res")
  echo "$rep subsim-trivial $(tc "${sq[@]}" -seedsize=1 -eps=0.6)" >> "$out"
  echo "$rep subsim $(tc "${sq[@]}" -seedsize="$K" -eps="$EPS")" >> "$out"
done
python3 - "$out" "$M k=$K eps=$EPS" <<'PY'
import collections, statistics, sys
ms = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    rep, name, value = line.split()
    ms[int(rep)][name] = float(value)
reps = sorted(ms)
def sel(name, rep):
    return ms[rep][name] - ms[rep]["subsim-trivial" if name == "subsim" else "vouch-trivial"]
print(f"{sys.argv[2]}: selection CPU in ms, median over {len(reps)} repetitions [range]; ratio to SUBSIM's")
for name in [n for n in ms[reps[0]] if not n.endswith("trivial")]:
    xs = [sel(name, r) for r in reps]
    rs = [sel(name, r) / sel("subsim", r) for r in reps]
    print(f"  {name:10s} {statistics.median(xs):7.1f} [{min(xs):.1f}, {max(xs):.1f}]"
          f"  ratio {statistics.median(rs):.2f} [{min(rs):.2f}, {max(rs):.2f}]")
PY
rm -f "$out"
uptime
