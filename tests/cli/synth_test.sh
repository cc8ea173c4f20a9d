# vouch synth writes the example world's layout; the same seed gives the same bytes; bad options are usage errors.
expect_exit 0 "$VOUCH" synth --people 300 --days 7 --seed 5 --out "$TMP/a"
expect_contains "$TMP/out" "posts       3000"
expect_contains "$TMP/out" "fraud"
for f in brands.toml graph.txt ratings.csv people.csv orders.csv referrals.jsonl advocates.csv \
         posts/x.jsonl.zst posts/reddit.jsonl.gz posts/mastodon.jsonl \
         truth/posts.csv truth/people.csv truth/fraud.csv truth/rating_rings.csv truth/events.csv; do
  [ -s "$TMP/a/$f" ] || fail "missing or empty: $f"
done
zstd -t -q "$TMP/a/posts/x.jsonl.zst" || fail "x.jsonl.zst is not zstd"
gzip -t "$TMP/a/posts/reddit.jsonl.gz" || fail "reddit.jsonl.gz is not gzip"
# every post has its ground-truth row
posts=$(( $(zstd -dcq "$TMP/a/posts/x.jsonl.zst" | python3 -c "import json,sys; print(sum(len(json.loads(l)['data']) for l in sys.stdin))") \
        + $(gzip -dc "$TMP/a/posts/reddit.jsonl.gz" | wc -l) + $(wc -l < "$TMP/a/posts/mastodon.jsonl") ))
[ "$posts" -eq 3000 ] || fail "posts files hold $posts posts"
[ "$(( $(wc -l < "$TMP/a/truth/posts.csv") - 1 ))" -eq 3000 ] || fail "truth/posts.csv does not cover every post"
# same seed, another thread count: byte-identical
expect_exit 0 "$VOUCH" synth --people 300 --days 7 --seed 5 --threads 1 --out "$TMP/b"
diff -r "$TMP/a" "$TMP/b" > /dev/null || fail "same seed wrote different files"
expect_exit 0 "$VOUCH" synth --people 300 --days 7 --seed 6 --out "$TMP/c"
cmp -s "$TMP/a/truth/posts.csv" "$TMP/c/truth/posts.csv" && fail "another seed wrote the same world"
# The world ingests, and ingesting all of it a second time stores nothing: `vouch status` is unchanged after the
# first pass (issue 2), and the posts' body file does not grow.
expect_exit 0 "$VOUCH" init "$TMP/ws"
cat "$TMP/a/brands.toml" >> "$TMP/ws/vouch.toml"
ingest_world() {
  for cmd in "posts $TMP/a/posts/x.jsonl.zst $TMP/a/posts/reddit.jsonl.gz $TMP/a/posts/mastodon.jsonl" \
             "graph $TMP/a/graph.txt --platform x" "ratings $TMP/a/ratings.csv" "orders $TMP/a/orders.csv"; do
    # shellcheck disable=SC2086  # the command's words
    expect_exit 0 "$VOUCH" ingest $cmd --workspace "$TMP/ws"
  done
  expect_exit 0 "$VOUCH" status --json --workspace "$TMP/ws"
  cp "$TMP/out" "$TMP/status.$1"
  stat -c %s "$TMP/ws/vouch.db.body" > "$TMP/body.$1"
}
ingest_world first
[ "$(json_field "$TMP/status.first" posts)" -eq 3000 ] || fail "not every post stored: $(cat "$TMP/status.first")"
[ "$(json_field "$TMP/status.first" orders)" -gt 0 ] || fail "no orders stored: $(cat "$TMP/status.first")"
ingest_world second
cmp -s "$TMP/status.first" "$TMP/status.second" || fail "status changed on the second ingest: $(diff "$TMP/status.first" "$TMP/status.second")"
cmp -s "$TMP/body.first" "$TMP/body.second" || fail "the body file grew on the second ingest"
# bad options
expect_exit 2 "$VOUCH" synth --people 2 --out "$TMP/d"
expect_contains "$TMP/err" "--people"
expect_exit 2 "$VOUCH" synth --days 0 --out "$TMP/d"
expect_exit 2 "$VOUCH" synth --people lots
true
