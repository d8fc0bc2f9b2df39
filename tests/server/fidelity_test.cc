// Behaviour MongoDB 7.0 has and devmongod once lacked, each row with the source it is taken
// from: command-level `let`, statement fields checked before any statement runs, and `_id`
// projections. In-process, whole outcomes compared.
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"

namespace mm {
namespace {

using mm::testing::Json;

struct Case {
  const char* what;
  const char* source;   // where MongoDB's behaviour is stated
  const char* command;  // run on database "test" holding c: {_id: 1, x: 1}, {_id: 2, x: 2}
  const char* outcome;  // the reply without volatile fields, or "CODE CodeName: errmsg"
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.what; }

// A reply's error code, 0 for a success.
int64_t ErrorCode(const Document& reply) {
  const Value* code = reply.Get("code");
  return code ? code->AsExactInt64().value_or(0) : 0;
}

class Fidelity : public ::testing::TestWithParam<Case> {
 protected:
  Fidelity() { Run(R"({"insert": "c", "documents": [{"_id": 1, "x": 1}, {"_id": 2, "x": 2}]})"); }
  Document Run(const std::string& json) { return service_.Run(Json(json), "test"); }
  // An error as "CODE CodeName: errmsg"; a cursor as its first batch; else the reply.
  std::string Outcome(const Document& reply) {
    if (const Value* code = reply.Get("code")) {
      return std::to_string(*code->AsExactInt64()) + " " +
             reply.Get("codeName")->As<std::string>() + ": " +
             reply.Get("errmsg")->As<std::string>();
    }
    if (const Value* cursor = reply.Get("cursor")) {
      return ToRelaxedJson(*cursor->As<Document>().Get("firstBatch"));
    }
    return ToRelaxedJson(reply);
  }
  Service service_{commands::ServerOptions{}, storage::MakeMemoryStorage()};
};

TEST_P(Fidelity, AnswersAsMongoDB) {
  const Case& c = GetParam();
  EXPECT_EQ(Outcome(Run(c.command)), c.outcome) << c.source;
  // A refused write changed nothing.
  EXPECT_EQ(Outcome(Run(R"({"find": "c"})")),
            R"([ { "_id" : 1, "x" : 1 }, { "_id" : 2, "x" : 2 } ])")
      << c.source;
}

INSTANTIATE_TEST_SUITE_P(
    MongoDB70, Fidelity,
    ::testing::Values(
        Case{"let_in_find", "crud/find-let.json; docs: find command `let` (5.0+)",
             R"({"find": "c", "filter": {"$expr": {"$eq": ["$_id", "$$id"]}}, "let": {"id": 2}})",
             R"([ { "_id" : 2, "x" : 2 } ])"},
        Case{"let_in_aggregate_project", "crud/aggregate-let.json",
             R"({"aggregate": "c", "pipeline": [{"$match": {"$expr": {"$eq": ["$_id", "$$id"]}}},
                 {"$project": {"_id": 0, "y": {"$literal": "$$notAVariable"}, "x": "$$x"}}],
                 "let": {"id": 1, "x": {"$literal": "$bar"}}, "cursor": {}})",
             R"([ { "y" : "$$notAVariable", "x" : "$bar" } ])"},
        Case{
            "let_dotted_reference", "docs: aggregation variables, $$var.field",
            R"({"find": "c", "filter": {"$expr": {"$eq": ["$x", "$$v.n"]}}, "let": {"v": {"n": 1}}})",
            R"([ { "_id" : 1, "x" : 1 } ])"},
        Case{"undefined_variable", "jstests/core/command_let_variables.js",
             R"({"find": "c", "filter": {"$expr": {"$eq": ["$_id", "$$id"]}}})",
             "17276 Location17276: Use of undefined variable: id"},
        Case{"let_bad_name", "src/mongo/db/pipeline/variable_validation.cpp (16870)",
             R"({"find": "c", "filter": {}, "let": {"Id": 1}})",
             "16870 Location16870: 'Id' starts with an invalid character for a user variable name"},
        Case{"let_not_a_document", "IDL: let is an object",
             R"({"find": "c", "filter": {}, "let": 5})",
             "14 TypeMismatch: BSON field 'let' is the wrong type 'int', expected type 'object'"},
        Case{"update_sort_is_8_0",
             "crud/updateOne-sort.json: 'unsupported (server-side error)' below 8.0",
             R"({"update": "c", "updates": [{"q": {"_id": 2}, "u": {"$set": {"x": 9}}},
                 {"q": {}, "u": {"$inc": {"x": 1}}, "sort": {"_id": -1}}]})",
             "40415 Location40415: BSON field 'update.updates.sort' is an unknown field."},
        Case{"delete_without_limit_fails_the_command", "IDL: delete.deletes.limit is required",
             R"({"delete": "c", "deletes": [{"q": {"_id": 1}, "limit": 1}, {"q": {}}]})",
             "40414 Location40414: BSON field 'delete.deletes.limit' is missing but a required "
             "field"},
        Case{"search_index_commands_need_atlas",
             "index-management/createSearchIndex.json and listSearchIndexes.json ('Atlas')",
             R"({"createSearchIndexes": "c", "indexes": [{"definition": {}}]})",
             "31082 SearchNotEnabled: Using Atlas Search Database Commands and the "
             "$listSearchIndexes aggregation stage requires additional configuration. Please "
             "connect to Atlas or an AtlasCLI local deployment to enable. For more information on "
             "how to connect, see https://dochub.mongodb.org/core/atlas-cli-deploy-local-reqs"},
        Case{"list_search_indexes_stage", "index-management/listSearchIndexes.json",
             R"({"aggregate": "c", "pipeline": [{"$listSearchIndexes": {}}], "cursor": {}})",
             "31082 SearchNotEnabled: Using Atlas Search Database Commands and the "
             "$listSearchIndexes aggregation stage requires additional configuration. Please "
             "connect to Atlas or an AtlasCLI local deployment to enable. For more information on "
             "how to connect, see https://dochub.mongodb.org/core/atlas-cli-deploy-local-reqs"},
        Case{"project_only_id", "crud/aggregate-let.json ($project {_id: 1}); docs: projection",
             R"({"find": "c", "projection": {"_id": 1}})", R"([ { "_id" : 1 }, { "_id" : 2 } ])"},
        Case{"project_id_beside_an_exclusion", "docs: projection, _id with exclusions",
             R"({"find": "c", "projection": {"_id": 1, "x": 0}})",
             R"([ { "_id" : 1 }, { "_id" : 2 } ])"},
        Case{"project_id_true_in_aggregate", "docs: $project",
             R"({"aggregate": "c", "pipeline": [{"$project": {"_id": true}}], "cursor": {}})",
             R"([ { "_id" : 1 }, { "_id" : 2 } ])"}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.what); });

