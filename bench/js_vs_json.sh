#!/usr/bin/env bash
# Wall time of `mongo-migrate up` applying ONE trivial migration to a fresh database, written
# as JavaScript (SpiderMonkey started, the module loaded and run) and as JSON, side by side in
# one run against one devmongod; plus `status` over each directory.
# Usage: bash bench/js_vs_json.sh [RUNS]   (after scripts/build.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
build="$root/build"
source "$root/bench/lib.sh"
start_devmongod "$build"
work=$(mktemp -d)
trap 'kill $devmongod_pid 2>/dev/null; wait $devmongod_pid 2>/dev/null; rm -rf "$work"' EXIT

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

printf '%-52s %10s\n' "command ($runs runs, median)" "ms"
printf '%-52s %10s\n' "up: one trivial JSON migration" "$(median_ms apply_fresh json)"
printf '%-52s %10s\n' "up: one trivial JavaScript migration" "$(median_ms apply_fresh js)"
printf '%-52s %10s\n' "status: directory of one JSON migration" "$(median_ms status_of json)"
printf '%-52s %10s\n' "status: directory of one JavaScript migration" "$(median_ms status_of js)"
