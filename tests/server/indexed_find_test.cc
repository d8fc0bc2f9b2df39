// Finds that an index answers must answer exactly as a scan.
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"
#include "value/bson_codec.h"

namespace mm {
namespace {

// `find` with `fields` ({"filter": …, …}) over `documents` (an insert's array) in a fresh
// in-memory server, with or without a single-field index on k: the first batch as JSON.
std::string FindBatch(const std::string& documents, const std::string& fields, bool indexed) {
  Service service(commands::ServerOptions{}, storage::MakeMemoryStorage());
  service.Run(mm::testing::Json(R"({"insert": "c", "documents": )" + documents + "}"), "test");
  if (indexed) {
    service.Run(mm::testing::Json(R"({"createIndexes": "c", "indexes": [
        {"key": {"k": 1}, "name": "k_1"}]})"),
                "test");
  }
  Document reply = service.Run(
      mm::testing::Json(R"({"find": "c", "projection": {"k": 0}, )" + fields + "}"), "test");
  return ToRelaxedJson(*reply.Get("cursor")->As<Document>().Get("firstBatch"));
}

// An equality on an indexed field is answered from the index; the answer must be exactly the
// scan's: multikey entries, numbers of other types, null (which matches missing fields and is
// not looked up), sparse and hidden indexes (never used).
class IndexedFindTest : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(IndexedFindTest, SameAnswerWithAndWithoutTheIndex) {
  const auto& [filter, expected] = GetParam();
  for (bool indexed : {false, true}) {
    EXPECT_EQ(FindBatch(R"([{"_id": 1, "k": 5}, {"_id": 2, "k": [5, 6]}, {"_id": 3, "k": 5.0},
                           {"_id": 4}, {"_id": 5, "k": null},
                           {"_id": 6, "k": {"$numberLong": "6"}}, {"_id": 7, "k": "5"}])",
                        std::string(R"("filter": )") + filter, indexed),
              expected)
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

// Ranges on a single-field index (the _id walks of a batched update): the same answer as a
// scan, with type bracketing ($gt 2 matches no string or ObjectId), a sort on _id with a limit
// answered in _id order, multikey entries once (and [1, 9] matching {$gte: 5, $lt: 9}, one
// element each), and an empty range when the bounds cross.
class IndexedRangeTest : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(IndexedRangeTest, SameAnswerWithAndWithoutTheIndex) {
  const auto& [query, expected] = GetParam();
  for (bool indexed : {false, true}) {
    EXPECT_EQ(FindBatch(R"([{"_id": 5, "k": [1, 9]}, {"_id": 1, "k": 2}, {"_id": "b", "k": 3},
                           {"_id": 3.5, "k": 4}, {"_id": {"$oid": "65a4f1c2e4b0a1b2c3d4e5f6"}, "k": 5},
                           {"_id": 2, "k": 6}, {"_id": {"$numberLong": "4"}, "k": 7}, {"_id": "a"}])",
                        query, indexed),
              expected)
        << query << (indexed ? " with the k index" : "");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ranges, IndexedRangeTest,
    ::testing::Values(
        std::make_pair(R"("filter": {"_id": {"$gt": 2}}, "sort": {"_id": 1})",
                       R"([ { "_id" : 3.5 }, { "_id" : 4 }, { "_id" : 5 } ])"),
        std::make_pair(
            R"("filter": {"_id": {"$gt": 1, "$lte": 4}}, "sort": {"_id": 1}, "limit": 2)",
            R"([ { "_id" : 2 }, { "_id" : 3.5 } ])"),
        std::make_pair(R"("filter": {"$and": [{"k": {"$exists": true}}, {"_id": {"$gte": "a"}}]},
                          "sort": {"_id": 1})",
                       R"([ { "_id" : "b" } ])"),
        std::make_pair(R"("filter": {"_id": {"$gt": 4, "$lt": 2}})", R"([  ])"),
        std::make_pair(
            R"("filter": {"k": {"$gte": 5, "$lt": 9}}, "sort": {"_id": 1})",
            R"([ { "_id" : 2 }, { "_id" : 4 }, { "_id" : 5 }, { "_id" : { "$oid" : "65a4f1c2e4b0a1b2c3d4e5f6" } } ])"),
        std::make_pair(
            R"("filter": {"k": {"$gt": 0}}, "sort": {"_id": -1}, "limit": 2)",
            R"([ { "_id" : { "$oid" : "65a4f1c2e4b0a1b2c3d4e5f6" } }, { "_id" : "b" } ])")));

}  // namespace
}  // namespace mm
