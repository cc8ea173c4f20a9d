# vouch report and vouch export people on a small workspace: the honest "no data" states, the HTML's contents, the
# window's errors naming the flag, and the export's stable header.
expect_exit 0 "$VOUCH" init "$TMP/ws"
printf '\n[[brand]]\nname = "Acme"\ncompetitors = ["Rival"]\n[[brand]]\nname = "Rival"\n' >> "$TMP/ws/vouch.toml"
printf 'customer_id,email,platform,handle,name\nC1,ann@example.com,x,ann,Ann Lee\nC2,bob@example.com,x,bob,"Bob, Jr"\n' > "$TMP/people.csv"
expect_exit 0 "$VOUCH" ingest people "$TMP/people.csv" --workspace "$TMP/ws"

expect_exit 0 "$VOUCH" report --workspace "$TMP/ws" --json
expect_contains "$TMP/out" '"brand": "Acme"'
expect_contains "$TMP/out" 'vouch serve'
expect_contains "$TMP/out" '"mentions": null'

expect_exit 0 "$VOUCH" report --workspace "$TMP/ws" --out "$TMP/report.html"
expect_contains "$TMP/out" "report written to $TMP/report.html"
expect_contains "$TMP/report.html" 'const MODE = "report"'
expect_contains "$TMP/report.html" '"brand":"Acme"'
# Chart.js is inlined (self-contained, opens offline), nothing is loaded from elsewhere.
expect_contains "$TMP/report.html" 'Chart.js'
if grep -q '<script src=' "$TMP/report.html"; then fail "report.html loads a script from elsewhere"; fi

expect_exit 2 "$VOUCH" report --workspace "$TMP/ws" --since "March 2" --out "$TMP/x.html"
expect_contains "$TMP/err" "--since"
expect_exit 1 "$VOUCH" report --workspace "$TMP/ws" --brand Nobody --json --advocates "$TMP/missing.json"
expect_contains "$TMP/err" "missing.json"

expect_exit 0 "$VOUCH" export people --workspace "$TMP/ws" --format csv
head -1 "$TMP/out" > "$TMP/header"
expect_contains "$TMP/header" "person_id,name,emails,handles,customer_ids,posts,mentions,endorse,complain,share,ask,other,reputation"
expect_contains "$TMP/out" '"Bob, Jr"'
[ "$(wc -l < "$TMP/out")" -eq 3 ] || fail "expected a header and 2 people: $(cat "$TMP/out")"
expect_exit 0 "$VOUCH" export people --workspace "$TMP/ws" --format jsonl --out "$TMP/people.jsonl"
[ "$(wc -l < "$TMP/people.jsonl")" -eq 2 ] || fail "expected 2 JSON lines: $(cat "$TMP/people.jsonl")"
expect_contains "$TMP/people.jsonl" '"handles":["x:ann"]'
expect_exit 2 "$VOUCH" export people --workspace "$TMP/ws" --format xml
