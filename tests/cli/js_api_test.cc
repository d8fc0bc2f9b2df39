// The Node.js driver API a JavaScript migration sees, case by case, through mongo-migrate and
// SpiderMonkey against devmongod. Each case is the body of an async function given `db`,
// `client` and `c` (a fresh collection); what it returns is printed as JSON and compared.
#include <map>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

struct ApiCase {
  const char* name;
  const char* body;
  const char* expected;  // JSON.stringify of the result, or "THREW <name> <code>"
};

const ApiCase kCases[] = {
    {"insertOne_and_findOne",
     "const r = await c.insertOne({ a: 1 }); const d = await c.findOne({ _id: r.insertedId });"
     "return [r.acknowledged, ObjectId.isValid(r.insertedId), d.a, d._id.equals(r.insertedId)];",
     "[true,true,1,true]"},
    {"insertMany",
     "const r = await c.insertMany([{}, {}, {}]); return [r.insertedCount, "
     "Object.keys(r.insertedIds)];",
     R"([3,["0","1","2"]])"},
    {"updateOne_counts_and_upsert",
     "await c.insertMany([{ k: 1 }, { k: 1 }]);"
     "const a = await c.updateOne({ k: 1 }, { $set: { x: 1 } });"
     "const b = await c.updateOne({ k: 9 }, { $set: { x: 1 } }, { upsert: true });"
     "return [a.matchedCount, a.modifiedCount, a.upsertedId, b.upsertedCount, "
     "ObjectId.isValid(b.upsertedId)];",
     "[1,1,null,1,true]"},
    {"updateMany",
     "await c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]); const r = await c.updateMany({ k: 1 }, { "
     "$inc: { n: 1 } }); return [r.matchedCount, r.modifiedCount];",
     "[2,2]"},
    {"updateOne_without_operators_is_refused", "await c.updateOne({}, { a: 1 });",
     "THREW MongoInvalidArgumentError undefined"},
    {"replaceOne",
     "await c.insertOne({ _id: 1, a: 1 }); await c.replaceOne({ _id: 1 }, { b: 2 }); return await "
     "c.findOne({ _id: 1 });",
     R"({"_id":1,"b":2})"},
    {"deleteOne_deleteMany",
     "await c.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }]); const a = await c.deleteOne({ k: 1 }); "
     "const b = await c.deleteMany({ k: 1 }); return [a.deletedCount, b.deletedCount];",
     "[1,2]"},
    {"find_sort_skip_limit_project",
     "await c.insertMany([3, 1, 4, 1, 5, 9, 2, 6].map((n, i) => ({ _id: i, n })));"
     "return await c.find({ n: { $gt: 1 } }, { projection: { _id: 0 } }).sort({ n: -1 "
     "}).skip(1).limit(3).toArray();",
     R"([{"n":6},{"n":5},{"n":4}])"},
    {"find_project_method",
     "await c.insertOne({ _id: 1, a: 1, b: 2 }); return await c.find().project({ b: 1 "
     "}).toArray();",
     R"([{"_id":1,"b":2}])"},
    {"cursor_batches_next_hasNext",
     "await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i })));"
     "const cur = c.find({}).sort({ _id: 1 }).batchSize(40); let n = 0, last = -1;"
     "while (await cur.hasNext()) { const d = await cur.next(); if (d._id !== last + 1) return "
     "'out of order'; last = d._id; n++; }"
     "return [n, await cur.next()];",
     "[250,null]"},
    {"cursor_forEach",
     "await c.insertMany([{ a: 1 }, { a: 2 }]); let sum = 0; await c.find().forEach((d) => { sum "
     "+= d.a; }); return sum;",
     "3"},
    {"for_await",
     "await c.insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]); const out = []; for await (const d of "
     "c.find().sort({ a: -1 })) out.push(d.a); return out;",
     "[3,2,1]"},
    {"countDocuments_estimatedDocumentCount",
     "await c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]); return [await c.countDocuments({ k: 1 "
     "}), await c.countDocuments(), await c.estimatedDocumentCount(), await c.countDocuments({ k: "
     "7 })];",
     "[2,3,3,0]"},
    {"distinct",
     "await c.insertMany([{ t: 'b' }, { t: 'a' }, { t: 'b' }]); return (await "
     "c.distinct('t')).sort();",
     R"(["a","b"])"},
    {"aggregate_group",
     "await c.insertMany([{ k: 'x', n: 1 }, { k: 'x', n: 2 }, { k: 'y', n: 5 }]);"
     "return await c.aggregate([{ $group: { _id: '$k', total: { $sum: '$n' } } }, { $sort: { _id: "
     "1 } }]).toArray();",
     R"([{"_id":"x","total":3},{"_id":"y","total":5}])"},
    {"bulkWrite_mixed",
     "await c.insertOne({ _id: 1, n: 0 });"
     "const r = await c.bulkWrite([{ insertOne: { document: { _id: 2 } } }, { updateOne: { filter: "
     "{ _id: 1 }, update: { $inc: { n: 1 } } } },"
     "  { updateOne: { filter: { _id: 3 }, update: { $set: { n: 1 } }, upsert: true } }, { "
     "deleteOne: { filter: { _id: 2 } } }]);"
     "return [r.insertedCount, r.matchedCount, r.modifiedCount, r.upsertedCount, r.deletedCount, "
     "r.upsertedIds];",
     R"([1,1,1,1,1,{"2":3}])"},
    {"bulkWrite_ordered_error",
     "try { await c.bulkWrite([{ insertOne: { document: { _id: 1 } } }, { insertOne: { document: { "
     "_id: 1 } } }, { insertOne: { document: { _id: 2 } } }]); }"
     "catch (e) { return [e.name, e.code, e.writeErrors.length, e.writeErrors[0].index, "
     "e.insertedCount, await c.countDocuments()]; }",
     R"(["MongoBulkWriteError",11000,1,1,1,1])"},
    {"insertOne_duplicate_key",
     "await c.insertOne({ _id: 1 }); try { await c.insertOne({ _id: 1 }); } catch (e) { return [e "
     "instanceof mongodb.MongoServerError, e.code, e.keyValue, /E11000/.test(e.message)]; }",
     R"([true,11000,{"_id":1},true])"},
    {"createIndex_names",
     "return [await c.createIndex({ a: 1 }), await c.createIndex({ a: 1, b: -1 }), await "
     "c.createIndex('z'),"
     "  await c.createIndex({ e: 1 }, { unique: true, name: 'by_e' })];",
     R"(["a_1","a_1_b_-1","z_1","by_e"])"},
    {"createIndexes",
     "return await c.createIndexes([{ key: { a: 1 } }, { key: { b: 1 }, name: 'bee' }]);",
     R"(["a_1","bee"])"},
    {"indexes_indexExists_listIndexes",
     "await c.createIndex({ a: 1 }, { unique: true });"
     "return [(await c.indexes()).map((i) => i.name), await c.indexExists('a_1'), await "
     "c.indexExists(['a_1', 'nope']),"
     "  (await c.listIndexes().toArray()).length, (await c.indexes())[1].unique];",
     R"([["_id_","a_1"],true,false,2,true])"},
    {"dropIndex_by_name_and_key",
     "await c.createIndex({ a: 1 }); await c.createIndex({ b: 1 }); await c.dropIndex('a_1'); "
     "await c.dropIndex({ b: 1 });"
     "return (await c.indexes()).map((i) => i.name);",
     R"(["_id_"])"},
    {"dropIndex_missing_is_IndexNotFound",
     "await c.insertOne({}); try { await c.dropIndex('nope_1'); } catch (e) { return [e.name, "
     "e.code, e.codeName]; }",
     R"(["MongoServerError",27,"IndexNotFound"])"},
    {"dropIndexes",
     "await c.createIndex({ a: 1 }); await c.createIndex({ b: 1 }); const r = await "
     "c.dropIndexes(); return [r, (await c.indexes()).length];",
     "[true,1]"},
    {"drop_and_rename",
     "await c.insertOne({ _id: 1 }); const r = await c.rename(c.collectionName + '_renamed'); "
     "const n = await r.countDocuments(); const dropped = await r.drop();"
     "const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((i) => "
     "i.name);"
     "return [r.collectionName.endsWith('_renamed'), n, dropped, "
     "names.includes(r.collectionName)];",
     "[true,1,true,false]"},
    {"findOneAndUpdate",
     "await c.insertOne({ _id: 1, n: 1 });"
     "const before = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } });"
     "const after = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { returnDocument: "
     "'after' });"
     "const up = await c.findOneAndUpdate({ _id: 2 }, { $set: { n: 7 } }, { upsert: true, "
     "returnDocument: 'after' });"
     "return [before.n, after.n, up];",
     R"([1,3,{"_id":2,"n":7}])"},
    {"findOneAndReplace_findOneAndDelete",
     "await c.insertOne({ _id: 1, a: 1 });"
     "const r = await c.findOneAndReplace({ _id: 1 }, { b: 2 }, { returnDocument: 'after' });"
     "const d = await c.findOneAndDelete({ _id: 1 }); const none = await c.findOneAndDelete({ _id: "
     "1 });"
     "return [r, d, none, await c.countDocuments()];",
     R"([{"_id":1,"b":2},{"_id":1,"b":2},null,0])"},
    {"createCollection_validator",
     "const v = await db.createCollection(c.collectionName, { validator: { $jsonSchema: { "
     "bsonType: 'object', required: ['email'] } } });"
     "try { await v.insertOne({ name: 'x' }); } catch (e) { return [v.collectionName === "
     "c.collectionName, e.code, typeof e.errInfo]; }",
     // As from MongoDB: a write error carries code and errInfo, no codeName.
     R"([true,121,"object"])"},
    {"db_listCollections_dropCollection_renameCollection_command",
     "await db.createCollection(c.collectionName); await db.renameCollection(c.collectionName, "
     "c.collectionName + '_b');"
     "const names = (await db.listCollections({ name: c.collectionName + '_b' "
     "}).toArray()).map((i) => i.name.endsWith('_b'));"
     "const dropped = await db.dropCollection(c.collectionName + '_b');"
     "return [names, dropped, (await db.command({ ping: 1 })).ok, db.databaseName];",
     R"([[true],true,1,"jsapi"])"},
    {"unknown_command_is_the_servers_error",
     "try { await db.command({ frobnicate: 1 }); } catch (e) { return [e.name, e.code, e.codeName, "
     "e.message]; }",
     R"(["MongoServerError",59,"CommandNotFound","no such command: 'frobnicate'"])"},
    {"bson_types_round_trip",
     "await c.insertOne({ _id: 1, l: Long.fromString('9007199254740993'), small: "
     "Long.fromNumber(5), i: new Int32(5), d: new Double(1),"
     "  dec: Decimal128.fromString('1.50'), ts: new Timestamp({ t: 1, i: 2 }), b: new "
     "Binary(Uint8Array.from([1, 2, 3])),"
     "  u: new UUID('0f8fad5b-d9cb-469f-a165-70867728950e'), min: new MinKey(), max: new MaxKey(), "
     "re: /ab+c/i, date: new Date(0),"
     "  big: 2 ** 40, frac: 0.5, nil: null, arr: [1, 'two'] });"
     "const d = await c.findOne({ _id: 1 });"
     "const typed = await c.countDocuments({ l: { $type: 'long' }, small: { $type: 'long' }, i: { "
     "$type: 'int' }, d: { $type: 'double' },"
     "  dec: { $type: 'decimal' }, ts: { $type: 'timestamp' }, b: { $type: 'binData' }, min: { "
     "$type: 'minKey' }, max: { $type: 'maxKey' },"
     "  re: { $type: 'regex' }, date: { $type: 'date' }, big: { $type: 'double' }, frac: { $type: "
     "'double' } });"
     "return [typed, d.l instanceof Long, d.l.toString(), d.small, d.i, d.d, d.dec.toString(), "
     "d.ts.t, d.ts.i, Array.from(d.b.buffer),"
     "  d.u.toHexString(), d.min instanceof MinKey, d.max instanceof MaxKey, d.re.source, "
     "d.re.flags, d.date.getTime(), d.big, d.frac, d.nil, d.arr];",
     R"([1,true,"9007199254740993",5,5,1,"1.50",1,2,[1,2,3],"0f8fad5b-d9cb-469f-a165-70867728950e",true,true,"ab+c","i",0,1099511627776,0.5,null,[1,"two"]])"},
    // The JS ↔ BSON bridge keeps every type exact; the expected answers are the Node.js
    // driver 6.22's for the same code on devmongod.
    {"bson_number_edges",
     "await c.insertOne({ _id: 1, negZero: -0, maxInt: 2147483647, minInt: -2147483648, over: "
     "2147483648, under: -2147483649, frac: -1.5, nan: NaN, inf: -Infinity, big: 2n ** 62n, neg: "
     "-(2n ** 62n), safe: 9007199254740991n });"
     "const d = await c.findOne({ _id: 1 });"
     "const typed = await c.countDocuments({ negZero: { $type: 'double' }, maxInt: { $type: 'int' "
     "}, minInt: { $type: 'int' }, over: { $type: 'double' }, under: { $type: 'double' }, frac: { "
     "$type: 'double' }, nan: { $type: 'double' }, inf: { $type: 'double' }, big: { $type: 'long' "
     "}, neg: { $type: 'long' }, safe: { $type: 'long' } });"
     "return [typed, Object.is(d.negZero, -0), d.maxInt, d.minInt, d.over, d.under, d.frac, "
     "Number.isNaN(d.nan), d.inf === -Infinity, d.big instanceof Long, String(d.big), "
     "String(d.neg), d.safe];",
     R"([1,true,2147483647,-2147483648,2147483648,-2147483649,-1.5,true,true,true,"4611686018427387904","-4611686018427387904",9007199254740991])"},
    {"bson_strings_and_keys",
     "await c.insertOne({ _id: 2, nul: 'a\\u0000b', emoji: '😀 é', 'ключ': 'значение', nested: "
     "{ deeper: [[1], { x: [] }] }, fn: () => 1, undef: undefined });"
     "const d = await c.findOne({ _id: 2 });"
     "return [d.nul.length, d.nul === 'a\\u0000b', d.emoji, d['ключ'], Object.keys(d), d.nested, "
     "d.undef];",
     R"([3,true,"😀 é","значение",["_id","nul","emoji","ключ","nested","undef"],{"deeper":[[1],{"x":[]}]},null])"},
    {"bson_typed_values_in_arrays",
     "await c.insertOne({ _id: 4, arr: [new ObjectId('65a4f1c2e4b0a1b2c3d4e5f6'), new "
     "Date(86400000), Long.fromString('-9223372036854775808'), new Binary(Uint8Array.from([255]), "
     "0x80), new Timestamp({ t: 4294967295, i: 7 })], m: new Map([['k', 1]]), o: "
     "Object.assign(Object.create(null), { x: 1 }) });"
     "const d = await c.findOne({ _id: 4 });"
     "return [d.arr[0].toHexString(), d.arr[1].toISOString(), String(d.arr[2]), d.arr[3].sub_type, "
     "Array.from(d.arr[3].buffer), d.arr[4].t, d.arr[4].i, d.m, d.o];",
     R"(["65a4f1c2e4b0a1b2c3d4e5f6","1970-01-02T00:00:00.000Z","-9223372036854775808",128,[255],4294967295,7,{"k":1},{"x":1}])"},
    // Deeper than MongoDB's 200 levels: refused before anything is sent, naming the limit.
    {"bson_nesting_past_the_limit_is_refused",
     "let deep = {}; for (let i = 0; i < 250; i++) deep = { d: deep };"
     "await c.insertOne({ _id: 5, deep });",
     "THREW Error undefined cannot encode this value as BSON: it nests deeper than MongoDB allows"},
    // Index options go inside the index spec, as the driver sends them: a collation reaches
    // devmongod as an index option (which it refuses, 238, as KNOWN_DIFFERENCES.md says), not
    // as a field of the command (MongoDB's 40415, what the shim sent before).
    {"create_index_options_go_in_the_spec",
     "const name = await c.createIndex({ email: 1 }, { unique: true, name: 'email_unique', "
     "comment: 'why' });"
     "const spec = (await c.indexes()).find((i) => i.name === name);"
     "let collation; try { await c.createIndex({ a: 1 }, { collation: { locale: 'fr' } }); } "
     "catch (e) { collation = [e.code, e.message]; }"
     "return [name, spec.unique, spec.key, collation];",
     R"(["email_unique",true,{"email":1},[238,"index option 'collation' is not implemented by devmongod"]])"},
    {"objectid_api",
     "const a = new ObjectId(); const b = new ObjectId(a.toHexString()); const t = "
     "ObjectId.createFromTime(86400);"
     "return [a.toHexString().length, a.equals(b), a.equals(a.toHexString()), "
     "ObjectId.isValid('zz'), ObjectId.isValid('65a4f1c2e4b0a1b2c3d4e5f6'),"
     "  t.getTimestamp().toISOString(), "
     "String(ObjectId.createFromHexString('65A4F1C2E4B0A1B2C3D4E5F6'))];",
     R"([24,true,true,false,true,"1970-01-02T00:00:00.000Z","65a4f1c2e4b0a1b2c3d4e5f6"])"},
    {"timers_and_promises",
     "const order = []; setTimeout(() => order.push('timeout'), 5); setImmediate(() => "
     "order.push('immediate'));"
     "await Promise.resolve(); order.push('micro'); await new Promise((r) => setTimeout(r, 20)); "
     "return order;",
     R"(["micro","immediate","timeout"])"},
    {"setInterval_until_cleared",
     "let n = 0; await new Promise((resolve) => { const id = setInterval(() => { if (++n === 3) { "
     "clearInterval(id); resolve(); } }, 1); });"
     "await new Promise((r) => setTimeout(r, 10)); return n;",
     "3"},
    {"process_env", "return [process.env.MM_JS_TEST_VAR, typeof process.env.PATH];",
     R"(["from the test","string"])"},
    {"transactions_on_a_standalone_are_the_servers_error",
     "const session = client.startSession();"
     "try { await session.withTransaction(async () => { await c.insertOne({ a: 1 }, { session }); "
     "}); }"
     "catch (e) { return [e.code, e.codeName, await c.countDocuments()]; } finally { await "
     "session.endSession(); }",
     R"([20,"IllegalOperation",0])"},
};

