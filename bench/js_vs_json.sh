#!/usr/bin/env bash
# Wall time of `mongo-migrate up` applying ONE trivial migration to a fresh database, written
# as JavaScript (SpiderMonkey started, the module loaded and run) and as JSON, side by side in
# one run against one devmongod; plus `status` over each directory.
# Usage: bash bench/js_vs_json.sh [RUNS]   (after scripts/build.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
build="$root/build"
work=$(mktemp -d)
log="$work/devmongod.log"
"$build/src/server/devmongod" --port 0 >"$log" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.05; done
port=$(sed -nE 's/.*:([0-9]+)$/\1/p' "$log")

mkdir -p "$work/js" "$work/json"
cat >"$work/js/001_trivial.js" <<'JS'
module.exports = {
  version: 1,
  description: 'Trivial',
  up: async (db) => {
    await db.collection('users').insertOne({ trivial: true });
  },
};
JS
cat >"$work/json/001_trivial.json" <<'JSON'
{"version": 1, "description": "Trivial",
 "up": [{"insert": "users", "documents": [{"trivial": true}]}]}
JSON

n=0
# Applies the directory's one migration to a database no run has used.
apply_fresh() {
  n=$((n + 1))
  "$build/src/mongo-migrate" --dir "$work/$1" --uri "mongodb://127.0.0.1:$port/bench_$1_$n" --quiet up
}
status_of() {
  "$build/src/mongo-migrate" --dir "$work/$1" --uri "mongodb://127.0.0.1:$port/bench_$1_1" --quiet status
}

# Median wall time in ms of RUNS executions of "$@" (run in this shell, so counters persist).
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'
}

printf '%-52s %10s\n' "command ($runs runs, median)" "ms"
printf '%-52s %10s\n' "up: one trivial JSON migration" "$(median_ms apply_fresh json)"
printf '%-52s %10s\n' "up: one trivial JavaScript migration" "$(median_ms apply_fresh js)"
printf '%-52s %10s\n' "status: directory of one JSON migration" "$(median_ms status_of json)"
printf '%-52s %10s\n' "status: directory of one JavaScript migration" "$(median_ms status_of js)"
