#!/usr/bin/env bash
# Proves that every build type, and Clang as well as GCC, builds the library and the tools from
# this checkout with warnings as errors: Release, Debug, MinSizeRel with GCC and Release with
# Clang (RelWithDebInfo is the default preset, Debug+sanitizers the sanitize one). Only the
# build is proved here: no tests (the default and sanitize presets run them), within CI's time
# budget thanks to ccache. gcc-nojs builds with MM_WITH_JS=OFF (no SpiderMonkey) and checks
# that a JSON migration applies and a JavaScript one is refused, naming the option.
# Usage: scripts/build-variants.sh [VARIANT...] (gcc-release, gcc-debug, gcc-minsizerel,
# clang-release, gcc-nojs; default: all).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Paths under the checkout are hashed relative to it: variants that differ only in a definition
# (gcc-release, gcc-nojs) share their compiled objects.
export CCACHE_BASEDIR=$root
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(gcc-release gcc-debug gcc-minsizerel clang-release gcc-nojs)
for variant in "${variants[@]}"; do
  compiler=${variant%%-*}
  extra=()
  targets=(mongo-migrate devmongod mongomigrate mongomigrate_shared mongomigrate_js)
  case ${variant#*-} in
    nojs) type=Release; extra=(-DMM_WITH_JS=OFF); targets=(mongo-migrate devmongod mongomigrate mongomigrate_shared) ;;
    release) type=Release ;;
    debug) type=Debug ;;
    minsizerel) type=MinSizeRel ;;
    relwithdebinfo) type=RelWithDebInfo ;;
    *) echo "unknown variant $variant" >&2; exit 2 ;;
  esac
  if [ "$compiler" = clang ]; then cc=clang; cxx=clang++; else cc=gcc; cxx=g++; fi
  dir="$root/build-variants/$variant"
  echo "== build: $variant ($type, $cxx)"
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_CXX_COMPILER="$cxx" -DMM_WERROR=ON -DMM_BUILD_TESTS=OFF "${extra[@]}" >/dev/null
  cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}"
  [ "$variant" != gcc-nojs ] || "$root/scripts/check-nojs.sh" "$dir"
done
