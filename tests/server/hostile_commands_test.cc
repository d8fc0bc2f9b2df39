// Commands that once crashed devmongod (or answered wrongly at the edges of a number), each
// with the error MongoDB 7.0 answers; the server keeps serving after every one.
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"

namespace mm {
namespace {

using mm::testing::Json;

class HostileCommands : public ::testing::Test {
 protected:
  HostileCommands() {
    Run(R"({"insert": "c", "documents": [{"_id": 1, "a": [1, 2, 3], "n": {"$numberLong":
        "-9223372036854775808"}}, {"_id": 2, "a": [4]}, {"_id": 3, "a": []}]})");
  }
  Document Run(const std::string& json) { return service_.Run(Json(json), "test"); }
  Document Run(const Document& command) { return service_.Run(command, "test"); }
  // "CODE CodeName: errmsg", or the relaxed JSON of a reply that succeeded.
  std::string Outcome(const Document& reply) {
    const Value* code = reply.Get("code");
    if (!code) return ToRelaxedJson(reply);
    return std::to_string(*code->AsExactInt64()) + " " + reply.Get("codeName")->As<std::string>() +
           ": " + reply.Get("errmsg")->As<std::string>();
  }
  std::string Outcome(const std::string& json) { return Outcome(Run(json)); }
  std::string Ids(const std::string& find) {
    Document reply = Run(find);
    const Value* cursor = reply.Get("cursor");
    if (!cursor) return Outcome(reply);
    std::string out;
    for (const Value& d : cursor->As<Document>().Get("firstBatch")->As<Array>().items) {
      out += ToRelaxedJson(*d.As<Document>().Get("_id")) + " ";
    }
    return out;
  }

  Service service_{commands::ServerOptions{}, storage::MakeMemoryStorage()};
};

TEST_F(HostileCommands, ElemMatchProjectionNeedsAnObjectOnATopLevelField) {
  EXPECT_EQ(Outcome(R"({"find": "c", "projection": {"a": {"$elemMatch": 1}}})"),
            "31274 Location31274: elemMatch: Invalid argument, object required, but got int");
  EXPECT_EQ(Outcome(R"({"find": "c", "projection": {"x.a": {"$elemMatch": {"$gt": 1}}}})"),
            "31275 Location31275: Cannot use $elemMatch projection on a nested field.");
  EXPECT_EQ(Ids(R"({"find": "c", "filter": {"_id": 1}})"), "1 ") << "still serving";
}

TEST_F(HostileCommands, IfNullNeedsTwoArgumentsInAFilterAndInAValidator) {
  EXPECT_EQ(Outcome(R"({"find": "c", "filter": {"$expr": {"$ifNull": []}}})"),
            "1257300 Location1257300: $ifNull needs at least two arguments, had: 0");
  EXPECT_EQ(Outcome(R"({"find": "c", "filter": {"$expr": {"$ifNull": ["$a"]}}})"),
            "1257300 Location1257300: $ifNull needs at least two arguments, had: 1");
  Document created = Run(R"({"create": "v", "validator": {"$expr": {"$ifNull": []}}})");
  EXPECT_EQ(created.Get("code") ? *created.Get("code")->AsExactInt64() : 0, 1257300)
      << ToRelaxedJson(created);
  EXPECT_EQ(Ids(R"({"find": "c", "filter": {"$expr": {"$ifNull": ["$zz", true]}}})"), "1 2 3 ");
}

TEST_F(HostileCommands, SkipPlusALimitNearInt64MaxReturnsTheRest) {
  EXPECT_EQ(Ids(R"({"find": "c", "skip": 1, "limit": {"$numberLong": "9223372036854775807"}})"),
            "2 3 ");
  EXPECT_EQ(ToRelaxedJson(Run(
                R"({"count": "c", "skip": 1, "limit": {"$numberLong": "9223372036854775807"}})")),
            R"({ "n" : 2, "ok" : 1.0 })");
  EXPECT_EQ(Outcome(R"({"count": "c", "limit": {"$numberLong": "-9223372036854775808"}})"),
            "2 BadValue: limit value for count cannot be min long");
}

