#!/usr/bin/env bash
# Benchmarks of the referral service, each against its baseline in the same run, on loopback:
#   1. GET /r/{code} (every click stored, group-committed, each answer released after an fdatasync of the WAL)
#      vs nginx serving a plain `return 302`, both under wrk with the same threads, connections and duration;
#   2. durable sale tracking: POST /api/v1/track/sale with unique invoices (each one attributed: a commission and
#      its ledger entries), sales/s with every 2xx committed.
#   Each pair runs ROUNDS times back to back (nginx, then vouch), so that both see the same load from the rest of
#   the machine; besides requests/s and p99 it reports the servers' CPU time per request (utime+stime from
#   /proc, all threads / worker processes), which the machine's load distorts much less than wall-clock rates.
# Usage: bench/refer/run.sh [redirect|sales|all] [seconds] [connections] [rounds]
#   bench/refer/run.sh redirect   GET /r/{code} vs nginx, prints the requests/s, p99 and CPU ratios
#   bench/refer/run.sh sales      durable sales/s and CPU µs per sale
# The binary is $VOUCH (default build/release/vouch); VOUCH_THREADS sets `vouch serve --threads` (default 2, as
# nginx's workers and wrk's threads). Needs wrk and nginx (deps/packages.txt). Prints Markdown tables for
# docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODE="${1:-all}"
case "$MODE" in redirect|sales|all) ;; *) echo "usage: $0 [redirect|sales|all] [seconds] [connections] [rounds]" >&2; exit 2;; esac
VOUCH="${VOUCH:-$root/build/release/vouch}"
SECONDS_PER_RUN="${2:-10}"
CONNECTIONS="${3:-256}"
ROUNDS="${4:-3}"
THREADS=2
VOUCH_THREADS="${VOUCH_THREADS:-$THREADS}"
TICK="$(getconf CLK_TCK)"
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
"$VOUCH" serve --workspace "$WORK/ws" --listen "127.0.0.1:$VPORT" --threads "$VOUCH_THREADS" 2>"$WORK/serve.log" &
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

