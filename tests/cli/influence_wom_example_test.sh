# The worked example of docs/models.md: Ann endorses to Ben (trust 0.8) and Cat (0.1); Ben to Dan (0.5); everyone
# hears everything; shares with probability 0.5. Exact: spread 2.3, reach 3.9.
printf 'ann ben 0.8\nann cat 0.1\nben dan 0.5\n' > "$TMP/wom.txt"
echo ann > "$TMP/ann.txt"
expect_exit 0 "$VOUCH" simulate spread --graph "$TMP/wom.txt" --seeds "$TMP/ann.txt" --model wom --weights uniform:1 \
  --runs 100000 --share 0.5 --json
python3 - "$TMP/out" <<'PY' || fail "worked example off: $(cat "$TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
# Five standard errors around the exact values.
assert abs(r["spread"]["mean"] - 2.3) < 5 * r["spread"]["stddev"] / 100000 ** 0.5 + 1e-9, r
assert abs(r["reach"]["mean"] - 3.9) < 5 * r["reach"]["stddev"] / 100000 ** 0.5 + 1e-9, r
PY
