// The peer for bench/cli_speed.sh: what the seed's Node.js runner does for `status`
// (connect with the official driver, read the migrations directory, read migrationHistory,
// print one line per migration and "Applied: X/Y"), for JSON migration files.
const fs = require('fs');
const path = require('path');
const { MongoClient } = require(path.join(__dirname, '../tests/clients/node_modules/mongodb'));

async function main(uri, dir) {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const files = fs.readdirSync(dir).filter((f) => /^\d{3}_.+\.json$/.test(f)).sort();
    const migrations = files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    const applied = await client.db().collection('migrationHistory').find().sort({ version: 1 }).toArray();
    const done = new Set(applied.map((m) => m.version));
    for (const m of migrations) console.log(`${done.has(m.version) ? 'applied' : 'pending'} ${m.version}: ${m.description}`);
    console.log(`Applied: ${applied.length}/${migrations.length}`);
  } finally {
    await client.close();
  }
}

main(process.argv[2], process.argv[3]).catch((e) => {
  console.error(e);
  process.exit(1);
});
