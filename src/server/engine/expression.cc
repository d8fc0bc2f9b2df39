#include "server/engine/expression.h"

#include "server/engine/variables.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <map>

#include "server/engine/expression_operators.h"
#include "server/engine/path.h"
#include "value/bson_codec.h"
#include "value/compare.h"

namespace mm::engine {
namespace {

using Args = OperatorArgs;

bool IsMissing(const Value& v) { return v.Is<Undefined>(); }

class LiteralExpr : public Expression {
 public:
  explicit LiteralExpr(Value v) : v_(std::move(v)) {}
  StatusOr<Value> Evaluate(const Document&) const override { return v_; }

 private:
  Value v_;
};

// "$a.b": like a query path, but arrays map over their elements and yield arrays.
Value Resolve(const Value& cur, const std::vector<std::string>& path, size_t i) {
  if (i == path.size()) return cur;
  if (const Document* d = cur.If<Document>()) {
    const Value* next = d->Get(path[i]);
    return next ? Resolve(*next, path, i + 1) : Value(Undefined{});
  }
  if (const Array* a = cur.If<Array>()) {
    Array out;
    for (const Value& e : a->items) {
      if (!e.Is<Document>()) continue;
      Value r = Resolve(e, path, i);
      if (!IsMissing(r)) out.items.push_back(std::move(r));
    }
    return out;
  }
  return Undefined{};
}

class FieldPathExpr : public Expression {
 public:
  explicit FieldPathExpr(std::vector<std::string> path) : path_(std::move(path)) {}
  StatusOr<Value> Evaluate(const Document& root) const override {
    if (path_.empty()) return Value(root);
    return Resolve(Value(root), path_, 0);
  }