// bypassDocumentValidation: true writes what the validator refuses; without it, 121 (docs:
// bypassDocumentValidation; crud/bypassDocumentValidation.json).
TEST(BypassDocumentValidation, BypassesTheValidatorOnEveryWriteCommand) {
  Service service{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  auto run = [&](const std::string& json) {
    return ToRelaxedJson(service.Run(Json(json), "test"));
  };
  ASSERT_EQ(run(R"({"create": "v", "validator": {"x": {"$type": "int"}}})"), R"({ "ok" : 1.0 })");
  EXPECT_NE(run(R"({"insert": "v", "documents": [{"_id": 1, "x": "a"}]})").find("\"code\" : 121"),
            std::string::npos);
  EXPECT_EQ(
      run(R"({"insert": "v", "documents": [{"_id": 1, "x": "a"}], "bypassDocumentValidation": true})"),
      R"({ "n" : 1, "ok" : 1.0 })");
  EXPECT_EQ(run(R"({"update": "v", "updates": [{"q": {"_id": 1}, "u": {"$set": {"y": "b"}}}],
                   "bypassDocumentValidation": true})"),
            R"({ "n" : 1, "nModified" : 1, "ok" : 1.0 })");
  EXPECT_NE(run(R"({"update": "v", "updates": [{"q": {"_id": 1}, "u": {"$set": {"y": "c"}}}]})")
                .find("\"code\" : 121"),
            std::string::npos)
      << "without the flag the validator applies again";
  EXPECT_EQ(
      run(R"({"findAndModify": "v", "query": {"_id": 1}, "update": {"$set": {"z": 1}},
                   "bypassDocumentValidation": true, "new": true})"),
      R"({ "lastErrorObject" : { "n" : 1, "updatedExisting" : true }, "value" : { "_id" : 1, "x" : "a", "y" : "b", "z" : 1 }, "ok" : 1.0 })");
}

