// Multi-document transactions through libmongoc's session API, against devmongod --replSet:
// what a driver user sees (isolation, commit, abort, conflicts, refusals and their codes).
#include <gtest/gtest.h>

#include <memory>

#include "support/devmongod_process.h"
#include "support/json.h"
#include "support/mongoc_client.h"

namespace mm {
namespace {

using mm::testing::Json;

std::string FirstBatch(const Document& reply) {
  const Value* cursor = reply.Get("cursor");
  if (!cursor || !cursor->Is<Document>()) return "no cursor in " + ToRelaxedJson(reply);
  return ToRelaxedJson(*cursor->As<Document>().Get("firstBatch"));
}

struct SessionDeleter {
  void operator()(mongoc_client_session_t* s) const { mongoc_client_session_destroy(s); }
};
struct CollectionDeleter {
  void operator()(mongoc_collection_t* c) const { mongoc_collection_destroy(c); }
};
using SessionPtr = std::unique_ptr<mongoc_client_session_t, SessionDeleter>;
using CollectionPtr = std::unique_ptr<mongoc_collection_t, CollectionDeleter>;

class TransactionsTest : public ::testing::Test {
 protected:
  SessionPtr StartSession() {
    bson_error_t error;
    SessionPtr s(mongoc_client_start_session(client_.get(), nullptr, &error));
    EXPECT_TRUE(s) << error.message;
    return s;
  }
  CollectionPtr Coll(const char* name) {
    return CollectionPtr(mongoc_client_get_collection(client_.get(), "app", name));
  }
  // Inserts `doc` inside `session`'s transaction (nullptr: outside any).
  bool Insert(const char* coll, const std::string& doc, mongoc_client_session_t* session,
              bson_error_t* error) {
    bson_t opts = BSON_INITIALIZER;
    if (session && !mongoc_client_session_append(session, &opts, error)) return false;
    BsonPtr d = ToBsonT(Json(doc));
    bool ok = mongoc_collection_insert_one(Coll(coll).get(), d.get(), &opts, nullptr, error);
    bson_destroy(&opts);
    return ok;
  }
  // Documents of `coll` as seen outside any transaction, as relaxed JSON.
  std::string Contents(const char* coll) {
    Document reply =
        client_.Command("app", Document{{"find", coll}, {"sort", Json(R"({"_id": 1})")}});
    return FirstBatch(reply);
  }

