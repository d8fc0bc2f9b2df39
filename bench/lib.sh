# Shared by the bench/*.sh scripts: start a devmongod, and time commands.

# Starts devmongod on an ephemeral port (stopped when the script exits); sets $port.
start_devmongod() {
  local build=$1 log
  log=$(mktemp)
  "$build/src/server/devmongod" --port 0 >"$log" 2>/dev/null &
  devmongod_pid=$!
  trap 'kill $devmongod_pid 2>/dev/null; wait $devmongod_pid 2>/dev/null; rm -f "'"$log"'"' EXIT
  for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.05; done
  port=$(sed -nE 's/.*:([0-9]+)$/\1/p' "$log")
}

# Median wall time in ms of $runs executions of "$@" (run in this shell, so a function's
# counters persist between runs).
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'
}
