# vouch export acts and vouch export flagged-sales: the rows scripts read instead of the database's tables
# (scripts/run-example.sh), their stable headers, and the format and workspace errors.
"$VOUCH" synth --people 150 --days 5 --seed 7 --out "$TMP/world" >/dev/null
ws="$TMP/ws"
expect_exit 0 "$VOUCH" init "$ws"
cat "$TMP/world/brands.toml" >> "$ws/vouch.toml"
set +e; "$VOUCH" ingest posts "$TMP/world"/posts/* --workspace "$ws" >"$TMP/out" 2>"$TMP/err"; rc=$?; set -e
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "ingest posts exited $rc: $(cat "$TMP/err")"

# acts: one row per post that names a brand, with its first mention's act, the same as the mentions table says.
expect_exit 0 "$VOUCH" export acts --workspace "$ws" --format jsonl --out "$TMP/acts.jsonl"
expect_contains "$TMP/err" "exported"
python3 - "$ws/vouch.db" "$TMP/acts.jsonl" <<'PY' || fail "the acts export disagrees with the mentions table"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
want = dict(db.execute("SELECT p.platform || ':' || p.external_id, m.act FROM posts p "
                       "JOIN mentions m ON m.id = (SELECT MIN(id) FROM mentions WHERE post_id = p.id)").fetchall())
got = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    assert set(r) == {"id", "time", "author", "brand", "act", "sentiment"}, r
    assert r["id"] not in got, "post listed twice: " + r["id"]
    got[r["id"]] = r["act"]
assert len(want) > 20, len(want)
assert got == want, (len(got), len(want))
PY
expect_exit 0 "$VOUCH" export acts --workspace "$ws"
[ "$(head -1 "$TMP/out")" = "id,time,author,brand,act,sentiment" ] || fail "acts header: $(head -1 "$TMP/out")"
[ "$(($(wc -l < "$TMP/out") - 1))" -eq "$(wc -l < "$TMP/acts.jsonl")" ] || fail "CSV and JSON Lines differ in rows"

# flagged-sales: without the referral service nothing is flagged (a header, no rows).
expect_exit 0 "$VOUCH" export flagged-sales --workspace "$ws"
[ "$(cat "$TMP/out")" = "invoice_id,statuses,rules" ] || fail "flagged-sales on a fresh workspace: $(cat "$TMP/out")"
expect_exit 0 "$VOUCH" export flagged-sales --workspace "$ws" --format jsonl
[ ! -s "$TMP/out" ] || fail "expected no JSON lines: $(cat "$TMP/out")"

expect_exit 2 "$VOUCH" export acts --workspace "$ws" --format xml
expect_exit 1 "$VOUCH" export flagged-sales --workspace "$TMP/nowhere"
expect_contains "$TMP/err" "vouch init"
expect_exit 0 "$VOUCH" export --help
expect_contains "$TMP/out" "flagged-sales"
