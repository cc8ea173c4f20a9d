# The referral service end to end over real HTTP on loopback: keys, program, advocate, link, click (302 with
# vouch_click), lead, sale, replayed sale, refund (reversed), self-referral (hold), payout, the friend credit of a
# two-sided program (redeemed once, clawed back on refund), the ledger balancing,
# 401 without a key, 4xx on malformed JSON with nothing stored, graceful stop on SIGTERM.
expect_exit 0 "$VOUCH" init "$TMP/ws"
expect_exit 0 "$VOUCH" keys create --scope write --workspace "$TMP/ws"
KEY="$(cat "$TMP/out")"
[ "$(wc -l < "$TMP/out")" -eq 1 ] && [[ "$KEY" == vk_* ]] || fail "keys create printed more than the key: $(cat "$TMP/out")"
expect_exit 0 "$VOUCH" keys create --scope read --workspace "$TMP/ws"
READ_KEY="$(cat "$TMP/out")"
expect_exit 2 "$VOUCH" keys create --scope admin --workspace "$TMP/ws"

start_server

BROWSER='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
# click CODE [COOKIEJAR]: follows nothing; the status in $TMP/status, headers in $TMP/headers.
click() {
  local jar="${2-}" args=(-s -o /dev/null -D "$TMP/headers" -w '%{http_code}' -A "$BROWSER" --max-time 10)
  [ -n "$jar" ] && args+=(-b "$jar" -c "$jar")
  curl "${args[@]}" "$BASE/r/$1" > "$TMP/status"
}
click_id() { sed -n 's/^Location: .*vouch_click=\([A-Za-z0-9]*\).*/\1/p' "$TMP/headers" | tr -d '\r'; }

# ---- authentication ----
expect_call 401 GET "/api/v1/commissions" "" ""
[ "$(j 'd["error"]["code"]')" = unauthorized ] || fail "401 without the error body: $(cat "$TMP/body")"
expect_call 401 GET "/api/v1/commissions" "" "vk_wrong"
expect_call 403 POST "/api/v1/advocates" '{"name":"R","email":"r@example.com"}' "$READ_KEY"
expect_call 200 GET "/api/v1/commissions" "" "$READ_KEY"

# ---- program, advocate, link ----
expect_call 201 POST /api/v1/programs '{"name":"Friends","destination_url":"https://shop.example/welcome?src=ref",
  "rewards":[{"event":"sale","type":"percent","value":10}],"hold_days":0,"min_conversion_seconds":0}'
PROGRAM="$(j 'd["id"]')"
expect_call 201 POST /api/v1/advocates '{"name":"Jane Doe","email":"Jane.Doe@Gmail.com","external_id":"cust-jane"}'
ADVOCATE="$(j 'd["id"]')"
expect_call 200 POST /api/v1/advocates '{"name":"Jane Doe","email":"jane.doe@gmail.com"}'
[ "$(j 'd["id"]')" = "$ADVOCATE" ] || fail "the same e-mail made a second advocate"
expect_call 201 POST /api/v1/links "{\"program_id\":$PROGRAM,\"advocate_id\":\"$ADVOCATE\"}"
CODE="$(j 'd["code"]')"
[ "$(j 'd["url"]')" = "$BASE/r/$CODE" ] || fail "link url: $(cat "$TMP/body")"
[ "${#CODE}" -ge 10 ] || fail "link code too short to be unguessable: $CODE"
expect_call 201 POST /api/v1/links "{\"program_id\":$PROGRAM,\"advocate_id\":$ADVOCATE,\"code\":\"JANE10\"}"
expect_call 409 POST /api/v1/links "{\"program_id\":$PROGRAM,\"advocate_id\":$ADVOCATE,\"code\":\"JANE10\"}"
expect_call 404 POST /api/v1/links "{\"program_id\":999,\"advocate_id\":$ADVOCATE}"

# ---- clicks ----
click "$CODE" "$TMP/jar"
[ "$(cat "$TMP/status")" = 302 ] || fail "GET /r/CODE answered $(cat "$TMP/status")"
grep -qi '^Location: https://shop.example/welcome?src=ref&vouch_click=' "$TMP/headers" || fail "Location: $(cat "$TMP/headers")"
grep -qi '^Set-Cookie: vouch_vid=' "$TMP/headers" || fail "no visitor cookie: $(cat "$TMP/headers")"
CLICK="$(click_id)"
[ -n "$CLICK" ] || fail "no click id in $(cat "$TMP/headers")"
click "$CODE" "$TMP/jar"    # the same visitor again within the hour: stored, not counted
curl -s -o /dev/null -I -A "$BROWSER" "$BASE/r/$CODE"                          # HEAD: not counted
curl -s -o /dev/null -A 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' "$BASE/r/$CODE"  # previewer
expect_call 200 GET "/api/v1/links/$CODE"
[ "$(j 'd["raw_clicks"]')" = 4 ] && [ "$(j 'd["clicks"]')" = 1 ] || fail "click counts: $(cat "$TMP/body")"
click "nosuchcode00"
[ "$(cat "$TMP/status")" = 404 ] || fail "unknown code answered $(cat "$TMP/status")"

