# vouch advocates --workspace on a synthetic world: the workspace's social graph, trust from `vouch trust compute`
# (--weights trust), candidates restricted to people with first-hand endorsements, and each chosen person's why.
ingest() {
  set +e; "$VOUCH" ingest "$@" --workspace "$TMP/ws" >"$TMP/out" 2>"$TMP/err"; local rc=$?; set -e
  # 3: some records were rejected (listed in the rejects file); the rest is stored.
  [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "ingest $* exited $rc: $(cat "$TMP/err")"
}
expect_exit 0 "$VOUCH" synth --people 300 --days 10 --seed 3 --out "$TMP/world"
expect_exit 0 "$VOUCH" init "$TMP/ws"
cat "$TMP/world/brands.toml" >> "$TMP/ws/vouch.toml"

# No social graph yet: a clear error.
expect_exit 1 "$VOUCH" advocates --workspace "$TMP/ws" --k 3
expect_contains "$TMP/err" "vouch ingest graph"
ingest people "$TMP/world/people.csv"
ingest posts "$TMP/world"/posts/*
ingest graph "$TMP/world/graph.txt" --platform x
ingest ratings "$TMP/world/ratings.csv" --scale -10:10 --platform x
ingest orders "$TMP/world/orders.csv"

# Either --graph or --workspace, never both; --graph's contract is untouched (tests/cli/influence_*).
expect_exit 2 "$VOUCH" advocates --workspace "$TMP/ws" --graph "$TMP/world/graph.txt" --k 3
expect_exit 2 "$VOUCH" advocates --k 3
expect_contains "$TMP/err" "--workspace"
# Trust weights need trust computed first.
expect_exit 1 "$VOUCH" advocates --workspace "$TMP/ws" --k 3 --weights trust
expect_contains "$TMP/err" "vouch trust compute"
expect_exit 0 "$VOUCH" trust compute --workspace "$TMP/ws"
expect_contains "$TMP/out" "evidence:"

# Whatever the mentions table holds now, the run says how it chose candidates and lists the why of each person.
expect_exit 0 "$VOUCH" advocates --workspace "$TMP/ws" --k 5 --model ic --weights trust:0.2 --epsilon 0.3 \
  --threads 2 --output "$TMP/seeds.txt"
expect_contains "$TMP/out" "candidate"
expect_contains "$TMP/out" "reputation"
expect_contains "$TMP/out" "reach +"
[ "$(wc -l < "$TMP/seeds.txt")" -eq 5 ] || fail "seed file has $(wc -l < "$TMP/seeds.txt") lines, expected 5"

# With endorsements stored (written here straight into the mentions table, as the listen module does at ingest),
# only people who endorsed first-hand are chosen.
python3 - "$TMP/ws" > "$TMP/endorsers.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1] + "/vouch.db")
db.execute("DELETE FROM mentions")
# The first post of each of 8 people who wrote on X: an endorsement; one of them also complains.
rows = db.execute("SELECT p.id, i.person_id FROM posts p JOIN identities i ON i.id = p.author_identity "
                  "WHERE p.platform = 'x' GROUP BY i.person_id ORDER BY i.person_id LIMIT 8").fetchall()
for n, (post, person) in enumerate(rows):
    db.execute("INSERT INTO mentions (post_id, brand, term, span_begin, span_end, act, act_confidence, sentiment, "
               "sentiment_score) VALUES (?, 'Nimbus', 'Nimbus', 0, 6, ?, 0.9, 'pos', 0.8)",
               (post, "endorse"))
    if n == 0:
        db.execute("INSERT INTO mentions (post_id, brand, term, span_begin, span_end, act, act_confidence, "
                   "sentiment, sentiment_score) VALUES (?, 'Nimbus', 'Nimbus', 10, 16, 'complain', 0.9, 'neg', -0.8)",
                   (post,))
    print(person)
db.commit()
PY
[ "$(wc -l < "$TMP/endorsers.txt")" -eq 8 ] || fail "expected 8 endorsers, got $(cat "$TMP/endorsers.txt")"
expect_exit 0 "$VOUCH" advocates --workspace "$TMP/ws" --k 3 --model wom --weights trust --epsilon 0.3 \
  --threads 2 --brand Nimbus --json
python3 - "$TMP/out" "$TMP/endorsers.txt" <<'PY' || fail "bad workspace run record: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
endorsers = {int(x) for x in open(sys.argv[2])}
assert "first-hand endorsements" in r["candidates"], r["candidates"]
assert r["trust"]["computed"] and r["trust"]["arcs_from_local_trust"] + r["trust"]["arcs_from_reputation"] > 0
assert 1 <= len(r["seeds"]) <= 3
for s in r["seeds"]:
    assert s["person"] in endorsers, s
    assert s["endorsements"] >= 1
    for key in ("complaints", "reputation", "listener_trust", "marginal_spread", "name", "id"):
        assert key in s, key
assert r["spread"]["lower"] <= r["spread"]["estimate"] <= r["spread"]["upper"]
PY
# --all-people lifts the restriction.
expect_exit 0 "$VOUCH" advocates --workspace "$TMP/ws" --k 3 --weights wc --epsilon 0.3 --all-people
expect_contains "$TMP/out" "every person is a candidate"
