// Finds that an index answers must answer exactly as a scan.
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"
#include "value/bson_codec.h"

namespace mm {
namespace {

// An equality on an indexed field is answered from the index; the answer must be exactly the
// scan's: multikey entries, numbers of other types, null (which matches missing fields and is
// not looked up), sparse and hidden indexes (never used).
class IndexedFindTest : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(IndexedFindTest, SameAnswerWithAndWithoutTheIndex) {
  const auto& [filter, expected] = GetParam();
  for (bool indexed : {false, true}) {
    Service service(commands::ServerOptions{}, storage::MakeMemoryStorage());
    service.Run(mm::testing::Json(R"({"insert": "c", "documents": [{"_id": 1, "k": 5},
        {"_id": 2, "k": [5, 6]}, {"_id": 3, "k": 5.0}, {"_id": 4}, {"_id": 5, "k": null},
        {"_id": 6, "k": {"$numberLong": "6"}}, {"_id": 7, "k": "5"}]})"),
                "test");
    if (indexed) {
      service.Run(mm::testing::Json(R"({"createIndexes": "c", "indexes": [
          {"key": {"k": 1}, "name": "k_1"}]})"),
                  "test");
    }
    Document reply = service.Run(
        mm::testing::Json(std::string(R"({"find": "c", "projection": {"k": 0}, "filter": )") +
                          filter + "}"),
        "test");
    EXPECT_EQ(ToRelaxedJson(*reply.Get("cursor")->As<Document>().Get("firstBatch")), expected)
        << filter << (indexed ? " with the index" : " by scan");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Filters, IndexedFindTest,
    ::testing::Values(
        std::make_pair(R"({"k": 5})", R"([ { "_id" : 1 }, { "_id" : 2 }, { "_id" : 3 } ])"),
        std::make_pair(R"({"k": 6})", R"([ { "_id" : 2 }, { "_id" : 6 } ])"),
        std::make_pair(R"({"k": null})", R"([ { "_id" : 4 }, { "_id" : 5 } ])"),
        std::make_pair(R"({"k": "5"})", R"([ { "_id" : 7 } ])"),
        std::make_pair(R"({"k": 5, "_id": {"$gt": 1}})", R"([ { "_id" : 2 }, { "_id" : 3 } ])"),
        std::make_pair(R"({"k": 7})", R"([  ])")));

}  // namespace
}  // namespace mm
