#!/usr/bin/env bash
# Replays CORPUS through FUZZER, then runs RUNS more executions from seed 1. New inputs go to a
# temporary directory, never into the repository's corpus; any crash input is kept beside it
# (crash-*) and the test fails.
set -euo pipefail
fuzzer=$(realpath "$1") corpus=$(realpath "$2") runs=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
set +e
"$fuzzer" "$scratch" "$corpus" -seed=1 -runs="$runs" -max_len=65536 -timeout=10 \
  -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$PWD/" 2>&1 | tail -n 20
status=${PIPESTATUS[0]}
shopt -s nullglob
artifacts=("$scratch"/crash-* "$scratch"/timeout-* "$scratch"/leak-* "$scratch"/oom-*)
if [ ${#artifacts[@]} -gt 0 ]; then
  keep="${TMPDIR:-/tmp}/mm-fuzz-artifacts/$(basename "$fuzzer")"
  mkdir -p "$keep"
  cp "${artifacts[@]}" "$keep/"
  echo "fuzz artifacts kept in $keep: add each to $corpus once fixed" >&2
fi
exit "$status"
