#include "server/engine/update.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "server/engine/aggregate.h"
#include "server/engine/match.h"
#include "server/engine/path.h"
#include "server/engine/sort.h"
#include "value/bson_codec.h"
#include "value/compare.h"

namespace mm::engine {

using ArrayFilters = std::vector<std::pair<std::string, std::shared_ptr<const Matcher>>>;

// One `$op: {path: arg}` entry.
struct UpdateOp {
  std::string op;
  std::string path;
  Value arg;
};

namespace {

// A replacement or pipeline update whose result carries another _id.
Status IdAltered(const Value& to) {
  return Status(kImmutableField,
                "After applying the update, the (immutable) field '_id' was found to have been "
                "altered to _id: " +
                    ToRelaxedJson(to));
}

constexpr const char* kModifiers[] = {
    "$set",         "$unset",       "$inc",  "$mul",      "$rename", "$min",     "$max",
    "$currentDate", "$setOnInsert", "$push", "$addToSet", "$pull",   "$pullAll", "$pop"};

bool IsModifier(std::string_view op) {
  return std::find(std::begin(kModifiers), std::end(kModifiers), op) != std::end(kModifiers);
}

Status Failed(std::string message) { return Status(kFailedToParse, std::move(message)); }

std::string DescribeDoc(const Document& doc) {
  const Value* id = doc.Get("_id");
  return id ? "{_id: " + ToRelaxedJson(*id) + "}" : "{}";
}

// Paths overlap when one is a prefix of the other at a dot boundary.
bool Overlaps(const std::string& a, const std::string& b) {
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return longer.compare(0, shorter.size(), shorter) == 0 &&
         (longer.size() == shorter.size() || longer[shorter.size()] == '.');
}

// Arithmetic for $inc and $mul keeping MongoDB's result types: int32 widens to int64 on
// overflow, anything with a double is a double.
StatusOr<Value> Combine(const std::string& op, const Value& current, const Value& arg) {
  if (current.Is<Decimal128>() || arg.Is<Decimal128>()) {
    return Status(kNotImplemented, op + " on decimal128 values is not implemented by devmongod");
  }
  if (current.Is<double>() || arg.Is<double>()) {
    double x = current.AsDouble(), y = arg.AsDouble();
    return Value(op == "$inc" ? x + y : x * y);
  }
  int64_t x = *current.AsExactInt64(), y = *arg.AsExactInt64();
  int64_t r;
  bool overflow =
      op == "$inc" ? __builtin_add_overflow(x, y, &r) : __builtin_mul_overflow(x, y, &r);
  if (overflow) {
    return Status(kBadValue, "Failed to apply " + op + " operations to current value (" +
                                 ToRelaxedJson(current) + ") for document");
  }
  if (current.Is<int32_t>() && arg.Is<int32_t>() && r >= INT32_MIN && r <= INT32_MAX) {
    return Value(static_cast<int32_t>(r));
  }
  return Value(r);
}

DateTime Now() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return DateTime{std::chrono::duration_cast<std::chrono::milliseconds>(now).count()};
}

Status PushValues(Array* target, const Value& arg) {
  std::vector<Value> each;
  std::optional<int64_t> position, slice;
  const Value* sort = nullptr;
  const Document* spec = arg.If<Document>();
  if (spec && spec->Has("$each")) {
    for (const Field& f : spec->fields()) {
      if (f.key == "$each") {
        if (!f.value.Is<Array>()) {
          return Status(kBadValue,
                        "The argument to $each in $push must be an array but it was of type: " +
                            std::string(TypeAlias(f.value.type())));
        }
        each = f.value.As<Array>().items;
      } else if (f.key == "$position" || f.key == "$slice") {
        auto n = f.value.AsExactInt64();
        if (!f.value.IsNumber() || !n) {
          return Status(kBadValue, "The value for " + f.key + " must be an integer value");
        }
        (f.key == "$position" ? position : slice) = *n;
      } else if (f.key == "$sort") {
        sort = &f.value;
      } else {
        return Status(kBadValue, "Unrecognized clause in $push: " + f.key);
      }
    }
  } else {
    each.push_back(arg);
  }
  auto& items = target->items;
  size_t at = items.size();
  if (position) {
    int64_t p = *position;
    if (p < 0) p = std::max<int64_t>(0, static_cast<int64_t>(items.size()) + p);
    at = std::min<size_t>(static_cast<size_t>(p), items.size());
  }
  items.insert(items.begin() + static_cast<std::ptrdiff_t>(at), each.begin(), each.end());
  if (sort) {
    auto order = SortOrder::ParseForPush(*sort);
    if (!order.ok()) return order.status();
    std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
      return order->CompareValues(a, b) < 0;
    });
  }
  if (slice) {
    int64_t n = *slice;
    if (n >= 0 && static_cast<size_t>(n) < items.size()) {
      items.resize(static_cast<size_t>(n));
    } else if (n < 0 && static_cast<size_t>(-n) < items.size()) {
      items.erase(items.begin(), items.end() - static_cast<std::ptrdiff_t>(-n));
    }
  }
  return Status::Ok();
}

