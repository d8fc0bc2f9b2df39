#include "server/engine/match.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "server/engine/expression.h"
#include "server/engine/json_schema.h"
#include "server/engine/path.h"
#include "server/engine/regex.h"
#include "value/compare.h"

namespace mm::engine {

// A tree node: logical nodes hold children; path nodes hold one predicate on one path.
struct MatchNode {
  virtual ~MatchNode() = default;
  virtual bool Matches(const Document& doc, int* positional) const = 0;
};

namespace {

using NodePtr = std::shared_ptr<const MatchNode>;

// A test on one value reached by a path (an array's elements are offered one by one, and
// the array itself, unless the predicate looks at whole arrays).
struct ValuePredicate {
  virtual ~ValuePredicate() = default;
  virtual bool Test(const Value& v) const = 0;
  // Whether a missing path counts as a match (`{a: null}`, `{a: {$exists: false}}`).
  virtual bool MatchesMissing() const { return false; }
  // $size, $elemMatch and $all look at the array as a whole.
  virtual bool WholeArrays() const { return false; }
};
using PredicatePtr = std::shared_ptr<const ValuePredicate>;

Status Bad(std::string message) { return Status(kBadValue, std::move(message)); }

struct EqPredicate : ValuePredicate {
  Value expected;
  explicit EqPredicate(Value v) : expected(std::move(v)) {}
  bool Test(const Value& v) const override { return ValuesEqual(v, expected); }
  bool MatchesMissing() const override { return expected.IsNullish(); }
};

struct RegexPredicate : ValuePredicate {
  std::shared_ptr<const CompiledRegex> regex;
  Regex source;
  bool Test(const Value& v) const override {
    if (auto s = v.If<std::string>()) return regex->Matches(*s);
    if (auto sym = v.If<Symbol>()) return regex->Matches(sym->name);
    if (auto r = v.If<Regex>()) return *r == source;
    return false;
  }
};

enum class CmpOp { kLt, kLte, kGt, kGte };

struct ComparePredicate : ValuePredicate {
  CmpOp op;
  Value bound;
  ComparePredicate(CmpOp o, Value b) : op(o), bound(std::move(b)) {}
  bool Test(const Value& v) const override {
    // Comparisons only hold within one type bracket, except against MinKey/MaxKey.
    bool any_type = bound.Is<MinKey>() || bound.Is<MaxKey>();
    if (!any_type && CanonicalTypeRank(v) != CanonicalTypeRank(bound)) return false;
    int c = CompareValues(v, bound);
    switch (op) {
      case CmpOp::kLt:
        return c < 0;
      case CmpOp::kLte:
        return c <= 0;
      case CmpOp::kGt:
        return c > 0;
      case CmpOp::kGte:
        return c >= 0;
    }
    return false;
  }
  bool MatchesMissing() const override {
    return bound.IsNullish() && (op == CmpOp::kLte || op == CmpOp::kGte);
  }
};

struct InPredicate : ValuePredicate {
  std::vector<Value> values;  // sorted (ValueLess), so a test is a binary search
  std::vector<std::shared_ptr<RegexPredicate>> regexes;
  bool Test(const Value& v) const override {
    if (std::binary_search(values.begin(), values.end(), v, ValueLess{})) return true;
    for (const auto& r : regexes) {
      if (r->Test(v)) return true;
    }
    return false;
  }
  bool MatchesMissing() const override {
    for (const Value& x : values) {
      if (x.IsNullish()) return true;
    }
    return false;
  }
};

struct ExistsPredicate : ValuePredicate {
  bool Test(const Value&) const override { return true; }
};

struct TypePredicate : ValuePredicate {
  std::set<int> types;
  bool any_number = false;
  bool Test(const Value& v) const override {
    if (any_number && v.IsNumber()) return true;
    return types.count(static_cast<int>(v.type())) > 0;
  }
};

// A double truncated toward zero, when it fits int64_t (a cast of anything else is undefined).
std::optional<int64_t> TruncateToInt64(double d) {
  if (!std::isfinite(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
    return std::nullopt;
  }
  return static_cast<int64_t>(d);
}

struct ModPredicate : ValuePredicate {
  int64_t divisor, remainder;
  ModPredicate(int64_t d, int64_t r) : divisor(d), remainder(r) {}
  bool Test(const Value& v) const override {
    if (!v.IsNumber()) return false;
    std::optional<int64_t> n =
        v.Is<int64_t>() ? std::optional(v.As<int64_t>()) : TruncateToInt64(v.AsDouble());
    if (!n) return false;
    // INT64_MIN % -1 overflows (SIGFPE); MongoDB's safeMod answers 0.
    return (divisor == -1 ? 0 : *n % divisor) == remainder;
  }
};

// $mod's divisor or remainder as an integer, or MongoDB's complaint about it.
StatusOr<int64_t> ModOperand(const Value& v, const char* which) {
  if (v.Is<int64_t>()) return v.As<int64_t>();
  double d = v.AsDouble();
  auto n = TruncateToInt64(d);
  if (n) return *n;
  return Status(kBadValue, std::string("malformed mod, ") + which +
                               " value is invalid :: caused by :: " +
                               (std::isfinite(d) ? "Out of bounds coercing to integral value"
                                                 : "Unable to coerce NaN/Inf to integral type"));
}

struct SizePredicate : ValuePredicate {
  int64_t size;
  explicit SizePredicate(int64_t n) : size(n) {}
  bool Test(const Value& v) const override {
    auto a = v.If<Array>();
    return a && static_cast<int64_t>(a->items.size()) == size;
  }
  bool WholeArrays() const override { return true; }
};

struct PathNode;

// Tests one path against a conjunction of predicates (each may match a different element).
struct PathNode : MatchNode {
  std::vector<std::string> path;
  PredicatePtr predicate;

  bool Matches(const Document& doc, int* positional) const override {
    std::vector<PathValue> values;
    bool missing = false;
    CollectPathValues(doc, path, &values, &missing);
    if ((missing || values.empty()) && predicate->MatchesMissing()) return true;
    for (const PathValue& pv : values) {
      const Value& v = *pv.value;
      if (const Array* a = v.If<Array>(); a && !predicate->WholeArrays()) {
        for (size_t i = 0; i < a->items.size(); ++i) {
          if (predicate->Test(a->items[i])) {
            if (positional && *positional < 0) {
              *positional = pv.array_position >= 0 ? pv.array_position : static_cast<int>(i);
            }
            return true;
          }
        }
      }
      if (predicate->Test(v)) {
        if (positional && *positional < 0) *positional = pv.array_position;
        return true;
      }
    }
    return false;
  }
};

// $exists: true/false needs "reached or not", not a value test.
struct ExistsNode : MatchNode {
  std::vector<std::string> path;
  bool should_exist;
  bool Matches(const Document& doc, int*) const override {
    std::vector<PathValue> values;
    bool missing = false;
    CollectPathValues(doc, path, &values, &missing);
    return values.empty() != should_exist;
  }
};

struct NotNode : MatchNode {
  NodePtr child;
  bool Matches(const Document& doc, int*) const override { return !child->Matches(doc, nullptr); }
};

enum class LogicOp { kAnd, kOr, kNor };

struct LogicNode : MatchNode {
  LogicOp op;
  std::vector<NodePtr> children;
  bool Matches(const Document& doc, int* positional) const override {
    switch (op) {
      case LogicOp::kAnd:
        for (const auto& c : children) {
          if (!c->Matches(doc, positional)) return false;
        }
        return true;
      case LogicOp::kOr:
        for (const auto& c : children) {
          if (c->Matches(doc, positional)) return true;
        }
        return false;
      case LogicOp::kNor:
        for (const auto& c : children) {
          if (c->Matches(doc, nullptr)) return false;
        }
        return true;
    }
    return false;
  }
};

struct JsonSchemaNode : MatchNode {
  std::shared_ptr<const JsonSchema> schema;
  bool Matches(const Document& doc, int*) const override { return schema->Validates(Value(doc)); }
};

struct ExprNode : MatchNode {
  std::shared_ptr<const Expression> expr;
  bool Matches(const Document& doc, int*) const override {
    auto v = expr->Evaluate(doc);
    return v.ok() && v->Truthy();
  }
};

// $elemMatch over an array: either a filter over sub-documents or value operators.
struct ElemMatchPredicate : ValuePredicate {
  std::shared_ptr<const MatchNode> doc_filter;  // {$elemMatch: {b: 1}}
  std::vector<PredicatePtr> value_predicates;   // {$elemMatch: {$gt: 1}}
  bool TestElement(const Value& e) const {
    if (doc_filter) {
      const Document* d = e.If<Document>();
      return d && doc_filter->Matches(*d, nullptr);
    }
    for (const auto& p : value_predicates) {
      if (!p->Test(e)) return false;
    }
    return true;
  }
  bool Test(const Value& v) const override {
    const Array* a = v.If<Array>();
    if (!a) return false;
    for (const Value& e : a->items) {
      if (TestElement(e)) return true;
    }
    return false;
  }
  bool WholeArrays() const override { return true; }
};

StatusOr<NodePtr> ParseFilter(const Document& filter);
StatusOr<NodePtr> ParsePathOperators(const std::vector<std::string>& path, const Document& ops);

StatusOr<std::shared_ptr<RegexPredicate>> MakeRegex(const std::string& pattern,
                                                    const std::string& options) {
  auto compiled = CompiledRegex::Compile(pattern, options);
  if (!compiled.ok()) return compiled.status();
  auto p = std::make_shared<RegexPredicate>();
  p->regex = *compiled;
  p->source = Regex{pattern, options};
  return p;
}

NodePtr MakePathNode(const std::vector<std::string>& path, PredicatePtr predicate) {
  auto node = std::make_shared<PathNode>();
  node->path = path;
  node->predicate = std::move(predicate);
  return node;
}

// Equality with a literal: a regex literal means a regex match.
StatusOr<NodePtr> ParseEquality(const std::vector<std::string>& path, const Value& v) {
  if (const Regex* r = v.If<Regex>()) {
    auto p = MakeRegex(r->pattern, r->options);
    if (!p.ok()) return p.status();
    return MakePathNode(path, *p);
  }
  return MakePathNode(path, std::make_shared<EqPredicate>(v));
}

StatusOr<PredicatePtr> ParseTypeSpec(const Value& spec) {
  auto p = std::make_shared<TypePredicate>();
  std::vector<Value> specs;
  if (const Array* a = spec.If<Array>()) {
    specs = a->items;
  } else {
    specs.push_back(spec);
  }
  for (const Value& s : specs) {
    if (const std::string* alias = s.If<std::string>()) {
      if (*alias == "number") {
        p->any_number = true;
        continue;
      }
      auto t = TypeFromAlias(*alias);
      if (!t) return Bad("Unknown type name alias: " + *alias);
      p->types.insert(static_cast<int>(*t));
    } else if (s.IsNumber()) {
      auto n = s.AsExactInt64();
      if (!n) return Bad("Invalid numerical type code: " + std::to_string(s.AsDouble()));
      p->types.insert(static_cast<int>(*n));
    } else {
      return Status(kTypeMismatch, "type must be represented as a number or a string");
    }
  }
  return PredicatePtr(p);
}

bool IsOperatorDocument(const Value& v) {
  const Document* d = v.If<Document>();
  return d && !d->empty() && d->fields().front().key.starts_with('$');
}

// Builds the predicate of one operator ($gt, $in, …) for use inside a path or $elemMatch.
StatusOr<PredicatePtr> ParseValueOperator(const std::string& op, const Value& arg,
                                          const Document& siblings) {
  if (op == "$eq") {
    if (const Regex* r = arg.If<Regex>()) {
      // {$eq: /x/} is an exact regex comparison, not a pattern match.
      return PredicatePtr(std::make_shared<EqPredicate>(Value(*r)));
    }
    return PredicatePtr(std::make_shared<EqPredicate>(arg));
  }
  if (op == "$gt") return PredicatePtr(std::make_shared<ComparePredicate>(CmpOp::kGt, arg));
  if (op == "$gte") return PredicatePtr(std::make_shared<ComparePredicate>(CmpOp::kGte, arg));
  if (op == "$lt") return PredicatePtr(std::make_shared<ComparePredicate>(CmpOp::kLt, arg));
  if (op == "$lte") return PredicatePtr(std::make_shared<ComparePredicate>(CmpOp::kLte, arg));
  if (op == "$in") {
    const Array* a = arg.If<Array>();
    if (!a) return Bad("$in needs an array");
    auto p = std::make_shared<InPredicate>();
    for (const Value& x : a->items) {
      if (const Regex* r = x.If<Regex>()) {
        auto rp = MakeRegex(r->pattern, r->options);
        if (!rp.ok()) return rp.status();
        p->regexes.push_back(*rp);
      } else if (IsOperatorDocument(x)) {
        return Bad("cannot nest $ under $in");
      } else {
        p->values.push_back(x);
      }
    }
    std::sort(p->values.begin(), p->values.end(), ValueLess{});
    return PredicatePtr(p);
  }
  if (op == "$type") return ParseTypeSpec(arg);
  if (op == "$size") {
    if (!arg.IsNumber()) return Bad("$size needs a number");
    auto n = arg.AsExactInt64();
    if (!n) return Bad("$size must be a whole number");
    if (*n < 0) return Bad("$size may not be negative");
    return PredicatePtr(std::make_shared<SizePredicate>(*n));
  }
  if (op == "$mod") {
    const Array* a = arg.If<Array>();
    if (!a) return Bad("malformed mod, needs to be an array");
    if (a->items.size() < 2) return Bad("malformed mod, not enough elements");
    if (a->items.size() > 2) return Bad("malformed mod, too many elements");
    if (!a->items[0].IsNumber()) return Bad("malformed mod, divisor not a number");
    if (!a->items[1].IsNumber()) return Bad("malformed mod, remainder not a number");
    auto d = ModOperand(a->items[0], "divisor");
    if (!d.ok()) return d.status();
    auto r = ModOperand(a->items[1], "remainder");
    if (!r.ok()) return r.status();
    if (*d == 0) return Bad("divisor cannot be 0");
    return PredicatePtr(std::make_shared<ModPredicate>(*d, *r));
  }
  if (op == "$regex") {
    std::string pattern, options;
    if (const Regex* r = arg.If<Regex>()) {
      pattern = r->pattern;
      options = r->options;
    } else if (const std::string* s = arg.If<std::string>()) {
      pattern = *s;
    } else {
      return Bad("$regex has to be a string");
    }
    if (const Value* o = siblings.Get("$options")) {
      if (!o->Is<std::string>()) return Bad("$options has to be a string");
      if (!options.empty()) return Bad("options set in both $regex and $options");
      options = o->As<std::string>();
    }
    auto p = MakeRegex(pattern, options);
    if (!p.ok()) return p.status();
    return PredicatePtr(*p);
  }
  if (op == "$elemMatch") {
    const Document* d = arg.If<Document>();
    if (!d) return Bad("$elemMatch needs an Object");
    auto p = std::make_shared<ElemMatchPredicate>();
    if (IsOperatorDocument(arg) && d->fields().front().key != "$and" &&
        d->fields().front().key != "$or" && d->fields().front().key != "$nor" &&
        d->fields().front().key != "$expr") {
      for (const Field& f : d->fields()) {
        if (f.key == "$options") continue;
        auto sub = ParseValueOperator(f.key, f.value, *d);
        if (!sub.ok()) return sub.status();
        p->value_predicates.push_back(*sub);
      }
    } else {
      auto sub = ParseFilter(*d);
      if (!sub.ok()) return sub.status();
      p->doc_filter = *sub;
    }
    return PredicatePtr(p);
  }
  if (op == "$near" || op == "$nearSphere" || op == "$geoWithin" || op == "$geoIntersects" ||
      op == "$within") {
    return Status(kNotImplemented, op + " is not implemented by devmongod");
  }
  return Bad("unknown operator: " + op);
}

struct AllNode {
  static StatusOr<NodePtr> Parse(const std::vector<std::string>& path, const Value& arg) {
    const Array* a = arg.If<Array>();
    if (!a) return Bad("$all needs an array");
    auto node = std::make_shared<LogicNode>();
    node->op = LogicOp::kAnd;
    if (a->items.empty()) {
      // {$all: []} matches nothing.
      node->op = LogicOp::kOr;
      return NodePtr(node);
    }
    for (const Value& x : a->items) {
      if (const Document* d = x.If<Document>();
          d && d->size() == 1 && d->fields().front().key == "$elemMatch") {
        auto p = ParseValueOperator("$elemMatch", d->fields().front().value, *d);
        if (!p.ok()) return p.status();
        node->children.push_back(MakePathNode(path, *p));
      } else if (IsOperatorDocument(x)) {
        return Bad("no $ expressions in $all");
      } else {
        auto eq = ParseEquality(path, x);
        if (!eq.ok()) return eq.status();
        node->children.push_back(*eq);
      }
    }
    return NodePtr(node);
  }
};

StatusOr<NodePtr> ParsePathOperators(const std::vector<std::string>& path, const Document& ops) {
  auto conj = std::make_shared<LogicNode>();
  conj->op = LogicOp::kAnd;
  for (const Field& f : ops.fields()) {
    const std::string& op = f.key;
    if (!op.starts_with('$')) return Bad("unknown operator: " + op);
    if (op == "$options") {
      if (!ops.Has("$regex")) return Bad("$options needs a $regex");
      continue;
    }
    if (op == "$exists") {
      auto node = std::make_shared<ExistsNode>();
      node->path = path;
      node->should_exist = f.value.Truthy();
      conj->children.push_back(node);
    } else if (op == "$ne" || op == "$nin") {
      if (f.value.Is<Regex>() && op == "$ne") return Bad("Can't have regex as arg to $ne.");
      auto p = ParseValueOperator(op == "$ne" ? "$eq" : "$in", f.value, ops);
      if (!p.ok()) return p.status();
      auto negate = std::make_shared<NotNode>();
      negate->child = MakePathNode(path, *p);
      conj->children.push_back(negate);
    } else if (op == "$not") {
      auto negate = std::make_shared<NotNode>();
      if (const Regex* r = f.value.If<Regex>()) {
        auto p = MakeRegex(r->pattern, r->options);
        if (!p.ok()) return p.status();
        negate->child = MakePathNode(path, *p);
      } else if (const Document* d = f.value.If<Document>()) {
        if (d->empty()) return Bad("$not cannot be empty");
        auto inner = ParsePathOperators(path, *d);
        if (!inner.ok()) return inner.status();
        negate->child = *inner;
      } else {
        return Bad("$not needs a regex or a document");
      }
      conj->children.push_back(negate);
    } else if (op == "$all") {
      auto node = AllNode::Parse(path, f.value);
      if (!node.ok()) return node.status();
      conj->children.push_back(*node);
    } else {
      auto p = ParseValueOperator(op, f.value, ops);
      if (!p.ok()) return p.status();
      conj->children.push_back(MakePathNode(path, *p));
    }
  }
  if (conj->children.size() == 1) return conj->children.front();
  return NodePtr(conj);
}

StatusOr<NodePtr> ParseLogical(const std::string& op, const Value& arg) {
  const Array* a = arg.If<Array>();
  if (!a) return Bad(op + " must be an array");
  if (a->items.empty()) return Bad(op + " argument must be a non-empty array");
  auto node = std::make_shared<LogicNode>();
  node->op = op == "$and" ? LogicOp::kAnd : (op == "$or" ? LogicOp::kOr : LogicOp::kNor);
  for (const Value& x : a->items) {
    const Document* d = x.If<Document>();
    if (!d) return Bad(op + " argument's entries must be objects");
    auto child = ParseFilter(*d);
    if (!child.ok()) return child.status();
    node->children.push_back(*child);
  }
  return NodePtr(node);
}

StatusOr<NodePtr> ParseFilter(const Document& filter) {
  auto root = std::make_shared<LogicNode>();
  root->op = LogicOp::kAnd;
  for (const Field& f : filter.fields()) {
    const std::string& key = f.key;
    if (key.starts_with('$')) {
      if (key == "$and" || key == "$or" || key == "$nor") {
        auto child = ParseLogical(key, f.value);
        if (!child.ok()) return child.status();
        root->children.push_back(*child);
      } else if (key == "$comment") {
        continue;
      } else if (key == "$expr") {
        auto expr = Expression::Parse(f.value);
        if (!expr.ok()) return expr.status();
        auto node = std::make_shared<ExprNode>();
        node->expr = *expr;
        root->children.push_back(node);
      } else if (key == "$jsonSchema") {
        if (!f.value.Is<Document>()) return Status(kTypeMismatch, "$jsonSchema must be an object");
        auto schema = JsonSchema::Parse(f.value.As<Document>());
        if (!schema.ok()) return schema.status();
        auto node = std::make_shared<JsonSchemaNode>();
        node->schema = *schema;
        root->children.push_back(node);
      } else if (key == "$text" || key == "$where") {
        return Status(kNotImplemented, key + " is not implemented by devmongod");
      } else {
        return Bad("unknown top level operator: " + key);
      }
      continue;
    }
    std::vector<std::string> path = SplitPath(key);
    StatusOr<NodePtr> child = IsOperatorDocument(f.value)
                                  ? ParsePathOperators(path, f.value.As<Document>())
                                  : ParseEquality(path, f.value);
    if (!child.ok()) return child.status();
    root->children.push_back(*child);
  }
  return NodePtr(root);
}

}  // namespace

StatusOr<Matcher> Matcher::Parse(const Document& filter) {
  auto root = ParseFilter(filter);
  if (!root.ok()) return root.status();
  return Matcher(*root);
}

bool Matcher::Matches(const Document& doc, int* positional) const {
  if (positional) *positional = -1;
  return root_->Matches(doc, positional);
}

}  // namespace mm::engine
