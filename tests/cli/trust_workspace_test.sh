# vouch trust compute|show|top over a workspace: clear errors before there is anything to show. (The computation
# itself is tested in tests/trust/trust_store_test.cc; this workspace has no ratings ingest verb yet.)
expect_exit 0 "$VOUCH" init "$TMP/ws"
expect_exit 1 "$VOUCH" trust compute -w "$TMP/ws"
expect_contains "$TMP/err" "no ratings"
expect_exit 1 "$VOUCH" trust top -w "$TMP/ws"
expect_contains "$TMP/err" "vouch trust compute"
expect_exit 1 "$VOUCH" trust show 42 -w "$TMP/ws"
expect_contains "$TMP/err" "person 42"
expect_exit 2 "$VOUCH" trust show alice -w "$TMP/ws"
expect_contains "$TMP/err" "person id"
expect_exit 0 "$VOUCH" status -w "$TMP/ws" --json
expect_contains "$TMP/out" '"trust": 1'