# ---- lead, sale, replay ----
expect_call 201 POST /api/v1/track/lead "{\"click_id\":\"$CLICK\",\"customer\":{\"external_id\":\"cust-1\",\"email\":\"bob@example.com\"}}"
expect_call 201 POST /api/v1/track/sale '{"customer_external_id":"cust-1","invoice_id":"inv-1","amount":12345,"currency":"USD"}'
cp "$TMP/body" "$TMP/sale1"
[ "$(j 'd["commissions"][0]["amount"]')" = 1234 ] || fail "10% of 12345 is 1234: $(cat "$TMP/body")"
[ "$(j 'd["commissions"][0]["status"]')" = pending ] || fail "new commission not pending: $(cat "$TMP/body")"
COMMISSION="$(j 'd["commissions"][0]["id"]')"
expect_call 200 POST /api/v1/track/sale '{"customer_external_id":"cust-1","invoice_id":"inv-1","amount":12345,"currency":"USD"}'
cmp -s "$TMP/body" "$TMP/sale1" || fail "replayed sale answered differently: $(cat "$TMP/body") vs $(cat "$TMP/sale1")"

# ---- a second sale, refunded: its commission is reversed ----
expect_call 201 POST /api/v1/track/sale '{"customer_external_id":"cust-1","invoice_id":"inv-2","amount":5000,"currency":"USD"}'
REFUNDED="$(j 'd["commissions"][0]["id"]')"
expect_call 200 POST /api/v1/track/refund '{"invoice_id":"inv-2"}'
[ "$(j '[c["status"] for c in d["commissions"]]')" = "['reversed']" ] || fail "refund: $(cat "$TMP/body")"
expect_call 404 POST /api/v1/track/refund '{"invoice_id":"inv-none"}'

# ---- self-referral: the advocate buys through her own link with a Gmail alias ----
click "$CODE"
SELF_CLICK="$(click_id)"
expect_call 201 POST /api/v1/track/lead "{\"click_id\":\"$SELF_CLICK\",\"customer\":{\"external_id\":\"cust-9\",\"email\":\"janedoe+deals@googlemail.com\"}}"
expect_call 201 POST /api/v1/track/sale '{"customer_external_id":"cust-9","invoice_id":"inv-3","amount":8000,"currency":"USD"}'
[ "$(j 'd["commissions"][0]["status"]')" = hold ] || fail "self-referral not held: $(cat "$TMP/body")"
[ "$(j 'd["commissions"][0]["fraud"][0]["rule"]')" = self_referral ] || fail "no recorded reason: $(cat "$TMP/body")"

# ---- commissions, pages ----
expect_call 200 GET "/api/v1/commissions?advocate_id=$ADVOCATE"
[ "$(j '[(c["invoice_id"], c["status"]) for c in d["data"]]')" = "[('inv-1', 'approved'), ('inv-2', 'reversed'), ('inv-3', 'hold')]" ] \
  || fail "commissions: $(cat "$TMP/body")"
[ "$(j 'd["next_cursor"]')" = None ] || fail "one page has a next cursor: $(cat "$TMP/body")"
expect_call 200 GET "/api/v1/commissions?advocate_id=$ADVOCATE&limit=2"
CURSOR="$(j 'd["next_cursor"]')"
[ "$CURSOR" != None ] || fail "no next_cursor: $(cat "$TMP/body")"
expect_call 200 GET "/api/v1/commissions?advocate_id=$ADVOCATE&limit=2&cursor=$CURSOR"
[ "$(j '([c["invoice_id"] for c in d["data"]], d["next_cursor"])')" = "(['inv-3'], None)" ] || fail "page 2: $(cat "$TMP/body")"
expect_call 400 GET "/api/v1/commissions?limit=10001"

# ---- payout: the approved commission only ----
expect_call 201 POST /api/v1/payouts '{"minimum":1000,"currency":"USD"}'
[ "$(j '[(p["advocate_id"], p["amount"], p["commissions"]) for p in d["data"]]')" = "[($ADVOCATE, 1234, 1)]" ] \
  || fail "payout: $(cat "$TMP/body")"
expect_call 201 POST /api/v1/payouts '{"minimum":1000,"currency":"USD"}'
[ "$(j 'len(d["data"])')" = 0 ] || fail "paid twice: $(cat "$TMP/body")"
expect_call 200 GET "/api/v1/commissions?advocate_id=$ADVOCATE&limit=1"
[ "$(j 'd["data"][0]["status"]')" = paid ] || fail "paid commission: $(cat "$TMP/body")"
expect_call 200 GET "/api/v1/advocates/$ADVOCATE/balance"
[ "$(j '(d["balances"]["USD"]["paid"], d["balances"]["USD"]["hold"])')" = "(1234, 800)" ] || fail "balance: $(cat "$TMP/body")"
expect_call 200 GET "/api/v1/events?limit=10000"
for type in sale.created commission.created commission.reversed commission.approved payout.created; do
  [ "$(j "sum(e['type'] == '$type' for e in d['data']) > 0")" = True ] || fail "no $type event: $(cat "$TMP/body")"
