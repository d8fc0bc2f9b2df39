// A replica-set devmongod as drivers rely on it when they retry: a retryable write runs once
// however often it is sent, errors carry the labels mongod adds, failCommand can inject a
// writeConcernError, and every reply carries the cluster time. Sources: MongoDB's
// retryable-writes and transactions spec tests (../shared/spec-tests), error_labels.cpp.
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"

namespace mm {
namespace {

using mm::testing::Json;

commands::ServerOptions ReplicaSet() {
  commands::ServerOptions o;
  o.repl_set = "rs0";
  o.test_commands = true;
  return o;
}

class RetryableWrites : public ::testing::Test {
 protected:
  Document Run(const std::string& json, const std::string& db = "test") {
    return service_.Run(Json(json), db);
  }
  std::string Find() {
    Document r = Run(R"({"find": "c", "sort": {"_id": 1}})");
    return ToRelaxedJson(*r.Get("cursor")->As<Document>().Get("firstBatch"));
  }
  static constexpr const char* kLsid =
      R"({"id": {"$binary": {"base64": "AAAAAAAAAAAAAAAAAAAAAA==", "subType": "04"}}})";
  std::string WithSession(const std::string& command_body, int txn) {
    return "{" + command_body + R"(, "lsid": )" + kLsid + R"(, "txnNumber": {"$numberLong": ")" +
           std::to_string(txn) + R"("}})";
  }
  Service service_{ReplicaSet(), storage::MakeMemoryStorage()};
};

TEST_F(RetryableWrites, ARetriedWriteRunsOnceAndGetsTheFirstReply) {
  const std::string inc = WithSession(
      R"("update": "c", "updates": [{"q": {"_id": 1}, "u": {"$inc": {"n": 1}}, "upsert": true}])",
      1);
  Document first = Run(inc);
  Document retry = Run(inc);
  EXPECT_EQ(ToRelaxedJson(retry), ToRelaxedJson(first));
  EXPECT_EQ(Find(), R"([ { "_id" : 1, "n" : 1 } ])") << "the retry did not increment again";
  Run(WithSession(R"("update": "c", "updates": [{"q": {"_id": 1}, "u": {"$inc": {"n": 1}}}])", 2));
  EXPECT_EQ(Find(), R"([ { "_id" : 1, "n" : 2 } ])") << "a new txnNumber is a new write";
  Document old = Run(inc);
  EXPECT_EQ(old.Get("code")->AsExactInt64(), 225) << ToRelaxedJson(old);
  EXPECT_EQ(Find(), R"([ { "_id" : 1, "n" : 2 } ])");
}

TEST_F(RetryableWrites, AnInjectedWriteConcernErrorLetsTheWriteRunAndLabelsItRetryable) {
  Run(R"({"configureFailPoint": "failCommand", "mode": {"times": 1}, "data": {"failCommands":
      ["insert"], "writeConcernError": {"code": 91, "errmsg": "Replication is being shut down"}}})",
      "admin");
  Document reply = Run(WithSession(R"("insert": "c", "documents": [{"_id": 7}])", 5));
  EXPECT_EQ(ToRelaxedJson(reply),
            R"({ "n" : 1, "ok" : 1.0, "writeConcernError" : { "code" : 91, "errmsg" : )"
            R"("Replication is being shut down" }, "errorLabels" : [ "RetryableWriteError" ] })");
  Document retry = Run(WithSession(R"("insert": "c", "documents": [{"_id": 7}])", 5));
  EXPECT_EQ(ToRelaxedJson(retry), R"({ "n" : 1, "ok" : 1.0 })") << "the first outcome, no 11000";
  EXPECT_EQ(Find(), R"([ { "_id" : 7 } ])");
}

TEST_F(RetryableWrites, ErrorsInATransactionCarryTransientTransactionError) {
  Run(R"({"configureFailPoint": "failCommand", "mode": {"times": 1}, "data": {"failCommands":
      ["insert"], "errorCode": 10107}})",
      "admin");
  std::string in_txn = "{" + std::string(R"("insert": "c", "documents": [{"_id": 1}])") +
                       R"(, "lsid": )" + kLsid +
                       R"(, "txnNumber": {"$numberLong": "9"}, "startTransaction": true,
                           "autocommit": false})";
  Document reply = Run(in_txn);
  EXPECT_EQ(ToRelaxedJson(*reply.Get("errorLabels")), R"([ "TransientTransactionError" ])")
      << ToRelaxedJson(reply);
  EXPECT_EQ(reply.Get("codeName")->As<std::string>(), "NotWritablePrimary")
      << "MongoDB's name for 10107, from one table";
  // Outside a transaction, the same error on a retryable write is retryable instead.
  Run(R"({"configureFailPoint": "failCommand", "mode": {"times": 1}, "data": {"failCommands":
      ["insert"], "errorCode": 10107}})",
      "admin");
  reply = Run(WithSession(R"("insert": "c", "documents": [{"_id": 2}])", 10));
  EXPECT_EQ(ToRelaxedJson(*reply.Get("errorLabels")), R"([ "RetryableWriteError" ])");
  // Labels a fail point names are used as they are.
  Run(R"({"configureFailPoint": "failCommand", "mode": {"times": 1}, "data": {"failCommands":
      ["insert"], "errorCode": 10107, "errorLabels": []}})",
      "admin");
  reply = Run(WithSession(R"("insert": "c", "documents": [{"_id": 3}])", 11));
  EXPECT_EQ(ToRelaxedJson(*reply.Get("errorLabels")), "[  ]");
}

