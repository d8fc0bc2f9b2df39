// Aggregation expression operators, case by case (MongoDB's documented results), evaluated
// against one document.
#include <gtest/gtest.h>

#include "server/engine/expression.h"
#include "support/json.h"
#include "value/bson_codec.h"

namespace mm::engine {
namespace {

struct ExprCase {
  const char* expression;  // the value of {"e": …}
  const char* expected;    // relaxed JSON of the result, "missing", or "error CODE"
};

const Document kDoc = mm::testing::Json(R"({"n": 7, "d": -2.75, "s": "12", "bad": "1x",
    "big": {"$numberLong": "9000000000"}, "t": true, "arr": [1, 2, 3], "text": "héllo wörld",
    "when": {"$date": "2026-11-25T14:05:09.042Z"}, "nested": {"a.b": 1, "$c": 2}})");

class ExpressionCases : public ::testing::TestWithParam<ExprCase> {};

TEST_P(ExpressionCases, EvaluatesAsMongoDB) {
  const ExprCase& c = GetParam();
  Document spec = mm::testing::Json(std::string(R"({"e": )") + c.expression + "}");
  auto expr = Expression::Parse(*spec.Get("e"));
  std::string got;
  if (!expr.ok()) {
    got = "error " + std::to_string(expr.status().code());
  } else {
    auto v = (*expr)->Evaluate(kDoc);
    got = !v.ok()              ? "error " + std::to_string(v.status().code())
          : v->Is<Undefined>() ? "missing"
                               : ToRelaxedJson(*v);
  }
  EXPECT_EQ(got, c.expected) << c.expression;
}

INSTANTIATE_TEST_SUITE_P(
    Operators, ExpressionCases,
    ::testing::Values(
        // conversions
        ExprCase{R"({"$toInt": "$s"})", "12"}, ExprCase{R"({"$toInt": "$d"})", "-2"},
        ExprCase{R"({"$toInt": "$t"})", "1"}, ExprCase{R"({"$toInt": "$bad"})", "error 241"},
        ExprCase{R"({"$toInt": "$big"})", "error 241"}, ExprCase{R"({"$toInt": "$nope"})", "null"},
        ExprCase{R"({"$toLong": "$big"})", "9000000000"}, ExprCase{R"({"$toLong": "$s"})", "12"},
        ExprCase{R"({"$toDouble": "$s"})", "12.0"}, ExprCase{R"({"$toDouble": "$n"})", "7.0"},
        ExprCase{R"({"$toBool": 0})", "false"}, ExprCase{R"({"$toBool": "$s"})", "true"},
        ExprCase{R"({"$toString": "$n"})", R"("7")"}, ExprCase{R"({"$abs": "$d"})", "2.75"},
        ExprCase{R"({"$abs": "$s"})", "error 28765"},
        // arrays
        ExprCase{R"({"$arrayElemAt": ["$arr", 0]})", "1"},
        ExprCase{R"({"$arrayElemAt": ["$arr", -1]})", "3"},
        ExprCase{R"({"$arrayElemAt": ["$arr", 5]})", "missing"},
        ExprCase{R"({"$arrayElemAt": ["$n", 0]})", "error 28689"},
        ExprCase{R"({"$concatArrays": ["$arr", [4], []]})", "[ 1, 2, 3, 4 ]"},
        ExprCase{R"({"$concatArrays": ["$arr", "$nope"]})", "null"},
        ExprCase{R"({"$isArray": "$arr"})", "true"}, ExprCase{R"({"$isArray": ["$n"]})", "false"},
        ExprCase{R"({"$size": "$arr"})", "3"},
        // strings
        ExprCase{R"({"$split": ["a,b,,c", ","]})", R"([ "a", "b", "", "c" ])"},
        ExprCase{R"({"$split": ["$n", ","]})", "error 40085"},
        ExprCase{R"({"$strLenCP": "$text"})", "11"},
        ExprCase{R"({"$substrCP": ["$text", 1, 4]})", R"("éllo")"},
        ExprCase{R"({"$concat": ["a", "$s"]})", R"("a12")"},
        ExprCase{R"({"$concat": ["a", "$nope"]})", "null"},
        // $max/$min: nulls and missing fields left out; over an array argument's elements;
        // across types by BSON order (a string is above any number).
        ExprCase{R"({"$max": [1, "$nope", null, 3.5, 2]})", "3.5"},
        ExprCase{R"({"$min": [1, "$nope", null, 3.5, {"$numberLong": "-2"}]})", "-2"},
        ExprCase{R"({"$max": "$arr"})", "3"},
        ExprCase{R"({"$max": [1, "a"]})", R"("a")"},
        ExprCase{R"({"$max": ["$nope", null]})", "null"},
        // dates
        ExprCase{R"({"$dateToString": {"date": "$when"}})", R"("2026-11-25T14:05:09.042Z")"},
        ExprCase{R"({"$dateToString": {"date": "$when", "format": "%d/%m/%Y %H:%M %j"}})",
                 R"("25/11/2026 14:05 329")"},
        ExprCase{R"({"$dateToString": {"date": "$nope", "onNull": "never"}})", R"("never")"},
        ExprCase{R"({"$dateToString": {"date": "$n"}})", "error 16006"},
        ExprCase{R"({"$dateToString": {"date": "$when", "timezone": "Europe/Paris"}})",
                 "error 238"},
        // fields with dots and dollars
        ExprCase{R"({"$getField": {"field": "a.b", "input": "$nested"}})", "1"},
        ExprCase{R"({"$getField": {"field": {"$literal": "$c"}, "input": "$nested"}})", "2"},
        ExprCase{R"({"$setField": {"field": "x.y", "input": {}, "value": 1}})", R"({ "x.y" : 1 })"},
        ExprCase{R"({"$unsetField": {"field": "a.b", "input": "$nested"}})", R"({ "$c" : 2 })"},
        ExprCase{R"({"$setField": {"field": "$n", "input": {}, "value": 1}})", "error 4161107"},
        ExprCase{R"({"$literal": "$n"})", R"("$n")"},
        // conditionals
        ExprCase{R"({"$cond": [{"$gt": ["$n", 5]}, "big", "small"]})", R"("big")"},
        ExprCase{R"({"$ifNull": ["$nope", "fallback"]})", R"("fallback")"}));

}  // namespace
}  // namespace mm::engine