done
expect_call 200 GET /api/v1/ledger
[ "$(j 'd["balanced"]')" = True ] || fail "ledger does not balance: $(cat "$TMP/body")"

# ---- two-sided: the friend's credit is spent once per redemption id, clawed back on refund, never below 0 ----
expect_call 201 POST /api/v1/programs '{"name":"Two-sided","destination_url":"https://shop.example/",
  "min_conversion_seconds":0,"rewards":[{"event":"sale","type":"percent","value":10},
  {"event":"sale","type":"percent","value":10,"side":"friend"}]}'
expect_call 201 POST /api/v1/links "{\"program_id\":$(j 'd["id"]'),\"advocate_id\":$ADVOCATE}"
click "$(j 'd["code"]')"
expect_call 201 POST /api/v1/track/lead "{\"click_id\":\"$(click_id)\",\"customer\":{\"external_id\":\"cust-f\",\"email\":\"fred@example.com\"}}"
expect_call 201 POST /api/v1/track/sale '{"customer_external_id":"cust-f","invoice_id":"inv-f1","amount":10000,"currency":"USD"}'
[ "$(j 'd["friend_rewards"][0]["amount"]')" = 1000 ] || fail "friend reward: $(cat "$TMP/body")"
REDEEM='{"redemption_id":"chk-f1","customer_external_id":"cust-f","amount":600,"currency":"USD","invoice_id":"inv-f2"}'
expect_call 201 POST /api/v1/credits/redeem "$REDEEM"
cp "$TMP/body" "$TMP/redeem1"
expect_call 200 POST /api/v1/credits/redeem "$REDEEM"
cmp -s "$TMP/body" "$TMP/redeem1" || fail "replayed redemption answered differently: $(cat "$TMP/body")"
expect_call 409 POST /api/v1/credits/redeem '{"redemption_id":"chk-f2","customer_external_id":"cust-f","amount":401,"currency":"USD"}'
expect_call 200 POST /api/v1/track/refund '{"invoice_id":"inv-f1","amount":5000}'
[ "$(j '[(r["reversed_amount"], r["unrecovered_amount"]) for r in d["friend_rewards"]]')" = "[(400, 100)]" ] \
  || fail "half a refund takes back what is left of the credit: $(cat "$TMP/body")"
expect_call 200 GET /api/v1/credits/cust-f
[ "$(j '[(c["available"], c["earned"], c["clawed_back"], c["redeemed"]) for c in d["data"]]')" = "[(0, 1000, 400, 600)]" ] \
  || fail "credit: $(cat "$TMP/body")"
expect_call 200 GET /api/v1/ledger
[ "$(j 'd["balanced"]')" = True ] || fail "ledger does not balance: $(cat "$TMP/body")"

# ---- bad input: a 4xx naming the problem, nothing stored ----
expect_call 400 POST /api/v1/track/sale '{"customer_external_id":"cust-1","invoice_id":"inv-bad",'
[ "$(j 'd["error"]["code"]')" = invalid_argument ] || fail "malformed JSON: $(cat "$TMP/body")"
expect_call 400 POST /api/v1/track/sale '{"customer_external_id":"cust-1","invoice_id":"inv-bad","amount":"100","currency":"USD"}'
j 'd["error"]["message"]' | grep -q '^amount' || fail "the error does not name the field: $(cat "$TMP/body")"
expect_call 400 POST /api/v1/programs '{"name":"X","destination_url":"javascript:alert(1)","rewards":[{"event":"sale","type":"percent","value":10}]}'
expect_call 400 POST /api/v1/programs '{"name":"X","destination_url":"https://x.example","rewards":[{"event":"sale","type":"bogus","value":1}]}'
j 'd["error"]["message"]' | grep -q '^rewards\[0\]\.type' || fail "the error does not name the field: $(cat "$TMP/body")"
expect_call 201 POST /api/v1/track/sale '{"customer_external_id":"cust-1","invoice_id":"inv-bad","amount":100,"currency":"USD"}'
"$PY" -c 'print("{\"name\":\"" + "x" * 70000 + "\"}")' > "$TMP/big.json"
expect_call 413 POST /api/v1/advocates "@$TMP/big.json"

# ---- a disabled link stops redirecting ----
expect_call 200 PATCH "/api/v1/links/$CODE" '{"disabled":true}'
click "$CODE"
[ "$(cat "$TMP/status")" = 404 ] || fail "disabled link answered $(cat "$TMP/status")"

# ---- graceful stop ----
kill -TERM "$SERVER"
for _ in $(seq 1 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
kill -0 "$SERVER" 2>/dev/null && fail "vouch serve did not stop on SIGTERM"
wait "$SERVER" || fail "vouch serve exited $? on SIGTERM"
expect_contains "$TMP/serve.log" "stopped after"