// MongoDB 7.0's index signature (key pattern, unique, sparse, partialFilterExpression;
// SERVER-47657, docs: createIndexes "Index Names"/"identical indexes"): indexes that differ in
// it coexist on one key; the same signature under another name is 85; a name reused for another
// key is 86; sparse with a partial filter is 67 (index_key_validate).
TEST(IndexIdentity, AsMongoDB70DefinesIt) {
  Service service{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  auto code = [&](const std::string& indexes) {
    Document r = service.Run(Json(R"({"createIndexes": "c", "indexes": )" + indexes + "}"), "test");
    const Value* c = r.Get("code");
    return c ? std::to_string(*c->AsExactInt64()) + " " + r.Get("errmsg")->As<std::string>() : "ok";
  };
  EXPECT_EQ(code(R"([{"key": {"a": 1}, "name": "a_1"}])"), "ok");
  EXPECT_EQ(code(R"([{"key": {"a": 1}, "name": "a_1_unique", "unique": true}])"), "ok");
  EXPECT_EQ(code(R"([{"key": {"a": 1}, "name": "a_1_sparse", "sparse": true}])"), "ok");
  EXPECT_EQ(
      code(R"([{"key": {"a": 1}, "name": "a_1_partial", "partialFilterExpression": {"b": 1}}])"),
      "ok");
  EXPECT_EQ(code(R"([{"key": {"a": 1}, "name": "again"}])"),
            "85 Index already exists with a different name: a_1");
  EXPECT_EQ(code(R"([{"key": {"b": 1}, "name": "a_1"}])").substr(0, 3), "86 ");
  EXPECT_EQ(
      code(
          R"([{"key": {"z": 1}, "name": "z", "sparse": true, "partialFilterExpression": {"z": 1}}])")
          .substr(0, 3),
      "67 ");
  Document listed = service.Run(Json(R"({"listIndexes": "c"})"), "test");
  std::string names;
  for (const Value& i : listed.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
    names += i.As<Document>().Get("name")->As<std::string>() + " ";
  }
  EXPECT_EQ(names, "_id_ a_1 a_1_unique a_1_sparse a_1_partial ");
  // The unique one is enforced; the others do not mind.
  service.Run(Json(R"({"insert": "c", "documents": [{"_id": 1, "a": 5}]})"), "test");
  Document dup = service.Run(Json(R"({"insert": "c", "documents": [{"_id": 2, "a": 5}]})"), "test");
  EXPECT_NE(ToRelaxedJson(dup).find("\"code\" : 11000"), std::string::npos) << ToRelaxedJson(dup);
}

// Making an existing index unique, as a migration does on a live collection: prepareUnique
// first (new duplicates refused), then unique: true, refused with 359 and the conflicting _ids
// while duplicates remain (collection-management/modifyCollection-errorResponse.json; docs:
// collMod "Convert an Existing Index to a Unique Index").
TEST(ConvertToUnique, PrepareThenConvertOnceNoDuplicatesRemain) {
  Service service{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  auto run = [&](const std::string& json) {
    return ToRelaxedJson(service.Run(Json(json), "test"));
  };
  run(R"({"insert": "c", "documents": [{"_id": 1, "x": 1}, {"_id": 2, "x": 1}, {"_id": 3, "x": 2}]})");
  run(R"({"createIndexes": "c", "indexes": [{"key": {"x": 1}, "name": "x_1"}]})");
  EXPECT_EQ(
      run(R"({"collMod": "c", "index": {"keyPattern": {"x": 1}, "unique": true}})"),
      R"({ "ok" : 0.0, "errmsg" : "Cannot make index unique with 'prepareUnique: false'; run )"
      R"(collMod with 'prepareUnique: true' first", "code" : 72, "codeName" : "InvalidOptions" })");
  EXPECT_EQ(run(R"({"collMod": "c", "index": {"keyPattern": {"x": 1}, "prepareUnique": true}})"),
            R"({ "prepareUnique_old" : false, "prepareUnique_new" : true, "ok" : 1.0 })");
  EXPECT_NE(run(R"({"insert": "c", "documents": [{"_id": 4, "x": 2}]})").find("\"code\" : 11000"),
            std::string::npos)
      << "new duplicates are refused";
  EXPECT_EQ(run(R"({"collMod": "c", "index": {"keyPattern": {"x": 1}, "unique": true}})"),
            R"({ "ok" : 0.0, "errmsg" : "Cannot convert the index to unique. Please resolve )"
            R"(conflicting documents before running collMod again.", "code" : 359, "codeName" : )"
            R"("CannotConvertIndexToUnique", "violations" : [ { "ids" : [ 1, 2 ] } ] })");
  run(R"({"delete": "c", "deletes": [{"q": {"_id": 2}, "limit": 1}]})");
  EXPECT_EQ(run(R"({"collMod": "c", "index": {"keyPattern": {"x": 1}, "unique": true}})"),
            R"({ "unique_new" : true, "ok" : 1.0 })");
  EXPECT_NE(run(R"({"listIndexes": "c"})")
                .find(R"("name" : "x_1", "prepareUnique" : true, "unique" : true)"),
            std::string::npos)
      << run(R"({"listIndexes": "c"})");
  EXPECT_EQ(
      run(R"({"collMod": "c", "index": {"name": "x_1", "frobnicate": true}})"),
      R"({ "ok" : 0.0, "errmsg" : "BSON field 'collMod.index.frobnicate' is an unknown field.", )"
      R"("code" : 40415, "codeName" : "Location40415" })");
}