std::string CaseFile(int version, const ApiCase& c) {
  return "const mongodb = require('mongodb');\n"
         "const { ObjectId, Long, Int32, Double, Decimal128, Timestamp, Binary, UUID, MinKey, "
         "MaxKey } = mongodb;\n"
         "module.exports = {\n  version: " +
         std::to_string(version) + ",\n  description: '" + c.name +
         "',\n  up: async (db, client) => {\n"
         "    const c = db.collection('case_" +
         std::to_string(version) +
         "');\n"
         "    let result;\n"
         "    try { result = await (async () => { " +
         c.body +
         " })(); }\n"
         "    catch (e) { console.log('RESULT THREW ' + e.name + ' ' + e.code + ' ' + e.message); "
         "return; }\n"
         "    console.log('RESULT ' + JSON.stringify(result));\n"
         "  },\n};\n";
}

class JsApi : public CliTest {};

TEST_F(JsApi, EachCaseAnswersAsTheNodeDriverWould) {
  TempDir dir;
  int version = 1;
  for (const ApiCase& c : kCases) {
    char name[96];
    std::snprintf(name, sizeof name, "%03d_%s.js", version, c.name);
    dir.Write(name, CaseFile(version, c));
    ++version;
  }
  ProcessResult r =
      Migrate({"--dir", dir.path(), "--uri", Uri("jsapi"), "up"}, {"MM_JS_TEST_VAR=from the test"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // "  007 | RESULT [...]" per case
  std::map<int, std::string> results;
  size_t pos = 0;
  while ((pos = r.out.find(" | RESULT ", pos)) != std::string::npos) {
    size_t line_start = r.out.rfind('\n', pos) + 1;
    int v = std::stoi(r.out.substr(line_start, pos - line_start));
    size_t end = r.out.find('\n', pos);
    results[v] = r.out.substr(pos + 10, end - pos - 10);
    pos = end;
  }
  version = 1;
  for (const ApiCase& c : kCases) {
    std::string expected = c.expected;
    if (expected.starts_with("THREW ")) {
      EXPECT_TRUE(results[version].starts_with(expected)) << c.name << ": " << results[version];
    } else {
      EXPECT_EQ(results[version], expected) << c.name;
    }
    ++version;
  }
}

class JsApiReplicaSet : public CliTest {
 protected:
  JsApiReplicaSet() : CliTest("--replSet rs0", "?replicaSet=rs0") {}
};

TEST_F(JsApiReplicaSet, WithTransactionCommitsOrAbortsForReal) {
  TempDir dir;
  dir.Write("001_txn.js", R"(module.exports = {
  version: 1,
  description: 'transactions',
  up: async (db, client) => {
    const accounts = db.collection('accounts');
    await accounts.insertMany([{ _id: 'a', balance: 10 }, { _id: 'b', balance: 0 }]);
    const session = client.startSession();
    await session.withTransaction(async () => {
      await accounts.updateOne({ _id: 'a' }, { $inc: { balance: -5 } }, { session });
      await accounts.updateOne({ _id: 'b' }, { $inc: { balance: 5 } }, { session });
    });
    try {
      await session.withTransaction(async () => {
        await accounts.updateOne({ _id: 'a' }, { $inc: { balance: -100 } }, { session });
        throw new Error('insufficient funds');
      });
    } catch (e) {
      console.log('aborted: ' + e.message);
    }
    await session.endSession();
  },
};
)");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("001 | aborted: insufficient funds"), std::string::npos) << r.out;
  EXPECT_EQ(Documents("accounts"),
            "{ \"_id\" : \"a\", \"balance\" : 5 }\n{ \"_id\" : \"b\", \"balance\" : 5 }\n");
}

}  // namespace
}  // namespace mm::testing
