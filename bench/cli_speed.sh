#!/usr/bin/env bash
# Wall time of a whole command, start to exit, against one devmongod, side by side in one run:
#   mongo-migrate status   vs   the seed-style Node.js runner's status (bench/node_status.js)
#   mongo-migrate up (5 migrations) + down 5
# Usage: bash bench/cli_speed.sh [RUNS]   (after scripts/build.sh; needs tests/clients/node_modules)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
build="$root/build"
log=$(mktemp)
"$build/src/server/devmongod" --port 0 >"$log" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.05; done
port=$(sed -nE 's/.*:([0-9]+)$/\1/p' "$log")
uri="mongodb://127.0.0.1:$port/bench"
dir="$root/examples/neuronav"
mm() { "$build/src/mongo-migrate" --dir "$dir" --uri "$uri" --quiet "$@"; }

# Median wall time in ms of RUNS executions of "$@".
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'
}

mm up >/dev/null
printf '%-46s %10s\n' "command ($runs runs, median)" "ms"
printf '%-46s %10s\n' "mongo-migrate status" "$(median_ms mm status)"
printf '%-46s %10s\n' "node bench/node_status.js (seed-style runner)" "$(median_ms node "$root/bench/node_status.js" "$uri" "$dir")"
printf '%-46s %10s\n' "mongo-migrate down 1 + up (roll back, re-apply)" "$(median_ms bash -c "$(declare -f mm); build=$build dir=$dir uri=$uri; mm down 1 && mm up")"