// 16 MiB: a reply batch holds documents while they fit together (the first always), a stored
// document is at most that size (docs: MongoDB limits, BSON document size; the server's
// FindCommon::haveSpaceForNext).
TEST(SixteenMebibytes, BatchesAndDocumentsStayWithinTheLimit) {
  Service service{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  const std::string five_mib(5 * 1024 * 1024, 'x');
  for (int i = 0; i < 5; ++i) {
    Document insert{{"insert", "big"},
                    {"documents", Array{{Value(Document{{"_id", i}, {"s", five_mib}})}}}};
    ASSERT_EQ(ToRelaxedJson(*service.Run(insert, "test").Get("ok")), "1.0");
  }
  Document first = service.Run(Json(R"({"find": "big"})"), "test");
  const Document& cursor = first.Get("cursor")->As<Document>();
  EXPECT_EQ(cursor.Get("firstBatch")->As<Array>().items.size(), 3u) << "3 × 5 MiB fit, 4 do not";
  Document more =
      service.Run(Document{{"getMore", *cursor.Get("id")}, {"collection", "big"}}, "test");
  EXPECT_EQ(more.Get("cursor")->As<Document>().Get("nextBatch")->As<Array>().items.size(), 2u);

  Document grow{
      {"update", "big"},
      {"updates",
       Array{{Value(Document{
           {"q", Document{{"_id", 0}}},
           {"u", Document{{"$set", Document{{"t", std::string(12 * 1024 * 1024, 'y')}}}}}})}}}};
  EXPECT_NE(ToRelaxedJson(service.Run(grow, "test"))
                .find("\"code\" : 17419, \"errmsg\" : \"Resulting document after update is larger "
                      "than 16777216\""),
            std::string::npos);
  Document huge{{"insert", "big"},
                {"documents",
                 Array{{Value(Document{{"_id", 99}, {"s", std::string(17 * 1024 * 1024, 'z')}})}}}};
  EXPECT_NE(
      ToRelaxedJson(service.Run(huge, "test")).find("object to insert too large. size in bytes: "),
      std::string::npos);
}

// Clustered collections (MongoDB 5.3+; docs "Clustered Collections", collection-management/
// clustered-indexes.json, clustered_collection_util.cpp): the option is kept in its canonical
// form, the clustered index replaces the _id index in listIndexes and listCollections'
// idIndex, documents come back in _id order, and the index cannot be dropped.
TEST(ClusteredCollection, IsListedKeptInIdOrderAndRefusesBadSpecs) {
  Service service{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  auto run = [&](const std::string& json) { return service.Run(Json(json), "test"); };
  auto code = [&](const std::string& json) { return ErrorCode(run(json)); };
  EXPECT_EQ(code(R"({"create": "k", "clusteredIndex": {"key": {"_id": 1}, "unique": true}})"), 0);
  Document listed = run(R"({"listCollections": 1, "filter": {"name": "k"}})");
  Document entry =
      listed.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items[0].As<Document>();
  EXPECT_EQ(ToRelaxedJson(*entry.Get("options")),
            R"({ "clusteredIndex" : { "v" : 2, "key" : { "_id" : 1 }, "name" : "_id_", )"
            R"("unique" : true } })");
  EXPECT_FALSE(entry.Has("idIndex")) << "a clustered collection has no separate _id index";
  Document indexes = run(R"({"listIndexes": "k"})");
  EXPECT_EQ(ToRelaxedJson(*indexes.Get("cursor")->As<Document>().Get("firstBatch")),
            R"([ { "v" : 2, "key" : { "_id" : 1 }, "name" : "_id_", "unique" : true, )"
            R"("clustered" : true } ])");
  run(R"({"insert": "k", "documents": [{"_id": 3}, {"_id": 1}, {"_id": 2}]})");
  Document found = run(R"({"find": "k"})");
  EXPECT_EQ(ToRelaxedJson(*found.Get("cursor")->As<Document>().Get("firstBatch")),
            R"([ { "_id" : 1 }, { "_id" : 2 }, { "_id" : 3 } ])")
      << "natural order is _id order";
  EXPECT_EQ(code(R"({"insert": "k", "documents": [{"_id": 2}]})"), 0) << "a write error, not a "
                                                                         "command error";
  EXPECT_EQ(code(R"({"dropIndexes": "k", "index": "_id_"})"), 72);

  EXPECT_EQ(code(R"({"create": "a", "clusteredIndex": "yes"})"), 5979702);
  EXPECT_EQ(code(R"({"create": "b", "clusteredIndex": {"key": {"_id": 1}}})"), 40414);
  EXPECT_EQ(code(R"({"create": "c", "clusteredIndex": {"key": {"_id": 1}, "unique": false}})"), 72);
  EXPECT_EQ(code(R"({"create": "d", "clusteredIndex": {"key": {"x": 1}, "unique": true}})"), 72);
  EXPECT_EQ(code(R"({"create": "e", "clusteredIndex": {"key": {"_id": 1}, "unique": true,
                     "sparse": true}})"),
            40415);
  EXPECT_EQ(code(R"({"create": "f", "clusteredIndex": true})"), 238);
  // Pre- and post-images: kept and listed; devmongod has no change streams to use them.
  EXPECT_EQ(code(R"({"create": "p", "changeStreamPreAndPostImages": {"enabled": 1}})"), 14);
  EXPECT_EQ(code(R"({"create": "p", "changeStreamPreAndPostImages": {"enabled": false}})"), 0);
  EXPECT_EQ(code(R"({"collMod": "p", "changeStreamPreAndPostImages": {"enabled": true}})"), 0);
  listed = run(R"({"listCollections": 1, "filter": {"name": "p"}})");
  EXPECT_EQ(ToRelaxedJson(*listed.Get("cursor")
                               ->As<Document>()
                               .Get("firstBatch")
                               ->As<Array>()
                               .items[0]
                               .As<Document>()
                               .Get("options")),
            R"({ "changeStreamPreAndPostImages" : { "enabled" : true } })");
}

