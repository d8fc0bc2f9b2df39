// The official Node.js driver (mongodb@6) against devmongod: the operations the seed's
// migrations use, with the results the driver returns compared exactly.
const assert = require('node:assert/strict');
const { MongoClient, MongoServerError } = require('mongodb');

async function main(uri) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  try {
    const db = client.db();
    await db.createCollection('users');
    assert.equal(await db.collection('users').createIndex({ email: 1 }, { unique: true }), 'email_1');
    assert.equal(await db.collection('users').createIndex({ phone: 1 }), 'phone_1');
    await db.collection('users').insertMany([{ email: 'a@x', n: 1 }, { email: 'b@x', n: 2 }]);
    await assert.rejects(db.collection('users').insertOne({ email: 'a@x' }), (e) => {
      assert.ok(e instanceof MongoServerError);
      assert.equal(e.code, 11000);
      assert.deepEqual(e.keyValue, { email: 'a@x' });
      return true;
    });
    const res = await db.collection('users').updateMany({}, { $set: { schemaVersion: 2 } });
    assert.equal(res.matchedCount, 2);
    assert.equal(res.modifiedCount, 2);
    const docs = await db.collection('users').find({}, { projection: { _id: 0 } }).sort({ n: -1 }).toArray();
    assert.deepEqual(docs, [
      { email: 'b@x', n: 2, schemaVersion: 2 },
      { email: 'a@x', n: 1, schemaVersion: 2 },
    ]);
    assert.equal(await db.collection('calmscores').createIndex({ userId: 1, timestamp: -1 }), 'userId_1_timestamp_-1');
    assert.equal(await db.collection('calmscores').createIndex({ location: '2dsphere' }), 'location_2dsphere');
    assert.equal(await db.collection('calmscores').createIndex({ stressors: 'text' }), 'stressors_text');
    const names = (await db.collection('calmscores').indexes()).map((i) => i.name);
    assert.deepEqual(names, ['_id_', 'userId_1_timestamp_-1', 'location_2dsphere', 'stressors_text']);
    await db.collection('calmscores').dropIndex('stressors_text');
    await assert.rejects(db.collection('calmscores').dropIndex('stressors_text'), { code: 27, codeName: 'IndexNotFound' });
    await assert.rejects(db.command({ frobnicate: 1 }), { code: 59, codeName: 'CommandNotFound' });
    const counted = await db.collection('users').countDocuments({ n: { $gte: 2 } });
    assert.equal(counted, 1);
    const grouped = await db.collection('users').aggregate([{ $group: { _id: '$schemaVersion', c: { $sum: 1 } } }]).toArray();
    assert.deepEqual(grouped, [{ _id: 2, c: 2 }]);
    assert.equal(await db.collection('users').drop(), true);
    const collections = (await db.listCollections().toArray()).map((c) => c.name).sort();
    assert.deepEqual(collections, ['calmscores']);
  } finally {
    await client.close();
  }
  console.log('node driver check: ok');
}

main(process.argv[2]).catch((e) => {
  console.error('node driver check FAILED:', e);
  process.exit(1);
});