// onPrimaryTransactionalWrite, as MongoDB's jstests (retryable_writes_direct_write_to_config
// _transactions / retryable_write_error_labels) and the retryable-writes spec files use it: a
// statement that fails before commit leaves the statements before it written, and a retry
// with the same txnNumber runs only what did not happen.
TEST_F(RetryableWrites, ARetryAfterAStatementFailedRunsOnlyTheStatementsNotYetWritten) {
  Run(R"({"insert": "c", "documents": [{"_id": 1, "x": 0, "y": 0}, {"_id": 2, "x": 1, "y": 0}]})");
  Run(R"({"configureFailPoint": "onPrimaryTransactionalWrite", "mode": {"skip": 1},
          "data": {"closeConnection": false, "failBeforeCommitExceptionCode": 1}})",
      "admin");
  const std::string both = WithSession(
      R"("update": "c", "updates": [{"q": {"x": 0}, "u": {"$inc": {"y": 1}}},
                                    {"q": {"x": 1}, "u": {"$inc": {"y": 1}}}], "ordered": true)",
      2);
  Document first = Run(both);
  EXPECT_EQ(first.Get("nModified")->AsExactInt64(), 1) << ToRelaxedJson(first);
  ASSERT_TRUE(first.Has("writeErrors")) << ToRelaxedJson(first);
  EXPECT_EQ(ToRelaxedJson(*first.Get("writeErrors")),
            R"([ { "index" : 1, "code" : 1, "codeName" : "InternalError", "errmsg" : )"
            R"("Failing write via the onPrimaryTransactionalWrite fail point" } ])");
  EXPECT_EQ(Find(), R"([ { "_id" : 1, "x" : 0, "y" : 1 }, { "_id" : 2, "x" : 1, "y" : 0 } ])");

  Run(R"({"configureFailPoint": "onPrimaryTransactionalWrite", "mode": "off"})", "admin");
  Document retry = Run(both);
  EXPECT_EQ(ToRelaxedJson(retry), R"({ "n" : 2, "nModified" : 2, "ok" : 1.0 })")
      << "the first statement's result is the kept one; only the second ran";
  EXPECT_EQ(Find(), R"([ { "_id" : 1, "x" : 0, "y" : 1 }, { "_id" : 2, "x" : 1, "y" : 1 } ])");
}

TEST_F(RetryableWrites, TheTransactionalWriteFailPointRefusesWhatItDoesNotKnow) {
  Document reply = Run(R"({"configureFailPoint": "onPrimaryTransactionalWrite", "mode": "alwaysOn",
                           "data": {"blockTimeMS": 10}})",
                       "admin");
  EXPECT_EQ(reply.Get("code")->AsExactInt64(), 238) << ToRelaxedJson(reply);
  reply = Run(R"({"configureFailPoint": "failCommand", "mode": {"activationProbability": 0.5},
                  "data": {"failCommands": ["insert"]}})",
              "admin");
  EXPECT_EQ(reply.Get("code")->AsExactInt64(), 238) << ToRelaxedJson(reply);
}

// failCommand's appName and blockConnection (MongoDB's failCommand documentation in the
// drivers' test README): a fail point for another application leaves this one alone, and a
// connection that is only blocked still runs its command.
TEST_F(RetryableWrites, FailCommandHonoursAppNameAndBlockConnection) {
  Run(R"({"hello": 1, "client": {"application": {"name": "migrator"}}})", "admin");
  Run(R"({"configureFailPoint": "failCommand", "mode": {"times": 1}, "data": {"failCommands":
      ["insert"], "errorCode": 91, "appName": "another-app"}})",
      "admin");
  EXPECT_FALSE(Run(R"({"insert": "c", "documents": [{"_id": 1}]})").Has("code"));
  Run(R"({"configureFailPoint": "failCommand", "mode": {"times": 1}, "data": {"failCommands":
      ["insert"], "errorCode": 91, "appName": "migrator"}})",
      "admin");
  Document failed = Run(R"({"insert": "c", "documents": [{"_id": 2}]})");
  ASSERT_TRUE(failed.Has("code")) << ToRelaxedJson(failed);
  EXPECT_EQ(*failed.Get("code")->AsExactInt64(), 91);
  Run(R"({"configureFailPoint": "failCommand", "mode": {"times": 1}, "data": {"failCommands":
      ["insert"], "blockConnection": true, "blockTimeMS": 20}})",
      "admin");
  Document blocked = Run(R"({"insert": "c", "documents": [{"_id": 3}]})");
  EXPECT_EQ(ToRelaxedJson(blocked), R"({ "n" : 1, "ok" : 1.0 })");
  EXPECT_EQ(Find(), R"([ { "_id" : 1 }, { "_id" : 3 } ])");
  Document refused = Run(R"({"configureFailPoint": "failCommand", "mode": "alwaysOn", "data":
      {"failCommands": ["insert"], "blockConnection": true}})",
                         "admin");
  EXPECT_EQ(*refused.Get("code")->AsExactInt64(), 2) << "blockTimeMS is needed";
}

}  // namespace
}  // namespace mm
