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
