#include "server/engine/variables.h"

#include <cctype>

#include "server/engine/expression.h"
#include "server/engine/path.h"

namespace mm::engine {
namespace {

thread_local const Variables* current = nullptr;

// MongoDB's user variable names: a lowercase letter or non-ASCII first, then letters, digits,
// '_' or non-ASCII (variable_validation.cpp).
bool IsUserVariableName(const std::string& name) {
  if (name.empty()) return false;
  auto c0 = static_cast<unsigned char>(name[0]);
  if (!(std::islower(c0) || c0 >= 0x80)) return false;
  for (unsigned char c : name) {
    if (!(std::isalnum(c) || c == '_' || c >= 0x80)) return false;
  }
  return true;
}

}  // namespace

StatusOr<Variables> EvaluateLet(const Value& let) {
  const Document* d = let.If<Document>();
  if (!d) {
    return Status(kTypeMismatch, "BSON field 'let' is the wrong type '" +
                                     std::string(TypeAlias(let.type())) +
                                     "', expected type 'object'");
  }
  Variables out;
  for (const Field& f : d->fields()) {
    if (!IsUserVariableName(f.key)) {
      return Status(16870,
                    "'" + f.key + "' starts with an invalid character for a user variable name");
    }
    auto e = Expression::Parse(f.value);
    if (!e.ok()) return e.status();
    auto v = (*e)->Evaluate(Document{});
    if (!v.ok()) return v.status();
    out[f.key] = *v;
  }
  return out;
}

VariablesScope::VariablesScope(Variables variables)
    : variables_(std::move(variables)), previous_(current) {
  current = &variables_;
}

VariablesScope::~VariablesScope() { current = previous_; }

std::optional<Value> LookupVariable(const std::string& reference) {
  if (!current || !reference.starts_with("$$")) return std::nullopt;
  std::string rest = reference.substr(2);
  size_t dot = rest.find('.');
  auto it = current->find(rest.substr(0, dot));
  if (it == current->end()) return std::nullopt;
  if (dot == std::string::npos) return it->second;
  const Document* d = it->second.If<Document>();
  if (!d) return Value(Undefined{});
  const Value* v = GetExact(*d, SplitPath(rest.substr(dot + 1)));
  return v ? *v : Value(Undefined{});
}

}  // namespace mm::engine