// Database-level aggregate (MongoDB docs: "db.aggregate()", $documents 5.1+,
// $listLocalSessions 3.6+; crud/db-aggregate-write-readPreference.json): the pipeline starts
// from its first stage instead of a collection, and may end in $out or $merge.
TEST(DatabaseLevelAggregate, StartsFromDocumentsOrLocalSessions) {
  Service service{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  auto run = [&](const std::string& json) { return service.Run(Json(json), "test"); };
  Document reply = run(R"({"aggregate": 1, "pipeline": [{"$documents": [{"x": 2}, {"x": 1}]},
                           {"$sort": {"x": 1}}], "cursor": {}})");
  EXPECT_EQ(ToRelaxedJson(*reply.Get("cursor")->As<Document>().Get("firstBatch")),
            R"([ { "x" : 1 }, { "x" : 2 } ])");
  EXPECT_EQ(reply.Get("cursor")->As<Document>().Get("ns")->As<std::string>(),
            "test.$cmd.aggregate");
  run(R"({"aggregate": 1, "pipeline": [{"$documents": [{"_id": 7}]}, {"$out": "made"}],
          "cursor": {}})");
  reply = run(R"({"find": "made"})");
  EXPECT_EQ(ToRelaxedJson(*reply.Get("cursor")->As<Document>().Get("firstBatch")),
            R"([ { "_id" : 7 } ])");
  // A session used by any command is listed, by its id.
  run(R"({"ping": 1, "lsid": {"id": {"$binary": {"base64": "AAAAAAAAAAAAAAAAAAAAAQ==",
          "subType": "04"}}}})");
  reply = run(R"({"aggregate": 1, "pipeline": [{"$listLocalSessions": {}},
                  {"$project": {"_id.id": 1}}], "cursor": {}})");
  EXPECT_EQ(ToRelaxedJson(*reply.Get("cursor")->As<Document>().Get("firstBatch")),
            R"([ { "_id" : { "id" : { "$binary" : { "base64" : "AAAAAAAAAAAAAAAAAAAAAQ==", )"
            R"("subType" : "04" } } } } ])");
  auto code = [&](const std::string& json) { return *run(json).Get("code")->AsExactInt64(); };
  EXPECT_EQ(code(R"({"aggregate": 1, "pipeline": [{"$match": {}}], "cursor": {}})"), 73);
  EXPECT_EQ(code(R"({"aggregate": 1, "pipeline": [{"$documents": 5}], "cursor": {}})"), 5858203);
  EXPECT_EQ(code(R"({"aggregate": 2, "pipeline": [], "cursor": {}})"), 73);
}

