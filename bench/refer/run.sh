#!/usr/bin/env bash
# Benchmarks of the referral service, each against its baseline in the same run, on loopback:
#   1. GET /r/{code} (every click stored, group-committed with synchronous=FULL) vs nginx serving a plain
#      `return 302`, both under wrk with the same threads, connections and duration;
#   2. durable sale tracking: POST /api/v1/track/sale with unique invoices (each one attributed: a commission and
#      its ledger entries), sales/s with every 2xx committed.
# Usage: bench/refer/run.sh [path/to/vouch] [seconds] [connections]
# Needs wrk and nginx (deps/packages.txt). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VOUCH="${1:-$root/build/release/vouch}"
SECONDS_PER_RUN="${2:-10}"
CONNECTIONS="${3:-256}"
THREADS=2
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 2; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "bench: nginx is missing (apt-get install nginx)" >&2; exit 2; }
PY="$(command -v /usr/bin/python3 || command -v python3)"

WORK="$(mktemp -d)"
SERVER=""; NGINX_PID=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- nginx: return 302 ----
NPORT="$(free_port)"
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes $THREADS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NPORT;
    location / { return 302 https://shop.example/welcome?vouch_click=0000000000000000; }
  }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!

# ---- vouch serve with a program, an advocate and a link ----
"$VOUCH" init "$WORK/ws" >/dev/null
KEY="$("$VOUCH" keys create --scope write --workspace "$WORK/ws")"
VPORT="$(free_port)"
"$VOUCH" serve --workspace "$WORK/ws" --listen "127.0.0.1:$VPORT" --threads "$THREADS" 2>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 1 100); do grep -q listening "$WORK/serve.log" 2>/dev/null && break; sleep 0.1; done
API="http://127.0.0.1:$VPORT/api/v1"
AUTH="Authorization: Bearer $KEY"
curl -sf -H "$AUTH" "$API/programs" -d '{"name":"Bench","destination_url":"https://shop.example/welcome",
  "rewards":[{"event":"sale","type":"percent","value":10}],"hold_days":30,"min_conversion_seconds":0}' >/dev/null
curl -sf -H "$AUTH" "$API/advocates" -d '{"name":"Jane","email":"jane@example.com"}' >/dev/null
CODE="$(curl -sf -H "$AUTH" "$API/links" -d '{"program_id":1,"advocate_id":1}' | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["code"])')"
CLICK="$(curl -s -o /dev/null -D - "http://127.0.0.1:$VPORT/r/$CODE" | sed -n 's/^Location:.*vouch_click=\([A-Za-z0-9]*\).*/\1/p' | tr -d '\r')"
curl -sf -H "$AUTH" "$API/track/lead" -d "{\"click_id\":\"$CLICK\",\"customer\":{\"external_id\":\"cust-1\"}}" >/dev/null

# run_wrk NAME URL [LUA]: "requests/s p99_ms non2xx3xx"
run_wrk() {
  # A browser's user agent: an empty one is a bot and would skip the counting (the repeat-visitor lookup).
  local out="$WORK/$1.wrk" args=(-t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency
                                 -H "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")
  [ -n "${3:-}" ] && args+=(-s "$3")
  wrk "${args[@]}" "$2" > "$out"
  "$PY" - "$out" <<'PYEOF'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
print(f"{rps:.0f} {p99:.2f} {int(bad.group(1)) if bad else 0} {errors.group(0) if errors else ''}")
PYEOF
}

read -r N_RPS N_P99 N_BAD N_ERR <<<"$(run_wrk nginx "http://127.0.0.1:$NPORT/r/x")"
read -r V_RPS V_P99 V_BAD V_ERR <<<"$(run_wrk redirect "http://127.0.0.1:$VPORT/r/$CODE")"
LINK="$(curl -sf -H "$AUTH" "$API/links/$CODE")"

cat > "$WORK/sale.lua" <<LUA
local counter = 0
local next_id = 0
function setup(thread) thread:set("tid", next_id); next_id = next_id + 1 end
function request()
  counter = counter + 1
  local body = string.format('{"customer_external_id":"cust-1","invoice_id":"inv-%d-%d","amount":10000,"currency":"USD"}', tid, counter)
  return wrk.format("POST", "/api/v1/track/sale", {["Authorization"] = "Bearer $KEY", ["Content-Type"] = "application/json"}, body)
end
LUA
read -r S_RPS S_P99 S_BAD S_ERR <<<"$(run_wrk sales "http://127.0.0.1:$VPORT" "$WORK/sale.lua")"
LEDGER="$(curl -sf -H "$AUTH" "$API/ledger")"
COMMISSIONS="$(curl -sf -H "$AUTH" "$API/commissions?limit=10000" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(len(d["data"]), "+" if d["next_cursor"] else "")')"
kill "$SERVER"; wait "$SERVER" || true; SERVER=""
STATS="$(grep stopped "$WORK/serve.log" || true)"

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:\s*//p'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s on 127.0.0.1; vouch serve --threads $THREADS; nginx worker_processes $THREADS"
echo
echo "| run | requests/s | p99 latency | non-2xx/3xx | vs nginx |"
echo "|---|---:|---:|---:|---:|"
echo "| nginx \`return 302\` | $N_RPS | ${N_P99} ms | $N_BAD | 1.00 |"
echo "| vouch GET /r/{code} (every click stored, durable) | $V_RPS | ${V_P99} ms | $V_BAD | $("$PY" -c "print(f'{$V_RPS/$N_RPS:.2f} x rps, {$V_P99/$N_P99:.2f} x p99')") |"
echo "| vouch POST /api/v1/track/sale (durable, attributed) | $S_RPS | ${S_P99} ms | $S_BAD | |"
echo
echo "link after the run: $LINK"
echo "ledger after the run: $LEDGER; commissions listed: $COMMISSIONS"
echo "$STATS"
[ -n "$N_ERR$V_ERR$S_ERR" ] && echo "wrk socket errors: nginx [$N_ERR] redirect [$V_ERR] sales [$S_ERR]"
exit 0
