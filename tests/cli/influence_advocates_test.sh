# vouch advocates and vouch simulate spread on a small graph written here: the seed file contract, the JSON run
# record, the cache, and errors naming file and line.
cat > "$TMP/g.txt" <<'G'
# a hub (h) that reaches everyone, a second hub (s) with its own fans, and a chain
h a
h b
h c
h d
h s
s e
s f
s g
a b
x y
y z
G
expect_exit 0 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --model ic --weights uniform:0.5 --epsilon 0.2 \
  --threads 2 --output "$TMP/seeds.txt" --json
[ "$(wc -l < "$TMP/seeds.txt")" -eq 2 ] || fail "seed file has $(wc -l < "$TMP/seeds.txt") lines, expected 2"
[ "$(head -1 "$TMP/seeds.txt")" = h ] || fail "first advocate is $(head -1 "$TMP/seeds.txt"), expected the hub h"
python3 - "$TMP/out" <<'PY' || fail "bad run record: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert [s["id"] for s in r["seeds"]][0] == "h"
assert all("marginal_spread" in s for s in r["seeds"])
assert r["spread"]["lower"] <= r["spread"]["estimate"] <= r["spread"]["upper"]
assert r["samples"]["rr_sets"] > 0 and r["peak_memory_bytes"] > 0
assert r["graph"]["nodes"] == 12 and r["graph"]["arcs"] == 11
for key in ("sampling_seconds", "selection_seconds", "load_seconds"):
    assert key in r["times"]
PY
[ -f "$TMP/g.txt.vgraph" ] || fail "no cache beside the source"
# Second run reads the cache.
expect_exit 0 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --weights uniform:0.5 --epsilon 0.2 --json
[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["graph"]["from_cache"])' "$TMP/out")" = True ] \
  || fail "second run did not use the cache"
# --min-rr-sets: at least that many RR sets in each of the two collections, recorded in the JSON.
expect_exit 0 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --weights uniform:0.5 --epsilon 0.2 --min-rr-sets 5000 \
  --json
python3 - "$TMP/out" <<'PY' || fail "--min-rr-sets not honoured: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
# Each collection holds at least the minimum, unless R1 reached theta_max first (12 people: it does).
sm = r["samples"]
assert sm["min_rr_sets"] == 5000
assert sm["rr_sets"] - sm["rr_sets_r1"] >= 5000 or sm["rr_sets_r1"] >= sm["theta_max"]
assert [s["id"] for s in r["seeds"]][0] == "h"
PY
# --r1-ratio: R1 holds that many times R2's sets, recorded in the JSON; 0 is refused.
expect_exit 0 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --weights uniform:0.5 --epsilon 0.2 --r1-ratio 3 \
  --max-selection-loss 0 --json
python3 - "$TMP/out" <<'PY' || fail "--r1-ratio not honoured: $(cat "$TMP/out")"
import json, sys
sm = json.load(open(sys.argv[1]))["samples"]
assert sm["r1_ratio"] == 3
assert sm["rr_sets_r1"] == 3 * (sm["rr_sets"] - sm["rr_sets_r1"]) > 0
PY
expect_exit 2 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --r1-ratio 0
# --min-marginal-coverage: recorded with the rule's steps and the last seed's gain; off by default.
# --max-selection-loss: on by default (0.005, R1 grown at most --precision-max-growth 2 times, or
# --precision-far-growth 8 times where the estimate is still above twice the target there), its estimate recorded.
expect_exit 0 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --weights uniform:0.5 --epsilon 0.2 --json
python3 - "$TMP/out" <<'PY' || fail "precision rules' defaults not recorded: $(cat "$TMP/out")"
import json, sys
sm = json.load(open(sys.argv[1]))["samples"]
assert sm["min_marginal_coverage"] == 0
assert sm["last_marginal_coverage"] > 0
assert sm["max_selection_loss"] == 0.005 and sm["precision_max_growth"] == 2
assert sm["precision_far_growth"] == 8
assert sm["selection_loss_before_growth"] >= 0 and sm["selection_loss"] >= 0
assert sm["precision_steps"] == 0 or sm["selection_loss_before_growth"] > 0.005
PY
expect_exit 0 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --weights uniform:0.5 --epsilon 0.2 \
  --max-selection-loss 0 --json
python3 - "$TMP/out" <<'PY' || fail "--max-selection-loss 0 not honoured: $(cat "$TMP/out")"
import json, sys
sm = json.load(open(sys.argv[1]))["samples"]
assert sm["max_selection_loss"] == 0 and sm["precision_steps"] == 0
assert sm["rr_sets_r1"] == 8 * (sm["rr_sets"] - sm["rr_sets_r1"])
PY
expect_exit 2 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --max-selection-loss -1
expect_exit 2 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --precision-max-growth 0.5
expect_exit 2 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --precision-far-growth 0.5
expect_exit 0 "$VOUCH" advocates --graph "$TMP/g.txt" --k 2 --weights uniform:0.5 --epsilon 0.2 \
  --min-marginal-coverage 1000000000 --json
python3 - "$TMP/out" <<'PY' || fail "--min-marginal-coverage not honoured: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
sm = r["samples"]
assert sm["min_marginal_coverage"] == 1000000000
# R1 grows below theta_max only (12 people: theta_max is small); the seeds returned are certified.
assert sm["rr_sets_r1"] < sm["theta_max"] or sm["precision_steps"] == 0
assert not r["stopped_early"] or r["approximation"] >= r["target_approximation"]
PY
# Candidates: only the chain may be chosen.
printf 'x\ny\n' > "$TMP/chain.txt"
expect_exit 0 "$VOUCH" advocates --graph "$TMP/g.txt" --k 1 --weights uniform:0.5 --epsilon 0.2 \
  --candidates "$TMP/chain.txt" --output "$TMP/one.txt"
[ "$(cat "$TMP/one.txt")" = x ] || fail "candidate restriction: chose $(cat "$TMP/one.txt")"
# Spread of the seeds by Monte Carlo: h alone reaches h, a..d, s and on average half of e, f, g (through s).
echo h > "$TMP/h.txt"
expect_exit 0 "$VOUCH" simulate spread --graph "$TMP/g.txt" --seeds "$TMP/h.txt" --runs 20000 --model ic \
  --weights uniform:1 --json
python3 - "$TMP/out" <<'PY' || fail "bad spread: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["spread"]["mean"] == 9 and r["runs"] == 20000, r
PY
# Errors: unknown seed names its line; bad edge list names its line; unknown model is a usage error.
printf 'h\nnobody\n' > "$TMP/bad_seeds.txt"
expect_exit 2 "$VOUCH" simulate spread --graph "$TMP/g.txt" --seeds "$TMP/bad_seeds.txt" --runs 10
expect_contains "$TMP/err" "bad_seeds.txt:2: 'nobody' is not in the graph"
printf '1 2\n3\n' > "$TMP/bad.txt"
expect_exit 2 "$VOUCH" advocates --graph "$TMP/bad.txt" --k 1
expect_contains "$TMP/err" "bad.txt:2:"
expect_exit 2 "$VOUCH" advocates --graph "$TMP/g.txt" --k 1 --model sir
expect_exit 2 "$VOUCH" advocates --graph "$TMP/g.txt" --k 1 --weights uniform:7
