# vouch ingest posts: every format, idempotency, rejects and exit 3, compressed inputs, usage errors, and an
# interrupted ingest that leaves the database consistent and completes on a rerun.
D="$VOUCH_TEST_DATA/ingest"
posts_count() { sqlite3 "$1/vouch.db" "SELECT COUNT(*) FROM posts"; }
# generic JSON Lines posts FROM..TO-1, 40 authors
gen() { python3 -c '
import json, sys
for i in range(int(sys.argv[1]), int(sys.argv[2])):
    print(json.dumps({"id": "s%d" % i, "author": "user%d" % (i % 40), "time": 1700000000 + i,
                      "text": "post %d about the Acme Rocket" % i}))' "$1" "$2"; }

expect_exit 0 "$VOUCH" init "$TMP/ws"

# All four JSON formats at once; reddit.jsonl holds a [deleted] author, so exit 3.
expect_exit 3 "$VOUCH" ingest posts "$D/posts.jsonl" "$D/twitter_v2.jsonl" "$D/reddit.jsonl" "$D/mastodon.jsonl" -w "$TMP/ws"
expect_contains "$TMP/out" "posts.jsonl: read 4, stored 4, duplicate 0, rejected 0 (jsonl)"
expect_contains "$TMP/out" "twitter_v2.jsonl: read 5, stored 5, duplicate 0, rejected 0 (twitter-v2)"
expect_contains "$TMP/out" "reddit.jsonl: read 5, stored 4, duplicate 0, rejected 1 (reddit)"
expect_contains "$TMP/out" "mastodon.jsonl: read 3, stored 3, duplicate 0, rejected 0 (mastodon)"
expect_contains "$TMP/out" "total: read 17, stored 16, duplicate 0, rejected 1"
expect_contains "$TMP/out" "rejects: $TMP/ws/rejects/reddit.jsonl.rejects.jsonl"
expect_contains "$TMP/ws/rejects/reddit.jsonl.rejects.jsonl" '"line":5,"reason":"author is [deleted]'
grep -q $'\033\[K' "$TMP/err" && fail "a progress bar was drawn although stderr is not a terminal"
expect_exit 0 "$VOUCH" status -w "$TMP/ws" --json
cp "$TMP/out" "$TMP/status1"
[ "$(json_field "$TMP/status1" posts)" = 16 ] || fail "expected 16 posts: $(cat "$TMP/status1")"

# Idempotent: the same files again store nothing and leave status unchanged.
expect_exit 3 "$VOUCH" ingest posts "$D/posts.jsonl" "$D/twitter_v2.jsonl" "$D/reddit.jsonl" "$D/mastodon.jsonl" -w "$TMP/ws"
expect_contains "$TMP/out" "total: read 17, stored 0, duplicate 16, rejected 1"
[ "$(wc -l < "$TMP/ws/rejects/reddit.jsonl.rejects.jsonl")" = 1 ] || fail "the rejects file was not started afresh"
expect_exit 0 "$VOUCH" status -w "$TMP/ws" --json
cmp -s "$TMP/out" "$TMP/status1" || fail "status changed after a second ingest: $(diff "$TMP/status1" "$TMP/out")"

# Good and bad lines: the good ones are stored, the bad ones listed with their line numbers, exit 3.
expect_exit 3 "$VOUCH" ingest posts "$D/mixed.jsonl" -w "$TMP/ws"
expect_contains "$TMP/out" "read 13, stored 3, duplicate 1, rejected 9"
lines=$(python3 -c 'import json,sys; print(",".join(str(json.loads(l)["line"]) for l in open(sys.argv[1])))' \
  "$TMP/ws/rejects/mixed.jsonl.rejects.jsonl")
[ "$lines" = "2,3,4,6,7,8,9,12,13" ] || fail "rejected lines: $lines"
expect_contains "$TMP/ws/rejects/mixed.jsonl.rejects.jsonl" "field 'time' must be a string or integer"
expect_contains "$TMP/ws/rejects/mixed.jsonl.rejects.jsonl" "invalid UTF-8"

# CSV with a column map; a chosen rejects file.
expect_exit 0 "$VOUCH" ingest posts "$D/airline.csv" --map id=tweet_id --map author=name --map time=tweet_created \
  --map reshares=retweet_count --platform x --rejects "$TMP/csv.rejects" -w "$TMP/ws"
expect_contains "$TMP/out" "read 3, stored 3, duplicate 0, rejected 0 (csv)"
[ "$(sqlite3 "$TMP/ws/vouch.db" "SELECT COUNT(*) FROM posts WHERE platform = 'x' AND external_id LIKE '5703%'")" = 3 ] \
  || fail "CSV posts not on platform x"

# gzip and zstd, detected by content.
cp "$D/posts.jsonl" "$TMP/p.jsonl"
gzip -k "$TMP/p.jsonl"
zstd -q "$TMP/p.jsonl" -o "$TMP/p.jsonl.zst"
expect_exit 0 "$VOUCH" init "$TMP/wz"
expect_exit 0 "$VOUCH" ingest posts "$TMP/p.jsonl.gz" -w "$TMP/wz"
expect_contains "$TMP/out" "stored 4, duplicate 0, rejected 0 (jsonl, gzip)"
expect_exit 0 "$VOUCH" ingest posts "$TMP/p.jsonl.zst" -w "$TMP/wz"
expect_contains "$TMP/out" "stored 0, duplicate 4, rejected 0 (jsonl, zstd)"

# Usage and file errors.
expect_exit 2 "$VOUCH" ingest posts "$D/posts.jsonl" --format jsonl --map id=x -w "$TMP/ws"
expect_exit 2 "$VOUCH" ingest posts "$D/airline.csv" --map nonsense -w "$TMP/ws"
expect_exit 2 "$VOUCH" ingest posts "$D/airline.csv" --map colour=name -w "$TMP/ws"
expect_contains "$TMP/err" "'colour' is not a post field"
expect_exit 2 "$VOUCH" ingest posts "$D/posts.jsonl" --format yaml -w "$TMP/ws"
expect_exit 1 "$VOUCH" ingest posts "$TMP/missing.jsonl" -w "$TMP/ws"
expect_contains "$TMP/err" "missing.jsonl"
expect_exit 0 "$VOUCH" ingest posts "$TMP/p.jsonl" --format jsonl -w "$TMP/wz"

# Interruption. The input comes through a pipe that pauses after 5,500 lines, so the interrupt lands at a known
# place: 5 batches of 1,000 are committed, the open one is rolled back when the ingest polls the flag again.
gen 0 5500 > "$TMP/part1"
gen 5500 12000 > "$TMP/part2"
cat "$TMP/part1" "$TMP/part2" > "$TMP/all.jsonl"
interrupt_with() {  # SIGNAL WORKSPACE
  rm -f "$TMP/go"
  expect_exit 0 "$VOUCH" init "$2"
  ( cat "$TMP/part1"; while [ ! -f "$TMP/go" ]; do sleep 0.05; done; cat "$TMP/part2" ) |
    "$VOUCH" ingest posts - --batch-size 1000 -w "$2" > "$TMP/int.out" 2> "$TMP/int.err" &
  local pid=$! n=0
  for _ in $(seq 600); do
    n=$(posts_count "$2")
    [ "$n" = 5000 ] && break
    sleep 0.05
  done
  [ "$n" = 5000 ] || fail "the ingest did not commit 5 batches ($n posts)"
  kill -"$1" "$pid"
  touch "$TMP/go"
  set +e; wait "$pid"; local rc=$?; set -e
  [ "$rc" = 130 ] || fail "interrupted ingest exited $rc: $(cat "$TMP/int.err")"
  expect_contains "$TMP/int.err" "interrupted"
  [ "$(sqlite3 "$2/vouch.db" "PRAGMA integrity_check")" = ok ] || fail "integrity_check failed after SIG$1"
  [ "$(posts_count "$2")" = 5000 ] || fail "after SIG$1: $(posts_count "$2") posts, expected the 5 committed batches"
  # Running it again completes it.
  expect_exit 0 "$VOUCH" ingest posts "$TMP/all.jsonl" -w "$2"
  expect_contains "$TMP/out" "read 12000, stored 7000, duplicate 5000, rejected 0"
}
interrupt_with INT "$TMP/wi"
interrupt_with TERM "$TMP/wt"
# ... to the same state as an uninterrupted run.
expect_exit 0 "$VOUCH" init "$TMP/wu"
expect_exit 0 "$VOUCH" ingest posts "$TMP/all.jsonl" -w "$TMP/wu"
for ws in wi wt wu; do
  "$VOUCH" status -w "$TMP/$ws" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("workspace"); print(d)' > "$TMP/$ws.status"
done
cmp -s "$TMP/wi.status" "$TMP/wu.status" || fail "interrupted+rerun differs: $(cat "$TMP/wi.status") vs $(cat "$TMP/wu.status")"
cmp -s "$TMP/wt.status" "$TMP/wu.status" || fail "terminated+rerun differs"

# Killed outright (no rollback): the open batch's post bodies may have reached the body file past the last
# committed row's (here appended by hand, as a large batch would leave them). The rerun cuts them and completes.
body_end() { sqlite3 "$1/vouch.db" "SELECT COALESCE(MAX(body_offset + body_length), 0) FROM posts"; }
rm -f "$TMP/go"
expect_exit 0 "$VOUCH" init "$TMP/wk"
( cat "$TMP/part1"; while [ ! -f "$TMP/go" ]; do sleep 0.05; done; cat "$TMP/part2" ) |
  "$VOUCH" ingest posts - --batch-size 1000 -w "$TMP/wk" > "$TMP/int.out" 2> "$TMP/int.err" &
pid=$!
for _ in $(seq 600); do [ "$(posts_count "$TMP/wk")" = 5000 ] && break; sleep 0.05; done
[ "$(posts_count "$TMP/wk")" = 5000 ] || fail "the ingest did not commit 5 batches before the kill"
kill -KILL "$pid"
touch "$TMP/go"
set +e; wait "$pid"; set -e
[ "$(sqlite3 "$TMP/wk/vouch.db" "PRAGMA integrity_check")" = ok ] || fail "integrity_check failed after SIGKILL"
[ "$(posts_count "$TMP/wk")" = 5000 ] || fail "after SIGKILL: $(posts_count "$TMP/wk") posts, expected 5000"
head -c 70000 /dev/urandom >> "$TMP/wk/vouch.db.body"
[ "$(stat -c %s "$TMP/wk/vouch.db.body")" -gt "$(body_end "$TMP/wk")" ] || fail "no tail past the stored bodies"
expect_exit 0 "$VOUCH" ingest posts "$TMP/all.jsonl" -w "$TMP/wk"
expect_contains "$TMP/out" "read 12000, stored 7000, duplicate 5000, rejected 0"
[ "$(stat -c %s "$TMP/wk/vouch.db.body")" = "$(body_end "$TMP/wk")" ] || fail "the killed load's tail was not cut"
"$VOUCH" status -w "$TMP/wk" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("workspace"); print(d)' > "$TMP/wk.status"
cmp -s "$TMP/wk.status" "$TMP/wu.status" || fail "killed+rerun differs: $(cat "$TMP/wk.status")"
# The bodies read back: a body file cut short is refused, naming it.
head -c 1000 "$TMP/wk/vouch.db.body" > "$TMP/short.body" && cp "$TMP/short.body" "$TMP/wk/vouch.db.body"
expect_exit 1 "$VOUCH" status -w "$TMP/wk"
expect_contains "$TMP/err" "vouch.db.body"
