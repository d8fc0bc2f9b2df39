// `$jsonSchema` validators (MongoDB's draft-4 subset with `bsonType`).
#pragma once

#include <memory>

#include "value/status.h"
#include "value/value.h"

namespace mm::engine {

class JsonSchema {
 public:
  // Fails with FailedToParse (9) for an unknown or malformed keyword, as MongoDB does.
  static StatusOr<std::shared_ptr<const JsonSchema>> Parse(const Document& schema);
  bool Validates(const Value& value) const;

 private:
  Document schema_;
  std::vector<std::pair<std::string, std::shared_ptr<const JsonSchema>>> properties_;
  std::shared_ptr<const JsonSchema> items_;
};

}  // namespace mm::engine
