# vouch ingest ratings|orders|people: good rows stored, bad rows listed with their lines (exit 3), a second
# ingest of the same files leaves `vouch status` unchanged.
expect_exit 0 "$VOUCH" init "$TMP/ws"
W=(--workspace "$TMP/ws")

cat > "$TMP/ratings.csv" <<'CSV'
rater,ratee,rating,time
alice,bob,10,2024-05-01T12:00:00Z
bob,@Alice,-10,1714564800
carol,bob,0,
carol,carol,3,
dave,bob,lots,
CSV
cat > "$TMP/orders.csv" <<'CSV'
order_id,customer_id,email,amount_minor,currency,time,referral_code
O-1,C-1,Jane.Doe+shop@gmail.com,1250,usd,2024-05-01T12:00:00Z,JANE10
O-2,C-2,,999,,1714564800,
O-3,C-3,,12.50,USD,1714564800,
O-4,C-3,,-3,USD,1714564800,
O-5,C-3,,1e3,USD,1714564800,
O-6,C-3,,,USD,1714564800,
O-7,,,5,USD,1714564800,
O-8,C-3,"x@example.com",5,EUR,1714564800,"CODE, WITH
NEWLINE"
CSV
cat > "$TMP/people.csv" <<'CSV'
customer_id,email,platform,handle,name
C-1,,x,@alice,"Doe, Jane"
C-2,bob@example.com,,bob,Bob
,,,,Nobody
CSV

# ratings: scale inferred and said; bad rows listed by line in the default rejects file
expect_exit 3 "$VOUCH" ingest ratings "$TMP/ratings.csv" --platform x "${W[@]}"
expect_contains "$TMP/out" "read 5, stored 3, duplicate 0, rejected 2"
expect_contains "$TMP/out" "scale -10:10, inferred"
R="$TMP/ws/rejects/ratings.csv.rejects.jsonl"
[ -f "$R" ] || fail "no rejects file $R"
python3 - "$R" <<'PY' || fail "ratings rejects not as expected: $(cat "$R")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["line"] for r in rows] == [5, 6], rows
assert "oneself" in rows[0]["reason"] and rows[1]["record"] == "dave,bob,lots,", rows
PY

# a given scale that the file exceeds
expect_exit 3 "$VOUCH" ingest ratings "$TMP/ratings.csv" --platform x --scale 0:10 "${W[@]}"
expect_contains "$TMP/out" "rejected 3"
expect_exit 2 "$VOUCH" ingest ratings "$TMP/ratings.csv" --scale 10:0 "${W[@]}"
expect_contains "$TMP/err" "minimum must be below"

# orders: money edge cases rejected naming the field; a quoted field with a comma and a newline is one record
expect_exit 3 "$VOUCH" ingest orders "$TMP/orders.csv" --rejects "$TMP/orders.rejects.jsonl" "${W[@]}"
expect_contains "$TMP/out" "read 8, stored 3, duplicate 0, rejected 5"
python3 - "$TMP/orders.rejects.jsonl" <<'PY' || fail "orders rejects not as expected: $(cat "$TMP/orders.rejects.jsonl")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["line"] for r in rows] == [4, 5, 6, 7, 8], rows
assert all("amount_minor" in r["reason"] for r in rows[:4]), rows
assert "customer_id or email" in rows[4]["reason"], rows
PY

# people: the row's identifiers become one person
expect_exit 3 "$VOUCH" ingest people "$TMP/people.csv" "${W[@]}"
expect_contains "$TMP/out" "read 3, stored 2, duplicate 0, rejected 1"

expect_exit 0 "$VOUCH" status --json "${W[@]}"
cp "$TMP/out" "$TMP/status1.json"
[ "$(json_field "$TMP/status1.json" ratings)" = 3 ] || fail "ratings: $(cat "$TMP/status1.json")"
[ "$(json_field "$TMP/status1.json" orders)" = 3 ] || fail "orders: $(cat "$TMP/status1.json")"

# all again, several files at once: nothing new, status unchanged
expect_exit 3 "$VOUCH" ingest ratings "$TMP/ratings.csv" --platform x "${W[@]}"
expect_contains "$TMP/out" "read 5, stored 0, duplicate 3, rejected 2"
expect_exit 3 "$VOUCH" ingest orders "$TMP/orders.csv" "$TMP/orders.csv" "${W[@]}"
expect_contains "$TMP/out" "total: read 16, stored 0, duplicate 6, rejected 10"
expect_exit 3 "$VOUCH" ingest people "$TMP/people.csv" "${W[@]}"
expect_contains "$TMP/out" "read 3, stored 0, duplicate 2, rejected 1"
expect_exit 0 "$VOUCH" status --json "${W[@]}"
cmp -s "$TMP/out" "$TMP/status1.json" || fail "status changed: $(diff "$TMP/status1.json" "$TMP/out")"

# a clean file exits 0; gzip input works
printf 'erin,frank,1\nfrank,erin,-1\n' | gzip > "$TMP/clean.csv.gz"
expect_exit 0 "$VOUCH" ingest ratings "$TMP/clean.csv.gz" "${W[@]}"
expect_contains "$TMP/out" "read 2, stored 2, duplicate 0, rejected 0"

# clear errors: missing file, missing header, equal ratings
expect_exit 1 "$VOUCH" ingest orders "$TMP/nope.csv" "${W[@]}"
expect_contains "$TMP/err" "nope.csv"
printf 'O-1,C-1,,100,USD,1,\n' > "$TMP/noheader.csv"
expect_exit 2 "$VOUCH" ingest orders "$TMP/noheader.csv" "${W[@]}"
expect_contains "$TMP/err" "noheader.csv:1: the header lacks"
printf 'a,b,3\nb,c,3\n' > "$TMP/flat.csv"
expect_exit 2 "$VOUCH" ingest ratings "$TMP/flat.csv" "${W[@]}"
expect_contains "$TMP/err" "--scale"
# --help documents exit status 3
expect_exit 0 "$VOUCH" ingest orders --help
expect_contains "$TMP/out" "Exit status 3"

# interrupted (SIGINT, as Ctrl-C) part-way: whole batches only, and the same command completes it
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "k%d,m%d,%d\n", i, i, i % 3 - 1 }' > "$TMP/big.csv"
expect_exit 0 "$VOUCH" init "$TMP/ws2"
set +e
"$VOUCH" ingest ratings "$TMP/big.csv" --scale -1:1 --workspace "$TMP/ws2" >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 0.3
kill -INT "$pid" 2>/dev/null
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 130 ] || [ "$rc" -eq 0 ] || fail "interrupted ingest exited $rc: $(cat "$TMP/err")"
expect_exit 0 "$VOUCH" status --json --workspace "$TMP/ws2"
kept=$(json_field "$TMP/out" ratings)
[ $((kept % 10000)) -eq 0 ] || [ "$kept" -eq 100000 ] || fail "interrupted ingest kept a partial batch: $kept"
expect_exit 0 "$VOUCH" ingest ratings "$TMP/big.csv" --scale -1:1 --workspace "$TMP/ws2"
expect_contains "$TMP/out" "stored $((100000 - kept)), duplicate $kept, rejected 0"
expect_exit 0 "$VOUCH" status --json --workspace "$TMP/ws2"
[ "$(json_field "$TMP/out" ratings)" = 100000 ] || fail "rerun did not complete the ingest: $(cat "$TMP/out")"