// Capped collections and tailable cursors (MongoDB docs "Capped Collections", "Tailable
// Cursors"; run-command/runCursorCommand.json): the oldest documents go past `max`, a
// tailable cursor stays open and returns what is inserted later, and its options are checked.
TEST(TailableCursor, FollowsACappedCollection) {
  Service service{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  auto run = [&](const std::string& json) { return service.Run(Json(json), "test"); };
  auto code = [&](const std::string& json) { return ErrorCode(run(json)); };
  auto batch = [](const Document& reply, const char* which) {
    return ToRelaxedJson(*reply.Get("cursor")->As<Document>().Get(which));
  };
  run(R"({"create": "log", "capped": true, "size": 4096, "max": 3})");
  run(R"({"insert": "log", "documents": [{"_id": 1}, {"_id": 2}, {"_id": 3}, {"_id": 4}]})");
  EXPECT_EQ(batch(run(R"({"find": "log"})"), "firstBatch"),
            R"([ { "_id" : 2 }, { "_id" : 3 }, { "_id" : 4 } ])")
      << "past max: 3 the oldest went";

  Document first = run(R"({"find": "log", "tailable": true, "filter": {"_id": {"$gt": 2}}})");
  const int64_t id = *first.Get("cursor")->As<Document>().Get("id")->AsExactInt64();
  EXPECT_NE(id, 0) << "a tailable cursor stays open after its last document";
  EXPECT_EQ(batch(first, "firstBatch"), R"([ { "_id" : 3 }, { "_id" : 4 } ])");
  const std::string get_more =
      R"({"getMore": {"$numberLong": ")" + std::to_string(id) + R"("}, "collection": "log"})";
  Document empty = run(get_more);
  EXPECT_EQ(batch(empty, "nextBatch"), "[  ]");
  EXPECT_EQ(*empty.Get("cursor")->As<Document>().Get("id")->AsExactInt64(), id);
  run(R"({"insert": "log", "documents": [{"_id": 5}, {"_id": 0}]})");
  EXPECT_EQ(batch(run(get_more), "nextBatch"), R"([ { "_id" : 5 } ])")
      << "what came since, matching the filter";
  EXPECT_EQ(code(R"({"getMore": {"$numberLong": ")" + std::to_string(id) +
                 R"("}, "collection": "log", "maxTimeMS": 100})"),
            2)
      << "maxTimeMS is for awaitData cursors";
  run(R"({"drop": "log"})");
  EXPECT_EQ(code(get_more), 175) << "its collection was dropped";

  run(R"({"insert": "plain", "documents": [{"_id": 1}]})");
  EXPECT_EQ(code(R"({"find": "plain", "tailable": true})"), 2) << "not capped";
  EXPECT_EQ(code(R"({"find": "plain", "awaitData": true})"), 9) << "awaitData needs tailable";
  run(R"({"create": "log2", "capped": true, "size": 4096})");
  run(R"({"insert": "log2", "documents": [{"_id": 1}]})");
  EXPECT_EQ(code(R"({"find": "log2", "tailable": true, "sort": {"_id": 1}})"), 2);
}

}  // namespace
}  // namespace mm
