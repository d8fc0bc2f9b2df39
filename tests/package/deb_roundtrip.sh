#!/usr/bin/env bash
# The .deb, as a user gets it: cpack -G DEB from this build, `apt-get install ./….deb` into the
# machine (root: CI has it), then the installed programs — --version, the man pages where man
# finds them, the completions in their Debian places, a JavaScript migration applied against the
# installed devmongod (so the engine's module is found where it was installed) — and removal.
# Usage: deb_roundtrip.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=$1
if [ "$(id -u)" -ne 0 ]; then
  echo "deb_roundtrip: needs root to install the package (CI runs as root)" >&2
  exit 1
fi
work=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  apt-get remove -y -qq mongo-migrate >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
(cd "$build" && cpack -G DEB -B "$work/package" >/dev/null)
deb=$(ls "$work"/package/mongo-migrate_*.deb)
echo "built $(basename "$deb"); depends: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -f "$deb" Depends | grep -q libmongoc || { echo "no libmongoc in Depends" >&2; exit 1; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >/dev/null
/usr/bin/mongo-migrate --version | grep -q "^mongo-migrate [0-9]"
/usr/bin/devmongod --version | grep -q "^devmongod [0-9]"
man -w mongo-migrate | grep -q "/usr/share/man/man1/mongo-migrate.1"
man -w devmongod | grep -q "/usr/share/man/man1/devmongod.1"
test -f /usr/share/bash-completion/completions/mongo-migrate
test -f /usr/share/zsh/vendor-completions/_mongo-migrate
test -f /usr/lib/mongo-migrate/mongomigrate_js.so
# The shared library, known to the dynamic linker (the package runs ldconfig) by its SONAME.
# (grep reads to the end: with pipefail, `grep -q` would stop ldconfig with SIGPIPE.)
ldconfig -p | grep "libmongomigrate.so.0.[0-9]* .*=> .*/lib/libmongomigrate.so.0" >/dev/null ||
  { echo "ldconfig does not know libmongomigrate.so.0.MINOR" >&2; exit 1; }

# The installed tools at work: a JS migration needs the engine's module from /usr/lib.
start_devmongod /usr/bin/devmongod "$work"
mkdir "$work/migrations"
cat >"$work/migrations/001_add_thing.js" <<'JS'
module.exports = { up: async (db) => { await db.collection('things').insertOne({ a: 1 }); } };
JS
MONGO_MIGRATE_JS_MODULE= /usr/bin/mongo-migrate --dir "$work/migrations" \
  --uri "mongodb://127.0.0.1:$port/installed" up | tee "$work/up.out"
grep -q "1 migration(s) applied" "$work/up.out"

apt-get remove -y -qq mongo-migrate >/dev/null
test ! -e /usr/bin/mongo-migrate
if ldconfig -p | grep libmongomigrate >/dev/null; then
  echo "libmongomigrate is still known to ldconfig after removal" >&2
  exit 1
fi
echo "deb round trip: ok"
