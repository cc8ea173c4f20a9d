# Crash test: kill -9 `vouch serve` in the middle of a mixed load of clicks, leads, sales and refunds, restart it,
# and check that every acknowledged click, lead, sale and refund is there exactly once, with its outbox event
# intact, and that the ledger balances; then that the outbox delivers every event that was pending at the kill
# exactly once to a local webhook receiver (bench/refer/crash_load.py). One command:
#   cd build/release && ctest -R refer_crash --output-on-failure
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="$(command -v /usr/bin/python3 || command -v python3)"
expect_exit 0 "$VOUCH" init "$TMP/ws"
KEY="$("$VOUCH" keys create --scope write --workspace "$TMP/ws")"
SERVER=""
RECEIVER=""
trap '[ -n "$SERVER" ] && { kill -9 "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
      [ -n "$RECEIVER" ] && { kill "$RECEIVER" 2>/dev/null || true; wait "$RECEIVER" 2>/dev/null || true; }
      rm -rf "$TMP"' EXIT
# start_server [OPTION...]: runs vouch serve on a free loopback port, sets SERVER and PORT.
start_server() {
  : > "$TMP/serve.log"
  "$VOUCH" serve --workspace "$TMP/ws" --listen 127.0.0.1:0 --webhook-retry-ms 100 "$@" 2>"$TMP/serve.log" &
  SERVER=$!
  PORT=""
  for _ in $(seq 1 100); do
    PORT="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/serve.log")"
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  fail "vouch serve did not start: $(cat "$TMP/serve.log")"
}
start_server
AUTH="Authorization: Bearer $KEY"
API="http://127.0.0.1:$PORT/api/v1"
# A webhook endpoint for every event type, registered before the first event, and its receiver.
RPORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
HOOK_JSON="$(curl -sf -H "$AUTH" "$API/webhooks" -d "{\"url\":\"http://127.0.0.1:$RPORT/hooks\"}")"
HOOK="$(echo "$HOOK_JSON" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
SECRET="$(echo "$HOOK_JSON" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
: > "$TMP/received.jsonl"
"$PY" "$ROOT/bench/refer/crash_load.py" receive "$RPORT" "$SECRET" "$TMP/received.jsonl" &
RECEIVER=$!
curl -sf -H "$AUTH" "$API/programs" -d '{"name":"Crash","destination_url":"https://shop.example/",
  "rewards":[{"event":"sale","type":"percent","value":10}],"min_conversion_seconds":0}' >/dev/null
curl -sf -H "$AUTH" "$API/advocates" -d '{"name":"Jane","email":"jane@example.com"}' >/dev/null
CODE="$(curl -sf -H "$AUTH" "$API/links" -d '{"program_id":1,"advocate_id":1}' | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["code"])')"

"$PY" "$ROOT/bench/refer/crash_load.py" load "$PORT" "$KEY" "$CODE" "$TMP/acked.jsonl" 30 > "$TMP/load.out" &
LOAD=$!
sleep 3
kill -9 "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=""
wait "$LOAD" || fail "the load client failed: $(cat "$TMP/load.out")"
cat "$TMP/load.out"
# Restarted without delivery first, so that what was pending at the kill can be read before anything is sent.
start_server --no-webhooks
"$PY" "$ROOT/bench/refer/crash_load.py" verify "$PORT" "$KEY" "$TMP/acked.jsonl" > "$TMP/verify.out" \
  || fail "after kill -9: $(cat "$TMP/verify.out")"
cat "$TMP/verify.out"
"$PY" "$ROOT/bench/refer/crash_load.py" pending "$PORT" "$KEY" "$HOOK" "$TMP/pending.json" \
  || fail "could not read the outbox after the restart"
kill -TERM "$SERVER"; wait "$SERVER" || fail "vouch serve did not stop cleanly: $(cat "$TMP/serve.log")"
SERVER=""
echo '{"mark": "restart"}' >> "$TMP/received.jsonl"
# Delivery on again: every pending event reaches the receiver exactly once.
start_server
"$PY" "$ROOT/bench/refer/crash_load.py" delivered "$PORT" "$KEY" "$HOOK" "$TMP/pending.json" "$TMP/received.jsonl" 120 \
  > "$TMP/delivered.out" || fail "outbox after the restart: $(cat "$TMP/delivered.out")"
cat "$TMP/delivered.out"
