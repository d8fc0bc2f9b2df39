#!/usr/bin/env bash
# Wall time of a whole command, start to exit, against one devmongod, side by side in one run:
#   mongo-migrate status   vs   the seed-style Node.js runner's status (bench/node_status.js)
#   mongo-migrate up (5 migrations) + down 5
# Usage: bash bench/cli_speed.sh [RUNS]   (after scripts/build.sh; needs tests/clients/node_modules)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
build="$root/build"
source "$root/bench/lib.sh"
start_devmongod "$build"
uri="mongodb://127.0.0.1:$port/bench"
dir="$root/examples/neuronav"
mm() { "$build/src/mongo-migrate" --dir "$dir" --uri "$uri" --quiet "$@"; }

mm up >/dev/null
printf '%-46s %10s\n' "command ($runs runs, median)" "ms"
printf '%-46s %10s\n' "mongo-migrate status" "$(median_ms mm status)"
printf '%-46s %10s\n' "node bench/node_status.js (seed-style runner)" "$(median_ms node "$root/bench/node_status.js" "$uri" "$dir")"
printf '%-46s %10s\n' "mongo-migrate down 1 + up (roll back, re-apply)" "$(median_ms bash -c "$(declare -f mm); build=$build dir=$dir uri=$uri; mm down 1 && mm up")"
