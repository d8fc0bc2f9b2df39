// readConcern and writeConcern as mongod checks and honours them on one node. Sources:
// read_concern_args.cpp (MongoDB's parser: codes 9 and 72), MongoDB's docs "Read Concern
// 'snapshot'" (reads outside transactions at atClusterTime, 5.0+), sessions/snapshot-sessions.json
// and crud/aggregate-out-readConcern.json (../shared/spec-tests).
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"

namespace mm {
namespace {

using mm::testing::Json;

commands::ServerOptions Options(bool replica_set) {
  commands::ServerOptions o;
  if (replica_set) o.repl_set = "rs0";
  return o;
}

class ReadConcernTest : public ::testing::Test {
 protected:
  Document Run(const std::string& json) { return service_.Run(Json(json), "test"); }
  int64_t Code(const std::string& json) {
    const Document reply = Run(json);  // kept: `code` points into it
    const Value* code = reply.Get("code");
    return code ? *code->AsExactInt64() : 0;
  }
  Service service_{Options(true), storage::MakeMemoryStorage()};
};

TEST_F(ReadConcernTest, UnknownLevelsFieldsAndCombinationsAreRefused) {
  EXPECT_EQ(Code(R"({"find": "c", "readConcern": {"level": "strong"}})"), 9);
  EXPECT_EQ(Code(R"({"find": "c", "readConcern": "majority"})"), 9);
  EXPECT_EQ(Code(R"({"find": "c", "readConcern": {"level": "local", "wait": true}})"), 72);
  EXPECT_EQ(Code(R"({"find": "c", "readConcern": {"level": "majority",
                     "atClusterTime": {"$timestamp": {"t": 1, "i": 1}}}})"),
            72);
  EXPECT_EQ(Code(R"({"insert": "c", "documents": [{}], "readConcern": {"level": "majority"}})"), 72)
      << "a write outside a transaction takes only local";
  EXPECT_EQ(
      Code(R"({"insert": "c", "documents": [{"_id": 1}], "readConcern": {"level": "local"}})"), 0);
  EXPECT_EQ(Code(R"({"aggregate": "c", "pipeline": [{"$out": "d"}], "cursor": {},
                     "readConcern": {"level": "linearizable"}})"),
            72);
  EXPECT_EQ(Code(R"({"aggregate": "c", "pipeline": [{"$out": "d"}], "cursor": {},
                     "readConcern": {"level": "majority"}})"),
            0);
  EXPECT_EQ(Code(R"({"count": "c", "readConcern": {"level": "snapshot"}})"), 72);
}

