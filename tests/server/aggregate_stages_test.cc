// $lookup, $out and $merge through the aggregate command, in-process.
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"
#include "value/bson_codec.h"

namespace mm {
namespace {

// $lookup, $out and $merge through the aggregate command.
class AggregateJoinsAndOut : public ::testing::Test {
 protected:
  Service service_{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  Document Run(const std::string& json) { return service_.Run(mm::testing::Json(json), "test"); }
  std::string Batch(const std::string& json) {
    Document reply = Run(json);
    const Value* cursor = reply.Get("cursor");
    return cursor ? ToRelaxedJson(*cursor->As<Document>().Get("firstBatch")) : ToRelaxedJson(reply);
  }
  std::string Find(const std::string& coll) {
    return Batch(R"({"find": ")" + coll + R"(", "sort": {"_id": 1}})");
  }
  std::string Code(const Document& reply) {
    const Value* c = reply.Get("code");
    return c ? ToRelaxedJson(*c) : "ok";
  }
};

TEST_F(AggregateJoinsAndOut, LookupJoinsOnEqualityIncludingArraysAndMissing) {
  Run(R"({"insert": "orders", "documents": [{"_id": 1, "sku": "a"}, {"_id": 2, "sku": ["a", "b"]},
                                            {"_id": 3}]})");
  Run(R"({"insert": "stock", "documents": [{"_id": 10, "sku": "a"}, {"_id": 11, "sku": "b"},
                                           {"_id": 12}]})");
  EXPECT_EQ(Batch(R"({"aggregate": "orders", "cursor": {}, "pipeline": [
                {"$lookup": {"from": "stock", "localField": "sku", "foreignField": "sku", "as": "s"}},
                {"$project": {"ids": "$s._id"}}]})"),
            R"([ { "_id" : 1, "ids" : [ 10 ] }, { "_id" : 2, "ids" : [ 10, 11 ] }, )"
            R"({ "_id" : 3, "ids" : [ 12 ] } ])");
  EXPECT_EQ(Batch(R"({"aggregate": "orders", "cursor": {}, "pipeline": [
                {"$lookup": {"from": "nothing", "localField": "sku", "foreignField": "sku", "as": "s"}},
                {"$limit": 1}]})"),
            R"([ { "_id" : 1, "sku" : "a", "s" : [  ] } ])");
  Document refused = Run(R"({"aggregate": "orders", "cursor": {}, "pipeline": [
                {"$lookup": {"from": "stock", "pipeline": [], "as": "s"}}]})");
  EXPECT_EQ(ToRelaxedJson(*refused.Get("code")), "238");
}

TEST_F(AggregateJoinsAndOut, OutReplacesTheTargetKeepingItsIndexesOrLeavesItAlone) {
  Run(R"({"insert": "src", "documents": [{"_id": 1, "k": 1}, {"_id": 2, "k": 2}]})");
  Run(R"({"insert": "dst", "documents": [{"_id": 9, "k": 9}]})");
  Run(R"({"createIndexes": "dst", "indexes": [{"key": {"k": 1}, "name": "k_1", "unique": true}]})");
  Document reply = Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [{"$out": "dst"}]})");
  EXPECT_EQ(ToRelaxedJson(*reply.Get("ok")), "1.0") << ToRelaxedJson(reply);
  EXPECT_EQ(Batch(R"({"find": "dst"})"), R"([ { "_id" : 1, "k" : 1 }, { "_id" : 2, "k" : 2 } ])");
  EXPECT_EQ(Batch(R"({"listIndexes": "dst"})"),
            R"([ { "v" : 2, "key" : { "_id" : 1 }, "name" : "_id_" }, )"
            R"({ "v" : 2, "key" : { "k" : 1 }, "name" : "k_1", "unique" : true } ])");
  Document dup = Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [
                          {"$set": {"k": 0}}, {"$out": "dst"}]})");
  EXPECT_EQ(ToRelaxedJson(*dup.Get("code")), "11000");
  EXPECT_EQ(Batch(R"({"find": "dst"})"), R"([ { "_id" : 1, "k" : 1 }, { "_id" : 2, "k" : 2 } ])");
  EXPECT_EQ(
      Batch(R"({"listCollections": 1, "nameOnly": true})"),
      R"([ { "name" : "dst", "type" : "collection" }, { "name" : "src", "type" : "collection" } ])");
  Document misplaced = Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [
                               {"$out": "x"}, {"$match": {}}]})");
  EXPECT_EQ(ToRelaxedJson(*misplaced.Get("code")), "40601");
}

TEST_F(AggregateJoinsAndOut, ModesAsMongoDBDocumentsThem) {
  Run(R"({"insert": "src", "documents": [{"_id": 1, "a": 10}, {"_id": 2, "a": 20}]})");
  Run(R"({"insert": "dst", "documents": [{"_id": 1, "a": 0, "keep": true}]})");
  // default: whenMatched merge, whenNotMatched insert
  EXPECT_EQ(Code(Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [{"$merge": "dst"}]})")),
            "ok");
  EXPECT_EQ(Find("dst"), R"([ { "_id" : 1, "a" : 10, "keep" : true }, { "_id" : 2, "a" : 20 } ])");
  EXPECT_EQ(Code(Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [{"$set": {"a": 1}},
      {"$merge": {"into": "dst", "whenMatched": "replace"}}]})")),
            "ok");
  EXPECT_EQ(Find("dst"), R"([ { "_id" : 1, "a" : 1 }, { "_id" : 2, "a" : 1 } ])");
  EXPECT_EQ(Code(Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [
      {"$merge": {"into": "dst", "whenMatched": "fail"}}]})")),
            "11000");
  EXPECT_EQ(Code(Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [{"$set": {"_id": 3}},
      {"$merge": {"into": "dst", "whenNotMatched": "fail"}}]})")),
            "13113");
  EXPECT_EQ(Code(Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [
      {"$merge": {"into": "fresh", "on": "a"}}]})")),
            "51183")
      << "no unique index on a";
  EXPECT_EQ(Code(Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [
      {"$merge": {"into": "dst", "whenMatched": [{"$set": {"x": 1}}]}}]})")),
            "238");
}

TEST_F(AggregateJoinsAndOut, OnAUniqueFieldOtherThanId) {
  Run(R"({"insert": "src", "documents": [{"_id": 1, "email": "a@x", "n": 1}]})");
  Run(R"({"createIndexes": "dst", "indexes": [{"key": {"email": 1}, "name": "email_1",
                                               "unique": true}]})");
  Run(R"({"insert": "dst", "documents": [{"_id": 9, "email": "a@x", "n": 0}]})");
  EXPECT_EQ(Code(Run(R"({"aggregate": "src", "cursor": {}, "pipeline": [{"$project": {"_id": 0}},
      {"$merge": {"into": "dst", "on": "email"}}]})")),
            "ok");
  EXPECT_EQ(Find("dst"), R"([ { "_id" : 9, "email" : "a@x", "n" : 1 } ])");
}

}  // namespace
}  // namespace mm
