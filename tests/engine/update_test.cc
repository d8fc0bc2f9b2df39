// Update operators as a case table: document, update, the document that results.
#include "server/engine/update.h"

#include <gtest/gtest.h>

#include <ostream>

#include "support/json.h"

namespace mm::engine {
namespace {

using mm::testing::Json;
using mm::testing::JsonValue;

struct UpdateCase {
  const char* doc;
  const char* update;
  const char* expected;
  int positional = -1;
  const char* array_filters = nullptr;
};
void PrintTo(const UpdateCase& c, std::ostream* os) { *os << c.update; }

class UpdateTable : public ::testing::TestWithParam<UpdateCase> {};

TEST_P(UpdateTable, Applies) {
  const UpdateCase& c = GetParam();
  Value filters = c.array_filters ? JsonValue(c.array_filters) : Value();
  auto u = Update::Parse(JsonValue(c.update), c.array_filters ? &filters.As<Array>() : nullptr);
  ASSERT_TRUE(u.ok()) << c.update << ": " << u.status().message();
  Document doc = Json(c.doc);
  bool modified = false;
  Status s = u->Apply(&doc, c.positional, false, &modified);
  ASSERT_TRUE(s.ok()) << c.update << ": " << s.message();
  EXPECT_EQ(ToRelaxedJson(doc), ToRelaxedJson(Json(c.expected))) << c.update;
}

INSTANTIATE_TEST_SUITE_P(
    Operators, UpdateTable,
    ::testing::Values(
        UpdateCase{R"({"_id": 1})", R"({"$set": {"a.b": 1}})", R"({"_id": 1, "a": {"b": 1}})"},
        UpdateCase{R"({"_id": 1, "a": 1})", R"({"$unset": {"a": ""}})", R"({"_id": 1})"},
        UpdateCase{R"({"_id": 1, "n": 1})", R"({"$inc": {"n": 2}})", R"({"_id": 1, "n": 3})"},
        UpdateCase{R"({"_id": 1, "n": 2147483647})", R"({"$inc": {"n": 1}})",
                   R"({"_id": 1, "n": {"$numberLong": "2147483648"}})"},
        UpdateCase{R"({"_id": 1})", R"({"$inc": {"n": 1.5}})", R"({"_id": 1, "n": 1.5})"},
        UpdateCase{R"({"_id": 1, "n": 3})", R"({"$mul": {"n": 2}})", R"({"_id": 1, "n": 6})"},
        UpdateCase{R"({"_id": 1, "a": 1})", R"({"$rename": {"a": "b"}})", R"({"_id": 1, "b": 1})"},
        UpdateCase{R"({"_id": 1, "n": 5})", R"({"$min": {"n": 3}})", R"({"_id": 1, "n": 3})"},
        UpdateCase{R"({"_id": 1, "n": 5})", R"({"$max": {"n": 3}})", R"({"_id": 1, "n": 5})"},
        UpdateCase{R"({"_id": 1})", R"({"$setOnInsert": {"x": 1}})", R"({"_id": 1})"},
        UpdateCase{R"({"_id": 1, "a": [1]})", R"({"$push": {"a": 2}})",
                   R"({"_id": 1, "a": [1, 2]})"},
        UpdateCase{R"({"_id": 1, "a": [3, 1]})",
                   R"({"$push": {"a": {"$each": [2, 5], "$sort": 1, "$slice": 3}}})",
                   R"({"_id": 1, "a": [1, 2, 3]})"},
        UpdateCase{R"({"_id": 1, "a": [1, 2]})",
                   R"({"$push": {"a": {"$each": [0], "$position": 0}}})",
                   R"({"_id": 1, "a": [0, 1, 2]})"},
        UpdateCase{R"({"_id": 1, "a": [1, 2]})", R"({"$addToSet": {"a": {"$each": [2, 3]}}})",
                   R"({"_id": 1, "a": [1, 2, 3]})"},
        UpdateCase{R"({"_id": 1, "a": [1, 5, 8]})", R"({"$pull": {"a": {"$gte": 5}}})",
                   R"({"_id": 1, "a": [1]})"},
        UpdateCase{R"({"_id": 1, "a": [{"b": 1}, {"b": 2}]})", R"({"$pull": {"a": {"b": 2}}})",
                   R"({"_id": 1, "a": [{"b": 1}]})"},
        UpdateCase{R"({"_id": 1, "a": [1, 2, 1]})", R"({"$pullAll": {"a": [1]}})",
                   R"({"_id": 1, "a": [2]})"},
        UpdateCase{R"({"_id": 1, "a": [1, 2, 3]})", R"({"$pop": {"a": -1}})",
                   R"({"_id": 1, "a": [2, 3]})"},
        UpdateCase{R"({"_id": 1, "a": [1, 2]})", R"({"$set": {"a.$": 9}})",
                   R"({"_id": 1, "a": [1, 9]})", 1},
        UpdateCase{R"({"_id": 1, "a": [1, 2]})", R"({"$inc": {"a.$[]": 10}})",
                   R"({"_id": 1, "a": [11, 12]})"},
        UpdateCase{R"({"_id": 1, "a": [1, 5, 7]})", R"({"$set": {"a.$[big]": 0}})",
                   R"({"_id": 1, "a": [1, 0, 0]})", -1, R"([{"big": {"$gt": 4}}])"},
        UpdateCase{R"({"_id": 1, "a": 1})", R"({"b": 2})", R"({"_id": 1, "b": 2})"},
        UpdateCase{R"({"_id": 1, "a": 1})", R"([{"$set": {"b": {"$add": ["$a", 1]}}}])",
                   R"({"_id": 1, "a": 1, "b": 2})"}));

struct UpdateErrorCase {
  const char* doc;
  const char* update;
  int code;
};
void PrintTo(const UpdateErrorCase& c, std::ostream* os) { *os << c.update; }

class UpdateErrors : public ::testing::TestWithParam<UpdateErrorCase> {};

TEST_P(UpdateErrors, RefusedWithMongoDbCode) {
  const UpdateErrorCase& c = GetParam();
  auto u = Update::Parse(JsonValue(c.update), nullptr);
  int code = 0;
  if (!u.ok()) {
    code = u.status().code();
  } else {
    Document doc = Json(c.doc);
    bool modified = false;
    code = u->Apply(&doc, -1, false, &modified).code();
  }
  EXPECT_EQ(code, c.code) << c.update;
}

INSTANTIATE_TEST_SUITE_P(
    Operators, UpdateErrors,
    ::testing::Values(
        UpdateErrorCase{R"({"_id": 1})", R"({"$foo": {"a": 1}})", 9},
        UpdateErrorCase{R"({"_id": 1})", R"({"$set": {"a": 1}, "$inc": {"a": 1}})", 40},
        UpdateErrorCase{R"({"_id": 1})", R"({"$set": {"a": 1}, "$unset": {"a.b": 1}})", 40},
        UpdateErrorCase{R"({"_id": 1, "a": "x"})", R"({"$inc": {"a": 1}})", 14},
        UpdateErrorCase{R"({"_id": 1})", R"({"$inc": {"a": "x"}})", 14},
        UpdateErrorCase{R"({"_id": 1})", R"({"$set": {"_id": 2}})", 66},
        UpdateErrorCase{R"({"_id": 1, "a": 5})", R"({"$set": {"a.b": 1}})", 28},
        UpdateErrorCase{R"({"_id": 1, "a": 5})", R"({"$push": {"a": 1}})", 2},
        UpdateErrorCase{R"({"_id": 1, "a": [1]})", R"({"$set": {"a.$": 1}})", 2}));

}  // namespace
}  // namespace mm::engine