TEST(ReadConcernStandalone, LinearizableAndSnapshotNeedAReplicaSet) {
  Service service{Options(false), storage::MakeMemoryStorage()};
  for (const char* level : {"linearizable", "snapshot"}) {
    Document reply = service.Run(
        Json(std::string(R"({"find": "c", "readConcern": {"level": ")") + level + R"("}})"),
        "test");
    ASSERT_TRUE(reply.Has("code")) << level;
    EXPECT_EQ(*reply.Get("code")->AsExactInt64(), 123) << level;
  }
  EXPECT_FALSE(service.Run(Json(R"({"find": "c", "readConcern": {"level": "majority"}})"), "test")
                   .Has("code"));
}

TEST_F(ReadConcernTest, ASnapshotReadSeesTheDataAsAtTheTimeItWasAnswered) {
  Run(R"({"insert": "c", "documents": [{"_id": 1, "x": 11}]})");
  Document first = Run(R"({"find": "c", "readConcern": {"level": "snapshot"}})");
  const Value* at = first.Get("cursor")->As<Document>().Get("atClusterTime");
  ASSERT_TRUE(at && at->Is<Timestamp>()) << ToRelaxedJson(first);
  const Timestamp t = at->As<Timestamp>();
  Run(R"({"update": "c", "updates": [{"q": {"_id": 1}, "u": {"$inc": {"x": 1}}}]})");
  Run(R"({"insert": "c", "documents": [{"_id": 2, "x": 22}]})");
  const std::string at_json =
      R"({"$timestamp": {"t": )" + std::to_string(t.t) + R"(, "i": )" + std::to_string(t.i) + "}}";
  Document again = Run(R"({"find": "c", "readConcern": {"level": "snapshot", "atClusterTime": )" +
                       at_json + "}}");
  EXPECT_EQ(ToRelaxedJson(*again.Get("cursor")->As<Document>().Get("firstBatch")),
            R"([ { "_id" : 1, "x" : 11 } ])");
  Document distinct = Run(R"({"distinct": "c", "key": "x", "readConcern": {"level": "snapshot",
                              "atClusterTime": )" +
                          at_json + "}}");
  EXPECT_EQ(ToRelaxedJson(*distinct.Get("values")), "[ 11 ]");
  EXPECT_TRUE(distinct.Has("atClusterTime")) << "distinct answers it at the top level";
  Document now = Run(R"({"find": "c"})");
  EXPECT_EQ(ToRelaxedJson(*now.Get("cursor")->As<Document>().Get("firstBatch")),
            R"([ { "_id" : 1, "x" : 12 }, { "_id" : 2, "x" : 22 } ])");
  // A time devmongod never answered: refused, never read at the wrong time.
  EXPECT_EQ(Code(R"({"find": "c", "readConcern": {"level": "snapshot",
                     "atClusterTime": {"$timestamp": {"t": 1, "i": 1}}}})"),
            239);
  EXPECT_EQ(Code(R"({"find": "c", "readConcern": {"level": "snapshot",
                     "atClusterTime": {"$timestamp": {"t": 4000000000, "i": 1}}}})"),
            72)
      << "a time in the future";
}

// One node cannot acknowledge w: 2: on a one-member set the write is done and the reply says
// the concern was not met (100, as mongod's "Not enough data-bearing nodes"); a standalone
// refuses w > 1 before writing (2); an unknown tag is 79. w: 1 and "majority" are met.
TEST_F(ReadConcernTest, AWriteConcernOneNodeCannotMeetIsReported) {
  Document reply = Run(R"({"insert": "c", "documents": [{"_id": 1}], "writeConcern": {"w": 2}})");
  ASSERT_TRUE(reply.Has("writeConcernError")) << ToRelaxedJson(reply);
  EXPECT_EQ(ToRelaxedJson(*reply.Get("writeConcernError")),
            R"({ "code" : 100, "codeName" : "UnsatisfiableWriteConcern", "errmsg" : "Not enough )"
            R"(data-bearing nodes", "errInfo" : { "writeConcern" : { "w" : 2 } } })");
  EXPECT_EQ(*reply.Get("n")->AsExactInt64(), 1) << "the write itself is done";
  reply = Run(R"({"insert": "c", "documents": [{"_id": 2}], "writeConcern": {"w": "dc2"}})");
  EXPECT_EQ(*reply.Get("writeConcernError")->As<Document>().Get("code")->AsExactInt64(), 79);
  for (const char* met : {R"({"w": 1})", R"({"w": "majority"})", R"({"w": 0})"}) {
    reply = Run(std::string(R"({"insert": "c", "documents": [{}], "writeConcern": )") + met + "}");
    EXPECT_FALSE(reply.Has("writeConcernError")) << met;
  }
  Service standalone{Options(false), storage::MakeMemoryStorage()};
  reply = standalone.Run(
      Json(R"({"insert": "c", "documents": [{"_id": 1}], "writeConcern": {"w": 2}})"), "test");
  EXPECT_EQ(*reply.Get("code")->AsExactInt64(), 2) << ToRelaxedJson(reply);
  reply = standalone.Run(Json(R"({"count": "c"})"), "test");
  EXPECT_EQ(*reply.Get("n")->AsExactInt64(), 0) << "refused before writing";
}

}  // namespace
}  // namespace mm
