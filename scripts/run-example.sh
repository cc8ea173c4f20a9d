#!/usr/bin/env bash
# `make run`: the whole job on the embedded default (SQLite) and a generated example world, end to end.
#   1. generate an example world with `vouch synth` (its ground truth beside it)
#   2. create a workspace and ingest the world (people, posts, graph, ratings, orders), twice (idempotent)
#   3. report the brand's mentions (classified at ingest), compute trust and reputation, pick advocates
#   4. simulate campaigns: a shared deal against word of mouth on the same budget
#   5. start `vouch serve` on a free loopback port, create keys, a program, advocates and links, and replay the
#      world's referral traffic over real HTTP (scripts/replay-referrals.mjs)
#   6. write report.html (`vouch report`), stop the server
#   7. print the report's path and a summary table scored against the world's ground truth
#      (scripts/eval/score-world.mjs: act accuracy, advocates recovered, fraud caught)
# Settings (environment): VOUCH_RUN_DIR (default build/run), VOUCH_PEOPLE (default 2000), VOUCH_DAYS (30),
# VOUCH_SEED (1), VOUCH_ADVOCATES (k, default 10).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vouch="$root/build/release/vouch"
run="${VOUCH_RUN_DIR:-$root/build/run}"
people="${VOUCH_PEOPLE:-2000}"
days="${VOUCH_DAYS:-30}"
seed="${VOUCH_SEED:-1}"
k="${VOUCH_ADVOCATES:-10}"
world="$run/world"
ws="$run/workspace"
report="$run/report.html"

started=$SECONDS
step_no=0
step() { step_no=$((step_no + 1)); printf '\n==> [%d] %s  (t+%ds)\n' "$step_no" "$*" "$((SECONDS - started))"; }
# Ingest verbs exit 3 when some records were rejected (listed in the rejects file): the run goes on.
ingest() {
  local rc=0
  "$vouch" ingest "$@" --workspace "$ws" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then exit "$rc"; fi
}
server=""
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" 2>/dev/null || true
  fi
  server=""
}
trap stop_server EXIT

rm -rf "$run"
mkdir -p "$run"

step "Generating an example world: $people people, $days days, seed $seed"
"$vouch" synth --people "$people" --days "$days" --seed "$seed" --out "$world"

step "Creating the workspace in $ws"
"$vouch" init "$ws"
cat "$world/brands.toml" >> "$ws/vouch.toml"
brand="$("$vouch" report --workspace "$ws" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).meta.brand))')"

step "Ingesting the world"
ingest people "$world/people.csv"
ingest posts "$world"/posts/*
ingest graph "$world/graph.txt" --platform x
ingest ratings "$world/ratings.csv" --scale -10:10 --platform x
ingest orders "$world/orders.csv"

step "Ingesting it again (idempotent: nothing new is stored)"
ingest posts "$world"/posts/*

step "Mentions of the brands, stored with their act and sentiment at ingest"
"$vouch" listen report --brand "$brand" --by week --workspace "$ws" | head -n 12
# For scoring against the world's truth: one act per post that names a brand (its first mention's).
"$vouch" export acts --format jsonl --workspace "$ws" > "$run/acts.jsonl"
printf 'acts of %s posts in %s\n' "$(wc -l < "$run/acts.jsonl")" "$run/acts.jsonl"

step "Computing trust and reputation"
"$vouch" trust compute --workspace "$ws"
"$vouch" trust top --n 5 --workspace "$ws"

step "Picking the $k advocates whose word travels furthest among the brand's first-hand endorsers (OPIM-C)"
"$vouch" advocates --workspace "$ws" --brand "$brand" --k "$k" --output "$run/advocates.txt" --json \
  > "$ws/advocates.json"
"$vouch" advocates --workspace "$ws" --brand "$brand" --k "$k" | head -n $((k + 3))

step "Simulating campaigns: sharing a deal against word-of-mouth from the advocates"
# An example price of 49.00 and an incentive of 20.00 per seed: the same budget buys k deal sharers or k
# advocates (docs/models.md, Campaigns).
"$vouch" simulate campaign --graph "$world/graph.txt" --price 49 --incentive 20 --wom-seeds "$run/advocates.txt" \
  --k "$(wc -l < "$run/advocates.txt")" --runs 5000 --json > "$ws/campaign.json"
echo "campaign simulation in $ws/campaign.json"

step "Starting vouch serve on a free loopback port"
key="$("$vouch" keys create --scope write --workspace "$ws")"
read_key="$("$vouch" keys create --scope read --workspace "$ws")"
"$vouch" serve --workspace "$ws" --listen 127.0.0.1:0 2> "$run/serve.log" &
server=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$run/serve.log")"
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$run/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "vouch serve did not start: $(cat "$run/serve.log")" >&2; exit 1; }
base="http://127.0.0.1:$port"
echo "serving $base (dashboard at $base/ with a read key)"

step "Replaying the world's referral traffic over HTTP (program, advocates, links, clicks, leads, sales, refunds)"
node "$root/scripts/replay-referrals.mjs" --base "$base" --key "$key" --world "$world" > "$run/replay.json"
node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); console.log(`${s.events} events, ${s.advocates} advocates, ${s.links} links; requests: ` + Object.entries(s.requests).map(([k,v])=>`${k}: ${v}`).join(", "))' "$run/replay.json"
curl -s -H "Authorization: Bearer $read_key" "$base/api/v1/report/kpis" > "$run/kpis.json"

step "Writing the report"
"$vouch" report --workspace "$ws" --out "$report"
stop_server
echo "server stopped"

step "Scoring the pipeline against the world's ground truth"
# Invoices the referral service held, rejected or flagged for fraud, one per line.
"$vouch" export flagged-sales --format jsonl --workspace "$ws" \
  | node -e 'require("readline").createInterface({input: process.stdin}).on("line", (l) => console.log(JSON.parse(l).invoice_id))' \
  > "$run/flagged.txt"
node "$root/scripts/eval/score-world.mjs" --world "$world" --acts "$run/acts.jsonl" --seeds "$run/advocates.txt" \
  --flagged "$run/flagged.txt" --json "$run/scores.json"

printf '\nWhat the report says (%s):\n' "$brand"
node -e '
  const k = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).kpis;
  const m = (x) => x === null ? "no data" : (x / 100).toLocaleString("en-US", { style: "currency", currency: k.currency || "USD" });
  const f = (x, d) => x === null ? "no data" : Number(x).toFixed(d);
  const rows = [["mentions", k.mentions ?? "no data"], ["net sentiment", f(k.net_sentiment, 2)], ["WOM : share", f(k.wom_to_share, 2)],
    ["referred sales", k.referred_sales ?? "no data"], ["net referred revenue", m(k.referred_revenue)], ["K-factor", f(k.k_factor, 3)],
    ["cost per acquisition", m(k.cpa)], ["ROI", k.roi === null ? "no data" : (100 * k.roi).toFixed(0) + "%"], ["earned media value", m(k.emv)]];
  for (const [a, b] of rows) console.log("  " + a.padEnd(22) + b);
' "$run/kpis.json"

printf '\nReport:     %s\nWorkspace:  %s\nWorld and its ground truth: %s\nTotal time: %ds\n' \
  "$report" "$ws" "$world" "$((SECONDS - started))"
