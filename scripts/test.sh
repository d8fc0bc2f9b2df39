#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test twice —
# once in the default build and once under AddressSanitizer + UndefinedBehaviorSanitizer —
# then builds the libFuzzer targets (clang) and runs each over its corpus plus a bounded,
# fixed-seed number of executions.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
for preset in default sanitize; do
  echo "== build and test: $preset"
  "$root/scripts/build.sh" "$preset"
  (cd "$root" && ctest --preset "$preset" -j "$(nproc)")
done
echo "== build and fuzz: fuzz"
"$root/scripts/build.sh" fuzz
(cd "$root" && ctest --preset fuzz -j "$(nproc)")
