# vouch simulate campaign: the strategies side by side, money exact where nothing is random, clear errors.
# Ann (trusted by Ben 0.8, Cat 0.1) against Zed, who has the biggest audience and whom nobody trusts.
printf 'ann ben 0.8\nann cat 0.1\nben dan 0.5\nzed a 0\nzed b 0\nzed c 0\nzed d 0\nzed e 0\n' > "$TMP/g.txt"
echo ann > "$TMP/ann.txt"
expect_exit 0 "$VOUCH" simulate campaign --graph "$TMP/g.txt" --weights uniform:1 --price 50 --incentive 10 \
  --margin 40 --discount 20 --deal-conversion 10 --k 1 --wom-seeds "$TMP/ann.txt" --share 0.5 --runs 50000 --json
python3 - "$TMP/out" <<'PY' || fail "campaign figures off: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
share, wom = r["strategies"]
assert share["strategy"] == "share" and share["seeds"] == ["zed"], share   # the largest audience
assert wom["strategy"] == "wom" and wom["seeds"] == ["ann"], wom
def near(x, want):  # five standard errors
    return abs(x["mean"] - want) <= 5 * x["stddev"] / r["runs"] ** 0.5 + 1e-9
# The deal reaches Zed's 5 listeners; 10% redeem at 40.00 each.
assert share["reach"]["mean"] == 6, share
assert near(share["adoptions"], 0.5), share
assert abs(share["revenue_minor"]["mean"] - 4000 * share["adoptions"]["mean"]) < 1e-6, share
assert share["incentive_cost_minor"]["mean"] == 1000, share
# Ann converts 0.8 + 0.1 + 0.8 * 0.5 = 1.3 people at the list price.
assert near(wom["adoptions"], 1.3), wom
assert abs(wom["revenue_minor"]["mean"] - 5000 * wom["adoptions"]["mean"]) < 1e-6, wom
assert abs(wom["gross_margin_minor"]["mean"] - 2000 * wom["adoptions"]["mean"]) < 1e-6, wom
assert r["economics"]["price_minor"] == 5000 and r["economics"]["incentive_minor"] == 1000, r
PY
# The table names both strategies and the money.
expect_exit 0 "$VOUCH" simulate campaign --graph "$TMP/g.txt" --weights uniform:1 --price 50 --incentive 10 \
  --budget 20 --runs 1000
expect_contains "$TMP/out" "share (2 seeds)"
expect_contains "$TMP/out" "wom (2 seeds)"
expect_contains "$TMP/out" "ROI"
# Bad input names the flag (exit 2: usage).
expect_exit 2 "$VOUCH" simulate campaign --graph "$TMP/g.txt" --price 49.999
expect_contains "$TMP/err" "--price"
expect_exit 2 "$VOUCH" simulate campaign --graph "$TMP/g.txt" --price 50 --margin 140
expect_contains "$TMP/err" "--margin"
expect_exit 2 "$VOUCH" simulate campaign --graph "$TMP/g.txt" --price 50 --budget 100
expect_contains "$TMP/err" "--incentive"
expect_exit 2 "$VOUCH" simulate campaign --graph "$TMP/g.txt" --price 50 --strategy tv
expect_contains "$TMP/err" "--strategy"
