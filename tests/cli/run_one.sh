#!/usr/bin/env bash
# Runs one CLI test script with $VOUCH (the binary), $TMP (a fresh directory, removed afterwards) and the helpers
# of lib.sh.
set -euo pipefail
script="$1"
export VOUCH="$2"
TMP="$(mktemp -d)"
export TMP
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
source "$(dirname "$0")/lib.sh"
source "$script"
echo "PASS $(basename "$script")"
