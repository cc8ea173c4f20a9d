# vouch people show|merge|split|merges|undo over identities linked by an orders file.
expect_exit 0 "$VOUCH" init "$TMP/ws"
W=(--workspace "$TMP/ws")
cat > "$TMP/orders.csv" <<'CSV'
order_id,customer_id,email,amount_minor,currency,time,referral_code
O-1,C-1,Jane.Doe+shop@gmail.com,1250,USD,1714564800,
O-2,C-2,bob@example.com,500,USD,1714564800,
CSV
printf 'rater,ratee,rating\njane,bob,5\nbob,jane,-5\n' > "$TMP/ratings.csv"
expect_exit 0 "$VOUCH" ingest orders "$TMP/orders.csv" "${W[@]}"
expect_exit 0 "$VOUCH" ingest ratings "$TMP/ratings.csv" --platform x "${W[@]}"

# show by e-mail (normalised: dots and +tag), by customer id, as JSON
expect_exit 0 "$VOUCH" people show email:janedoe@gmail.com "${W[@]}"
expect_contains "$TMP/out" "customer:C-1"
expect_contains "$TMP/out" "orders.csv:2"
expect_contains "$TMP/out" "orders 1"
expect_exit 0 "$VOUCH" people show customer:C-1 --json "${W[@]}"
JANE=$(json_field "$TMP/out" person)

# a manual merge of the customer with an X handle; the older person is kept
expect_exit 0 "$VOUCH" people merge customer:C-1 x:@Jane --reason "same human" "${W[@]}"
expect_contains "$TMP/out" "merge #3"
expect_exit 0 "$VOUCH" people show x:jane --json "${W[@]}"
python3 - "$TMP/out" <<'PY' || fail "merged person not as expected: $(cat "$TMP/out")"
import json, sys
p = json.load(open(sys.argv[1]))
ids = sorted(i["identifier"] for i in p["identities"])
assert ids == ["customer:C-1", "email:janedoe@gmail.com", "x:jane"], ids
assert p["activity"] == {"posts": 0, "ratings_given": 1, "ratings_received": 1, "orders": 1}, p["activity"]
assert [m["reason"] for m in p["merges"]][-1] == "same human", p["merges"]
PY
expect_exit 0 "$VOUCH" people merges --person x:jane "${W[@]}"
expect_contains "$TMP/out" "manual  same human"

# undo the manual merge: the handle is a person of its own again
expect_exit 0 "$VOUCH" people undo 3 "${W[@]}"
expect_exit 0 "$VOUCH" people show x:jane --json "${W[@]}"
[ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["identities"]))' "$TMP/out")" = 1 ] \
  || fail "undo left identities together: $(cat "$TMP/out")"
expect_exit 1 "$VOUCH" people undo 3 "${W[@]}"
expect_contains "$TMP/err" "already undone"

# split the e-mail off Jane; then the automatic merge that brought it cannot be undone before it comes back
expect_exit 0 "$VOUCH" people split email:jane.doe@gmail.com "${W[@]}"
expect_contains "$TMP/out" "to new person"
expect_exit 0 "$VOUCH" people show customer:C-1 --json "${W[@]}"
[ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["identities"]))' "$TMP/out")" = 1 ] \
  || fail "split left the e-mail on Jane: $(cat "$TMP/out")"
expect_exit 1 "$VOUCH" people split customer:C-1 "${W[@]}"
expect_contains "$TMP/err" "only identity"
expect_exit 1 "$VOUCH" people undo 1 "${W[@]}"
expect_contains "$TMP/err" "has moved since"

# clear errors for unknown people and identifiers
expect_exit 1 "$VOUCH" people show email:nobody@example.com "${W[@]}"
expect_contains "$TMP/err" "no identity email:nobody@example.com"
expect_exit 1 "$VOUCH" people show 999 "${W[@]}"
expect_contains "$TMP/err" "no person 999"
expect_exit 2 "$VOUCH" people show jane "${W[@]}"
expect_contains "$TMP/err" "not an identifier"
expect_exit 1 "$VOUCH" people undo 42 "${W[@]}"
expect_contains "$TMP/err" "no merge 42"
expect_exit 1 "$VOUCH" people merge "$JANE" 999 "${W[@]}"
expect_contains "$TMP/err" "no person 999"
