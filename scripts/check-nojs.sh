#!/usr/bin/env bash
# A build with MM_WITH_JS=OFF (scripts/build-variants.sh gcc-nojs): it links no SpiderMonkey,
# applies a JSON migration, and refuses a JavaScript one and a migrate-mongo project with a
# message naming the option. Usage: check-nojs.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/../tests/package/lib.sh"
build=$1
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
if ldd "$build/src/mongo-migrate" | grep -q mozjs || [ -e "$build/src/mongomigrate_js.so" ]; then
  echo "MM_WITH_JS=OFF still builds or links SpiderMonkey" >&2
  exit 1
fi
start_devmongod "$build/src/server/devmongod" "$work"
uri="mongodb://127.0.0.1:$port/nojs"
mkdir "$work/json" "$work/js"
echo '{"version": 1, "description": "a", "up": [{"create": "things"}]}' >"$work/json/001_a.json"
"$build/src/mongo-migrate" --dir "$work/json" --uri "$uri" up | grep -q "1 migration(s) applied"
echo 'module.exports = { up: async () => {} };' >"$work/js/002_b.js"
if "$build/src/mongo-migrate" --dir "$work/js" --uri "$uri" up 2>"$work/err"; then
  echo "a JavaScript migration ran without the engine" >&2
  exit 1
fi
grep -q "built with MM_WITH_JS=OFF" "$work/err" || { cat "$work/err" >&2; exit 1; }
echo "MM_WITH_JS=OFF: ok"
