// Command-level variables (`let` on find, aggregate, update, delete, findAndModify): constants
// a command's filters, pipelines and updates read as "$$name". They are evaluated once, before
// the command parses anything, and parsing reads them through the scope in force on this
// thread (one command runs at a time per thread).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::engine {

using Variables = std::map<std::string, Value>;

// Evaluates `let` (a document of expressions) into constants. Refuses what MongoDB refuses: a
// `let` that is not a document (TypeMismatch), a name that is not a user variable name (16870,
// e.g. "X" or "a-b"), an expression that does not parse or evaluate.
StatusOr<Variables> EvaluateLet(const Value& let);

// While it lives, parsing on this thread sees `variables`.
class VariablesScope {
 public:
  explicit VariablesScope(Variables variables);
  ~VariablesScope();
  VariablesScope(const VariablesScope&) = delete;
  VariablesScope& operator=(const VariablesScope&) = delete;

 private:
  Variables variables_;
  const Variables* previous_;
};

// The value of "$$name" or "$$name.a.b" in the scope in force, if `name` is defined.
std::optional<Value> LookupVariable(const std::string& reference);

}  // namespace mm::engine
