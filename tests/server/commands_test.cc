// Commands dispatched in-process (no sockets): whole replies compared as relaxed JSON.
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"

namespace mm {
namespace {

using mm::testing::Json;

class CommandsTest : public ::testing::Test {
 protected:
  Service service_{commands::ServerOptions{}, storage::MakeMemoryStorage()};

  Document Run(const std::string& json, const std::string& db = "test") {
    return service_.Run(Json(json), db);
  }
  // The reply without fields that vary from run to run.
  std::string Reply(const std::string& json, const std::string& db = "test") {
    return ToRelaxedJson(Run(json, db));
  }
  int Code(const Document& reply) {
    const Value* c = reply.Get("code");
    return c ? c->As<int32_t>() : 0;
  }
};

TEST_F(CommandsTest, UnknownCommandIsCommandNotFound) {
  EXPECT_EQ(
      Reply(R"({"frobnicate": 1})"),
      R"({ "ok" : 0.0, "errmsg" : "no such command: 'frobnicate'", "code" : 59, "codeName" : "CommandNotFound" })");
}

TEST_F(CommandsTest, ScramWithAWrongProofIsAuthenticationFailed18) {
  commands::ServerOptions options;
  options.auth = true;
  Service server(options, storage::MakeMemoryStorage());
  ASSERT_EQ(
      ToRelaxedJson(server.Run(Json(R"({"createUser": "u", "pwd": "pw", "roles": []})"), "admin")),
      R"({ "ok" : 1.0 })");
  Document start{{"saslStart", 1},
                 {"mechanism", "SCRAM-SHA-256"},
                 {"payload", Binary{0, "n,,n=u,r=clientnonce"}},
                 {"options", Document{{"skipEmptyExchange", true}}}};
  Document first = server.Run(start, "admin");
  ASSERT_TRUE(first.Has("payload")) << ToRelaxedJson(first);
  std::string server_first = first.Get("payload")->As<Binary>().bytes;
  ASSERT_EQ(server_first.rfind("r=clientnonce", 0), 0u) << server_first;
  std::string nonce = server_first.substr(2, server_first.find(',') - 2);
  std::string bad_proof = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";  // 32 zero bytes
  Document cont{{"saslContinue", 1},
                {"conversationId", 1},
                {"payload", Binary{0, "c=biws,r=" + nonce + ",p=" + bad_proof}}};
  EXPECT_EQ(
      ToRelaxedJson(server.Run(cont, "admin")),
      R"({ "ok" : 0.0, "errmsg" : "Authentication failed.", "code" : 18, "codeName" : "AuthenticationFailed" })");
  EXPECT_EQ(Code(server.Run(Json(R"({"find": "x"})"), "admin")), 13);
  EXPECT_EQ(Code(server.Run(Json(R"({"saslStart": 1, "mechanism": "SCRAM-SHA-1", "payload": ""})"),
                            "admin")),
            334);
}

TEST_F(CommandsTest, TestCommandsDoNotExistUnlessEnabled) {
  EXPECT_EQ(Code(Run(R"({"sleep": 1, "millis": 1})")), 59);
  commands::ServerOptions options;
  options.test_commands = true;
  Service with_tests(options, storage::MakeMemoryStorage());
  EXPECT_EQ(ToRelaxedJson(with_tests.Run(Json(R"({"sleep": 1, "millis": 1})"), "admin")),
            R"({ "ok" : 1.0 })");
}

TEST_F(CommandsTest, UnknownFieldIs40415AndUnimplementedOptionIs238) {
  EXPECT_EQ(
      Reply(R"({"find": "c", "x": 1})"),
      R"({ "ok" : 0.0, "errmsg" : "BSON field 'find.x' is an unknown field.", "code" : 40415, "codeName" : "Location40415" })");
  EXPECT_EQ(Code(Run(R"({"find": "c", "collation": {"locale": "fr"}})")), 238);
  // Generic fields every driver adds are tolerated.
  EXPECT_EQ(
      Reply(
          R"({"ping": 1, "lsid": {"id": 1}, "$readPreference": {"mode": "primary"}, "comment": "x"})"),
      R"({ "ok" : 1.0 })");
}

TEST_F(CommandsTest, UniqueIndexViolationIsWriteError11000) {
  Run(R"({"createIndexes": "users", "indexes": [{"key": {"email": 1}, "name": "email_1", "unique": true}]})");
  Run(R"({"insert": "users", "documents": [{"_id": 1, "email": "a@x"}]})");
  EXPECT_EQ(
      Reply(
          R"({"insert": "users", "documents": [{"_id": 2, "email": "b@x"}, {"_id": 3, "email": "a@x"}, {"_id": 4, "email": "c@x"}]})"),
      R"({ "n" : 1, "writeErrors" : [ { "index" : 1, "code" : 11000, "keyPattern" : { "email" : 1 }, "keyValue" : { "email" : "a@x" }, "errmsg" : "E11000 duplicate key error collection: test.users index: email_1 dup key: { email: \"a@x\" }" } ], "ok" : 1.0 })");
  // Unordered inserts go on past the failure.
  EXPECT_EQ(
      ToRelaxedJson(
          *Run(R"({"insert": "users", "ordered": false, "documents": [{"_id": 5, "email": "a@x"}, {"_id": 6, "email": "d@x"}]})")
               .Get("n")),
      "1");
  // Duplicate _id too.
  EXPECT_EQ(Code(Run(R"({"insert": "users", "documents": [{"_id": 1}]})")
                     .Get("writeErrors")
                     ->As<Array>()
                     .items[0]
                     .As<Document>()),
            11000);
}

