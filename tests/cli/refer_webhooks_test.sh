# Webhooks end to end over real HTTP: an endpoint registered through the API, a sale whose sale.created cannot be
# delivered (the receiver is down), a restart of vouch serve, and the event delivered afterwards to a receiver
# that answers 500 once then 200, with a signature the receiver verifies (HMAC-SHA256 over "t.body").
expect_exit 0 "$VOUCH" init "$TMP/ws"
expect_exit 0 "$VOUCH" keys create --scope write --workspace "$TMP/ws"
KEY="$(cat "$TMP/out")"

# A free port for the receiver, which starts only after the first server is gone.
RPORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

RECEIVER=""
test_teardown() { [ -z "$RECEIVER" ] || { kill "$RECEIVER" 2>/dev/null || true; wait "$RECEIVER" 2>/dev/null || true; }; }
start_server --webhook-retry-ms 100
expect_call 201 POST /api/v1/webhooks "{\"url\": \"http://127.0.0.1:$RPORT/hooks\", \"event_types\": [\"sale.created\"]}"
SECRET="$(j 'd["secret"]')"
HOOK="$(j 'd["id"]')"
expect_call 201 POST /api/v1/programs '{"name":"F","destination_url":"https://shop.example/",
  "rewards":[{"event":"sale","type":"percent","value":10}],"min_conversion_seconds":0}'
PROGRAM="$(j 'd["id"]')"
expect_call 201 POST /api/v1/advocates '{"name":"Jane","email":"jane@example.com"}'
ADVOCATE="$(j 'd["id"]')"
expect_call 201 POST /api/v1/links "{\"program_id\": $PROGRAM, \"advocate_id\": $ADVOCATE}"
CODE="$(j 'd["code"]')"
CLICK="$(curl -s -o /dev/null -w '%{redirect_url}' -A 'Mozilla/5.0 Firefox/121.0' "$BASE/r/$CODE" | sed 's/.*vouch_click=//')"
expect_call 201 POST /api/v1/track/lead "{\"click_id\": \"$CLICK\", \"customer\": {\"external_id\": \"u1\"}}"
expect_call 201 POST /api/v1/track/sale '{"customer_external_id":"u1","invoice_id":"ORD-1","amount":5000,"currency":"USD"}'

# The receiver is down: the delivery fails and waits for a retry.
for _ in $(seq 1 50); do
  expect_call 200 GET "/api/v1/webhooks/$HOOK/deliveries"
  [ "$(j 'd["data"][0]["attempts"] if d["data"] else 0')" -ge 1 ] && break
  sleep 0.1
done
[ "$(j 'd["data"][0]["status"]')" = pending ] || fail "expected a pending delivery: $(cat "$TMP/body")"
kill -TERM "$SERVER"; wait "$SERVER" || fail "vouch serve did not stop cleanly: $(cat "$TMP/serve.log")"

# The receiver: 500 to the first request, 200 afterwards; it verifies each signature and records the bodies.
cat > "$TMP/receiver.py" <<'PYEOF'
import hashlib, hmac, http.server, json, sys, time
port, secret, log = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
seen = []
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        parts = dict(p.split("=", 1) for p in self.headers["Vouch-Signature"].split(","))
        ok = hmac.compare_digest(hmac.new(secret, parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest(),
                                 parts["v1"]) and abs(time.time() - int(parts["t"])) < 300
        seen.append(1)
        status = 500 if len(seen) == 1 else 200
        with open(log, "a") as f:
            f.write(json.dumps({"status": status, "verified": ok, "body": json.loads(body)}) + "\n")
        self.send_response(status); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PYEOF
"$PY" "$TMP/receiver.py" "$RPORT" "$SECRET" "$TMP/received.jsonl" &
RECEIVER=$!
start_server --webhook-retry-ms 100  # delivery resumes from the outbox
for _ in $(seq 1 100); do
  [ -f "$TMP/received.jsonl" ] && grep -q '"status": 200' "$TMP/received.jsonl" && break
  sleep 0.1
done
[ -f "$TMP/received.jsonl" ] || fail "nothing delivered after the restart: $(cat "$TMP/serve.log")"
"$PY" - "$TMP/received.jsonl" <<'PYEOF' || fail "deliveries: $(cat "$TMP/received.jsonl")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["status"] for r in rows] == [500, 200], rows
assert all(r["verified"] for r in rows), rows
assert all(r["body"]["type"] == "sale.created" and r["body"]["data"]["invoice_id"] == "ORD-1" for r in rows), rows
PYEOF
expect_call 200 GET "/api/v1/webhooks/$HOOK/deliveries"
[ "$(j 'd["data"][0]["status"]')" = delivered ] || fail "expected a delivered delivery: $(cat "$TMP/body")"