bool PullMatches(const Value& condition, const std::shared_ptr<const Matcher>& matcher,
                 bool operator_condition, const Value& element) {
  if (!matcher) return ValuesEqual(condition, element);
  if (operator_condition) return matcher->Matches(Document{{"x", element}});
  const Document* d = element.If<Document>();
  return d && matcher->Matches(*d);
}

Status ApplyAtPath(const UpdateOp& u, const std::vector<std::string>& path, Document* doc) {
  const std::string& op = u.op;
  const std::string dotted = JoinPath(path, path.size());
  if (op == "$unset") {
    RemoveExact(doc, path);
    return Status::Ok();
  }
  if (op == "$rename") {
    const Value* src = GetExact(*doc, path);
    if (!src) return Status::Ok();
    Value moved = *src;
    RemoveExact(doc, path);
    auto slot = CreatePath(doc, SplitPath(u.arg.As<std::string>()));
    if (!slot.ok()) return slot.status();
    **slot = std::move(moved);
    return Status::Ok();
  }
  const Value* existing = GetExact(*doc, path);
  if ((op == "$pull" || op == "$pullAll" || op == "$pop") && !existing) return Status::Ok();
  if (op == "$min" || op == "$max") {
    if (existing) {
      int c = CompareValues(u.arg, *existing);
      if ((op == "$min" && c >= 0) || (op == "$max" && c <= 0)) return Status::Ok();
    }
  }
  if ((op == "$inc" || op == "$mul") && existing && !existing->IsNumber()) {
    return Status(kTypeMismatch, "Cannot apply " + op + " to a value of non-numeric type. " +
                                     DescribeDoc(*doc) + " has the field '" + path.back() +
                                     "' of non-numeric type " +
                                     std::string(TypeAlias(existing->type())));
  }
  auto slot_or = CreatePath(doc, path);
  if (!slot_or.ok()) return slot_or.status();
  Value& slot = **slot_or;
  if (op == "$set" || op == "$setOnInsert" || op == "$min" || op == "$max") {
    slot = u.arg;
  } else if (op == "$inc" || op == "$mul") {
    // A missing field counts as zero of the argument's type.
    Value base = existing ? slot
                          : (u.arg.Is<double>()
                                 ? Value(0.0)
                                 : (u.arg.Is<int64_t>() ? Value(int64_t{0}) : Value(int32_t{0})));
    auto r = Combine(op, base, u.arg);
    if (!r.ok()) return r.status();
    slot = std::move(r).value();
  } else if (op == "$currentDate") {
    const Document* spec = u.arg.If<Document>();
    const Value* type = spec ? spec->Get("$type") : nullptr;
    if (type && *type == Value("timestamp")) {
      auto now = Now();
      slot = Timestamp{static_cast<uint32_t>(now.millis / 1000), 1};
    } else {
      slot = Now();
    }
  } else {
    // Array operators.
    if (!existing) slot = Array{};
    Array* arr = slot.If<Array>();
    if (!arr) {
      return Status(kBadValue, "The field '" + dotted + "' must be an array but is of type " +
                                   std::string(TypeAlias(slot.type())) + " in document " +
                                   DescribeDoc(*doc));
    }
    if (op == "$push") return PushValues(arr, u.arg);
    if (op == "$addToSet") {
      std::vector<Value> each;
      const Document* spec = u.arg.If<Document>();
      if (spec && spec->Has("$each")) {
        each = spec->Get("$each")->As<Array>().items;
      } else {
        each.push_back(u.arg);
      }
      for (const Value& v : each) {
        bool present = std::any_of(arr->items.begin(), arr->items.end(),
                                   [&](const Value& e) { return ValuesEqual(e, v); });
        if (!present) arr->items.push_back(v);
      }
    } else if (op == "$pop") {
      if (!arr->items.empty()) {
        if (u.arg.AsDouble() > 0) {
          arr->items.pop_back();
        } else {
          arr->items.erase(arr->items.begin());
        }
      }
    } else if (op == "$pullAll") {
      const auto& remove = u.arg.As<Array>().items;
      std::erase_if(arr->items, [&](const Value& e) {
        return std::any_of(remove.begin(), remove.end(),
                           [&](const Value& r) { return ValuesEqual(e, r); });
      });
    } else if (op == "$pull") {
      std::shared_ptr<const Matcher> matcher;
      bool operator_condition = false;
      if (const Document* cond = u.arg.If<Document>()) {
        operator_condition = !cond->empty() && cond->fields().front().key.starts_with('$');
        auto m =
            operator_condition ? Matcher::Parse(Document{{"x", u.arg}}) : Matcher::Parse(*cond);
        if (!m.ok()) return m.status();
        matcher = std::make_shared<const Matcher>(std::move(m).value());
      } else if (u.arg.Is<Regex>()) {
        auto m = Matcher::Parse(Document{{"x", u.arg}});
        if (!m.ok()) return m.status();
        matcher = std::make_shared<const Matcher>(std::move(m).value());
        operator_condition = true;
      }
      std::erase_if(arr->items, [&](const Value& e) {
        return PullMatches(u.arg, matcher, operator_condition, e);
      });
    }
  }
  return Status::Ok();
}

