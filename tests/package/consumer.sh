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
  $(pkg-config --cflags --libs mongomigrate) -Wl,-rpath,"$(pkg-config --variable=libdir mongomigrate)"

# The library is a shared object whose SONAME follows the version, and both programs load it.
version=$(sed -n 's/^project(mongo-migrate VERSION \([0-9]*\.[0-9]*\).*/\1/p' "$source/CMakeLists.txt")
soname=$(readelf -d "$work/prefix/lib/libmongomigrate.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libmongomigrate.so.$version" ]; then
  echo "the library's SONAME is '$soname', not libmongomigrate.so.$version" >&2
  exit 1
fi
for example in "$work/cmake/embedded_example" "$work/pkgconfig_example"; do
  if ! ldd "$example" | grep -q "libmongomigrate.so.$version => $work/prefix/lib/"; then
    echo "$example does not load the installed libmongomigrate.so.$version:" >&2
    ldd "$example" >&2
    exit 1
  fi
done

start_devmongod "$devmongod" "$work"
for example in "$work/cmake/embedded_example" "$work/pkgconfig_example"; do
  db=$(basename "$example")
  "$example" "mongodb://127.0.0.1:$port/$db" | tee "$work/$db.out"
done
# Each applied its migrations, into a database of its own.
grep -q "migrated 2: Seed the feature flags" "$work/embedded_example.out"
grep -q "migrated 2: Seed the feature flags" "$work/pkgconfig_example.out"
# Neither program links SpiderMonkey: the JS engine is a module, loaded only for a .js file.
for example in "$work/cmake/embedded_example" "$work/pkgconfig_example"; do
  if ldd "$example" | grep -q mozjs; then
    echo "$example links libmozjs" >&2
    exit 1
  fi
done
echo "consumer: ok"
