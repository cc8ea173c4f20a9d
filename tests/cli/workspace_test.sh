# vouch init creates a workspace; status reports it; verbs outside a workspace fail clearly.
expect_exit 1 "$VOUCH" status --workspace "$TMP/nowhere"
expect_contains "$TMP/err" "not a Vouch workspace"
expect_exit 0 "$VOUCH" init "$TMP/ws"
[ -f "$TMP/ws/vouch.toml" ] || fail "no vouch.toml"
[ -f "$TMP/ws/vouch.db" ] || fail "no vouch.db"
expect_exit 0 "$VOUCH" status --workspace "$TMP/ws" --json
[ "$(json_field "$TMP/out" posts)" = 0 ] || fail "fresh workspace has posts"
# init again keeps the configuration the user edited
echo '[[brand]]
name = "Acme"
aliases = ["Acme"]' >> "$TMP/ws/vouch.toml"
expect_exit 0 "$VOUCH" init "$TMP/ws"
expect_exit 0 "$VOUCH" status -w "$TMP/ws" --json
[ "$(json_field "$TMP/out" brands)" = 1 ] || fail "init overwrote vouch.toml"
# a broken vouch.toml is named with its line
echo 'name = ' >> "$TMP/ws/vouch.toml"
expect_exit 2 "$VOUCH" status -w "$TMP/ws"
expect_contains "$TMP/err" "vouch.toml:"
# unknown verbs and flags are usage errors
expect_exit 2 "$VOUCH" frobnicate
