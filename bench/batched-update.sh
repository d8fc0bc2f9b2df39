#!/usr/bin/env bash
# A batched update (the batchedUpdate JSON step) against one raw updateMany over the same
# documents, on one devmongod: wall time and throughput, side by side in one run.
#
#   bash bench/batched-update.sh [DOCS] [BATCH_SIZE]     (after scripts/build.sh; needs node and
#                                                        the Node.js driver bench/vs-migrate-mongo.sh
#                                                        installs)
#
# DOCS documents {_id, i, name, email} (default 1000000) are inserted once per row; both set
# emailLower from email with the same pipeline. The raw updateMany is sent by the Node.js
# driver (one command); the batched update is a whole mongo-migrate process (start, lock,
# history, count for the progress total, BATCH_SIZE documents a batch, progress recorded after
# each), so its figure includes everything a user waits for.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
docs=${1:-1000000}
batch=${2:-1000}
build="$root/build"
peer=${MM_BENCH_PEER:-$HOME/.cache/mongo-migrate-bench}
source "$root/bench/lib.sh"
ensure_peer
work=$(mktemp -d)
start_devmongod "$build"
trap 'kill $devmongod_pid 2>/dev/null; wait $devmongod_pid 2>/dev/null; rm -rf "$work"' EXIT
base="mongodb://127.0.0.1:$port"

write_user_seed "$work/seed.js" "$docs"
mkdir -p "$work/m"
printf '{"version": 1, "description": "lowercase emails", "up": [{"batchedUpdate": "users", "filter": {}, "update": [{"$set": {"emailLower": {"$toLower": "$email"}}}], "batchSize": %d}]}\n' \
  "$batch" >"$work/m/001_lower.json"

read -r raw_ms raw_n <<<"$(node "$work/seed.js" raw raw)"
node "$work/seed.js" batched
start=${EPOCHREALTIME/./}
"$build/src/mongo-migrate" --dir "$work/m" --uri "$base/batched" --quiet up
end=${EPOCHREALTIME/./}
batched_ms=$(( (end - start) / 1000 ))
printf '\n%-44s %10s %14s\n' "$docs documents ($(nproc) cores, $(date -u +%F))" "ms" "docs/s"
printf '%-44s %10.0f %14.0f\n' "one updateMany (Node.js driver)" "$raw_ms" "$(awk -v n="$raw_n" -v t="$raw_ms" 'BEGIN {print n / t * 1000}')"
printf '%-44s %10d %14.0f\n' "batchedUpdate, batches of $batch (whole process)" "$batched_ms" "$(awk -v n="$docs" -v t="$batched_ms" 'BEGIN {print n / t * 1000}')"
printf '%-44s %10s\n' "ratio (batched throughput / updateMany)" "$(awk -v a="$raw_ms" -v b="$batched_ms" 'BEGIN {printf "%.2fx", a / b}')"