# task_ticks PID...: "TID TICKS" per thread of the processes.
task_ticks() { local p; for p in "$@"; do cat /proc/"$p"/task/*/stat 2>/dev/null | awk '{print $1, $14+$15}'; done; }
# cpu_ticks PID...: utime+stime of the processes (all their threads), in clock ticks.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }

# run_wrk NAME URL LUA PID...: "requests/s p99_ms non2xx3xx cpu_us_per_request load1 [socket errors]"
run_wrk() {
  # A browser's user agent: an empty one is a bot and would skip the counting (the repeat-visitor lookup).
  local name="$1" url="$2" lua="$3"; shift 3
  local out="$WORK/$name.wrk" args=(-t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency
                                    -H "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")
  [ -n "$lua" ] && args+=(-s "$lua")
  local load1 c0 c1
  load1="$(cut -d' ' -f1 /proc/loadavg)"
  c0="$(cpu_ticks "$@")"
  task_ticks "$@" > "$WORK/$name.tasks0"
  # PERF_DIR=DIR: also records a profile of the server (perf record -g, all threads) into DIR/NAME.perf.
  local perf_pid=""
  if [ -n "${PERF_DIR:-}" ]; then
    perf record -q -g -p "$(echo "$@" | tr ' ' ',')" -o "$PERF_DIR/$name.perf" 2>/dev/null &
    perf_pid=$!
  fi
  wrk "${args[@]}" "$url" > "$out"
  c1="$(cpu_ticks "$@")"
  task_ticks "$@" > "$WORK/$name.tasks1"
  # The busiest thread's ticks (for vouch: the database thread, which every request passes through once).
  local busiest
  busiest="$(awk 'NR==FNR {t0[$1]=$2; next} {d=$2-t0[$1]; if (d>m) m=d} END {print m+0}' "$WORK/$name.tasks0" "$WORK/$name.tasks1")"
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; fi
  "$PY" - "$out" "$((c1 - c0))" "$TICK" "$load1" "$busiest" <<'PYEOF'
import re, sys
text = open(sys.argv[1]).read()
ticks, tick, load1, busiest = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:.*", text)
cpu_us = ticks * 1e6 / tick / max(total, 1)
busiest_us = busiest * 1e6 / tick / max(total, 1)
print(f"{rps:.0f} {p99:.2f} {int(bad.group(1)) if bad else 0} {cpu_us:.1f} {load1} {busiest_us:.1f} {errors.group(0).replace(' ', '_') if errors else ''}")
PYEOF
}

NGINX_WORKERS="$(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
cat > "$WORK/sale.lua" <<LUA
local counter = 0
local next_id = 0
function setup(thread) thread:set("tid", next_id); next_id = next_id + 1 end
function request()
  counter = counter + 1
  local body = string.format('{"customer_external_id":"cust-1","invoice_id":"inv-%s-%d-%d","amount":10000,"currency":"USD"}', round, tid, counter)
  return wrk.format("POST", "/api/v1/track/sale", {["Authorization"] = "Bearer $KEY", ["Content-Type"] = "application/json"}, body)
end
LUA

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:\s*//p'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s on 127.0.0.1; vouch serve --threads $VOUCH_THREADS; nginx worker_processes $THREADS; $ROUNDS rounds"
if [ "$MODE" != sales ]; then
echo
echo "| round | server | requests/s | p99 latency | non-2xx/3xx | CPU µs/request | load (1 min) | vs nginx |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
RATIOS=""; P99S=""; CPUS=""
for round in $(seq 1 "$ROUNDS"); do
  read -r N_RPS N_P99 N_BAD N_CPU N_LOAD N_BUSY N_ERR <<<"$(run_wrk nginx "http://127.0.0.1:$NPORT/r/x" "" $NGINX_WORKERS)"
  read -r V_RPS V_P99 V_BAD V_CPU V_LOAD V_BUSY V_ERR <<<"$(run_wrk redirect "http://127.0.0.1:$VPORT/r/$CODE" "" "$SERVER")"
  RATIO="$("$PY" -c "print(f'{$V_RPS/$N_RPS:.2f} x rps, {$V_P99/$N_P99:.2f} x p99, {$V_CPU/$N_CPU:.1f} x CPU')")"
  RATIOS="$RATIOS $("$PY" -c "print(f'{$V_RPS/$N_RPS:.2f}')")"
  P99S="$P99S $("$PY" -c "print(f'{$V_P99/$N_P99:.2f}')")"
  CPUS="$CPUS $("$PY" -c "print(f'{$V_CPU/$N_CPU:.2f}')")"
  echo "| $round | nginx \`return 302\` | $N_RPS | ${N_P99} ms | $N_BAD | $N_CPU | $N_LOAD | 1.00 |"
  echo "| $round | vouch GET /r/{code} (every click stored, durable) | $V_RPS | ${V_P99} ms | $V_BAD | $V_CPU | $V_LOAD | $RATIO |"
  [ -n "$N_ERR$V_ERR" ] && echo "wrk socket errors: nginx [$N_ERR] redirect [$V_ERR]"
done
echo
echo "requests/s ratio vouch/nginx per round:$RATIOS"
echo "p99 ratio vouch/nginx per round:$P99S"
echo "CPU per request ratio vouch/nginx per round:$CPUS"
fi
if [ "$MODE" != redirect ]; then
echo
echo "| round | durable sales | sales/s | p99 latency | non-2xx/3xx | CPU µs/sale | database thread µs/sale (ceiling sales/s) | load (1 min) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
SALES=""; SALE_CPUS=""; SALE_CEILS=""
for round in $(seq 1 "$ROUNDS"); do
  sed "s/local counter = 0/local counter = 0\nlocal round = \"r$round\"/" "$WORK/sale.lua" > "$WORK/sale-$round.lua"
  read -r S_RPS S_P99 S_BAD S_CPU S_LOAD S_BUSY S_ERR <<<"$(run_wrk sales "http://127.0.0.1:$VPORT" "$WORK/sale-$round.lua" "$SERVER")"
  CEIL="$("$PY" -c "print(f'{1e6/max($S_BUSY, 0.1):,.0f}')")"
  SALES="$SALES $S_RPS"
  SALE_CPUS="$SALE_CPUS $S_CPU"
  SALE_CEILS="$SALE_CEILS $CEIL"
  echo "| $round | POST /api/v1/track/sale (attributed: sale, commission, ledger, outbox) | $S_RPS | ${S_P99} ms | $S_BAD | $S_CPU | $S_BUSY ($CEIL) | $S_LOAD |"
  [ -n "$S_ERR" ] && echo "wrk socket errors: sales [$S_ERR]"
done
echo
echo "sales/s per round:$SALES"
echo "CPU µs per sale per round:$SALE_CPUS"
echo "sales/s the database thread could sustain on a free core, per round (1e6 / its µs per sale):$SALE_CEILS"
fi
LINK="$(curl -sf -H "$AUTH" "$API/links/$CODE")"
LEDGER="$(curl -sf -H "$AUTH" "$API/ledger")"
kill "$SERVER"; wait "$SERVER" || true; SERVER=""
echo
echo "link after the runs: $LINK"
echo "ledger after the runs: $LEDGER"
grep stopped "$WORK/serve.log" || true
exit 0
