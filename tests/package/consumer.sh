#!/usr/bin/env bash
# The library as a C++ user consumes it: `cmake --install` of this build into a fresh prefix,
# then examples/embedded built out of tree against the installed package — once through CMake
# (find_package(mongomigrate CONFIG)), once through pkg-config — and each binary run against a
# devmongod: it applies its migrations. Usage: consumer.sh BUILD_DIR SOURCE_DIR DEVMONGOD
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=$1 source=$2 devmongod=$3
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null

# Through CMake.
cmake -S "$source/examples/embedded" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cmake" >/dev/null
# Through pkg-config.
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
pkg-config --exists mongomigrate
g++ -std=c++20 -O1 "$source/examples/embedded/main.cc" -o "$work/pkgconfig_example" \
  $(pkg-config --cflags --libs mongomigrate)

start_devmongod "$devmongod" "$work"
for example in "$work/cmake/embedded_example" "$work/pkgconfig_example"; do
  db=$(basename "$example")
  "$example" "mongodb://127.0.0.1:$port/$db" | tee "$work/$db.out"
done
# Each applied its migrations, into a database of its own.
grep -q "migrated 2: Seed the feature flags" "$work/embedded_example.out"
grep -q "migrated 2: Seed the feature flags" "$work/pkgconfig_example.out"
# Neither program links SpiderMonkey: the JS engine is a module, loaded only for a .js file.
if ldd "$work/cmake/embedded_example" | grep -q mozjs; then
  echo "the embedded example links libmozjs" >&2
  exit 1
fi
echo "consumer: ok"
