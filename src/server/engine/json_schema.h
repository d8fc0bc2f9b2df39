// `$jsonSchema` validators (MongoDB's draft-4 subset with `bsonType`).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/engine/regex.h"

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::engine {

class JsonSchema {
 public:
  // Fails with FailedToParse (9) for an unknown or malformed keyword, as MongoDB does.
  static StatusOr<std::shared_ptr<const JsonSchema>> Parse(const Document& schema);
  bool Validates(const Value& value) const;
  // Why `value` fails: the schemaRulesNotSatisfied entries MongoDB puts in a
  // DocumentValidationFailure's errInfo.details ({operatorName, specifiedAs, reason,
  // consideredValue, …}, nested for properties, items and sub-schemas).
  Array Explain(const Value& value) const;

 private:
  using SchemaPtr = std::shared_ptr<const JsonSchema>;
  // Whether `value` satisfies the schema; with `why`, every failed rule is added to it
  // (without, the first failure answers).
  bool Check(const Value& value, Array* why) const;
  // The same for `d`'s fields: properties, patternProperties, additionalProperties and
  // dependencies.
  bool CheckFields(const Document& d, Array* why) const;
  // The failure entry for one keyword `f` that `value` does not satisfy, if any (`explain`:
  // with nested details).
  std::optional<Document> KeywordFailure(const Field& f, const Value& value, bool explain) const;
  // The failure entries of allOf, anyOf, oneOf and not.
  std::vector<Document> CombinatorFailures(const Value& value, bool explain) const;

  Document schema_;
  std::vector<std::pair<std::string, SchemaPtr>> properties_;
  SchemaPtr items_;
  std::vector<SchemaPtr> all_of_, any_of_, one_of_;
  SchemaPtr not_;
  struct PatternProperty {
    std::string pattern;
    std::shared_ptr<const CompiledRegex> regex;
    SchemaPtr schema;
  };
  std::vector<PatternProperty> pattern_properties_;
  SchemaPtr additional_schema_;  // additionalProperties given as a schema
  // dependencies: a present field requires other fields, or the document to match a schema.
  std::vector<std::pair<std::string, std::vector<std::string>>> property_dependencies_;
  std::vector<std::pair<std::string, SchemaPtr>> schema_dependencies_;
};

}  // namespace mm::engine