  mm::testing::DevmongodProcess server_{"--replSet rs0"};
  mm::testing::MongocClient client_{server_.uri("app") + "?replicaSet=rs0"};
};

TEST_F(TransactionsTest, CommittedWritesAppearTogetherAndOnlyAtCommit) {
  bson_error_t error;
  ASSERT_TRUE(Insert("a", R"({"_id": 0})", nullptr, &error)) << error.message;
  SessionPtr session = StartSession();
  ASSERT_TRUE(mongoc_client_session_start_transaction(session.get(), nullptr, &error))
      << error.message;
  ASSERT_TRUE(Insert("a", R"({"_id": 1})", session.get(), &error)) << error.message;
  ASSERT_TRUE(Insert("b", R"({"_id": 2})", session.get(), &error)) << error.message;
  EXPECT_EQ(Contents("a"), R"([ { "_id" : 0 } ])") << "uncommitted writes must stay invisible";
  EXPECT_EQ(Contents("b"), "[  ]");
  bson_t reply;
  ASSERT_TRUE(mongoc_client_session_commit_transaction(session.get(), &reply, &error))
      << error.message;
  bson_destroy(&reply);
  EXPECT_EQ(Contents("a"), R"([ { "_id" : 0 }, { "_id" : 1 } ])");
  EXPECT_EQ(Contents("b"), R"([ { "_id" : 2 } ])");
}

TEST_F(TransactionsTest, AbortLeavesNothingBehind) {
  bson_error_t error;
  SessionPtr session = StartSession();
  ASSERT_TRUE(mongoc_client_session_start_transaction(session.get(), nullptr, &error));
  ASSERT_TRUE(Insert("a", R"({"_id": 1})", session.get(), &error)) << error.message;
  ASSERT_TRUE(mongoc_client_session_abort_transaction(session.get(), &error)) << error.message;
  EXPECT_EQ(Contents("a"), "[  ]");
  Document colls = client_.Command("app", Json(R"({"listCollections": 1})"));
  EXPECT_EQ(FirstBatch(colls), "[  ]")
      << "a collection created implicitly by an aborted transaction must not exist";
}

TEST_F(TransactionsTest, ConcurrentWriteMakesTheTransactionFailWithWriteConflict) {
  bson_error_t error;
  SessionPtr session = StartSession();
  ASSERT_TRUE(mongoc_client_session_start_transaction(session.get(), nullptr, &error));
  ASSERT_TRUE(Insert("a", R"({"_id": 1})", session.get(), &error)) << error.message;
  ASSERT_TRUE(Insert("a", R"({"_id": 2})", nullptr, &error)) << error.message;
  bson_t reply;
  EXPECT_FALSE(mongoc_client_session_commit_transaction(session.get(), &reply, &error));
  EXPECT_EQ(error.code, 112u) << error.message;
  EXPECT_TRUE(mongoc_error_has_label(&reply, "TransientTransactionError"));
  bson_destroy(&reply);
  EXPECT_EQ(Contents("a"), R"([ { "_id" : 2 } ])") << "only the outside write survives";
}

// Two open transactions writing one document (transactions/errors.json "write conflict
// commit"): the second writer fails at once with WriteConflict, its transaction aborted; the
// first commits. Writes to different documents of one collection do not conflict there.
TEST_F(TransactionsTest, TheSecondTransactionToWriteADocumentFailsAtOnce) {
  bson_error_t error;
  ASSERT_TRUE(Insert("a", R"({"_id": 0})", nullptr, &error)) << error.message;
  SessionPtr first = StartSession(), second = StartSession();
  ASSERT_TRUE(mongoc_client_session_start_transaction(first.get(), nullptr, &error));
  ASSERT_TRUE(mongoc_client_session_start_transaction(second.get(), nullptr, &error));
  ASSERT_TRUE(Insert("a", R"({"_id": 1})", first.get(), &error)) << error.message;
  EXPECT_FALSE(Insert("a", R"({"_id": 1})", second.get(), &error));
  EXPECT_EQ(error.code, 112u) << error.message;
  bson_t reply;
  ASSERT_TRUE(mongoc_client_session_commit_transaction(first.get(), &reply, &error))
      << error.message;
  bson_destroy(&reply);
  EXPECT_FALSE(mongoc_client_session_commit_transaction(second.get(), &reply, &error));
  EXPECT_EQ(error.code, 251u) << "NoSuchTransaction: the conflict aborted it. " << error.message;
  bson_destroy(&reply);
  EXPECT_EQ(Contents("a"), R"([ { "_id" : 0 }, { "_id" : 1 } ])");
}

TEST_F(TransactionsTest, FailedStatementAbortsTheTransaction) {
  bson_error_t error;
  ASSERT_TRUE(Insert("a", R"({"_id": 1})", nullptr, &error));
  SessionPtr session = StartSession();
  ASSERT_TRUE(mongoc_client_session_start_transaction(session.get(), nullptr, &error));
  ASSERT_TRUE(Insert("a", R"({"_id": 2})", session.get(), &error)) << error.message;
  EXPECT_FALSE(Insert("a", R"({"_id": 1})", session.get(), &error));
  EXPECT_EQ(error.code, 11000u);
  EXPECT_FALSE(Insert("a", R"({"_id": 3})", session.get(), &error));
  EXPECT_EQ(error.code, 251u) << "the duplicate key aborted the transaction: " << error.message;
  EXPECT_EQ(Contents("a"), R"([ { "_id" : 1 } ])");
}

TEST_F(TransactionsTest, CommandsMongodRefusesInATransaction) {
  bson_error_t error;
  ASSERT_TRUE(Insert("a", R"({"_id": 1})", nullptr, &error));
  SessionPtr session = StartSession();
  ASSERT_TRUE(mongoc_client_session_start_transaction(session.get(), nullptr, &error));
  bson_t opts = BSON_INITIALIZER;
  ASSERT_TRUE(mongoc_client_session_append(session.get(), &opts, &error));
  BsonPtr index = ToBsonT(Json(R"({"createIndexes": "a", "indexes": [{"key": {"x": 1},
                                   "name": "x_1"}]})"));
  bson_t reply;
  EXPECT_FALSE(mongoc_client_write_command_with_opts(client_.get(), "app", index.get(), &opts,
                                                     &reply, &error));
  EXPECT_EQ(error.code, 263u) << error.message;
  EXPECT_NE(std::string(error.message).find("Cannot create new indexes on existing collection"),
            std::string::npos)
      << error.message;
  bson_destroy(&reply);
  bson_destroy(&opts);

