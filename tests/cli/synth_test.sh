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
# bad options
expect_exit 2 "$VOUCH" synth --people 2 --out "$TMP/d"
expect_contains "$TMP/err" "--people"
expect_exit 2 "$VOUCH" synth --days 0 --out "$TMP/d"
expect_exit 2 "$VOUCH" synth --people lots
true
