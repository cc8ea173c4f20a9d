#!/usr/bin/env bash
# `make run`: the main job on the embedded default (SQLite) and a generated example world.
#   1. generate an example world with `vouch synth`
#   2. create a workspace and ingest the world into it
#   3. compute trust, pick advocates, and print what the workspace holds
# Settings (environment): VOUCH_RUN_DIR (default build/run), VOUCH_PEOPLE (default 2000), VOUCH_DAYS (30),
# VOUCH_SEED (1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vouch="$root/build/release/vouch"
run="${VOUCH_RUN_DIR:-$root/build/run}"
people="${VOUCH_PEOPLE:-2000}"
days="${VOUCH_DAYS:-30}"
seed="${VOUCH_SEED:-1}"
world="$run/world"
ws="$run/workspace"

step() { printf '\n==> %s\n' "$*"; }
# Ingest verbs exit 3 when some records were rejected (listed in the rejects file): the run goes on.
ingest() {
  local rc=0
  "$vouch" ingest "$@" --workspace "$ws" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then exit "$rc"; fi
}

rm -rf "$run"
mkdir -p "$run"

step "Generating an example world: $people people, $days days, seed $seed"
"$vouch" synth --people "$people" --days "$days" --seed "$seed" --out "$world"

step "Creating the workspace in $ws"
"$vouch" init "$ws"
cat "$world/brands.toml" >> "$ws/vouch.toml"

step "Ingesting the world"
ingest people "$world/people.csv"
ingest posts "$world"/posts/*
ingest graph "$world/graph.txt" --platform x
ingest ratings "$world/ratings.csv" --scale -10:10 --platform x
ingest orders "$world/orders.csv"

step "Ingesting it again (idempotent: nothing new is stored)"
ingest posts "$world"/posts/*

step "Computing trust and reputation"
"$vouch" trust compute --workspace "$ws"
"$vouch" trust top --n 5 --workspace "$ws"

step "Picking the 10 people whose word travels furthest (OPIM-C, IC model, wc weights)"
"$vouch" advocates --graph "$world/graph.txt" --k 10 --model ic --weights wc --epsilon 0.1 --output "$run/advocates.txt"
printf 'seed set in %s: %s\n' "$run/advocates.txt" "$(paste -sd' ' "$run/advocates.txt")"

step "What the workspace holds"
"$vouch" status --workspace "$ws"
printf '\nWorkspace: %s\nWorld and its ground truth: %s\n' "$ws" "$world"
