// Nothing lives forever: an idle cursor closes after cursorTimeoutMillis and an open transaction
// is aborted after transactionLifetimeLimitSeconds, as mongod's cursor and transaction reapers
// do (docs: setParameter cursorTimeoutMillis, transactionLifetimeLimitSeconds); a runner
// killed inside a transactional migration then holds nothing. Documents a TTL index says have
// expired are removed by the TTL monitor (docs: "TTL Indexes", ttlMonitorSleepSecs). Shortened
// here through the same options `--setParameter` sets.
#include <gtest/gtest.h>

#include <thread>

#include "server/service.h"
#include "support/devmongod_process.h"
#include "support/json.h"
#include "support/mongoc_client.h"

namespace mm {
namespace {

using mm::testing::Json;

commands::ServerOptions ShortLived() {
  commands::ServerOptions o;
  o.repl_set = "rs0";
  o.cursor_timeout = std::chrono::milliseconds(100);
  o.transaction_lifetime = std::chrono::milliseconds(100);
  return o;
}

std::string Outcome(const Document& reply) {
  const Value* code = reply.Get("code");
  return code ? std::to_string(*code->AsExactInt64()) + " " +
                    reply.Get("codeName")->As<std::string>()
              : "ok";
}

TEST(Lifetimes, AnIdleCursorIsClosedAndAnOldTransactionAborted) {
  Service service(ShortLived(), storage::MakeMemoryStorage());
  service.Run(Json(R"({"insert": "c", "documents": [{"_id": 1}, {"_id": 2}, {"_id": 3}]})"), "t");
  Document found = service.Run(Json(R"({"find": "c", "batchSize": 1})"), "t");
  const Value id = *found.Get("cursor")->As<Document>().Get("id");
  ASSERT_NE(id.AsExactInt64(), 0);
  Document in_time =
      service.Run(Document{{"getMore", id}, {"collection", "c"}, {"batchSize", 1}}, "t");
  EXPECT_EQ(Outcome(in_time), "ok") << "used within its timeout, a cursor lives on";

  const char* lsid =
      R"({"id": {"$binary": {"base64": "AQEBAQEBAQEBAQEBAQEBAQ==", "subType": "04"}}})";
  Document started = service.Run(
      Json(
          std::string(R"({"insert": "c", "documents": [{"_id": 9}], "lsid": )") + lsid +
          R"(, "txnNumber": {"$numberLong": "1"}, "startTransaction": true, "autocommit": false})"),
      "t");
  ASSERT_EQ(Outcome(started), "ok");

  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  Document late =
      service.Run(Document{{"getMore", id}, {"collection", "c"}, {"batchSize", 1}}, "t");
  EXPECT_EQ(Outcome(late), "43 CursorNotFound");
  Document commit =
      service.Run(Json(std::string(R"({"commitTransaction": 1, "lsid": )") + lsid +
                       R"(, "txnNumber": {"$numberLong": "1"}, "autocommit": false})"),
                  "admin");
  EXPECT_EQ(Outcome(commit), "251 NoSuchTransaction");
  Document all = service.Run(Json(R"({"find": "c"})"), "t");
  EXPECT_EQ(all.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items.size(), 3u)
      << "the aborted transaction's insert is gone";
}

// What expires and what does not, at one pass: a past date, the earliest date of an array; a
// future date, a string, a missing field and a document outside a partial index stay.
TEST(Lifetimes, TheTtlMonitorRemovesExactlyTheExpiredDocuments) {
  Service service(commands::ServerOptions{}, storage::MakeMemoryStorage());
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto date = [](int64_t millis) {
    return R"({"$date": {"$numberLong": ")" + std::to_string(millis) + R"("}})";
  };
  service.Run(Json(R"({"createIndexes": "s", "indexes": [{"key": {"at": 1}, "name": "at_1",
                       "expireAfterSeconds": 60}]})"),
              "t");
  service.Run(Json(R"({"createIndexes": "p", "indexes": [{"key": {"at": 1}, "name": "at_1",
                       "expireAfterSeconds": 0, "partialFilterExpression": {"kind": "temp"}}]})"),
              "t");
  service.Run(Json(R"({"insert": "s", "documents": [
                  {"_id": "old", "at": )" +
                   date(now - 3600 * 1000) + R"(},
                  {"_id": "array", "at": [)" +
                   date(now + 3600 * 1000) + ", " + date(now - 3600 * 1000) + R"(]},
                  {"_id": "young", "at": )" +
                   date(now - 1000) + R"(},
                  {"_id": "future", "at": )" +
                   date(now + 3600 * 1000) + R"(},
                  {"_id": "text", "at": "yesterday"}, {"_id": "none"}]})"),
              "t");
  service.Run(Json(R"({"insert": "p", "documents": [
                  {"_id": "temp", "kind": "temp", "at": )" +
                   date(now - 1000) + R"(},
                  {"_id": "kept", "kind": "keep", "at": )" +
                   date(now - 1000) + R"(}]})"),
              "t");
  EXPECT_EQ(service.ExpireTtlIndexes(), 3u);
  auto ids = [&](const char* coll) {
    Document r = service.Run(Json(std::string(R"({"find": ")") + coll +
                                  R"(", "projection": {"_id": 1}, "sort": {"_id": 1}})"),
                             "t");
    return ToRelaxedJson(*r.Get("cursor")->As<Document>().Get("firstBatch"));
  };
  EXPECT_EQ(ids("s"), R"([ { "_id" : "future" }, { "_id" : "none" }, { "_id" : "text" }, )"
                      R"({ "_id" : "young" } ])");
  EXPECT_EQ(ids("p"), R"([ { "_id" : "kept" } ])");
}

// The monitor runs by itself in devmongod, every ttlMonitorSleepSecs.
TEST(Lifetimes, DevmongodRunsTheTtlMonitorOnItsOwn) {
  mm::testing::DevmongodProcess server("--setParameter ttlMonitorSleepSecs=1");
  mm::testing::MongocClient client(server.uri("t"));
  client.Command("t", Json(R"({"createIndexes": "s", "indexes": [{"key": {"at": 1},
                            "name": "at_1", "expireAfterSeconds": 0}]})"));
  client.Command(
      "t",
      Json(
          R"({"insert": "s", "documents": [{"_id": 1, "at": {"$date": "2001-01-01T00:00:00Z"}}]})"));
  // Polls (no timing is asserted): the document goes within a few monitor periods.
  int64_t count = 1;
  for (int i = 0; i < 100 && count != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Document r = client.Command("t", Json(R"({"count": "s"})"));
    count = *r.Get("n")->AsExactInt64();
  }
  EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace mm
