#!/usr/bin/env bash
# mongo-migrate against migrate-mongo (the Node.js peer), side by side in one run, on one
# devmongod: whole processes, wall time, interleaved runs; median, min and max per row, the
# ratio (theirs / ours) and each process's peak RSS.
#
#   bash bench/vs-migrate-mongo.sh [RUNS] [BACKFILL_DOCS]     (after scripts/build.sh)
#
# Rows: `status` with 10 and 200 migrations applied (our JSON and JS files; their JS files), a
# no-op `up` at 200, applying 500 trivial migrations to an empty database, and a backfill over
# BACKFILL_DOCS documents (default 100000; the issue's figure is 1000000) written as a JS
# cursor + bulkWrite of updateOne (ours: the seed's JS format; theirs: the same code).
# migrate-mongo 14.0.7 and the Node.js driver 6.22.0 are installed, pinned, into
# ${MM_BENCH_PEER:-$HOME/.cache/mongo-migrate-bench} (npm, once).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-7}
backfill_docs=${2:-100000}
build="$root/build"
peer=${MM_BENCH_PEER:-$HOME/.cache/mongo-migrate-bench}
source "$root/bench/lib.sh"

mkdir -p "$peer"
ensure_peer
work=$(mktemp -d)
start_devmongod "$build"
trap 'kill $devmongod_pid 2>/dev/null; wait $devmongod_pid 2>/dev/null; rm -rf "$work"' EXIT
base="mongodb://127.0.0.1:$port"

# Directories of N trivial migrations (one insert each) in the three forms.
make_dirs() {
  local n=$1 i v
  mkdir -p "$work/json$n" "$work/js$n" "$work/mm$n/migrations"
  for i in $(seq 1 "$n"); do
    v=$(printf '%05d' "$i")
    printf '{"version": %d, "description": "add item %d", "up": [{"insert": "items", "documents": [{"n": %d}]}], "down": [{"delete": "items", "deletes": [{"q": {"n": %d}, "limit": 0}]}]}\n' \
      "$i" "$i" "$i" "$i" >"$work/json$n/${v}_add_item.json"
    printf "module.exports = {\n  version: %d,\n  description: 'add item %d',\n  up: async (db) => { await db.collection('items').insertOne({ n: %d }); },\n  down: async (db) => { await db.collection('items').deleteMany({ n: %d }); },\n};\n" \
      "$i" "$i" "$i" "$i" >"$work/js$n/${v}_add_item.js"
    printf "module.exports = {\n  async up(db) { await db.collection('items').insertOne({ n: %d }); },\n  async down(db) { await db.collection('items').deleteMany({ n: %d }); },\n};\n" \
      "$i" "$i" >"$work/mm$n/migrations/2026010100${v}-add-item.js"
  done
}
# The two tools, each run as its own process with nothing in between (a shell wrapper would
# add its start-up, ~3 ms, to both and hide the difference):
#   ours DIR DB ARGS…      mongo-migrate over $work/DIR against database DB
#   theirs N DB ARGS…      migrate-mongo over $work/mmN against database DB (its config file,
#                          written once per database, is passed with -f; migrationsDir absolute)
ours() {
  local dir=$1 db=$2
  shift 2
  OURS=("$build/src/mongo-migrate" --dir "$work/$dir" --uri "$base/$db" --quiet "$@")
}
theirs() {
  local n=$1 db=$2 config
  shift 2
  config="$work/config-$db.js"
  [ -f "$config" ] || cat >"$config" <<JS
module.exports = {
  mongodb: { url: '$base', databaseName: '$db', options: {} },
  migrationsDir: '$work/mm$n/migrations', changelogCollectionName: 'changelog',
  migrationFileExtension: '.js', useFileHash: false, moduleSystem: 'commonjs',
};
JS
  THEIRS=(node "$peer/node_modules/migrate-mongo/bin/migrate-mongo.js" "$@" -f "$config")
}
run_ours() { ours "$@" && "${OURS[@]}"; }
run_theirs() { theirs "$@" && "${THEIRS[@]}"; }

