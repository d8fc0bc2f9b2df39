// devmongod --dbpath: what a client wrote and saw acknowledged is there after a crash or a
// restart, with its collections, indexes and validators.
#include <gtest/gtest.h>
#include <signal.h>

#include "support/devmongod_process.h"
#include "support/json.h"
#include "support/mongoc_client.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace mm {
namespace {

using mm::testing::Json;

std::string Batch(const Document& reply) {
  return ToRelaxedJson(*reply.Get("cursor")->As<Document>().Get("firstBatch"));
}

TEST(Durability, AcknowledgedWritesSurviveKill9) {
  mm::testing::TempDir dir;
  {
    mm::testing::DevmongodProcess server("--dbpath " + dir.path());
    mm::testing::MongocClient client(server.uri("app"));
    for (int i = 0; i < 500; ++i) {
      bool ok = false;
      client.Command("app",
                     Document{{"insert", "events"},
                              {"documents", Array{{Value(Document{{"_id", i}, {"v", i}})}}}},
                     &ok);
      ASSERT_TRUE(ok);
    }
    bool ok = false;
    client.Command("app", Json(R"({"update": "events", "updates": [{"q": {"_id": {"$lt": 100}},
                                   "u": {"$set": {"flag": true}}, "multi": true}]})"),
                   &ok);
    ASSERT_TRUE(ok);
    client.Command(
        "app", Json(R"({"delete": "events", "deletes": [{"q": {"_id": 499}, "limit": 1}]})"), &ok);
    ASSERT_TRUE(ok);
    server.Kill(SIGKILL);
  }
  mm::testing::DevmongodProcess restarted("--dbpath " + dir.path());
  mm::testing::MongocClient client(restarted.uri("app"));
  EXPECT_EQ(ToRelaxedJson(*client.Command("app", Json(R"({"count": "events"})")).Get("n")), "499");
  EXPECT_EQ(
      ToRelaxedJson(
          *client.Command("app", Json(R"({"count": "events", "query": {"flag": true}})")).Get("n")),
      "100");
  EXPECT_EQ(Batch(client.Command(
                "app", Json(R"({"find": "events", "filter": {"_id": {"$in": [7, 250, 499]}}})"))),
            R"([ { "_id" : 7, "v" : 7, "flag" : true }, { "_id" : 250, "v" : 250 } ])");
}

TEST(Durability, CollectionsIndexesAndValidatorsSurviveARestart) {
  mm::testing::TempDir dir;
  {
    mm::testing::DevmongodProcess server("--dbpath " + dir.path());
    mm::testing::MongocClient client(server.uri("app"));
    bool ok = false;
    client.Command(
        "app",
        Json(
            R"({"create": "users", "validator": {"$jsonSchema": {"bsonType": "object", "required": ["email"]}}})"),
        &ok);
    ASSERT_TRUE(ok);
    client.Command(
        "app",
        Json(
            R"({"createIndexes": "users", "indexes": [{"key": {"email": 1}, "name": "email_1", "unique": true},
                                   {"key": {"city": 1, "age": -1}, "name": "city_1_age_-1"}]})"),
        &ok);
    ASSERT_TRUE(ok);
    client.Command("app", Json(R"({"insert": "users", "documents": [{"_id": 1, "email": "a@x"}]})"),
                   &ok);
    client.Command("app", Json(R"({"insert": "old", "documents": [{"_id": 1}]})"), &ok);
    client.Command("app", Json(R"({"insert": "gone", "documents": [{"_id": 1}]})"), &ok);
    client.Command("admin", Json(R"({"renameCollection": "app.old", "to": "app.archive"})"), &ok);
    ASSERT_TRUE(ok);
    client.Command("app", Json(R"({"drop": "gone"})"), &ok);
    ASSERT_TRUE(ok);
  }  // a clean shutdown
  mm::testing::DevmongodProcess restarted("--dbpath " + dir.path());
  mm::testing::MongocClient client(restarted.uri("app"));
  EXPECT_EQ(
      Batch(client.Command("app", Json(R"({"listCollections": 1, "nameOnly": true})"))),
      R"([ { "name" : "archive", "type" : "collection" }, { "name" : "users", "type" : "collection" } ])");
  EXPECT_EQ(Batch(client.Command("app", Json(R"({"listIndexes": "users"})"))),
            R"([ { "v" : 2, "key" : { "_id" : 1 }, "name" : "_id_" }, )"
            R"({ "v" : 2, "key" : { "email" : 1 }, "name" : "email_1", "unique" : true }, )"
            R"({ "v" : 2, "key" : { "city" : 1, "age" : -1 }, "name" : "city_1_age_-1" } ])");
  bool ok = true;
  int code = 0;
  Document reply =
      client.Command("app", Json(R"({"insert": "users", "documents": [{"_id": 2}]})"), &ok, &code);
  EXPECT_EQ(
      ToRelaxedJson(*reply.Get("writeErrors")->As<Array>().items[0].As<Document>().Get("code")),
      "121")
      << "the validator came back";
  reply = client.Command(
      "app", Json(R"({"insert": "users", "documents": [{"_id": 3, "email": "a@x"}]})"), &ok, &code);
  EXPECT_EQ(
      ToRelaxedJson(*reply.Get("writeErrors")->As<Array>().items[0].As<Document>().Get("code")),
      "11000")
      << "the unique index came back with its entries";
  EXPECT_EQ(Batch(client.Command("app", Json(R"({"find": "archive"})"))), R"([ { "_id" : 1 } ])");
}

TEST(Durability, ASecondServerOnTheSameDbpathRefuses) {
  mm::testing::TempDir dir;
  mm::testing::DevmongodProcess first("--dbpath " + dir.path());
  mm::testing::ProcessResult second =
      mm::testing::RunProcess({DEVMONGOD_PATH, "--port", "0", "--dbpath", dir.path()}, {});
  EXPECT_EQ(second.exit_code, 100);
  EXPECT_NE(second.err.find("another devmongod is using --dbpath " + dir.path()), std::string::npos)
      << second.err;
  EXPECT_TRUE(first.Alive());
}

}  // namespace
}  // namespace mm