TEST_F(HostileCommands, ModAtTheEdgesOfInt64) {
  // INT64_MIN % -1 overflows in C++ (SIGFPE); MongoDB answers 0.
  EXPECT_EQ(Ids(R"({"find": "c", "filter": {"n": {"$mod": [-1, 0]}}})"), "1 ");
  EXPECT_EQ(Outcome(R"({"find": "c", "filter": {"n": {"$mod": [{"$numberDouble": "NaN"}, 0]}}})"),
            "2 BadValue: malformed mod, divisor value is invalid :: caused by :: Unable to coerce "
            "NaN/Inf to integral type");
  EXPECT_EQ(Outcome(R"({"find": "c", "filter": {"n": {"$mod": [1e300, 0]}}})"),
            "2 BadValue: malformed mod, divisor value is invalid :: caused by :: Out of bounds "
            "coercing to integral value");
}

TEST_F(HostileCommands, SliceWithHugeCountsAndSumsBeyondInt64) {
  EXPECT_EQ(ToRelaxedJson(Run(R"({"find": "c", "filter": {"_id": 1}, "projection": {"a":
                {"$slice": [1, {"$numberLong": "9223372036854775807"}]}}})")
                              .Get("cursor")
                              ->As<Document>()
                              .Get("firstBatch")
                              ->As<Array>()
                              .items[0]),
            R"({ "_id" : 1, "a" : [ 2, 3 ], "n" : -9223372036854775808 })");
  Run(R"({"insert": "s", "documents": [{"v": {"$numberLong": "9223372036854775807"}},
                                        {"v": {"$numberLong": "9223372036854775807"}}]})");
  Document sum = Run(R"({"aggregate": "s", "pipeline": [{"$group": {"_id": null, "t":
      {"$sum": "$v"}}}], "cursor": {}})");
  EXPECT_EQ(
      ToRelaxedJson(sum.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items[0]),
      R"({ "_id" : null, "t" : 18446744073709551616.0 })");
}

TEST_F(HostileCommands, WritesThatWouldNestTooDeepOrPadTooFar) {
  EXPECT_EQ(Outcome(R"({"update": "c", "updates": [{"q": {"_id": 2}, "u": {"$set":
                {"a.1600000": 1}}}]})"),
            R"({ "n" : 0, "nModified" : 0, "writeErrors" : [ { "index" : 0, "code" : 34, )"
            R"("errmsg" : "can't backfill more than 1500000 elements" } ], "ok" : 1.0 })");
  std::string path = "p";
  for (int i = 0; i < 100000; ++i) path += ".p";
  Document set{
      {"update", "c"},
      {"updates", Array{{Value(Document{{"q", Document{{"_id", 3}}},
                                        {"u", Document{{"$set", Document{{path, 1}}}}}})}}}};
  Document reply = Run(set);
  EXPECT_NE(ToRelaxedJson(reply).find("\"code\" : 15, \"errmsg\" : \"Document exceeds maximum "
                                      "nesting depth of 180\""),
            std::string::npos)
      << ToRelaxedJson(reply);
  Value deep = Value(Document{});
  for (int i = 0; i < 185; ++i) deep = Value(Document{{"d", std::move(deep)}});
  Document insert{{"insert", "c"}, {"documents", Array{{Value(Document{{"deep", deep}})}}}};
  EXPECT_NE(ToRelaxedJson(Run(insert))
                .find("\"code\" : 15, \"errmsg\" : \"cannot insert document because it exceeds "
                      "180 levels of nesting\""),
            std::string::npos);
  EXPECT_EQ(Ids(R"({"find": "c"})"), "1 2 3 ") << "nothing was written, and still serving";
}

}  // namespace
}  // namespace mm
