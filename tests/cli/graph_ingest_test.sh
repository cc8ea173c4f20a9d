# vouch ingest graph: the edge list joins the workspace graph, nodes become people (when first needed), a second
# ingest of an overlapping file adds only what is new.
expect_exit 0 "$VOUCH" init "$TMP/ws"
printf '# friends\nalice bob\nbob carol\n' > "$TMP/a.txt"
expect_exit 0 "$VOUCH" ingest graph "$TMP/a.txt" --workspace "$TMP/ws" --platform x --json
[ "$(json_field "$TMP/out" arcs)" = 2 ] || fail "arcs: $(cat "$TMP/out")"
[ "$(json_field "$TMP/out" people_pending)" = True ] || fail "people pending: $(cat "$TMP/out")"
[ -f "$TMP/ws/graph/social.vgraph" ] || fail "no workspace graph file"
printf 'bob carol\ncarol dave\n' > "$TMP/b.txt"
expect_exit 0 "$VOUCH" ingest graph "$TMP/b.txt" --workspace "$TMP/ws" --platform x --undirected --json
[ "$(json_field "$TMP/out" nodes)" = 4 ] || fail "nodes after union: $(cat "$TMP/out")"
# alice->bob, bob->carol, carol->bob, carol->dave, dave->carol
[ "$(json_field "$TMP/out" arcs)" = 5 ] || fail "arcs after union: $(cat "$TMP/out")"
[ "$(json_field "$TMP/out" nodes_added)" = 1 ] || fail "only dave is new: $(cat "$TMP/out")"
expect_exit 0 "$VOUCH" ingest graph "$TMP/b.txt" --workspace "$TMP/ws" --platform x --undirected --json
[ "$(json_field "$TMP/out" arcs_added)" = 0 ] || fail "re-ingest added arcs: $(cat "$TMP/out")"
expect_exit 0 "$VOUCH" status --workspace "$TMP/ws" --json
[ "$(json_field "$TMP/out" people)" = 4 ] || fail "people: $(cat "$TMP/out")"
[ "$(json_field "$TMP/out" identities)" = 0 ] || fail "identities before anyone needed them: $(cat "$TMP/out")"
# A post by one of them joins the node's person; the people verbs create the rest, and the count stays 4.
printf '{"id":"p1","platform":"x","author":"@Carol","time":"2026-01-01T00:00:00Z","text":"hello"}\n' > "$TMP/p.jsonl"
expect_exit 0 "$VOUCH" ingest posts "$TMP/p.jsonl" --workspace "$TMP/ws"
expect_exit 0 "$VOUCH" status --workspace "$TMP/ws" --json
[ "$(json_field "$TMP/out" people)" = 4 ] || fail "people after a post: $(cat "$TMP/out")"
[ "$(json_field "$TMP/out" people_only_in_graph)" = 3 ] || fail "graph-only people: $(cat "$TMP/out")"
expect_exit 0 "$VOUCH" people show x:dave --workspace "$TMP/ws"
expect_exit 0 "$VOUCH" status --workspace "$TMP/ws" --json
[ "$(json_field "$TMP/out" people)" = 4 ] || fail "people after mapping: $(cat "$TMP/out")"
[ "$(json_field "$TMP/out" identities)" = 4 ] || fail "identities after mapping: $(cat "$TMP/out")"
[ "$(json_field "$TMP/out" people_only_in_graph)" = 0 ] || fail "graph-only people after mapping: $(cat "$TMP/out")"
# A graph has one platform.
expect_exit 2 "$VOUCH" ingest graph "$TMP/b.txt" --workspace "$TMP/ws" --platform reddit
expect_contains "$TMP/err" "--platform x"
# The workspace graph is a .vgraph that the influence verbs read directly.
expect_exit 0 "$VOUCH" advocates --graph "$TMP/ws/graph/social.vgraph" --k 1 --weights uniform:0.5 --epsilon 0.2
# A bad line is named.
printf 'a b\nc\n' > "$TMP/bad.txt"
expect_exit 2 "$VOUCH" ingest graph "$TMP/bad.txt" --workspace "$TMP/ws"
expect_contains "$TMP/err" "bad.txt:2:"
