# Sourced by the package and build checks: starts a devmongod on a free port for the caller.
# start_devmongod PROGRAM DIR: runs PROGRAM --port 0 (its output in DIR/devmongod.out) and sets
# `server` (its pid, for the caller's cleanup) and `port`; fails when it does not start.
start_devmongod() {
  "$1" --port 0 >"$2/devmongod.out" 2>&1 &
  server=$!
  port=
  for _ in $(seq 50); do
    port=$(grep -o 'listening on [^ ]*' "$2/devmongod.out" | head -1 | sed 's/.*://' || true)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "devmongod did not start:" >&2
  cat "$2/devmongod.out" >&2
  return 1
}
