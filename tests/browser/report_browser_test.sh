#!/usr/bin/env bash
# Browser test of the Measure report and dashboard (CTest "browser.report", label "browser"; release build only).
# Builds a small workspace from an example world (`vouch synth`; ingest stores the brand posts' mentions with
# their act and sentiment), computes trust, replays the
# world's referral traffic through `vouch serve`, writes report.html, and has check_report.mjs (Playwright over
# Debian's Chromium) open the report and the dashboard. Screenshots: $VOUCH_ARTEFACTS (build/<type>/artefacts).
# Usage: report_browser_test.sh VOUCH_BINARY
set -euo pipefail
VOUCH="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shots="${VOUCH_ARTEFACTS:-$root/build/artefacts}/browser"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# fail, start_server (the server on $TMP/ws, stopped on exit) and the other helpers the CLI tests share.
# shellcheck source=../cli/lib.sh
source "$root/tests/cli/lib.sh"
for need in /usr/bin/chromium "$root/node_modules/playwright-core/package.json" "$root/node_modules/chart.js/package.json"; do
  [ -e "$need" ] || fail "$need is missing: run scripts/install-deps.sh (deps/packages.txt pins chromium, playwright-core, chart.js)"
done

world="$TMP/world"
ws="$TMP/ws"
"$VOUCH" synth --people 300 --days 30 --seed 7 --out "$world" >/dev/null
"$VOUCH" init "$ws" >/dev/null
cat "$world/brands.toml" >> "$ws/vouch.toml"
printf '\n[measure]\nmargin = 0.35\nprogram_cost = 5000\n[measure.cpm]\nx = 700\nreddit = 450\n' >> "$ws/vouch.toml"
for args in "people $world/people.csv" "posts $world/posts/x.jsonl.zst $world/posts/reddit.jsonl.gz $world/posts/mastodon.jsonl" \
            "graph $world/graph.txt --platform x" "ratings $world/ratings.csv --scale -10:10 --platform x"; do
  # shellcheck disable=SC2086
  "$VOUCH" ingest $args --workspace "$ws" >/dev/null || [ $? -eq 3 ] || fail "ingest $args failed"
done
# Ingest stored the brand posts' mentions with their act and sentiment (the world's brands are configured).
"$VOUCH" export acts --workspace "$ws" --out "$TMP/acts.csv" >/dev/null
[ "$(wc -l < "$TMP/acts.csv")" -gt 1 ] || fail "ingest stored no mentions"
"$VOUCH" trust compute --workspace "$ws" >/dev/null 2>&1
"$VOUCH" advocates --workspace "$ws" --k 5 --epsilon 0.2 --json --output "$TMP/seeds.txt" > "$ws/advocates.json" 2>/dev/null
"$VOUCH" simulate campaign --graph "$world/graph.txt" --price 49 --incentive 20 --k 5 --epsilon 0.2 --runs 2000 \
  --json > "$ws/campaign.json" 2>/dev/null

key="$("$VOUCH" keys create --scope write --workspace "$ws")"
read_key="$("$VOUCH" keys create --scope read --workspace "$ws")"
start_server
base="$BASE"
node "$root/scripts/replay-referrals.mjs" --base "$base" --key "$key" --world "$world" > "$TMP/replay.json" \
  || fail "replay failed: $(cat "$TMP/replay.json")"

# The API: a key is needed, an unknown section is a 404 naming the sections, a section answers alone.
code="$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/report/all")"
[ "$code" = 401 ] || fail "GET /api/v1/report/all without a key answered $code, expected 401"
code="$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $read_key" "$base/api/v1/report/nope")"
[ "$code" = 404 ] && grep -q funnel "$TMP/body" || fail "unknown section answered $code: $(cat "$TMP/body")"
code="$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $read_key" "$base/api/v1/report/funnel")"
[ "$code" = 200 ] && grep -q '"sale_per_click"' "$TMP/body" || fail "GET /api/v1/report/funnel answered $code: $(cat "$TMP/body")"

"$VOUCH" report --workspace "$ws" --out "$TMP/report.html" >/dev/null
grep -q '<script src=' "$TMP/report.html" && fail "report.html loads a script from elsewhere: it must be self-contained"
time node "$here/check_report.mjs" --report "$TMP/report.html" --base "$base" --key "$read_key" --shots "$shots"
mkdir -p "$shots" && cp "$TMP/report.html" "$shots/report.html"
echo "PASS report_browser_test.sh"
