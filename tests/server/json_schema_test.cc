// $jsonSchema keywords MongoDB supports beyond the basic ones (docs: $jsonSchema, "Available
// Keywords"; draft 4 semantics): allOf, anyOf, oneOf, not, multipleOf, patternProperties,
// additionalProperties as a schema, and dependencies (property and schema). Each row: a schema,
// and the _ids of the documents it accepts, or the error for a malformed one.
#include <gtest/gtest.h>

#include "server/service.h"
#include "support/json.h"

namespace mm {
namespace {

using mm::testing::Json;

struct SchemaCase {
  const char* what;
  const char* schema;
  const char* accepted;  // "_id _id …", or "CODE errmsg"
};
void PrintTo(const SchemaCase& c, std::ostream* os) { *os << c.what; }

class JsonSchemaKeywords : public ::testing::TestWithParam<SchemaCase> {
 protected:
  JsonSchemaKeywords() {
    service_.Run(Json(R"({"insert": "c", "documents": [{"_id": 1, "a": 4}, {"_id": 2, "a": 5},
        {"_id": 3, "a": "x"}, {"_id": 4, "b": 1}, {"_id": 5, "a": 6, "b": 2, "xa": 1}]})"),
                 "test");
  }
  std::string Accepted(const std::string& schema) {
    Document r = service_.Run(
        Json(R"({"find": "c", "filter": {"$jsonSchema": )" + schema + R"(}, "sort": {"_id": 1}})"),
        "test");
    if (const Value* code = r.Get("code")) {
      return std::to_string(*code->AsExactInt64()) + " " + r.Get("errmsg")->As<std::string>();
    }
    std::string ids;
    for (const Value& d : r.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      ids += (ids.empty() ? "" : " ") + ToRelaxedJson(*d.As<Document>().Get("_id"));
    }
    return ids;
  }
  Service service_{commands::ServerOptions{}, storage::MakeMemoryStorage()};
};

TEST_P(JsonSchemaKeywords, AcceptsWhatMongoDBAccepts) {
  EXPECT_EQ(Accepted(GetParam().schema), GetParam().accepted);
}

INSTANTIATE_TEST_SUITE_P(
    Draft4, JsonSchemaKeywords,
    ::testing::Values(
        SchemaCase{
            "allOf",
            R"({"allOf": [{"required": ["a"]}, {"properties": {"a": {"bsonType": "int"}}}]})",
            "1 2 5"},
        SchemaCase{
            "anyOf",
            R"({"anyOf": [{"required": ["b"]}, {"required": ["a"], "properties": {"a": {"bsonType": "string"}}}]})",
            "3 4 5"},
        SchemaCase{"oneOf", R"({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]})", "1 2 3 4"},
        SchemaCase{"not", R"({"not": {"required": ["a"]}})", "4"},
        SchemaCase{"multipleOf_applies_to_numbers_only",
                   R"({"properties": {"a": {"multipleOf": 2}}})", "1 3 4 5"},
        SchemaCase{"patternProperties", R"({"patternProperties": {"^x": {"bsonType": "string"}}})",
                   "1 2 3 4"},
        SchemaCase{"additionalProperties_schema",
                   R"({"properties": {"_id": {}}, "additionalProperties": {"bsonType": "int"}})",
                   "1 2 4 5"},
        SchemaCase{"property_dependency", R"({"dependencies": {"b": ["a"]}})", "1 2 3 5"},
        SchemaCase{"schema_dependency", R"({"dependencies": {"a": {"required": ["b"]}}})", "4 5"},
        SchemaCase{"multipleOf_zero", R"({"multipleOf": 0})",
                   "9 $jsonSchema keyword 'multipleOf' must have a positive value"},
        SchemaCase{"anyOf_empty", R"({"anyOf": []})",
                   "9 $jsonSchema keyword 'anyOf' must be a non-empty array"},
        SchemaCase{"oneOf_not_schemas", R"({"oneOf": [1]})",
                   "14 $jsonSchema keyword 'oneOf' must be an array of objects, but found an "
                   "element of type int"}),
    [](const ::testing::TestParamInfo<SchemaCase>& info) { return std::string(info.param.what); });

// A rejected document says why, rule by rule, as MongoDB 5.0+ does (docs: "Schema Validation"
// > "View rejected documents": errInfo.details.operatorName "$jsonSchema" and
// schemaRulesNotSatisfied, each with operatorName, specifiedAs, reason, consideredValue).
TEST(JsonSchemaErrors, ARejectedDocumentSaysWhichRulesItBroke) {
  Service service{commands::ServerOptions{}, storage::MakeMemoryStorage()};
  service.Run(Json(R"({"create": "students", "validator": {"$jsonSchema": {
      "bsonType": "object", "required": ["name", "year", "major"],
      "properties": {"name": {"bsonType": "string", "description": "must be a string"},
                     "year": {"bsonType": "int", "minimum": 2017},
                     "major": {"enum": ["Math", "English"]}},
      "additionalProperties": false}}})"),
              "school");
  Document reply = service.Run(
      Json(R"({"insert": "students", "documents": [{"_id": 1, "name": 5, "year": 2016}]})"),
      "school");
  ASSERT_TRUE(reply.Has("writeErrors")) << ToRelaxedJson(reply);
  const Document& error = reply.Get("writeErrors")->As<Array>().items[0].As<Document>();
  EXPECT_EQ(*error.Get("code")->AsExactInt64(), 121);
  EXPECT_EQ(
      ToRelaxedJson(*error.Get("errInfo")),
      R"({ "failingDocumentId" : 1, "details" : { "operatorName" : "$jsonSchema", )"
      R"("schemaRulesNotSatisfied" : [ { "operatorName" : "required", "specifiedAs" : )"
      R"({ "required" : [ "name", "year", "major" ] }, "missingProperties" : [ "major" ] }, )"
      R"({ "operatorName" : "properties", "propertiesNotSatisfied" : [ { "propertyName" : )"
      R"("name", "description" : "must be a string", "details" : [ { "operatorName" : )"
      R"("bsonType", "specifiedAs" : { "bsonType" : "string" }, "reason" : "type did not )"
      R"(match", "consideredValue" : 5, "consideredType" : "int" } ] }, { "propertyName" : )"
      R"("year", "details" : [ { "operatorName" : "minimum", "specifiedAs" : { "minimum" : )"
      R"(2017 }, "reason" : "comparison failed", "consideredValue" : 2016 } ] } ] }, )"
      R"({ "operatorName" : "additionalProperties", "specifiedAs" : { "additionalProperties" )"
      R"(: false }, "additionalProperties" : [ "_id" ] } ] } })");
}

}  // namespace
}  // namespace mm
