// The driver methods migrations use, called in one order: wire_compat_test.cc runs run() once
// through the real Node.js driver and once inside a migration (mongo-migrate's shim), both
// against one devmongod that logs every command, and compares what each sent.
async function run(db) {
  const users = db.collection('users');
  await db.createCollection('users', { validator: { $jsonSchema: { bsonType: 'object', required: ['email'] } } });
  await users.insertOne({ _id: 1, email: 'a@x', n: 1 });
  await users.insertMany([{ _id: 2, email: 'b@x', n: 2 }, { _id: 3, email: 'c@x', n: 3 }]);
  await users.insertMany([{ _id: 4, email: 'd@x' }], { ordered: false });
  await users.updateOne({ _id: 1 }, { $set: { n: 10 } });
  await users.updateOne({ _id: 9 }, { $set: { email: 'z@x' } }, { upsert: true });
  await users.updateMany({ n: { $gt: 1 } }, { $inc: { n: 1 } });
  await users.updateMany({}, [{ $set: { lower: { $toLower: '$email' } } }]);
  await users.updateOne({ _id: 1 }, { $set: { 'tags.$[t]': 'x' } }, { arrayFilters: [{ t: 'y' }] });
  await users.replaceOne({ _id: 2 }, { email: 'b2@x', n: 20 });
  await users.find({ n: { $gte: 2 } }).sort({ n: -1 }).limit(2).project({ email: 1 }).toArray();
  await users.find({}, { projection: { _id: 0 }, skip: 1 }).toArray();
  await users.find().batchSize(2).toArray();
  await users.findOne({ _id: 3 });
  await users.findOne({ email: 'nobody' }, { projection: { n: 1 } });
  await users.countDocuments({ n: { $gt: 0 } });
  await users.countDocuments();
  await users.countDocuments({}, { limit: 5, skip: 1 });
  await users.find({ n: { $exists: true } }).sort({ _id: 1 }).forEach(() => {});
  for await (const doc of users.find({}, { batchSize: 3 })) void doc;
  const cursor = users.find({ _id: { $lte: 3 } });
  while (await cursor.hasNext()) await cursor.next();
  await users.aggregate([{ $sort: { _id: 1 } }], { allowDiskUse: true, batchSize: 2 }).toArray();
  await db.collection('auto').insertOne({ generated: 'an ObjectId _id' });
  await db.collection('auto').insertMany([{ a: 1 }, { a: 2 }]);
  await users.estimatedDocumentCount();
  await users.distinct('n', { n: { $exists: true } });
  await users.aggregate([{ $match: { n: { $gt: 1 } } }, { $group: { _id: null, total: { $sum: '$n' } } }]).toArray();
  await users.bulkWrite([
    { insertOne: { document: { _id: 20, email: 'e@x' } } },
    { updateOne: { filter: { _id: 20 }, update: { $set: { n: 1 } } } },
    { updateMany: { filter: { n: 1 }, update: { $set: { one: true } } } },
    { replaceOne: { filter: { _id: 20 }, replacement: { email: 'e2@x' } } },
    { deleteOne: { filter: { _id: 20 } } },
    { deleteMany: { filter: { email: 'nobody' } } },
  ]);
  await users.bulkWrite([{ insertOne: { document: { _id: 21, email: 'f@x' } } }], { ordered: false });
  await users.createIndex({ email: 1 }, { unique: true });
  await users.createIndex({ n: -1, email: 1 }, { name: 'n_email', partialFilterExpression: { n: { $exists: true } } });
  await users.createIndex({ lower: 1 }, { sparse: true, name: 'lower_sparse' });
  await users.createIndex({ expires: 1 }, { expireAfterSeconds: 3600 });
  await users.createIndexes([{ key: { a: 1 } }, { key: { b: 1 }, name: 'b_idx' }]);
  await users.indexes();
  await users.listIndexes().toArray();
  await users.dropIndex('b_idx');
  await users.dropIndex({ a: 1 });
  await users.findOneAndUpdate({ _id: 3 }, { $set: { n: 30 } }, { returnDocument: 'after' });
  await users.findOneAndUpdate({ _id: 3 }, { $set: { n: 31 } }, { projection: { n: 1 }, upsert: true });
  await users.findOneAndReplace({ _id: 4 }, { email: 'd2@x' });
  await users.findOneAndDelete({ _id: 4 });
  await users.deleteOne({ _id: 9 });
  await users.deleteMany({ n: { $gt: 100 } });
  await db.command({ collMod: 'users', validationLevel: 'moderate' });
  await db.listCollections({ name: 'users' }).toArray();
  await db.listCollections({}, { nameOnly: true }).toArray();
  await db.createCollection('logs');
  await db.renameCollection('logs', 'events');
  await db.collection('events').rename('events2');
  await db.dropCollection('events2');
  await db.collection('users').drop();
}

module.exports = { run };
