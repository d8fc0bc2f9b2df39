#!/usr/bin/env bash
# Starts devmongod on an ephemeral port, runs the Node.js driver and mongosh checks against
# it, and stops it. Usage: run_client_checks.sh PATH/TO/devmongod
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
devmongod=$1
if [ ! -d "$here/node_modules/mongodb" ] || [ ! -x "$here/node_modules/.bin/mongosh" ]; then
  echo "tests/clients/node_modules is missing: run scripts/install-deps.sh (npm ci in tests/clients)" >&2
  exit 1
fi
out=$(mktemp)
"$devmongod" --port 0 >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do
  grep -q listening "$out" && break
  sleep 0.05
done
port=$(sed -nE 's/.*:([0-9]+)$/\1/p' "$out")
[ -n "$port" ] || { echo "devmongod did not start" >&2; exit 1; }
cd "$here"
node node_driver_check.js "mongodb://127.0.0.1:$port/nodecheck"
./node_modules/.bin/mongosh "mongodb://127.0.0.1:$port/shellcheck" --quiet --norc --file mongosh_check.js
