# vouch trust predict: the contract the evaluation scripts rely on. Order kept, one prediction per pair, unseen
# people predicted, the ratings' scale kept, bad lines named with file:line.
python3 - "$TMP" <<'PY'
import random, sys
tmp = sys.argv[1]
rng = random.Random(1)
quality = [rng.uniform(1, 5) for _ in range(60)]
with open(f"{tmp}/train.csv", "w") as f:
    f.write("rater,ratee,rating,time\n")
    for u in range(60):
        for _ in range(8):
            v = rng.randrange(60)
            if v != u:
                f.write(f"p{u},p{v},{min(5, max(1, round(quality[v] + rng.gauss(0, 0.5))))},{1000 + u}\n")
with open(f"{tmp}/pairs.csv", "w") as f:
    # deliberately unsorted, with strangers on either side and a repeated pair
    for a, b in [("p9", "p3"), ("p1", "p50"), ("stranger", "p2"), ("p4", "newcomer"), ("x", "y"), ("p9", "p3"),
                 ("p0", "p1")]:
        f.write(f"{a},{b}\n")
PY
expect_exit 0 "$VOUCH" trust predict --train "$TMP/train.csv" --test "$TMP/pairs.csv" --output "$TMP/pred.csv"
[ "$(wc -l < "$TMP/pred.csv")" -eq 7 ] || fail "expected 7 predictions: $(cat "$TMP/pred.csv")"
cut -d, -f1,2 "$TMP/pred.csv" > "$TMP/pred_pairs.csv"
cmp -s "$TMP/pred_pairs.csv" "$TMP/pairs.csv" || fail "pairs not in input order: $(cat "$TMP/pred.csv")"
# every prediction is a number on the ratings' own scale (1..5: inferred from the data)
awk -F, '{ if ($3 == "" || $3 + 0 != $3 || $3 < 1 || $3 > 5) { print "bad: " $0; exit 1 } }' "$TMP/pred.csv" \
  || fail "prediction off the 1..5 scale: $(cat "$TMP/pred.csv")"
# the same pair twice gets the same prediction
[ "$(sed -n 1p "$TMP/pred.csv")" = "$(sed -n 6p "$TMP/pred.csv")" ] || fail "repeated pair predicted differently"

# an explicit scale wider than the data: predictions stay inside it
expect_exit 0 "$VOUCH" trust predict --train "$TMP/train.csv" --test "$TMP/pairs.csv" --output "$TMP/wide.csv" \
  --scale 0:10 --quiet
awk -F, '{ if ($3 < 0 || $3 > 10) exit 1 }' "$TMP/wide.csv" || fail "prediction off the 0..10 scale"
# the baselines follow the same contract
for method in fxg mean; do
  expect_exit 0 "$VOUCH" trust predict --train "$TMP/train.csv" --test "$TMP/pairs.csv" --output "$TMP/$method.csv" \
    --method "$method" --quiet
  [ "$(wc -l < "$TMP/$method.csv")" -eq 7 ] || fail "$method: expected 7 predictions"
done
# a pairs file with a header gets a header back, then one line per pair
{ echo "rater,ratee"; cat "$TMP/pairs.csv"; } > "$TMP/pairs_h.csv"
expect_exit 0 "$VOUCH" trust predict --train "$TMP/train.csv" --test "$TMP/pairs_h.csv" --output "$TMP/pred_h.csv" -q
[ "$(head -1 "$TMP/pred_h.csv")" = "rater,ratee,predicted" ] || fail "no header: $(head -2 "$TMP/pred_h.csv")"
[ "$(wc -l < "$TMP/pred_h.csv")" -eq 8 ] || fail "header + 7 lines expected"

# headerless ratings without times, on a signed scale: inferred symmetric
printf 'a,b,10\nb,c,-4\nc,a,2\n' > "$TMP/signed.csv"
printf 'a,c\n' > "$TMP/one.csv"
expect_exit 0 "$VOUCH" trust predict --train "$TMP/signed.csv" --test "$TMP/one.csv" --output "$TMP/one_pred.csv"
expect_contains "$TMP/err" "scale -10:10"

# bad input is named with its file and line
printf 'a,b,1\nb,c,lots\n' > "$TMP/bad.csv"
expect_exit 2 "$VOUCH" trust predict --train "$TMP/bad.csv" --test "$TMP/pairs.csv" --output "$TMP/x.csv"
expect_contains "$TMP/err" "bad.csv:2:"
printf 'p1,p2\nonlyone\n' > "$TMP/badpairs.csv"
expect_exit 2 "$VOUCH" trust predict --train "$TMP/train.csv" --test "$TMP/badpairs.csv" --output "$TMP/x.csv"
expect_contains "$TMP/err" "badpairs.csv:2:"
# a rating outside an explicit scale is refused
expect_exit 2 "$VOUCH" trust predict --train "$TMP/train.csv" --test "$TMP/pairs.csv" --output "$TMP/x.csv" --scale 1:4
expect_contains "$TMP/err" "outside the scale"
expect_exit 2 "$VOUCH" trust predict --train "$TMP/train.csv" --test "$TMP/pairs.csv" --output "$TMP/x.csv" --scale 3
expect_exit 1 "$VOUCH" trust predict --train "$TMP/missing.csv" --test "$TMP/pairs.csv" --output "$TMP/x.csv"
expect_contains "$TMP/err" "missing.csv"

# reputation: every person once, with the header
expect_exit 0 "$VOUCH" trust reputation --ratings "$TMP/train.csv" --output "$TMP/rep.csv" -q
expect_contains "$TMP/rep.csv" "person,reputation,fairness"
[ "$(wc -l < "$TMP/rep.csv")" -eq 61 ] || fail "expected 60 people + header in rep.csv"
