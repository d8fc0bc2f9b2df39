#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test twice —
# once in the default build and once under AddressSanitizer + UndefinedBehaviorSanitizer —
# then builds the library and tools in the other build types and with Clang (build only), and
# the libFuzzer targets (clang), running each over its corpus plus a bounded, fixed-seed number
# of executions. The default preset's tests include the .deb round trip (label `package`: it
# installs the package into this machine, so it needs root, as CI has).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
for preset in default sanitize; do
  echo "== build and test: $preset"
  "$root/scripts/build.sh" "$preset"
  (cd "$root" && ctest --preset "$preset" -j "$(nproc)")
done
echo "== build only: the other build types, and Clang"
# (Clang: the fuzz preset below builds both programs with clang and -Werror; clang-release is
# left to scripts/build-variants.sh run by hand, to keep CI within its time.)
"$root/scripts/build-variants.sh" gcc-release gcc-nojs gcc-minsizerel
echo "== build and fuzz: fuzz"
"$root/scripts/build.sh" fuzz
(cd "$root" && ctest --preset fuzz -j "$(nproc)")