// Expands `$`, `$[]` and `$[id]` in `path` into concrete paths for `doc`.
Status ExpandPath(const Document& doc, const std::vector<std::string>& path, size_t i,
                  std::vector<std::string> prefix, int positional, const ArrayFilters& filters,
                  std::set<std::string>* used_filters, std::vector<std::vector<std::string>>* out) {
  for (; i < path.size(); ++i) {
    const std::string& part = path[i];
    if (part == "$") {
      if (positional < 0) {
        return Status(kBadValue,
                      "The positional operator did not find the match needed from the query.");
      }
      prefix.push_back(std::to_string(positional));
      continue;
    }
    if (part.starts_with("$[") && part.ends_with("]")) {
      std::string id = part.substr(2, part.size() - 3);
      std::shared_ptr<const Matcher> filter;
      if (!id.empty()) {
        auto it = std::find_if(filters.begin(), filters.end(),
                               [&](const auto& f) { return f.first == id; });
        if (it == filters.end()) {
          return Status(kBadValue, "No array filter found for identifier '" + id + "' in path '" +
                                       JoinPath(path, path.size()) + "'");
        }
        used_filters->insert(id);
        filter = it->second;
      }
      const Value* arr = prefix.empty() ? nullptr : GetExact(doc, prefix);
      if (!arr) return Status::Ok();  // nothing to expand into
      if (!arr->Is<Array>()) {
        return Status(kBadValue, "Cannot apply array updates to non-array element " +
                                     prefix.back() + ": " + ToRelaxedJson(*arr));
      }
      const auto& items = arr->As<Array>().items;
      for (size_t k = 0; k < items.size(); ++k) {
        if (filter && !filter->Matches(Document{{id, items[k]}})) continue;
        auto next = prefix;
        next.push_back(std::to_string(k));
        MM_RETURN_IF_ERROR(
            ExpandPath(doc, path, i + 1, next, positional, filters, used_filters, out));
      }
      return Status::Ok();
    }
    prefix.push_back(part);
  }
  out->push_back(std::move(prefix));
  return Status::Ok();
}