TEST_F(CommandsTest, IndexConflictsAre85And86) {
  Run(R"({"createIndexes": "c", "indexes": [{"key": {"a": 1}, "name": "a_1"}]})");
  EXPECT_EQ(Code(Run(R"({"createIndexes": "c", "indexes": [{"key": {"a": -1}, "name": "a_1"}]})")),
            86);
  EXPECT_EQ(Code(Run(R"({"createIndexes": "c", "indexes": [{"key": {"a": 1}, "name": "other"}]})")),
            85);
  EXPECT_EQ(
      Reply(R"({"createIndexes": "c", "indexes": [{"key": {"a": 1}, "name": "a_1"}]})"),
      R"({ "numIndexesBefore" : 2, "numIndexesAfter" : 2, "note" : "all indexes already exist", "createdCollectionAutomatically" : false, "ok" : 1.0 })");
  EXPECT_EQ(Code(Run(R"({"createIndexes": "c", "indexes": [{"key": {"a": "foo"}, "name": "x"}]})")),
            67);
}

TEST_F(CommandsTest, UniqueIndexOverDuplicatesFails11000) {
  Run(R"({"insert": "c", "documents": [{"_id": 1, "a": 1}, {"_id": 2, "a": 1}]})");
  EXPECT_EQ(
      Code(Run(
          R"({"createIndexes": "c", "indexes": [{"key": {"a": 1}, "name": "a_1", "unique": true}]})")),
      11000);
}

TEST_F(CommandsTest, SparseAndPartialUniqueIndexesSkipDocuments) {
  Run(R"({"createIndexes": "c", "indexes": [{"key": {"a": 1}, "name": "a_1", "unique": true, "sparse": true}]})");
  EXPECT_EQ(Reply(R"({"insert": "c", "documents": [{"_id": 1}, {"_id": 2}]})"),
            R"({ "n" : 2, "ok" : 1.0 })");
  Run(R"({"createIndexes": "p", "indexes": [{"key": {"a": 1}, "name": "a_1", "unique": true, "partialFilterExpression": {"live": true}}]})");
  EXPECT_EQ(
      Reply(
          R"({"insert": "p", "documents": [{"_id": 1, "a": 1}, {"_id": 2, "a": 1, "live": true}]})"),
      R"({ "n" : 2, "ok" : 1.0 })");
  EXPECT_EQ(Code(Run(R"({"insert": "p", "documents": [{"_id": 3, "a": 1, "live": true}]})")
                     .Get("writeErrors")
                     ->As<Array>()
                     .items[0]
                     .As<Document>()),
            11000);
}

TEST_F(CommandsTest, CreateIsIdempotentWithIdenticalOptionsOnly) {
  EXPECT_EQ(Reply(R"({"create": "c"})"), R"({ "ok" : 1.0 })");
  EXPECT_EQ(Reply(R"({"create": "c"})"), R"({ "ok" : 1.0 })");
  EXPECT_EQ(Code(Run(R"({"create": "c", "validator": {"a": {"$exists": true}}})")), 48);
  EXPECT_EQ(Reply(R"({"drop": "missing"})"), R"({ "ok" : 1.0 })");
}

TEST_F(CommandsTest, ValidatorRejectsWith121) {
  Run(R"({"create": "v", "validator": {"age": {"$gte": 0}}})");
  auto reply = Run(R"({"insert": "v", "documents": [{"_id": 1, "age": -1}]})");
  const auto& err = reply.Get("writeErrors")->As<Array>().items[0].As<Document>();
  EXPECT_EQ(Code(err), 121);
  EXPECT_EQ(ToRelaxedJson(*err.Get("errmsg")), R"("Document failed validation")");
  EXPECT_EQ(Reply(R"({"insert": "v", "documents": [{"_id": 2, "age": 3}]})"),
            R"({ "n" : 1, "ok" : 1.0 })");
}

