// Nothing lives forever: an idle cursor closes after cursorTimeoutMillis and an open transaction
// is aborted after transactionLifetimeLimitSeconds, as mongod's cursor and transaction reapers
// do (docs: setParameter cursorTimeoutMillis, transactionLifetimeLimitSeconds); a runner
// killed inside a transactional migration then holds nothing. Shortened here through the same
// options `--setParameter` sets.
#include <gtest/gtest.h>

#include <thread>

#include "server/service.h"
#include "support/json.h"

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

}  // namespace
}  // namespace mm