Status ValidateOperatorArgument(const std::string& op, const std::string& path, const Value& arg) {
  if ((op == "$inc" || op == "$mul") && !arg.IsNumber()) {
    return Status(kTypeMismatch,
                  std::string("Cannot ") + (op == "$inc" ? "increment" : "multiply") +
                      " with non-numeric argument: {" + path + ": " + ToRelaxedJson(arg) + "}");
  }
  if (op == "$rename" && !arg.Is<std::string>()) {
    return Status(kBadValue, "The 'to' field for $rename must be a string: " + path + ": " +
                                 ToRelaxedJson(arg));
  }
  if (op == "$pop") {
    double d = arg.IsNumber() ? arg.AsDouble() : 0;
    if (d != 1 && d != -1) {
      return Failed("Expected a number in: " + path + ": " + ToRelaxedJson(arg) +
                    " (the value must be 1 or -1)");
    }
  }
  if (op == "$pullAll" && !arg.Is<Array>()) {
    return Status(kBadValue, "$pullAll requires an array argument but was given a " +
                                 std::string(TypeAlias(arg.type())));
  }
  if (op == "$addToSet" && arg.Is<Document>() && arg.As<Document>().Has("$each") &&
      !arg.As<Document>().Get("$each")->Is<Array>()) {
    return Status(kTypeMismatch, "The argument to $each in $addToSet must be an array");
  }
  if (path.empty()) return Status(kBadValue, "An empty update path is not valid.");
  return Status::Ok();
}

}  // namespace

StatusOr<Update> Update::Parse(const Value& update, const Array* array_filters) {
  Update u;
  if (const Array* pipeline = update.If<Array>()) {
    u.kind_ = Kind::kPipeline;
    u.pipeline_ = *pipeline;
    MM_RETURN_IF_ERROR(ValidateUpdatePipeline(*pipeline));
  } else if (const Document* d = update.If<Document>()) {
    bool operators = !d->empty() && d->fields().front().key.starts_with('$');
    if (!operators) {
      u.kind_ = Kind::kReplacement;
      u.replacement_ = *d;
    } else {
      std::vector<std::string> paths;
      for (const Field& f : d->fields()) {
        if (!IsModifier(f.key)) {
          return Failed("Unknown modifier: " + f.key +
                        ". Expected a valid update modifier or pipeline-style update specified as "
                        "an array");
        }
        const Document* args = f.value.If<Document>();
        if (!args) {
          return Failed("Modifiers operate on fields but we found type " +
                        std::string(TypeAlias(f.value.type())) +
                        " instead. For example: {$mod: "
                        "{<field>: ...}} not {" +
                        f.key + ": " + ToRelaxedJson(f.value) + "}");
        }
        for (const Field& a : args->fields()) {
          MM_RETURN_IF_ERROR(ValidateOperatorArgument(f.key, a.key, a.value));
          std::vector<std::string> touched{a.key};
          if (f.key == "$rename") touched.push_back(a.value.As<std::string>());
          for (const std::string& p : touched) {
            for (const std::string& other : paths) {
              if (Overlaps(p, other)) {
                return Status(kConflictingUpdateOperators,
                              "Updating the path '" + p + "' would create a conflict at '" +
                                  (p.size() < other.size() ? p : other) + "'");
              }
            }
          }
          paths.insert(paths.end(), touched.begin(), touched.end());
          u.ops_.push_back(std::make_shared<UpdateOp>(UpdateOp{f.key, a.key, a.value}));
        }
      }
    }
  } else {
    return Status(kFailedToParse, "Update argument must be either an object or an array");
  }
  if (array_filters) {
    if (u.kind_ != Kind::kOperators) {
      return Failed("arrayFilters may not be specified for pipeline-style updates");
    }
    for (const Value& f : array_filters->items) {
      const Document* d = f.If<Document>();
      if (!d || d->empty())
        return Failed("Cannot use an expression without a top-level field name in arrayFilters");
      std::string id = SplitPath(d->fields().front().key)[0];
      for (const Field& ff : d->fields()) {
        if (SplitPath(ff.key)[0] != id) {
          return Failed(
              "Error parsing array filter :: caused by :: Expected a single top-level "
              "field name, found '" +
              id + "' and '" + SplitPath(ff.key)[0] + "'");
        }
      }
      for (const auto& existing : u.array_filters_) {
        if (existing.first == id) {
          return Failed("Found multiple array filters with the same top-level field name " + id);
        }
      }
      auto m = Matcher::Parse(*d);
      if (!m.ok()) return m.status();
      u.array_filters_.emplace_back(id, std::make_shared<const Matcher>(std::move(m).value()));
    }
  }
  return u;
}

