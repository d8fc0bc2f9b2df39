// The official C driver against a devmongod started on an ephemeral port.
#include <gtest/gtest.h>

#include "support/devmongod_process.h"
#include "support/json.h"
#include "support/mongoc_client.h"

namespace mm {
namespace {

using mm::testing::Json;

class LibmongocTest : public ::testing::Test {
 protected:
  mm::testing::DevmongodProcess server_;
  mm::testing::MongocClient client_{server_.uri("neuronav")};
};

TEST_F(LibmongocTest, PingAndHandshake) {
  bool ok = false;
  Document reply = client_.Command("admin", Json(R"({"ping": 1})"), &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(ToRelaxedJson(reply), R"({ "ok" : 1.0 })");
  Document hello = client_.Command("admin", Json(R"({"hello": 1})"), &ok);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ToRelaxedJson(*hello.Get("maxWireVersion")), "21");
  EXPECT_EQ(ToRelaxedJson(*hello.Get("isWritablePrimary")), "true");
  EXPECT_FALSE(hello.Has("topologyVersion"));
}

TEST_F(LibmongocTest, CrudThroughCollectionApi) {
  mongoc_collection_t* coll = mongoc_client_get_collection(client_.get(), "neuronav", "users");
  bson_error_t error;
  for (int i = 0; i < 3; ++i) {
    BsonPtr doc = ToBsonT(Document{{"_id", i}, {"name", "u" + std::to_string(i)}, {"n", i * 10}});
    ASSERT_TRUE(mongoc_collection_insert_one(coll, doc.get(), nullptr, nullptr, &error))
        << error.message;
  }
  BsonPtr filter = ToBsonT(Json(R"({"n": {"$gte": 10}})"));
  BsonPtr update = ToBsonT(Json(R"({"$set": {"flag": true}})"));
  bson_t reply;
  ASSERT_TRUE(
      mongoc_collection_update_many(coll, filter.get(), update.get(), nullptr, &reply, &error))
      << error.message;
  EXPECT_EQ(ToRelaxedJson(*DecodeBson(&reply)),
            R"({ "modifiedCount" : 2, "matchedCount" : 2, "upsertedCount" : 0 })");
  bson_destroy(&reply);

  BsonPtr all = ToBsonT(Json(R"({"flag": true})"));
  BsonPtr opts = ToBsonT(Json(R"({"sort": {"_id": -1}, "projection": {"name": 1}})"));
  mongoc_cursor_t* cursor = mongoc_collection_find_with_opts(coll, all.get(), opts.get(), nullptr);
  const bson_t* doc;
  std::string seen;
  while (mongoc_cursor_next(cursor, &doc)) seen += ToRelaxedJson(*DecodeBson(doc)) + "\n";
  EXPECT_FALSE(mongoc_cursor_error(cursor, &error)) << error.message;
  mongoc_cursor_destroy(cursor);
  EXPECT_EQ(seen, "{ \"_id\" : 2, \"name\" : \"u2\" }\n{ \"_id\" : 1, \"name\" : \"u1\" }\n");

  BsonPtr one = ToBsonT(Json(R"({"_id": 0})"));
  ASSERT_TRUE(mongoc_collection_delete_one(coll, one.get(), nullptr, &reply, &error))
      << error.message;
  EXPECT_EQ(ToRelaxedJson(*DecodeBson(&reply)), R"({ "deletedCount" : 1 })");
  bson_destroy(&reply);
  BsonPtr empty = ToBsonT(Document{});
  EXPECT_EQ(mongoc_collection_count_documents(coll, empty.get(), nullptr, nullptr, nullptr, &error),
            2);
  mongoc_collection_destroy(coll);
}

TEST_F(LibmongocTest, UniqueViolationReadsBackAs11000) {
  bool ok = false;
  client_.Command(
      "neuronav",
      Json(
          R"({"createIndexes": "users", "indexes": [{"key": {"email": 1}, "name": "email_1", "unique": true}]})"),
      &ok);
  ASSERT_TRUE(ok);
  mongoc_collection_t* coll = mongoc_client_get_collection(client_.get(), "neuronav", "users");
  bson_error_t error;
  BsonPtr doc = ToBsonT(Json(R"({"email": "a@b.c"})"));
  ASSERT_TRUE(mongoc_collection_insert_one(coll, doc.get(), nullptr, nullptr, &error))
      << error.message;
  BsonPtr again = ToBsonT(Json(R"({"email": "a@b.c"})"));
  EXPECT_FALSE(mongoc_collection_insert_one(coll, again.get(), nullptr, nullptr, &error));
  EXPECT_EQ(error.code, 11000u);
  EXPECT_NE(std::string(error.message)
                .find("E11000 duplicate key error collection: neuronav.users index: email_1"),
            std::string::npos)
      << error.message;
  mongoc_collection_destroy(coll);
}

TEST_F(LibmongocTest, UnknownCommandReadsBackAs59) {
  bool ok = true;
  int code = 0;
  Document reply = client_.Command("neuronav", Json(R"({"frobnicate": 1})"), &ok, &code);
  EXPECT_FALSE(ok);
  EXPECT_EQ(code, 59);
  EXPECT_EQ(ToRelaxedJson(*reply.Get("errmsg")), R"("no such command: 'frobnicate'")");
}

TEST(LibmongocReplicaSet, HandshakeDescribesAOneMemberSet) {
  mm::testing::DevmongodProcess server("--replSet rs0");
  mm::testing::MongocClient client(server.uri("test") + "?replicaSet=rs0");
  bool ok = false;
  Document hello = client.Command("admin", Json(R"({"hello": 1})"), &ok);
  ASSERT_TRUE(ok) << "the driver must select the primary of rs0";
  EXPECT_EQ(ToRelaxedJson(*hello.Get("setName")), R"("rs0")");
  std::string me = "\"127.0.0.1:" + std::to_string(server.port()) + "\"";
  EXPECT_EQ(ToRelaxedJson(*hello.Get("me")), me);
  EXPECT_EQ(ToRelaxedJson(*hello.Get("primary")), me);
}

}  // namespace
}  // namespace mm
