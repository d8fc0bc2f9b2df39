// `$jsonSchema` validators (MongoDB's draft-4 subset with `bsonType`).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "server/engine/regex.h"

#include "value/status.h"
#include "value/value.h"

namespace mm::engine {

class JsonSchema {
 public:
  // Fails with FailedToParse (9) for an unknown or malformed keyword, as MongoDB does.
  static StatusOr<std::shared_ptr<const JsonSchema>> Parse(const Document& schema);
  bool Validates(const Value& value) const;

 private:
  using SchemaPtr = std::shared_ptr<const JsonSchema>;
  // Whether `d`'s fields satisfy properties, patternProperties, additionalProperties and
  // dependencies.
  bool ValidatesFields(const Document& d) const;

  Document schema_;
  std::vector<std::pair<std::string, SchemaPtr>> properties_;
  SchemaPtr items_;
  std::vector<SchemaPtr> all_of_, any_of_, one_of_;
  SchemaPtr not_;
  std::vector<std::pair<std::shared_ptr<const CompiledRegex>, SchemaPtr>> pattern_properties_;
  SchemaPtr additional_schema_;  // additionalProperties given as a schema
  // dependencies: a present field requires other fields, or the document to match a schema.
  std::vector<std::pair<std::string, std::vector<std::string>>> property_dependencies_;
  std::vector<std::pair<std::string, SchemaPtr>> schema_dependencies_;
};

}  // namespace mm::engine