 private:
  std::vector<std::string> path_;  // empty: the whole document ($$ROOT / $$CURRENT)
};

class NowExpr : public Expression {
 public:
  StatusOr<Value> Evaluate(const Document&) const override {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return Value(DateTime{std::chrono::duration_cast<std::chrono::milliseconds>(now).count()});
  }
};

class ObjectExpr : public Expression {
 public:
  std::vector<std::pair<std::string, ExpressionPtr>> fields;
  StatusOr<Value> Evaluate(const Document& root) const override {
    Document out;
    for (const auto& [key, expr] : fields) {
      auto v = expr->Evaluate(root);
      if (!v.ok()) return v.status();
      if (!IsMissing(*v)) out.Append(key, std::move(v).value());
    }
    return Value(std::move(out));
  }
};

class ArrayExpr : public Expression {
 public:
  std::vector<ExpressionPtr> items;
  StatusOr<Value> Evaluate(const Document& root) const override {
    Array out;
    for (const auto& e : items) {
      auto v = e->Evaluate(root);
      if (!v.ok()) return v.status();
      out.items.push_back(IsMissing(*v) ? Value(Null{}) : std::move(v).value());
    }
    return Value(std::move(out));
  }
};

Status TypeError(const std::string& op, const std::string& what) {
  return Status(kTypeMismatch, op + " " + what);
}

Value Number(double d, bool all_int, bool any_long) {
  if (all_int && std::trunc(d) == d && std::fabs(d) < 9.2e18) {
    if (!any_long && d >= INT32_MIN && d <= INT32_MAX) return static_cast<int32_t>(d);
    return static_cast<int64_t>(d);
  }
  return d;
}

// $max (sign 1) and $min (sign -1) over the arguments, or over the one argument's elements
// when it is an array.
StatusOr<Value> Extreme(const std::vector<Value>& args, int sign) {
  const std::vector<Value>& values =
      args.size() == 1 && args[0].Is<Array>() ? args[0].As<Array>().items : args;
  const Value* best = nullptr;
  for (const Value& v : values) {
    if (v.IsNullish() || v.Is<Undefined>() || IsMissing(v)) continue;
    if (!best || CompareValues(v, *best) * sign > 0) best = &v;
  }
  return best ? *best : Value(Null{});
}

StatusOr<Value> Arithmetic(const std::string& op, const Args& args) {
  bool all_int = true, any_long = false;
  for (const Value& a : args) {
    if (a.IsNullish() || IsMissing(a)) return Value(Null{});
    if (a.Is<DateTime>() && (op == "$add" || op == "$subtract")) continue;
    if (!a.IsNumber()) {
      return Status(kTypeMismatch,
                    op + " only supports numeric types, not " + std::string(TypeAlias(a.type())));
    }
    if (a.Is<double>() || a.Is<Decimal128>()) all_int = false;
    if (a.Is<int64_t>()) any_long = true;
  }
  auto num = [](const Value& v) {
    return v.Is<DateTime>() ? static_cast<double>(v.As<DateTime>().millis) : v.AsDouble();
  };
  if (op == "$add") {
    double sum = 0;
    bool date = false;
    for (const Value& a : args) {
      sum += num(a);
      date = date || a.Is<DateTime>();
    }
    if (date) return Value(DateTime{static_cast<int64_t>(sum)});
    return Number(sum, all_int, any_long);
  }
  if (op == "$multiply") {
    double p = 1;
    for (const Value& a : args) p *= num(a);
    return Number(p, all_int, any_long);
  }
  if (args.size() != 2) return Status(16020, "Expression " + op + " takes exactly 2 arguments.");
  double x = num(args[0]), y = num(args[1]);
  if (op == "$subtract") {
    if (args[0].Is<DateTime>() && args[1].Is<DateTime>()) return Value(int64_t(x - y));
    if (args[0].Is<DateTime>()) return Value(DateTime{static_cast<int64_t>(x - y)});
    return Number(x - y, all_int, any_long);
  }
  if (op == "$divide") {
    if (y == 0) return Status(2, "can't $divide by zero");
    return Value(x / y);
  }
  if (op == "$mod") {
    if (y == 0) return Status(16610, "can't $mod by zero");
    return Number(std::fmod(x, y), all_int, any_long);
  }
  return Status(kInvalidPipelineOperator, "Unrecognized expression '" + op + "'");
}

std::string ToStringValue(const Value& v) {
  if (auto s = v.If<std::string>()) return *s;
  if (auto o = v.If<ObjectId>()) return o->Hex();
  if (auto b = v.If<bool>()) return *b ? "true" : "false";
  if (auto i = v.If<int32_t>()) return std::to_string(*i);
  if (auto l = v.If<int64_t>()) return std::to_string(*l);
  return ToRelaxedJson(v);
}

const std::map<std::string, OperatorFn, std::less<>>& Operators() {
  static const auto* table = [] {
    auto* t = new OperatorTable{
        {"$add", [](const Args& a) { return Arithmetic("$add", a); }},
        {"$subtract", [](const Args& a) { return Arithmetic("$subtract", a); }},
        {"$multiply", [](const Args& a) { return Arithmetic("$multiply", a); }},
        {"$divide", [](const Args& a) { return Arithmetic("$divide", a); }},
        {"$mod", [](const Args& a) { return Arithmetic("$mod", a); }},
        {"$eq",
         [](const Args& a) -> StatusOr<Value> { return Value(CompareValues(a[0], a[1]) == 0); }},
        {"$ne",
         [](const Args& a) -> StatusOr<Value> { return Value(CompareValues(a[0], a[1]) != 0); }},
        {"$gt",
         [](const Args& a) -> StatusOr<Value> { return Value(CompareValues(a[0], a[1]) > 0); }},
        {"$gte",
         [](const Args& a) -> StatusOr<Value> { return Value(CompareValues(a[0], a[1]) >= 0); }},
        {"$lt",
         [](const Args& a) -> StatusOr<Value> { return Value(CompareValues(a[0], a[1]) < 0); }},
        {"$lte",
         [](const Args& a) -> StatusOr<Value> { return Value(CompareValues(a[0], a[1]) <= 0); }},
        {"$cmp", [](const Args& a) -> StatusOr<Value> { return Value(CompareValues(a[0], a[1])); }},
        // {$max: [a, b, …]} or {$max: <array>}: the greatest value, nulls and missing fields
        // left out; null when nothing is left (as the $group accumulators).
        {"$max", [](const Args& a) { return Extreme(a, 1); }},
        {"$min", [](const Args& a) { return Extreme(a, -1); }},
        {"$not", [](const Args& a) -> StatusOr<Value> { return Value(!a[0].Truthy()); }},
        {"$concat",
         [](const Args& a) -> StatusOr<Value> {
           std::string out;
           for (const Value& v : a) {
             if (v.IsNullish() || IsMissing(v)) return Value(Null{});
             if (!v.Is<std::string>()) {
               return TypeError("$concat",
                                "only supports strings, not " + std::string(TypeAlias(v.type())));
             }
             out += v.As<std::string>();
           }
           return Value(out);
         }},
        {"$toString",
         [](const Args& a) -> StatusOr<Value> {
           if (a[0].IsNullish() || IsMissing(a[0])) return Value(Null{});
           return Value(ToStringValue(a[0]));
         }},
        {"$toLower",
         [](const Args& a) -> StatusOr<Value> {
           std::string s = a[0].Is<std::string>() ? a[0].As<std::string>() : "";
           for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
           return Value(s);
         }},
        {"$toUpper",
         [](const Args& a) -> StatusOr<Value> {
           std::string s = a[0].Is<std::string>() ? a[0].As<std::string>() : "";
           for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
           return Value(s);
         }},
        {"$size",
         [](const Args& a) -> StatusOr<Value> {
           if (!a[0].Is<Array>()) {
             return Status(17124, "The argument to $size must be an array. Type of argument: " +
                                      std::string(TypeAlias(a[0].type())));
           }
           return Value(static_cast<int32_t>(a[0].As<Array>().items.size()));
         }},
        {"$in",
         [](const Args& a) -> StatusOr<Value> {
           if (a.size() != 2 || !a[1].Is<Array>()) {
             return Status(40081, "$in requires an array as a second argument");
           }
           for (const Value& e : a[1].As<Array>().items) {
             if (ValuesEqual(e, a[0])) return Value(true);
           }
           return Value(false);
         }},
        {"$type",
         [](const Args& a) -> StatusOr<Value> {
           if (IsMissing(a[0])) return Value("missing");
           return Value(std::string(TypeAlias(a[0].type())));
         }},
    };
    AddConversionArrayStringOperators(*t);
    return t;
  }();
  return *table;
}

class OperatorExpr : public Expression {
 public:
  std::string op;
  std::vector<ExpressionPtr> args;
  StatusOr<Value> Evaluate(const Document& root) const override {
    // The short-circuiting operators evaluate lazily, as MongoDB does.
    if (op == "$cond") {
      auto c = args[0]->Evaluate(root);
      if (!c.ok()) return c;
      return args[c->Truthy() ? 1 : 2]->Evaluate(root);
    }
    if (op == "$ifNull") {
      for (size_t i = 0; i + 1 < args.size(); ++i) {
        auto v = args[i]->Evaluate(root);
        if (!v.ok() || (!v->IsNullish() && !IsMissing(*v))) return v;
      }
      return args.back()->Evaluate(root);
    }
    if (op == "$and" || op == "$or") {
      bool is_and = op == "$and";
      for (const auto& e : args) {
        auto v = e->Evaluate(root);
        if (!v.ok()) return v;
        if (v->Truthy() != is_and) return Value(!is_and);
      }
      return Value(is_and);
    }
    Args values;
    for (const auto& e : args) {
      auto v = e->Evaluate(root);
      if (!v.ok()) return v;
      values.push_back(std::move(v).value());
    }
    return Operators().find(op)->second(values);
  }
};

// $getField / $setField / $unsetField (MongoDB 5.0+): read or write one field by its exact
// name, dots and dollars included, which a field path cannot express.
class FieldAccessExpr : public Expression {
 public:
  enum class Kind { kGet, kSet, kUnset };
  Kind kind;
  std::string field;
  ExpressionPtr input;  // null: $$CURRENT
  ExpressionPtr value;  // $setField only; null means $$REMOVE
  StatusOr<Value> Evaluate(const Document& root) const override {
    Value in = Value(root);
    if (input) {
      auto v = input->Evaluate(root);
      if (!v.ok()) return v;
      in = std::move(v).value();
    }
    if (kind == Kind::kGet) {
      if (in.IsNullish() || IsMissing(in)) return Value(Null{});
      const Document* d = in.If<Document>();
      if (!d) return Value(Undefined{});
      const Value* got = d->Get(field);
      return got ? *got : Value(Undefined{});
    }
    if (in.IsNullish() || IsMissing(in)) return Value(Null{});
    const Document* d = in.If<Document>();
    if (!d) {
      return Status(4161105, std::string(kind == Kind::kSet ? "$setField" : "$unsetField") +
                                 " requires 'input' to evaluate to type Object");
    }
    Document out = *d;
    Value v = Value(Undefined{});
    if (kind == Kind::kSet && value) {
      auto e = value->Evaluate(root);
      if (!e.ok()) return e;
      v = std::move(e).value();
    }
    if (IsMissing(v)) {
      out.Remove(field);
    } else if (Value* existing = out.Get(field)) {
      *existing = std::move(v);
    } else {
      out.Append(field, std::move(v));
    }
    return Value(std::move(out));
  }
};

// `field` must be a constant string: "name" or {$literal: "$name.with.dots"}.
StatusOr<std::string> ConstantFieldName(const std::string& op, const Value& spec) {
  const Value* v = &spec;
  if (const Document* d = spec.If<Document>(); d && d->size() == 1 && d->Has("$literal")) {
    v = d->Get("$literal");
  } else if (const std::string* s = spec.If<std::string>(); s && s->starts_with('$')) {
    return Status(4161107, op + " requires 'field' to evaluate to a constant, but got a "
                                "non-constant argument");
  }
  if (!v->Is<std::string>()) {
    return Status(4161106, op + " requires 'field' to evaluate to type String, but got " +
                               std::string(TypeAlias(v->type())));
  }
  return v->As<std::string>();
}

StatusOr<ExpressionPtr> ParseFieldAccess(const std::string& op, const Value& arg) {
  auto node = std::make_shared<FieldAccessExpr>();
  node->kind = op == "$getField"   ? FieldAccessExpr::Kind::kGet
               : op == "$setField" ? FieldAccessExpr::Kind::kSet
                                   : FieldAccessExpr::Kind::kUnset;
  if (node->kind == FieldAccessExpr::Kind::kGet && !arg.Is<Document>()) {
    auto name = ConstantFieldName(op, arg);
    if (!name.ok()) return name.status();
    node->field = *name;
    return ExpressionPtr(node);
  }
  const Document* d = arg.If<Document>();
  if (!d) return Status(4161100, op + " only supports an object as its argument");
  for (const Field& f : d->fields()) {
    if (f.key == "field") {
      auto name = ConstantFieldName(op, f.value);
      if (!name.ok()) return name.status();
      node->field = *name;
    } else if (f.key == "input") {
      auto e = Expression::Parse(f.value);
      if (!e.ok()) return e.status();
      node->input = *e;
    } else if (f.key == "value" && node->kind == FieldAccessExpr::Kind::kSet) {
      if (const std::string* s = f.value.If<std::string>(); s && *s == "$$REMOVE") continue;
      auto e = Expression::Parse(f.value);
      if (!e.ok()) return e.status();
      node->value = *e;
    } else {
      return Status(4161101, op + " found an unknown argument: " + f.key);
    }
  }
  if (!d->Has("field")) return Status(4161102, op + " requires 'field' to be specified");
  if (node->kind != FieldAccessExpr::Kind::kGet && !d->Has("input")) {
    return Status(4161103, op + " requires 'input' to be specified");
  }
  if (node->kind == FieldAccessExpr::Kind::kSet && !d->Has("value")) {
    return Status(4161104, op + " requires 'value' to be specified");
  }
  return ExpressionPtr(node);
}

size_t ExpectedArity(std::string_view op) {
  static const std::map<std::string, size_t, std::less<>> kArity = {
      {"$eq", 2},      {"$ne", 2},          {"$gt", 2},       {"$gte", 2},      {"$lt", 2},
      {"$lte", 2},     {"$cmp", 2},         {"$not", 1},      {"$toString", 1}, {"$toLower", 1},
      {"$toUpper", 1}, {"$size", 1},        {"$type", 1},     {"$cond", 3},     {"$in", 2},
      {"$toInt", 1},   {"$toLong", 1},      {"$toDouble", 1}, {"$toBool", 1},   {"$abs", 1},
      {"$isArray", 1}, {"$arrayElemAt", 2}, {"$split", 2},    {"$strLenCP", 1}, {"$substrCP", 3}};
  auto it = kArity.find(op);
  return it == kArity.end() ? 0 : it->second;
}

StatusOr<ExpressionPtr> ParseOperator(const std::string& op, const Value& arg) {
  auto node = std::make_shared<OperatorExpr>();
  node->op = op;
  bool special = op == "$cond" || op == "$ifNull" || op == "$and" || op == "$or";
  if (!special && !Operators().count(op)) {
    return Status(kInvalidPipelineOperator, "Unrecognized expression '" + op + "'");
  }
  std::vector<Value> raw;
  if (op == "$cond" && arg.Is<Document>()) {
    const Document& d = arg.As<Document>();
    for (const char* k : {"if", "then", "else"}) {
      const Value* v = d.Get(k);
      if (!v) return Status(17080, std::string("Missing '") + k + "' parameter to $cond");
      raw.push_back(*v);
    }
  } else if (const Array* a = arg.If<Array>()) {
    raw = a->items;
  } else {
    raw.push_back(arg);
  }
  if (op == "$ifNull" && raw.size() < 2) {  // MongoDB's ExpressionIfNull::validateChildren
    return Status(1257300,
                  "$ifNull needs at least two arguments, had: " + std::to_string(raw.size()));
  }
  size_t arity = ExpectedArity(op);
  if (arity && raw.size() != arity) {
    return Status(16020, "Expression " + op + " takes exactly " + std::to_string(arity) +
                             " arguments. " + std::to_string(raw.size()) + " were passed in.");
  }
  for (const Value& r : raw) {
    auto e = Expression::Parse(r);
    if (!e.ok()) return e.status();
    node->args.push_back(*e);
  }
  return ExpressionPtr(node);
}

}  // namespace

StatusOr<ExpressionPtr> Expression::Parse(const Value& spec) {
  if (const std::string* s = spec.If<std::string>(); s && s->starts_with('$')) {
    if (*s == "$$ROOT" || *s == "$$CURRENT")
      return ExpressionPtr(std::make_shared<FieldPathExpr>(std::vector<std::string>{}));
    if (*s == "$$NOW") return ExpressionPtr(std::make_shared<NowExpr>());
    if (s->starts_with("$$")) {
      if (auto v = LookupVariable(*s)) return ExpressionPtr(std::make_shared<LiteralExpr>(*v));
      return Status(17276, "Use of undefined variable: " + s->substr(2, s->find('.') - 2));
    }
    return ExpressionPtr(std::make_shared<FieldPathExpr>(SplitPath(s->substr(1))));
  }
  if (const Document* d = spec.If<Document>()) {
    if (d->size() == 1 && d->fields().front().key.starts_with('$')) {
      const Field& f = d->fields().front();
      if (f.key == "$literal") return ExpressionPtr(std::make_shared<LiteralExpr>(f.value));
      if (f.key == "$dateToString") return ParseDateToString(f.value);
      if (f.key == "$getField" || f.key == "$setField" || f.key == "$unsetField") {
        return ParseFieldAccess(f.key, f.value);
      }
      return ParseOperator(f.key, f.value);
    }
    auto obj = std::make_shared<ObjectExpr>();
    for (const Field& f : d->fields()) {
      if (f.key.starts_with('$')) {
        return Status(15983,
                      "an expression specification must contain exactly one field, the "
                      "name of the expression. Found " +
                          std::to_string(d->size()) + " fields");
      }
      auto e = Parse(f.value);
      if (!e.ok()) return e.status();
      obj->fields.emplace_back(f.key, *e);
    }
    return ExpressionPtr(obj);
  }
  if (const Array* a = spec.If<Array>()) {
    auto arr = std::make_shared<ArrayExpr>();
    for (const Value& v : a->items) {
      auto e = Parse(v);
      if (!e.ok()) return e.status();
      arr->items.push_back(*e);
    }
    return ExpressionPtr(arr);
  }
  return ExpressionPtr(std::make_shared<LiteralExpr>(spec));
}

}  // namespace mm::engine
