#!/usr/bin/env bash
# Installs everything the project needs on Debian 12 (as root): the toolchain and libraries
# from apt, and the real MongoDB clients used by the tests from npm (pinned in
# tests/clients/package-lock.json). Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
packages=(
  build-essential cmake pkg-config ccache clang-format git
  libmongoc-dev libbson-dev        # the official MongoDB C driver and its BSON library
  libcli11-dev nlohmann-json3-dev libssl-dev
  libasio-dev                      # devmongod's sockets
  libpcre2-dev                     # $regex, as MongoDB uses PCRE
  libtomlplusplus-dev              # mongo-migrate.toml, the project file
  libgtest-dev libbenchmark-dev libmozjs-102-dev libsqlite3-dev
  clang libclang-rt-14-dev         # libFuzzer and its sanitizers, for the fuzz targets
  dpkg-dev man-db                  # the .deb's dependencies (dpkg-shlibdeps), man -w in its test
  python3-bson                     # reads the backups back with a BSON reader no one here wrote
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm only run the Node.js driver and mongosh checks; a machine may already have
# them from another package source, whose nodejs bundles npm.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Again whenever a pinned client is missing (a checkout from before it was added).
if [ ! -x "$root/tests/clients/node_modules/.bin/mongosh" ] ||
   [ ! -x "$root/tests/clients/node_modules/.bin/migrate-mongo" ]; then
  (cd "$root/tests/clients" && npm ci --no-audit --no-fund --loglevel=error)
fi
