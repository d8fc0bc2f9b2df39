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

# Installs migrate-mongo and the Node.js driver, pinned, into $peer (once).
ensure_peer() {
  [ -x "$peer/node_modules/.bin/migrate-mongo" ] ||
    npm install --silent --prefix "$peer" migrate-mongo@14.0.7 mongodb@6.22.0 >/dev/null
}

# Writes a Node.js script to $1 that seeds argv[2].users with $2 documents
# {_id, i, name, email} (72 bytes of BSON each); with argv[3] = raw it then times one
# updateMany that sets emailLower from email, printing "MS MODIFIED".
write_user_seed() {
  local file=$1 docs=$2
  cat >"$file" <<JS
const { MongoClient } = require('$peer/node_modules/mongodb');
(async () => {
  const c = new MongoClient('$base'); await c.connect();
  const coll = c.db(process.argv[2]).collection('users');
  for (let i = 0; i < $docs; i += 10000) {
    const batch = [];
    for (let j = i; j < Math.min(i + 10000, $docs); j++) batch.push({ _id: j, i: j, name: 'user ' + j, email: 'User' + j + '@Example.COM' });
    await coll.insertMany(batch, { ordered: false });
  }
  if (process.argv[3] === 'raw') {
    const start = process.hrtime.bigint();
    const r = await coll.updateMany({}, [{ \$set: { emailLower: { \$toLower: '\$email' } } }]);
    console.log(Number(process.hrtime.bigint() - start) / 1e6, r.modifiedCount);
  }
  await c.close();
})();
JS
}