  SessionPtr second = StartSession();
  ASSERT_TRUE(mongoc_client_session_start_transaction(second.get(), nullptr, &error));
  bson_t opts2 = BSON_INITIALIZER;
  ASSERT_TRUE(mongoc_client_session_append(second.get(), &opts2, &error));
  BsonPtr drop = ToBsonT(Json(R"({"drop": "a"})"));
  EXPECT_FALSE(mongoc_client_write_command_with_opts(client_.get(), "app", drop.get(), &opts2,
                                                     &reply, &error));
  EXPECT_EQ(error.code, 263u) << error.message;
  bson_destroy(&reply);
  bson_destroy(&opts2);
  EXPECT_EQ(Contents("a"), R"([ { "_id" : 1 } ])");
}

TEST_F(TransactionsTest, IndexesOnACollectionCreatedInTheTransactionCommit) {
  bson_error_t error;
  SessionPtr session = StartSession();
  ASSERT_TRUE(mongoc_client_session_start_transaction(session.get(), nullptr, &error));
  bson_t opts = BSON_INITIALIZER;
  ASSERT_TRUE(mongoc_client_session_append(session.get(), &opts, &error));
  BsonPtr index = ToBsonT(Json(R"({"createIndexes": "fresh", "indexes": [{"key": {"x": 1},
                                   "name": "x_1", "unique": true}]})"));
  bson_t reply;
  ASSERT_TRUE(mongoc_client_write_command_with_opts(client_.get(), "app", index.get(), &opts,
                                                    &reply, &error))
      << error.message;
  bson_destroy(&reply);
  bson_destroy(&opts);
  ASSERT_TRUE(mongoc_client_session_commit_transaction(session.get(), &reply, &error))
      << error.message;
  bson_destroy(&reply);
  Document indexes = client_.Command("app", Json(R"({"listIndexes": "fresh"})"));
  EXPECT_EQ(FirstBatch(indexes),
            R"([ { "v" : 2, "key" : { "_id" : 1 }, "name" : "_id_" }, )"
            R"({ "v" : 2, "key" : { "x" : 1 }, "name" : "x_1", "unique" : true } ])");
}

TEST_F(TransactionsTest, CommitAfterAbortIsNoSuchTransaction) {
  Document lsid = Json(R"({"id": {"$binary": {"base64": "AAAAAAAAQACAAAAAAAAAAQ==",
                                              "subType": "04"}}})");
  auto stmt = [&](Document cmd, const std::string& db, int* code) {
    cmd.Append("lsid", lsid);
    cmd.Append("txnNumber", int64_t{7});
    cmd.Append("autocommit", false);
    bool ok = false;
    return client_.Command(db, cmd, &ok, code);
  };
  int code = -1;
  Document first = Json(R"({"insert": "a", "documents": [{"_id": 1}]})");
  first.Append("startTransaction", true);
  stmt(first, "app", &code);
  EXPECT_EQ(code, 0);
  stmt(Json(R"({"abortTransaction": 1})"), "admin", &code);
  EXPECT_EQ(code, 0);
  Document reply = stmt(Json(R"({"commitTransaction": 1})"), "admin", &code);
  EXPECT_EQ(code, 251);
  EXPECT_EQ(ToRelaxedJson(*reply.Get("codeName")), R"("NoSuchTransaction")");
  stmt(Json(R"({"commitTransaction": 1})"), "app", &code);
  EXPECT_EQ(code, 13) << "commitTransaction runs only on admin";
}

TEST(TransactionsStandalone, TransactionNumbersAreRefusedAsByAStandaloneMongod) {
  mm::testing::DevmongodProcess server;
  mm::testing::MongocClient client(server.uri("app"));
  Document cmd = Json(R"({"insert": "a", "documents": [{"_id": 1}],
      "lsid": {"id": {"$binary": {"base64": "AAAAAAAAQACAAAAAAAAAAQ==", "subType": "04"}}},
      "txnNumber": {"$numberLong": "1"}, "autocommit": false, "startTransaction": true})");
  bool ok = true;
  int code = 0;
  Document reply = client.Command("app", cmd, &ok, &code);
  EXPECT_FALSE(ok);
  EXPECT_EQ(code, 20);
  EXPECT_EQ(ToRelaxedJson(*reply.Get("errmsg")),
            R"("Transaction numbers are only allowed on a replica set member or mongos")");
}

}  // namespace
}  // namespace mm
