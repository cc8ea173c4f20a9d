#!/usr/bin/env bash
# Record ingest throughput: `vouch ingest ratings|orders|people` against a baseline run in the same script, the
# sqlite3 shell's .import of the same CSV into a table keyed like Vouch's (the cost of just loading the rows into
# SQLite, with no validation, normalisation or identity resolution).
#
#   bench/ingest/records_bench.sh [ROWS] [BUILD_DIR]      (default 200000 rows, build/release)
#
# Inputs are generated here (deterministic awk), in a scratch directory removed at the end.
set -euo pipefail
rows="${1:-200000}"
build="${2:-build/release}"
vouch="$(cd "$build" && pwd)/vouch"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

awk -v n="$rows" 'BEGIN { srand(7); print "rater,ratee,rating,time";
  for (i = 0; i < n; i++) printf "u%d,u%d,%d,%d\n", int(rand() * n / 5), int(rand() * n / 5) + n, int(rand() * 21) - 10, 1700000000 + i }' > ratings.csv
awk -v n="$rows" 'BEGIN { srand(8); print "order_id,customer_id,email,amount_minor,currency,time,referral_code";
  for (i = 0; i < n; i++) { c = int(rand() * n / 3);
    printf "O-%d,C-%d,user%d@example.com,%d,USD,%d,%s\n", i, c, c, int(rand() * 20000), 1700000000 + i, (i % 7 == 0 ? "CODE" c : "") } }' > orders.csv
awk -v n="$rows" 'BEGIN { srand(9); print "customer_id,email,platform,handle,name";
  for (i = 0; i < n; i++) printf "C-%d,person%d@example.com,x,@p%d,\"Person %d\"\n", i, i, i, i }' > people.csv

# CPU seconds (user + system) of a command: on a shared machine wall time mostly measures the neighbours.
seconds() {
  /usr/bin/time -f "%U %S" -o cpu.txt "$@" >/dev/null 2>&1 || [ $? -eq 3 ]
  awk '{ print $1 + $2 }' cpu.txt
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rows per file: $rows"
printf '%-8s %12s %16s %18s %8s\n' file vouch_cpu_s rows_per_cpu_s sqlite_import_cpu_s ratio
for kind in ratings orders people; do
  rm -rf ws && "$vouch" init ws >/dev/null
  args=()
  [ "$kind" = ratings ] && args=(--scale -10:10 --platform x)
  v=$(seconds "$vouch" ingest "$kind" "$kind.csv" "${args[@]}" --workspace ws)
  rm -f base.db
  case $kind in
    ratings) schema="CREATE TABLE t (rater TEXT, ratee TEXT, rating REAL, time INTEGER, PRIMARY KEY (rater, ratee, time));" ;;
    orders) schema="CREATE TABLE t (order_id TEXT PRIMARY KEY, customer_id TEXT, email TEXT, amount_minor INTEGER, currency TEXT, time INTEGER, referral_code TEXT);" ;;
    people) schema="CREATE TABLE t (customer_id TEXT UNIQUE, email TEXT UNIQUE, platform TEXT, handle TEXT, name TEXT);" ;;
  esac
  b=$(seconds sqlite3 base.db "PRAGMA journal_mode=WAL;" "$schema" ".mode csv" ".import --skip 1 $kind.csv t")
  printf '%-8s %12.2f %16.0f %18.2f %8.1f\n' "$kind" "$v" "$(echo "$rows / $v" | bc -l)" "$b" "$(echo "$v / $b" | bc -l)"
done
