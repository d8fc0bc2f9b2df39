// Runs inside mongosh connected to devmongod; throws (non-zero exit) on any difference.
const inserted = db.users.insertOne({ email: 'shell@x', calm: 7 });
if (!inserted.acknowledged) throw new Error('insertOne not acknowledged');
const name = db.users.createIndex({ email: 1 }, { unique: true });
if (name !== 'email_1') throw new Error('createIndex returned ' + name);
const all = db.users.find({}, { _id: 0 }).toArray();
if (JSON.stringify(all) !== JSON.stringify([{ email: 'shell@x', calm: 7 }])) {
  throw new Error('find returned ' + JSON.stringify(all));
}
let duplicate = null;
try {
  db.users.insertOne({ email: 'shell@x' });
} catch (e) {
  duplicate = e.code;
}
if (duplicate !== 11000) throw new Error('expected 11000, got ' + duplicate);
print('mongosh check: ok');
