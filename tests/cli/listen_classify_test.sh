# vouch classify and vouch listen train: the output contract, ids echoed as given, bad lines named by file:line.
posts="$TMP/posts.jsonl"
printf '%s\n' \
  '{"id": "p1", "text": "@SkyHop my flight was cancelled and nobody helps, on hold for 2 hours"}' \
  '{"id": 2, "text": "Thank you @BlueLine, the crew was fantastic and I got home early!"}' \
  '{"id": "p3", "text": "RT @news: BlueLine launches new routes http://news.example/x", "lang": "en"}' \
  > "$posts"
expect_exit 0 "$VOUCH" classify --input "$posts" --output "$TMP/out.jsonl"
python3 - "$TMP/out.jsonl" <<'PY' || fail "classify output breaks the contract: $(cat "$TMP/out.jsonl")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["id"] for r in rows] == ["p1", 2, "p3"], rows            # order and id types kept
for r in rows:
    assert set(r) == {"id", "act", "act_confidence", "sentiment", "sentiment_score"}, r
    assert r["act"] in {"endorse", "complain", "share", "ask", "other"}
    assert r["sentiment"] in {"pos", "neg", "neu"}
    assert 0 <= r["act_confidence"] <= 1 and -1 <= r["sentiment_score"] <= 1
assert rows[0]["act"] == "complain" and rows[0]["sentiment"] == "neg", rows[0]
assert rows[1]["act"] == "endorse" and rows[1]["sentiment"] == "pos", rows[1]
assert rows[2]["act"] == "share", rows[2]
PY

# --explain adds the cues that fired
expect_exit 0 "$VOUCH" classify --input "$posts" --output - --explain
expect_contains "$TMP/out" '{"cue":"family service_failure","matched":"on hold"'

# bad lines: named on stderr with file:line, the rest classified, exit 3
printf '%s\n' '{"id": "ok", "text": "fine"}' '{"text": "no id"}' 'not json' '{"id": "ok2", "text": "also fine"}' \
  > "$TMP/bad.jsonl"
expect_exit 3 "$VOUCH" classify --input "$TMP/bad.jsonl" --output "$TMP/bad_out.jsonl"
expect_contains "$TMP/err" "bad.jsonl:2: missing field 'id'"
expect_contains "$TMP/err" "bad.jsonl:3: not JSON"
[ "$(wc -l < "$TMP/bad_out.jsonl")" -eq 2 ] || fail "rejected lines should be skipped, the rest written"
expect_exit 1 "$VOUCH" classify --input "$TMP/missing.jsonl" --output "$TMP/x.jsonl"
expect_contains "$TMP/err" "missing.jsonl: cannot open"
expect_exit 2 "$VOUCH" classify --output "$TMP/x.jsonl"

# The input is read in blocks of whole lines (2 MiB on one thread): line numbers run on across blocks, a line longer
# than a block is read whole, a last line without its newline counts, and a pipe reads like a file.
python3 - "$TMP/big.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(40000):  # about 2.6 MB: the first block ends near line 32,000
        f.write(json.dumps({"id": i, "text": f"post {i}: the flight was delayed again"}) + "\n")
    f.write("not json\n")                                                     # line 40,001
    f.write(json.dumps({"id": "long", "text": "so good " * 400000}) + "\n")  # 3.2 MB, line 40,002
    f.write(json.dumps({"id": "last", "text": "thanks!"}))                    # line 40,003, no newline
PY
expect_exit 3 "$VOUCH" classify --threads 1 --input "$TMP/big.jsonl" --output "$TMP/big_out.jsonl"
expect_contains "$TMP/err" "big.jsonl:40001: not JSON"
expect_contains "$TMP/err" "1 of 40003 lines rejected"
[ "$(wc -l < "$TMP/big_out.jsonl")" -eq 40002 ] || fail "every readable line of a multi-block input is classified"
[ "$(tail -1 "$TMP/big_out.jsonl" | cut -c1-13)" = '{"id":"last",' ] || fail "the last line, without newline"
head -3 "$posts" | "$VOUCH" classify --input /dev/stdin --output "$TMP/piped.jsonl" \
  || fail "classify from a pipe failed"
[ "$(wc -l < "$TMP/piped.jsonl")" -eq 3 ] || fail "classify from a pipe: $(cat "$TMP/piped.jsonl")"

# listen train learns the user's words; classify --model uses them
python3 - "$TMP/labels.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(30):
        f.write(json.dumps({"id": f"c{i}", "text": f"gadget {i} went zorp", "act": "complain", "sentiment": "neg"}) + "\n")
        f.write(json.dumps({"id": f"e{i}", "text": f"gadget {i} went flim", "act": "endorse", "sentiment": "pos"}) + "\n")
PY
expect_exit 0 "$VOUCH" listen train --labels "$TMP/labels.jsonl" --output "$TMP/model.txt"
expect_contains "$TMP/err" "trained on 60 act and 60 sentiment labels"
printf '%s\n' '{"id": 1, "text": "my gadget went flim"}' > "$TMP/new.jsonl"
expect_exit 0 "$VOUCH" classify --input "$TMP/new.jsonl" --output - --model "$TMP/model.txt"
expect_contains "$TMP/out" '"act":"endorse"'
expect_exit 2 "$VOUCH" classify --input "$TMP/new.jsonl" --output - --model "$posts"
expect_contains "$TMP/err" "not a vouch listen model"
# a labels file without labels is refused
expect_exit 2 "$VOUCH" listen train --labels "$posts" --output "$TMP/m2.txt"
expect_contains "$TMP/err" "no labelled post"
