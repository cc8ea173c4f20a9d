# vouch listen suggest: the least certain calls first, near duplicates skipped, labelled lines skipped; and
# vouch classify --workspace honouring [brand.phrases] overrides in vouch.toml.
python3 - "$TMP/posts.jsonl" <<'PY'
import json, sys
posts = [
    "RT @news: Zephyr launches new headphones http://news.example/z",
    "RT @news: Zephyr launches new headphones http://news.example/z",
    "RT @news: Zephyr launches new headphones http://news.example/z",
    "@SkyHop flight delayed 3 hours and my bag is lost. Worst airline ever",
    "Thank you @BlueLine, the crew was fantastic!",
    "@SkyHop the flight was ok I guess",
    "@SkyHop hmm",
    "thinking about the SkyHop thing",
]
with open(sys.argv[1], "w") as f:
    for i, t in enumerate(posts):
        f.write(json.dumps({"id": f"p{i}", "text": t}) + "\n")
    f.write(json.dumps({"id": "labelled", "text": "@SkyHop hmm ok", "act": "other"}) + "\n")
PY
expect_exit 0 "$VOUCH" listen suggest --n 5 --input "$TMP/posts.jsonl" --json
python3 - "$TMP/out" <<'PY' || fail "listen suggest output: $(cat "$TMP/out")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert 1 <= len(rows) <= 5, rows
ids = [r["id"] for r in rows]
assert "labelled" not in ids, ids                                   # already labelled: not suggested
assert sum(1 for i in ids if i in ("p0", "p1", "p2")) <= 1, ids      # copies of one retweet: at most one
u = [r["uncertainty"] for r in rows]
assert u == sorted(u, reverse=True), u                              # most useful first
for r in rows:
    assert set(r) >= {"id", "text", "act", "sentiment", "why"} and "margin" in r["why"], r
PY
expect_contains "$TMP/err" "suggestions from 8 unlabelled posts"
# plain output: id, text, guess, why
expect_exit 0 "$VOUCH" listen suggest --n 2 --input "$TMP/posts.jsonl"
[ "$(wc -l < "$TMP/out")" -eq 2 ] || fail "--n 2 should print two lines: $(cat "$TMP/out")"
expect_exit 2 "$VOUCH" listen suggest --n 2
expect_contains "$TMP/err" "exactly one of --input FILE and --workspace DIR"

# Per-brand overrides: "War Zone" is a game title, not a complaint.
mkdir -p "$TMP/ws"
expect_exit 0 "$VOUCH" init "$TMP/ws"
cat > "$TMP/ws/vouch.toml" <<'TOML'
[[brand]]
name = "Blastworks"
aliases = ["Blastworks"]
[brand.phrases]
"War Zone" = "neutral"
"Total Carnage" = "endorse"
TOML
printf '%s\n' '{"id": 1, "text": "War Zone by Blastworks is out today"}' \
  '{"id": 2, "text": "I hate this war"}' > "$TMP/wz.jsonl"
expect_exit 0 "$VOUCH" classify --input "$TMP/wz.jsonl" --output "$TMP/plain.jsonl"
expect_exit 0 "$VOUCH" classify --input "$TMP/wz.jsonl" --output "$TMP/over.jsonl" --workspace "$TMP/ws"
python3 - "$TMP/plain.jsonl" "$TMP/over.jsonl" <<'PY' || fail "overrides not honoured: $(cat "$TMP/plain.jsonl" "$TMP/over.jsonl")"
import json, sys
plain = [json.loads(l) for l in open(sys.argv[1])]
over = [json.loads(l) for l in open(sys.argv[2])]
assert plain[0]["sentiment"] == "neg", plain[0]          # "war" reads negative without the override
assert over[0]["sentiment_score"] >= 0 and over[0]["sentiment"] != "neg", over[0]
assert over[1] == plain[1], (over[1], plain[1])          # posts without the phrase are untouched
PY
# a bad effect is named with the file
cat >> "$TMP/ws/vouch.toml" <<'TOML'
"Doom" = "sarcastic"
TOML
expect_exit 2 "$VOUCH" classify --input "$TMP/wz.jsonl" --output "$TMP/x.jsonl" --workspace "$TMP/ws"
expect_contains "$TMP/err" "vouch.toml: [brand.phrases]: override phrase 'Doom': effect 'sarcastic'"
