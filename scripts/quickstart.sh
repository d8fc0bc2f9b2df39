#!/usr/bin/env bash
# The README's first command: installs everything, builds, and runs the main job — the seed's
# NeuroNav migrations (examples/neuronav/) applied with `mongo-migrate up`, then `status` —
# against MONGODB_URI, or, when none is set, against a devmongod started here in the background.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" default
build="$root/build"
if [ -z "${MONGODB_URI:-}" ]; then
  log=$(mktemp)
  "$build/src/server/devmongod" --port 0 >"$log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
  for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.05; done
  port=$(sed -nE 's/^devmongod listening on .*:([0-9]+)$/\1/p' "$log")
  [ -n "$port" ] || { cat "$log" >&2; echo "devmongod did not start" >&2; exit 1; }
  echo "started devmongod on 127.0.0.1:$port (no MONGODB_URI set)"
  export MONGODB_URI="mongodb://127.0.0.1:$port/neuronav"
fi
"$build/src/mongo-migrate" --dir "$root/examples/neuronav" up
"$build/src/mongo-migrate" --dir "$root/examples/neuronav" status