TEST_F(CommandsTest, JsonSchemaValidatorChecksInsertsAndUpdates) {
  EXPECT_EQ(
      Reply(
          R"({"create": "users", "validator": {"$jsonSchema": {"bsonType": "object", "required": ["email"],
      "properties": {"email": {"bsonType": "string", "pattern": "@"}, "age": {"bsonType": "int", "minimum": 0}}}}})"),
      R"({ "ok" : 1.0 })");
  EXPECT_EQ(Reply(R"({"insert": "users", "documents": [{"_id": 1, "email": "a@x", "age": 3}]})"),
            R"({ "n" : 1, "ok" : 1.0 })");
  for (const char* bad : {R"({"_id": 2})", R"({"_id": 3, "email": "nope"})",
                          R"({"_id": 4, "email": "b@x", "age": -1})"}) {
    Document reply = Run(std::string(R"({"insert": "users", "documents": [)") + bad + "]}");
    ASSERT_TRUE(reply.Has("writeErrors")) << bad;
    EXPECT_EQ(Code(reply.Get("writeErrors")->As<Array>().items[0].As<Document>()), 121) << bad;
  }
  Document update =
      Run(R"({"update": "users", "updates": [{"q": {"_id": 1}, "u": {"$unset": {"email": ""}}}]})");
  EXPECT_EQ(Code(update.Get("writeErrors")->As<Array>().items[0].As<Document>()), 121);
  EXPECT_EQ(Code(Run(R"({"create": "bad", "validator": {"$jsonSchema": {"bogus": 1}}})")), 9);
}

TEST_F(CommandsTest, UpdateUpsertAndFindWithCursor) {
  Document upsert = Run(
      R"({"update": "c", "updates": [{"q": {"k": "x"}, "u": {"$set": {"v": 1}}, "upsert": true}]})");
  EXPECT_EQ(ToRelaxedJson(*upsert.Get("n")), "1");
  EXPECT_EQ(ToRelaxedJson(*upsert.Get("nModified")), "0");
  const Document& upserted = upsert.Get("upserted")->As<Array>().items.at(0).As<Document>();
  EXPECT_EQ(ToRelaxedJson(*upserted.Get("index")), "0");
  EXPECT_TRUE(upserted.Get("_id")->Is<ObjectId>());
  EXPECT_EQ(ToRelaxedJson(Run(R"({"find": "c", "filter": {"k": "x"}, "projection": {"_id": 0}})")
                              .Get("cursor")
                              ->As<Document>()),
            R"({ "firstBatch" : [ { "k" : "x", "v" : 1 } ], "id" : 0, "ns" : "test.c" })");
  Run(R"({"insert": "many", "documents": [{"_id": 1}, {"_id": 2}, {"_id": 3}]})");
  auto first = Run(R"({"find": "many", "batchSize": 2})");
  const Value* id = first.Get("cursor")->As<Document>().Get("id");
  ASSERT_TRUE(id->Is<int64_t>());
  EXPECT_NE(id->As<int64_t>(), 0);
  Document more{{"getMore", *id}, {"collection", "many"}};
  EXPECT_EQ(
      ToRelaxedJson(service_.Run(more, "test")),
      R"({ "cursor" : { "nextBatch" : [ { "_id" : 3 } ], "id" : 0, "ns" : "test.many" }, "ok" : 1.0 })");
  EXPECT_EQ(Code(service_.Run(more, "test")), 43);
}

TEST_F(CommandsTest, DropIndexesByNameKeyAndStar) {
  Run(R"({"createIndexes": "c", "indexes": [{"key": {"a": 1}, "name": "a_1"}, {"key": {"b": 1}, "name": "b_1"}, {"key": {"c": 1}, "name": "c_1"}]})");
  EXPECT_EQ(Reply(R"({"dropIndexes": "c", "index": "a_1"})"),
            R"({ "nIndexesWas" : 4, "ok" : 1.0 })");
  EXPECT_EQ(Reply(R"({"dropIndexes": "c", "index": {"b": 1}})"),
            R"({ "nIndexesWas" : 3, "ok" : 1.0 })");
  EXPECT_EQ(Code(Run(R"({"dropIndexes": "c", "index": "a_1"})")), 27);
  EXPECT_EQ(Reply(R"({"dropIndexes": "c", "index": "*"})"), R"({ "nIndexesWas" : 2, "ok" : 1.0 })");
}

TEST_F(CommandsTest, AggregateGroupsAndCounts) {
  Run(R"({"insert": "s", "documents": [{"_id": 1, "u": "a", "x": 2}, {"_id": 2, "u": "a", "x": 3}, {"_id": 3, "u": "b", "x": 1}]})");
  EXPECT_EQ(
      ToRelaxedJson(
          Run(R"({"aggregate": "s", "pipeline": [{"$group": {"_id": "$u", "t": {"$sum": "$x"}}}, {"$sort": {"_id": 1}}], "cursor": {}})")
              .Get("cursor")
              ->As<Document>()),
      R"({ "firstBatch" : [ { "_id" : "a", "t" : 5 }, { "_id" : "b", "t" : 1 } ], "id" : 0, "ns" : "test.s" })");
  EXPECT_EQ(Code(Run(R"({"aggregate": "s", "pipeline": [{"$bogus": {}}], "cursor": {}})")), 40324);
}

}  // namespace
}  // namespace mm