Status Update::Apply(Document* doc, int positional, bool is_insert, bool* modified) const {
  const Document before = *doc;
  const Value* old_id = before.Get("_id");
  if (kind_ == Kind::kReplacement) {
    Document replaced;
    if (old_id) replaced.Append("_id", *old_id);
    for (const Field& f : replacement_.fields()) {
      if (f.key == "_id" && old_id) {
        if (!ValuesEqual(f.value, *old_id)) return IdAltered(f.value);
        continue;
      }
      replaced.Append(f.key, f.value);
    }
    *doc = std::move(replaced);
  } else if (kind_ == Kind::kPipeline) {
    auto out = ApplyUpdatePipeline(pipeline_, *doc);
    if (!out.ok()) return out.status();
    // As a replacement: a result without _id keeps the original one (first); a different _id
    // is an attempt to change it.
    Document result = std::move(out).value();
    if (old_id) {
      const Value* new_id = result.Get("_id");
      if (!new_id) {
        result.fields().insert(result.fields().begin(), Field{"_id", *old_id});
      } else if (!ValuesEqual(*new_id, *old_id)) {
        return IdAltered(*new_id);
      }
    }
    *doc = std::move(result);
  } else {
    std::set<std::string> used_filters;
    for (const auto& op : ops_) {
      if (op->op == "$setOnInsert" && !is_insert) continue;
      std::vector<std::vector<std::string>> paths;
      MM_RETURN_IF_ERROR(ExpandPath(*doc, SplitPath(op->path), 0, {}, positional, array_filters_,
                                    &used_filters, &paths));
      for (const auto& p : paths) MM_RETURN_IF_ERROR(ApplyAtPath(*op, p, doc));
    }
    for (const auto& [id, matcher] : array_filters_) {
      if (!used_filters.count(id)) {
        return Failed("The array filter for identifier '" + id + "' was not used in the update");
      }
    }
  }
  if (old_id) {
    const Value* new_id = doc->Get("_id");
    if (!new_id || !(*new_id == *old_id)) {
      return Status(
          kImmutableField,
          "Performing an update on the path '_id' would modify the immutable field '_id'");
    }
    // _id stays the first field, as MongoDB keeps it.
    if (doc->fields().front().key != "_id") {
      Value id = *new_id;
      doc->Remove("_id");
      doc->fields().insert(doc->fields().begin(), Field{"_id", std::move(id)});
    }
  }
  *modified = !(before == *doc);
  return Status::Ok();
}

Status SeedUpsertDocument(const Document& filter, Document* out) {
  for (const Field& f : filter.fields()) {
    if (f.key == "$and") {
      if (const Array* a = f.value.If<Array>()) {
        for (const Value& v : a->items) {
          if (const Document* d = v.If<Document>()) MM_RETURN_IF_ERROR(SeedUpsertDocument(*d, out));
        }
      }
      continue;
    }
    if (f.key.starts_with('$')) continue;
    const Value* value = &f.value;
    if (const Document* d = f.value.If<Document>();
        d && !d->empty() && d->fields().front().key.starts_with('$')) {
      value = d->size() == 1 ? d->Get("$eq") : nullptr;
      if (!value) continue;
    }
    if (value->Is<Regex>()) continue;
    auto slot = CreatePath(out, SplitPath(f.key));
    if (!slot.ok()) return slot.status();
    **slot = *value;
  }
  return Status::Ok();
}

}  // namespace mm::engine