declare -A samples rss
# Adds one sample of "$@" to row $1.
# (Bash's own clock, $EPOCHREALTIME, costs no process; /usr/bin/time adds one exec to both.)
sample() {
  local row=$1 tool=$2 start end kib
  shift 2
  "$tool" "$@"
  local -n argv=${tool^^}
  start=${EPOCHREALTIME/./}
  /usr/bin/time -f '%M' -o "$work/rss" "${argv[@]}" >/dev/null 2>&1
  end=${EPOCHREALTIME/./}
  kib=$(tail -1 "$work/rss")
  samples[$row]+="$((end - start)) "
  [ "${rss[$row]:-0}" -ge "$kib" ] 2>/dev/null || rss[$row]=$kib
}
stats() {  # median min max in ms of row $1
  printf '%s\n' ${samples[$1]} | sort -n |
    awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f %.1f %.1f", m/1000, a[1]/1000, a[NR]/1000}'
}

echo "setting up…" >&2
for n in 10 200 500; do make_dirs "$n"; done
for n in 10 200; do
  run_ours "json$n" "st_json$n" up >/dev/null
  run_ours "js$n" "st_js$n" up >/dev/null
  run_theirs "$n" "st_mm$n" up >/dev/null
done

echo "measuring ($runs interleaved runs)…" >&2
for r in $(seq 1 "$runs"); do
  for n in 10 200; do
    sample "status $n applied|ours JSON" ours "json$n" "st_json$n" status
    sample "status $n applied|ours JS" ours "js$n" "st_js$n" status
    sample "status $n applied|migrate-mongo" theirs "$n" "st_mm$n" status
  done
  sample "no-op up, 200 applied|ours JSON" ours json200 st_json200 up
  sample "no-op up, 200 applied|ours JS" ours js200 st_js200 up
  sample "no-op up, 200 applied|migrate-mongo" theirs 200 st_mm200 up
  sample "apply 500 from empty|ours JSON" ours json500 "ap_json_$r" up
  sample "apply 500 from empty|ours JS" ours js500 "ap_js_$r" up
  sample "apply 500 from empty|migrate-mongo" theirs 500 "ap_mm_$r" up
done

# The backfill: the same JS code for both tools, over a collection seeded once per run.
seed="$work/seed.js"
write_user_seed "$seed" "$backfill_docs"
body="const cursor = db.collection('users').find({}, { projection: { email: 1 } });
    let ops = [];
    for await (const u of cursor) {
      ops.push({ updateOne: { filter: { _id: u._id }, update: { \$set: { emailLower: u.email.toLowerCase() } } } });
      if (ops.length === 1000) { await db.collection('users').bulkWrite(ops, { ordered: false }); ops = []; }
    }
    if (ops.length) await db.collection('users').bulkWrite(ops, { ordered: false });"
mkdir -p "$work/bf_ours" "$work/mmbf/migrations"
printf "module.exports = {\n  version: 1,\n  description: 'backfill emailLower',\n  up: async (db) => {\n    %s\n  },\n};\n" "$body" >"$work/bf_ours/001_backfill.js"
printf "module.exports = {\n  async up(db) {\n    %s\n  },\n  async down() {},\n};\n" "$body" >"$work/mmbf/migrations/20260101000001-backfill.js"
bf_runs=$(( runs < 3 ? runs : 3 ))
for r in $(seq 1 "$bf_runs"); do
  node "$seed" "bf_ours_$r"
  sample "backfill $backfill_docs docs, cursor + bulkWrite|ours JS" ours bf_ours "bf_ours_$r" up
  node "$seed" "bf_mm_$r"
  sample "backfill $backfill_docs docs, cursor + bulkWrite|migrate-mongo" theirs bf "bf_mm_$r" up
done

printf '\n%-52s %-15s %9s %9s %9s %9s %9s\n' "work ($(nproc) cores, $(date -u +%F))" "tool" "median ms" "min" "max" "ratio" "peak RSS"
for row in "status 10 applied" "status 200 applied" "no-op up, 200 applied" "apply 500 from empty" \
  "backfill $backfill_docs docs, cursor + bulkWrite"; do
  read -r theirs_median _ _ <<<"$(stats "$row|migrate-mongo")"
  for tool in "ours JSON" "ours JS" "migrate-mongo"; do
    [ -n "${samples[$row|$tool]:-}" ] || continue
    read -r median min max <<<"$(stats "$row|$tool")"
    ratio=$(awk -v a="$theirs_median" -v b="$median" 'BEGIN {printf "%.2fx", a / b}')
    [ "$tool" = migrate-mongo ] && ratio=""
    printf '%-52s %-15s %9s %9s %9s %9s %7s MiB\n' "$row" "$tool" "$median" "$min" "$max" "$ratio" "$((${rss[$row|$tool]} / 1024))"
  done
done
