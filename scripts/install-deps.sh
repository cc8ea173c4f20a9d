#!/usr/bin/env bash
# Installs whatever deps/packages.txt lists that is not installed yet. Does nothing (quickly) when all is there,
# so `make` targets can call it on every run. Debian packages through apt-get, npm packages through npm into
# the repository's node_modules (ignored by git).
#
# Usage: install-deps.sh [GROUP...]. A line of deps/packages.txt may end with a group name (e.g. "bench"): it is
# installed only when that group is asked for. Lines without one are always installed.
set -euo pipefail
groups=" $* "
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
list="$root/deps/packages.txt"

apt_missing=()
npm_missing=()
npm_all=()
while read -r manager name version group; do
  case "$manager" in ''|'#'*) continue ;; esac
  if [ -n "${group:-}" ] && [[ "$groups" != *" $group "* ]]; then continue; fi
  case "$manager" in
    apt)
      # Any installed version counts: we never up- or downgrade what a machine already has.
      if ! dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'; then
        apt_missing+=("$name=$version")
      fi ;;
    npm)
      npm_all+=("$name@$version")
      if [ ! -f "$root/node_modules/$name/package.json" ]; then npm_missing+=("$name@$version"); fi ;;
    *) echo "install-deps: $list: unknown package manager '$manager'" >&2; exit 2 ;;
  esac
done < "$list"

if [ ${#apt_missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  pkgs=()
  for spec in "${apt_missing[@]}"; do
    name="${spec%%=*}"; version="${spec#*=}"
    if apt-cache show "$name=$version" >/dev/null 2>&1; then
      pkgs+=("$spec")
    else
      # The mirror moved on (security update): take its candidate rather than fail a fresh machine.
      echo "install-deps: warning: $name $version is no longer offered; installing the candidate" >&2
      pkgs+=("$name")
    fi
  done
  $sudo apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
fi

if [ ${#npm_missing[@]} -gt 0 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: npm is missing after the Debian step; add 'apt npm' to $list" >&2; exit 2
  fi
  echo "install-deps: installing ${npm_missing[*]}"
  # All npm packages in one call: npm prunes what a call does not name, as none of them is saved.
  (cd "$root" && npm install --no-save --no-audit --no-fund --silent "${npm_all[@]}")
fi
