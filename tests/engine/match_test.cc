// The query language as a case table: filter, document, expected match (or error code).
#include "server/engine/match.h"

#include <gtest/gtest.h>

#include <ostream>

#include "support/json.h"

namespace mm::engine {
namespace {

using mm::testing::Json;

struct MatchCase {
  const char* filter;
  const char* doc;
  bool matches;
};
void PrintTo(const MatchCase& c, std::ostream* os) { *os << c.filter; }

class MatchTable : public ::testing::TestWithParam<MatchCase> {};

TEST_P(MatchTable, Matches) {
  const MatchCase& c = GetParam();
  auto m = Matcher::Parse(Json(c.filter));
  ASSERT_TRUE(m.ok()) << c.filter << ": " << m.status().message();
  EXPECT_EQ(m->Matches(Json(c.doc)), c.matches) << c.filter << " against " << c.doc;
}

INSTANTIATE_TEST_SUITE_P(
    QueryLanguage, MatchTable,
    ::testing::Values(
        // equality, numbers across types
        MatchCase{R"({"a": 1})", R"({"a": 1})", true},
        MatchCase{R"({"a": 1})", R"({"a": 1.0})", true},
        MatchCase{R"({"a": 1})", R"({"a": {"$numberLong": "1"}})", true},
        MatchCase{R"({"a": 1})", R"({"a": {"$numberDecimal": "1.0"}})", true},
        MatchCase{R"({"a": 1})", R"({"a": "1"})", false},
        MatchCase{R"({"a": 2})", R"({"a": [1, 2, 3]})", true},
        MatchCase{R"({"a": [1, 2]})", R"({"a": [1, 2]})", true},
        MatchCase{R"({"a": [1, 2]})", R"({"a": [2, 1]})", false},
        MatchCase{R"({"a": {"b": 1}})", R"({"a": {"b": 1}})", true},
        MatchCase{R"({"a": {"b": 1}})", R"({"a": {"b": 1, "c": 2}})", false},
        // null and missing
        MatchCase{R"({"a": null})", R"({})", true},
        MatchCase{R"({"a": null})", R"({"a": null})", true},
        MatchCase{R"({"a": null})", R"({"a": 0})", false},
        MatchCase{R"({"a.b": null})", R"({"a": [{"b": 1}, {"c": 1}]})", true},
        MatchCase{R"({"a": {"$ne": null}})", R"({})", false},
        // dotted paths through arrays
        MatchCase{R"({"a.b": 2})", R"({"a": [{"b": 1}, {"b": 2}]})", true},
        MatchCase{R"({"a.1": 5})", R"({"a": [4, 5]})", true},
        MatchCase{R"({"a.b.c": 1})", R"({"a": {"b": [{"c": 1}]}})", true},
        // comparisons stay inside a type bracket
        MatchCase{R"({"a": {"$gt": 1}})", R"({"a": 2})", true},
        MatchCase{R"({"a": {"$gt": 1}})", R"({"a": "2"})", false},
        MatchCase{R"({"a": {"$gte": 2, "$lt": 3}})", R"({"a": 2.5})", true},
        MatchCase{R"({"a": {"$lt": 3}})", R"({"a": [5, 1]})", true},
        MatchCase{R"({"a": {"$lte": null}})", R"({})", true},
        MatchCase{R"({"a": {"$gt": {"$date": "2020-01-01T00:00:00Z"}}})",
                  R"({"a": {"$date": "2021-01-01T00:00:00Z"}})", true},
        // $in / $nin
        MatchCase{R"({"a": {"$in": [1, 2]}})", R"({"a": 2})", true},
        MatchCase{R"({"a": {"$in": [null]}})", R"({})", true},
        MatchCase{R"({"a": {"$in": [{"$regularExpression": {"pattern": "^x", "options": ""}}]}})",
                  R"({"a": "xyz"})", true},
        MatchCase{R"({"a": {"$nin": [1, 2]}})", R"({"a": 3})", true},
        MatchCase{R"({"a": {"$nin": [1, 2]}})", R"({"a": [3, 1]})", false},
        // $exists, $type
        MatchCase{R"({"a": {"$exists": true}})", R"({"a": null})", true},
        MatchCase{R"({"a": {"$exists": false}})", R"({"b": 1})", true},
        MatchCase{R"({"a": {"$type": "string"}})", R"({"a": "s"})", true},
        MatchCase{R"({"a": {"$type": "number"}})", R"({"a": {"$numberLong": "5"}})", true},
        MatchCase{R"({"a": {"$type": "string"}})", R"({"a": "s"})", true},
        // logical operators
        MatchCase{R"({"$or": [{"a": 1}, {"b": 1}]})", R"({"b": 1})", true},
        MatchCase{R"({"$and": [{"a": 1}, {"b": 1}]})", R"({"b": 1})", false},
        MatchCase{R"({"$nor": [{"a": 1}, {"b": 1}]})", R"({"c": 1})", true},
        MatchCase{R"({"a": {"$not": {"$gt": 5}}})", R"({"a": 3})", true},
        MatchCase{R"({"a": {"$not": {"$gt": 5}}})", R"({})", true},
        // regex
        MatchCase{R"({"a": {"$regex": "^ab", "$options": "i"}})", R"({"a": "ABc"})", true},
        MatchCase{R"({"a": {"$regularExpression": {"pattern": "c$", "options": ""}}})",
                  R"({"a": ["x", "abc"]})", true},
        // arrays
        MatchCase{R"({"a": {"$size": 2}})", R"({"a": [1, 2]})", true},
        MatchCase{R"({"a": {"$size": 1}})", R"({"a": [[1, 2]]})", true},
        MatchCase{R"({"a": {"$all": [1, 3]}})", R"({"a": [3, 2, 1]})", true},
        MatchCase{R"({"a": {"$all": [1, 4]}})", R"({"a": [3, 2, 1]})", false},
        MatchCase{R"({"a": {"$elemMatch": {"b": 1, "c": 2}}})", R"({"a": [{"b": 1}, {"c": 2}]})",
                  false},
        MatchCase{R"({"a": {"$elemMatch": {"b": 1, "c": 2}}})", R"({"a": [{"b": 1, "c": 2}]})",
                  true},
        MatchCase{R"({"a": {"$elemMatch": {"$gt": 5, "$lt": 8}}})", R"({"a": [1, 6]})", true},
        MatchCase{R"({"a": {"$mod": [4, 1]}})", R"({"a": 9})", true},
        // $expr
        MatchCase{R"({"$expr": {"$gt": ["$a", "$b"]}})", R"({"a": 3, "b": 2})", true}));

TEST(MatchType, NumericCodesAndAliases) {
  auto by_code = Matcher::Parse(Document{{"a", Document{{"$type", 16}}}});
  ASSERT_TRUE(by_code.ok());
  EXPECT_TRUE(by_code->Matches(Json(R"({"a": 5})")));
  EXPECT_FALSE(by_code->Matches(Json(R"({"a": 5.5})")));
  auto array = Matcher::Parse(Document{{"a", Document{{"$type", "array"}}}});
  ASSERT_TRUE(array.ok());
  EXPECT_TRUE(array->Matches(Json(R"({"a": []})")));
  auto bad = Matcher::Parse(Document{{"a", Document{{"$type", "nope"}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), 2);
  EXPECT_EQ(bad.status().message(), "Unknown type name alias: nope");
}

struct ErrorCase {
  const char* filter;
  int code;
  const char* message;
};
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.filter; }

class MatchErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(MatchErrors, RefusedWithMongoDbCode) {
  const ErrorCase& c = GetParam();
  auto m = Matcher::Parse(Json(c.filter));
  ASSERT_FALSE(m.ok()) << c.filter;
  EXPECT_EQ(m.status().code(), c.code) << c.filter;
  EXPECT_EQ(m.status().message(), c.message);
}

INSTANTIATE_TEST_SUITE_P(
    QueryLanguage, MatchErrors,
    ::testing::Values(
        ErrorCase{R"({"a": {"$foo": 1}})", 2, "unknown operator: $foo"},
        ErrorCase{R"({"$foo": 1})", 2, "unknown top level operator: $foo"},
        ErrorCase{R"({"a": {"$in": 1}})", 2, "$in needs an array"},
        ErrorCase{R"({"$or": []})", 2, "$or argument must be a non-empty array"},
        ErrorCase{R"({"a": {"$size": -1}})", 2, "$size may not be negative"},
        ErrorCase{R"({"a": {"$mod": [0, 1]}})", 2, "divisor cannot be 0"},
        ErrorCase{R"({"a": {"$not": 5}})", 2, "$not needs a regex or a document"},
        ErrorCase{R"({"$text": {"$search": "x"}})", 238, "$text is not implemented by devmongod"},
        ErrorCase{R"({"a": {"$near": [0, 0]}})", 238, "$near is not implemented by devmongod"}));

}  // namespace
}  // namespace mm::engine
