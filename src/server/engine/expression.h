// Aggregation expressions: `"$field"`, `{$add: [...]}`, `{$cond: ...}`, literals.
//
// A missing field evaluates to Undefined, which callers treat as "missing" (projection omits
// it, $ifNull replaces it); MongoDB keeps the same distinction internally.
#pragma once

#include <memory>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::engine {

class Expression {
 public:
  virtual ~Expression() = default;
  // Fails with InvalidPipelineOperator (168) for an unknown `$op`.
  static StatusOr<std::shared_ptr<const Expression>> Parse(const Value& spec);
  virtual StatusOr<Value> Evaluate(const Document& root) const = 0;
};
using ExpressionPtr = std::shared_ptr<const Expression>;

}  // namespace mm::engine
