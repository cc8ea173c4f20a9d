# Helpers for CLI tests. Each fails the test with a message naming what differed.
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exit CODE cmd...: runs cmd, fails unless it exits with CODE. Output goes to $TMP/out and $TMP/err.
expect_exit() {
  local want="$1"; shift
  set +e; "$@" >"$TMP/out" 2>"$TMP/err"; local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want; stderr: $(cat "$TMP/err")"
}
# expect_contains FILE TEXT
expect_contains() { grep -qF -- "$2" "$1" || fail "$1 does not contain '$2': $(head -c 2000 "$1")"; }
# json_field FILE KEY: a top-level field of a JSON document (python3 is on every Debian machine).
json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

# start_server [ARGS...]: runs `vouch serve` on the workspace $TMP/ws on a free loopback port, with ARGS, logging
# to $TMP/serve.log; returns once it listens, with SERVER (its pid), PORT and BASE (http://127.0.0.1:PORT) set.
# Called again (a restart), it starts a new server. It makes teardown the EXIT trap.
start_server() {
  trap teardown EXIT
  : > "$TMP/serve.log"
  "$VOUCH" serve --workspace "$TMP/ws" --listen 127.0.0.1:0 "$@" 2>"$TMP/serve.log" &
  SERVER=$!
  PORT=""
  for _ in $(seq 1 100); do
    PORT="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/serve.log")"
    [ -n "$PORT" ] && break
    kill -0 "$SERVER" 2>/dev/null || fail "vouch serve died: $(cat "$TMP/serve.log")"
    sleep 0.1
  done
  [ -n "$PORT" ] || fail "vouch serve did not start: $(cat "$TMP/serve.log")"
  BASE="http://127.0.0.1:$PORT"
}
# stop_server: ends the server start_server ran (SIGTERM, then waits for it), if it still runs.
stop_server() {
  [ -n "${SERVER:-}" ] || return 0
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}
# teardown: the EXIT trap of a test that started a server: stops it, runs the test's own test_teardown if it
# defines one (other background processes), and removes $TMP.
teardown() {
  stop_server
  if declare -F test_teardown >/dev/null; then test_teardown; fi
  rm -rf "$TMP"
}
# call METHOD PATH [BODY] [KEY]: a request to the server start_server ran, with KEY (default $KEY) as bearer
# token; the status code on stdout, the body in $TMP/body.
call() {
  local key="${4-$KEY}" args=(-s -o "$TMP/body" -w '%{http_code}' -X "$1" --max-time 10)
  [ -n "$key" ] && args+=(-H "Authorization: Bearer $key")
  [ -n "${3-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}" "$BASE$2"
}
# expect_call CODE METHOD PATH [BODY] [KEY]
expect_call() {
  local want="$1"; shift
  local got; got="$(call "$@")"
  [ "$got" = "$want" ] || fail "$1 $2 answered $got, expected $want: $(cat "$TMP/body")"
}
# j EXPR: a Python expression over the last body, parsed as d. (Debian's python3 first: a pyenv shim costs seconds.)
PY="$(command -v /usr/bin/python3 || command -v python3)"
j() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$TMP/body"; }
