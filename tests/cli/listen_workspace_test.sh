# Listen in a workspace: ingest stores each brand mention with its act and sentiment (idempotently), and the
# report, aspects, inbox and classify verbs work on a small generated world.
"$VOUCH" synth --people 300 --days 10 --seed 3 --out "$TMP/world" >/dev/null
ws="$TMP/ws"
expect_exit 0 "$VOUCH" init "$ws"
cat "$TMP/world/brands.toml" >> "$ws/vouch.toml"
ingest() {
  set +e; "$VOUCH" ingest "$@" --workspace "$ws" >"$TMP/out" 2>"$TMP/err"; local rc=$?; set -e
  [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "ingest $* exited $rc: $(cat "$TMP/err")"
}
ingest posts "$TMP/world"/posts/*
expect_contains "$TMP/out" "mentions stored with act and sentiment"
ingest graph "$TMP/world/graph.txt" --platform x
expect_exit 0 "$VOUCH" status --json --workspace "$ws"
mentions=$(json_field "$TMP/out" mentions)
[ "$mentions" -gt 100 ] || fail "only $mentions mentions stored"

# The stored mentions agree with the world's truth: the brand of each post, and mostly its act.
python3 - "$ws/vouch.db" "$TMP/world/truth/posts.csv" <<'PY' || fail "stored mentions disagree with the truth"
import csv, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
bodies = open(sys.argv[1] + ".body", "rb").read()
def text(offset):  # a post's text from its body record: version, check-sum, author name, text (src/store/post_body_file.h)
    at = offset + 9
    at += 4 + struct.unpack_from("<I", bodies, at)[0]
    n = struct.unpack_from("<I", bodies, at)[0]
    return bodies[at + 4:at + 4 + n].decode()
rows = [r[:7] + (text(r[7]),) + r[8:] for r in db.execute(
    "SELECT p.platform, p.external_id, m.brand, m.act, m.sentiment, m.span_begin, m.span_end, "
    "p.body_offset, m.term FROM mentions m JOIN posts p ON p.id = m.post_id").fetchall()]
truth = {(r["platform"], r["id"]): r for r in csv.DictReader(open(sys.argv[2]))}
acts = {"endorse", "complain", "share", "ask", "other"}
agree = total = 0
for platform, pid, brand, act, sentiment, b, e, text, term in rows:
    assert act in acts and sentiment in {"pos", "neg", "neu"}, (act, sentiment)
    assert 0 <= b < e <= len(text.encode()), (b, e)
    t = truth.get((platform, pid))
    if t is None or t["brand"] != brand:
        continue
    total += 1
    agree += t["act"] == act
about = sum(1 for t in truth.values() if t["brand"])
assert total >= 0.5 * about, (total, about)           # most posts about a brand are found
assert agree >= 0.4 * total, (agree, total)           # the act is stored, and it is the classifier's
PY

# Ingesting again stores nothing new, mentions included.
ingest posts "$TMP/world"/posts/*
expect_exit 0 "$VOUCH" status --json --workspace "$ws"
[ "$(json_field "$TMP/out" mentions)" -eq "$mentions" ] || fail "re-ingest changed the mentions"

# listen classify rewrites them all, to the same rows.
expect_exit 0 "$VOUCH" listen classify --workspace "$ws"
expect_contains "$TMP/out" "$mentions mentions stored"

# listen report: JSON, with share of voice against the competitors and the complaint spike on the outage day.
expect_exit 0 "$VOUCH" listen report --brand Nimbus --json --workspace "$ws"
cp "$TMP/out" "$TMP/report.json"
python3 - "$TMP/report.json" "$TMP/world/truth/events.csv" <<'PY' || fail "report JSON: $(head -c 3000 "$TMP/report.json")"
import csv, datetime, json, sys
r = json.load(open(sys.argv[1]))
assert r["brand"] == "Nimbus" and r["by"] == "day"
assert [v["brand"] for v in r["share_of_voice"]][0] == "Nimbus" and len(r["share_of_voice"]) == 3
assert abs(sum(v["share"] for v in r["share_of_voice"]) - 1) < 1e-9
assert r["totals"]["posts"] == sum(p["posts"] for p in r["periods"])
assert 10 <= len(r["periods"]) <= 11
assert abs(sum(r["act_mix"].values()) - 1) < 1e-9
acts = r["totals"]["acts"]
assert r["wom_to_share"] == (acts["endorse"] + acts["complain"]) / acts["share"]
assert r["voice_weighting"] == "count" and r["top_endorsers"] and r["top_complainers"]
outage = next(e for e in csv.DictReader(open(sys.argv[2])) if e["kind"] == "outage")
day = outage["start"][:10]
hits = [a for a in r["alerts"] if a["metric"] == "complaints" and a["date"] == day]
assert hits and hits[0]["z"] >= hits[0]["threshold"] == 3, (day, r["alerts"])
PY
expect_exit 0 "$VOUCH" listen report --brand Nimbus --workspace "$ws"
expect_contains "$TMP/out" "share of voice  Nimbus"
expect_contains "$TMP/out" "complaints spike"
expect_exit 0 "$VOUCH" listen report --brand Nimbus --csv --by week --workspace "$ws"
expect_contains "$TMP/out" "period,posts,endorse,complain,share,ask,other,pos,neg,neu"
expect_exit 0 "$VOUCH" listen report --brand Nimbus --since 2026-03-03 --until 2026-03-05 --json --workspace "$ws"
[ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["periods"]))' "$TMP/out")" -eq 2 ] ||
  fail "--since/--until should give two days"
expect_exit 1 "$VOUCH" listen report --brand Nope --workspace "$ws"
expect_contains "$TMP/err" "no brand 'Nope' in vouch.toml; brands: 'Nimbus'"
expect_exit 2 "$VOUCH" listen report --brand Nimbus --since yesterday --workspace "$ws"
expect_contains "$TMP/err" "--since 'yesterday'"

# With trust computed, top voices are weighted by reputation.
ingest ratings "$TMP/world/ratings.csv" --scale -10:10 --platform x
expect_exit 0 "$VOUCH" trust compute --workspace "$ws"
expect_exit 0 "$VOUCH" listen report --brand Nimbus --json --workspace "$ws"
[ "$(json_field "$TMP/out" voice_weighting)" = trust ] || fail "trust was computed but not used"

# listen aspects: three lists, each phrase with its statistic and example posts.
expect_exit 0 "$VOUCH" listen aspects --brand Nimbus --json --workspace "$ws"
python3 - "$TMP/out" <<'PY' || fail "aspects JSON: $(head -c 3000 "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["posts"]["endorsements"] > 0 and r["posts"]["complaints"] > 0
assert r["praise"] and r["complaints"], r
for a in r["praise"] + r["complaints"] + r["selling_points"]:
    assert a["z"] >= 1.96 and a["posts"] >= 3 and 1 <= len(a["examples"]) <= 3, a
    assert "nimbus" not in a["phrase"].split(), a
PY
expect_exit 0 "$VOUCH" listen aspects --brand Nimbus --workspace "$ws"
expect_contains "$TMP/out" "praised (endorsements against complaints)"

# listen inbox: complaints and questions, best first, with reach from the social graph and the reasons.
expect_exit 0 "$VOUCH" listen inbox --brand Nimbus --n 5 --json --workspace "$ws"
python3 - "$TMP/out" <<'PY' || fail "inbox JSON: $(head -c 3000 "$TMP/out")"
import json, sys
items = json.load(open(sys.argv[1]))
assert len(items) == 5
assert all(i["act"] in ("complain", "ask") for i in items)
assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
assert any(i["followers"] is not None for i in items)
assert all(i["trust"] is not None and i["why"] for i in items)
PY
expect_exit 0 "$VOUCH" listen inbox --brand Nimbus --n 3 --workspace "$ws"
expect_contains "$TMP/out" "why: "
