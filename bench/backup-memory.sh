#!/usr/bin/env bash
# `mongo-migrate backup` of one collection at two sizes, on one devmongod: the tool's peak
# memory (RSS) stays flat while the collection grows tenfold, because documents are streamed a
# cursor batch (1,000) at a time into the .bson file. `restore` is timed too.
#
#   bash bench/backup-memory.sh [SMALL] [LARGE]     (after scripts/build.sh; defaults 100000 and
#                                                   1000000; needs node and the Node.js driver
#                                                   bench/vs-migrate-mongo.sh installs)
#
# Documents are {_id, i, name, email} (72 bytes of BSON each). mongodump itself cannot be
# installed here, so there is no peer column: the claim is about the tool against itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
small=${1:-100000}
large=${2:-1000000}
build="$root/build"
peer=${MM_BENCH_PEER:-$HOME/.cache/mongo-migrate-bench}
source "$root/bench/lib.sh"
ensure_peer
work=$(mktemp -d)
start_devmongod "$build"
trap 'kill $devmongod_pid 2>/dev/null; wait $devmongod_pid 2>/dev/null; rm -rf "$work"' EXIT
base="mongodb://127.0.0.1:$port"
mkdir -p "$work/m"

printf '\n%-12s %12s %10s %16s %12s %16s\n' "documents" "dump MiB" "backup s" "backup peak RSS" "restore s" "restore peak RSS"
for docs in "$small" "$large"; do
  db="d$docs"
  write_user_seed "$work/seed.js" "$docs"
  node "$work/seed.js" "$db"
  /usr/bin/time -f "%e %M" -o "$work/backup.time" \
    "$build/src/mongo-migrate" --dir "$work/m" --uri "$base/$db" --quiet backup "$work/b$docs"
  read -r backup_s backup_kib <"$work/backup.time"
  mib=$(du -sm "$work/b$docs" | cut -f1)
  /usr/bin/time -f "%e %M" -o "$work/restore.time" \
    "$build/src/mongo-migrate" --dir "$work/m" --uri "$base/r$docs" --quiet restore "$work/b$docs"
  read -r restore_s restore_kib <"$work/restore.time"
  printf '%-12s %12s %10s %13s MiB %12s %13s MiB\n' "$docs" "$mib" "$backup_s" \
    "$((backup_kib / 1024))" "$restore_s" "$((restore_kib / 1024))"
done
