#include "server/engine/aggregate.h"

#include <algorithm>
#include <map>

#include "server/engine/expression.h"
#include "server/engine/match.h"
#include "server/engine/path.h"
#include "server/engine/projection.h"
#include "server/engine/sort.h"
#include "value/bson_codec.h"
#include "value/compare.h"

namespace mm::engine {

struct Stage {
  virtual ~Stage() = default;
  virtual StatusOr<std::vector<Document>> Run(std::vector<Document> in) const = 0;
};

namespace {

using StagePtr = std::shared_ptr<const Stage>;
using Docs = std::vector<Document>;

// Stages that map each document to zero or one document.
struct PerDocumentStage : Stage {
  std::function<StatusOr<std::optional<Document>>(const Document&)> fn;
  StatusOr<Docs> Run(Docs in) const override {
    Docs out;
    out.reserve(in.size());
    for (const Document& d : in) {
      auto r = fn(d);
      if (!r.ok()) return r.status();
      if (*r) out.push_back(std::move(**r));
    }
    return out;
  }
};

struct WholeStage : Stage {
  std::function<StatusOr<Docs>(Docs)> fn;
  StatusOr<Docs> Run(Docs in) const override { return fn(std::move(in)); }
};

StagePtr PerDocument(std::function<StatusOr<std::optional<Document>>(const Document&)> fn) {
  auto s = std::make_shared<PerDocumentStage>();
  s->fn = std::move(fn);
  return s;
}

StagePtr Whole(std::function<StatusOr<Docs>(Docs)> fn) {
  auto s = std::make_shared<WholeStage>();
  s->fn = std::move(fn);
  return s;
}

StatusOr<StagePtr> AddFields(const std::string& name, const Value& arg) {
  const Document* spec = arg.If<Document>();
  if (!spec)
    return Status(40272, name + " specification stage must be an object, got " +
                             std::string(TypeAlias(arg.type())));
  std::vector<std::pair<std::vector<std::string>, ExpressionPtr>> fields;
  for (const Field& f : spec->fields()) {
    auto e = Expression::Parse(f.value);
    if (!e.ok()) return e.status();
    fields.emplace_back(SplitPath(f.key), *e);
  }
  return PerDocument([fields](const Document& d) -> StatusOr<std::optional<Document>> {
    Document out = d;
    for (const auto& [path, expr] : fields) {
      auto v = expr->Evaluate(d);
      if (!v.ok()) return v.status();
      if (v->Is<Undefined>()) {
        RemoveExact(&out, path);
        continue;
      }
      auto slot = CreatePath(&out, path);
      if (!slot.ok()) return slot.status();
      **slot = std::move(v).value();
    }
    return std::optional<Document>(std::move(out));
  });
}

StatusOr<StagePtr> ProjectStage(const Value& arg) {
  const Document* spec = arg.If<Document>();
  if (!spec) return Status(15969, "$project specification must be an object");
  if (spec->empty()) return Status(51272, "projection specification must have at least one field");
  auto p = Projection::Parse(*spec);
  if (!p.ok()) return p.status();
  auto projection = std::make_shared<Projection>(std::move(p).value());
  return PerDocument([projection](const Document& d) -> StatusOr<std::optional<Document>> {
    auto r = projection->Apply(d);
    if (!r.ok()) return r.status();
    return std::optional<Document>(std::move(r).value());
  });
}

StatusOr<StagePtr> UnsetStage(const Value& arg) {
  Document spec;
  if (const std::string* s = arg.If<std::string>()) {
    spec.Append(*s, 0);
  } else if (const Array* a = arg.If<Array>()) {
    for (const Value& v : a->items) {
      if (!v.Is<std::string>())
        return Status(
            31120,
            "$unset specification must be a string or an array containing only string values");
      spec.Append(v.As<std::string>(), 0);
    }
  } else {
    return Status(31002, "$unset specification must be a string or an array");
  }
  return ProjectStage(Value(spec));
}

StatusOr<StagePtr> ReplaceRoot(const std::string& name, const Value& arg) {
  Value expr_spec = arg;
  if (name == "$replaceRoot") {
    const Document* d = arg.If<Document>();
    const Value* nr = d ? d->Get("newRoot") : nullptr;
    if (!nr) return Status(40231, "no newRoot specified for the $replaceRoot stage");
    expr_spec = *nr;
  }
  auto e = Expression::Parse(expr_spec);
  if (!e.ok()) return e.status();
  ExpressionPtr expr = *e;
  return PerDocument([expr](const Document& d) -> StatusOr<std::optional<Document>> {
    auto v = expr->Evaluate(d);
    if (!v.ok()) return v.status();
    if (!v->Is<Document>()) {
      return Status(40228,
                    "'newRoot' expression must evaluate to an object, but resulting value was: " +
                        std::string(TypeAlias(v->type())));
    }
    return std::optional<Document>(v->As<Document>());
  });
}

// $group accumulators.
struct Accumulator {
  std::string op;
  ExpressionPtr expr;
};

StatusOr<StagePtr> GroupStage(const Value& arg) {
  const Document* spec = arg.If<Document>();
  if (!spec) return Status(15947, "a group's fields must be specified in an object");
  const Value* id_spec = spec->Get("_id");
  if (!id_spec) return Status(15955, "a group specification must include an _id");
  auto id_expr = Expression::Parse(*id_spec);
  if (!id_expr.ok()) return id_expr.status();
  std::vector<std::pair<std::string, Accumulator>> accs;
  for (const Field& f : spec->fields()) {
    if (f.key == "_id") continue;
    const Document* acc = f.value.If<Document>();
    if (!acc || acc->size() != 1) {
      return Status(40234, "The field '" + f.key + "' must be an accumulator object");
    }
    const Field& a = acc->fields().front();
    static const char* kKnown[] = {"$sum",  "$avg",  "$min",      "$max",  "$first",
                                   "$last", "$push", "$addToSet", "$count"};
    if (std::find(std::begin(kKnown), std::end(kKnown), a.key) == std::end(kKnown)) {
      return Status(15952, "unknown group operator '" + a.key + "'");
    }
    auto e = Expression::Parse(a.key == "$count" ? Value(1) : a.value);
    if (!e.ok()) return e.status();
    accs.emplace_back(f.key, Accumulator{a.key == "$count" ? "$sum" : a.key, *e});
  }
  ExpressionPtr id = *id_expr;
  return Whole([id, accs](Docs in) -> StatusOr<Docs> {
    std::vector<std::pair<Value, std::vector<std::vector<Value>>>> groups;
    std::map<Value, size_t, ValueLess> index;
    for (const Document& d : in) {
      auto key = id->Evaluate(d);
      if (!key.ok()) return key.status();
      Value k = key->Is<Undefined>() ? Value(Null{}) : std::move(key).value();
      auto [it, inserted] = index.emplace(k, groups.size());
      if (inserted) groups.push_back({k, std::vector<std::vector<Value>>(accs.size())});
      auto& g = groups[it->second];
      for (size_t i = 0; i < accs.size(); ++i) {
        auto v = accs[i].second.expr->Evaluate(d);
        if (!v.ok()) return v.status();
        g.second[i].push_back(std::move(v).value());
      }
    }
    Docs out;
    for (auto& [k, values] : groups) {
      Document d{{"_id", k}};
      for (size_t i = 0; i < accs.size(); ++i) {
        const std::string& op = accs[i].second.op;
        auto& vs = values[i];
        Value result = Null{};
        if (op == "$sum" || op == "$avg") {
          double sum = 0;
          bool all_int = true;
          size_t n = 0;
          for (const Value& v : vs) {
            if (!v.IsNumber()) continue;
            sum += v.AsDouble();
            all_int = all_int && !v.Is<double>() && !v.Is<Decimal128>();
            ++n;
          }
          if (op == "$avg") {
            result = n ? Value(sum / static_cast<double>(n)) : Value(Null{});
          } else if (all_int && sum >= INT32_MIN && sum <= INT32_MAX) {
            result = static_cast<int32_t>(sum);
          } else if (all_int && sum >= -9223372036854775808.0 && sum < 9223372036854775808.0) {
            result = static_cast<int64_t>(sum);
          } else {
            result = sum;
          }
        } else if (op == "$min" || op == "$max") {
          for (const Value& v : vs) {
            if (v.IsNullish() || v.Is<Undefined>()) continue;
            if (result.Is<Null>() ||
                (op == "$min" ? CompareValues(v, result) < 0 : CompareValues(v, result) > 0)) {
              result = v;
            }
          }
        } else if (op == "$first" || op == "$last") {
          if (!vs.empty()) result = op == "$first" ? vs.front() : vs.back();
          if (result.Is<Undefined>()) result = Null{};
        } else if (op == "$push" || op == "$addToSet") {
          Array arr;
          for (const Value& v : vs) {
            if (v.Is<Undefined>()) continue;
            if (op == "$addToSet" &&
                std::any_of(arr.items.begin(), arr.items.end(),
                            [&](const Value& e) { return ValuesEqual(e, v); })) {
              continue;
            }
            arr.items.push_back(v);
          }
          result = std::move(arr);
        }
        d.Append(accs[i].first, std::move(result));
      }
      out.push_back(std::move(d));
    }
    return out;
  });
}

StatusOr<StagePtr> UnwindStage(const Value& arg) {
  std::string path;
  bool preserve = false;
  std::string include_index;
  if (const std::string* s = arg.If<std::string>()) {
    path = *s;
  } else if (const Document* d = arg.If<Document>()) {
    const Value* p = d->Get("path");
    if (!p || !p->Is<std::string>()) return Status(28812, "no path specified to $unwind stage");
    path = p->As<std::string>();
    if (const Value* pr = d->Get("preserveNullAndEmptyArrays")) preserve = pr->Truthy();
    if (const Value* ia = d->Get("includeArrayIndex"); ia && ia->Is<std::string>())
      include_index = ia->As<std::string>();
  } else {
    return Status(15981,
                  "expected either a string or an object as specification for $unwind stage");
  }
  if (!path.starts_with('$'))
    return Status(28818, "path option to $unwind stage should be prefixed with a '$': " + path);
  auto parts = SplitPath(path.substr(1));
  return Whole([parts, preserve, include_index](Docs in) -> StatusOr<Docs> {
    Docs out;
    for (const Document& d : in) {
      const Value* v = GetExact(d, parts);
      if (v && v->Is<Array>() && !v->As<Array>().items.empty()) {
        const auto& items = v->As<Array>().items;
        for (size_t i = 0; i < items.size(); ++i) {
          Document copy = d;
          **CreatePath(&copy, parts) = items[i];
          if (!include_index.empty()) copy.Set(include_index, static_cast<int64_t>(i));
          out.push_back(std::move(copy));
        }
      } else if (v && !v->Is<Array>() && !v->IsNullish()) {
        Document copy = d;
        if (!include_index.empty()) copy.Set(include_index, Null{});
        out.push_back(std::move(copy));
      } else if (preserve) {
        Document copy = d;
        if (!include_index.empty()) copy.Set(include_index, Null{});
        out.push_back(std::move(copy));
      }
    }
    return out;
  });
}

StatusOr<int64_t> PositiveCount(const std::string& stage, const Value& arg, bool allow_zero) {
  auto n = arg.IsNumber() ? arg.AsExactInt64() : std::nullopt;
  if (!n || *n < 0 || (!allow_zero && *n == 0)) {
    return Status(stage == "$limit" ? 15958 : 15956,
                  "invalid argument to " + stage + " stage: " +
                      (stage == "$limit" ? "the limit must be positive"
                                         : "Cannot skip a negative number of documents"));
  }
  return *n;
}

// {$lookup: {from, localField, foreignField, as}}: each document gets, in `as`, the `from`
// documents whose foreignField equals its localField (any element, for arrays; null matches
// null and missing), as MongoDB's equality match does.
StatusOr<StagePtr> Lookup(const Value& arg, const CollectionReader& read) {
  const Document* spec = arg.If<Document>();
  if (!spec) return Status(kFailedToParse, "the $lookup specification must be an object");
  std::string fields[4];
  const char* names[] = {"from", "localField", "foreignField", "as"};
  for (const Field& f : spec->fields()) {
    auto it = std::find(std::begin(names), std::end(names), f.key);
    if (it == std::end(names)) {
      if (f.key == "let" || f.key == "pipeline") {
        return Status(mm::kNotImplemented,
                      "$lookup with let/pipeline is not implemented by devmongod; use "
                      "localField/foreignField");
      }
      return Status(kFailedToParse, "unknown argument to $lookup: " + f.key);
    }
    if (!f.value.Is<std::string>()) {
      return Status(kFailedToParse, "$lookup argument '" + f.key + ": " + ToRelaxedJson(f.value) +
                                        "' must be a string, is type " +
                                        std::string(TypeAlias(f.value.type())));
    }
    fields[it - std::begin(names)] = f.value.As<std::string>();
  }
  for (int i = 0; i < 4; ++i) {
    if (!spec->Has(names[i])) {
      return Status(kFailedToParse,
                    std::string("must specify '") + names[i] + "' field for a $lookup");
    }
  }
  if (!read) return Status(mm::kNotImplemented, "$lookup is not available here");
  const std::string from = fields[0], local = fields[1], foreign = fields[2], as = fields[3];
  return Whole([=](Docs in) -> StatusOr<Docs> {
    const Docs others = read(from);
    for (Document& d : in) {
      std::vector<PathValue> values;
      bool missing = false;
      CollectPathValues(d, SplitPath(local), &values, &missing);
      Array candidates;
      for (const PathValue& pv : values) {
        if (const Array* a = pv.value->If<Array>()) {
          for (const Value& e : a->items) candidates.items.push_back(e);
        } else {
          candidates.items.push_back(*pv.value);
        }
      }
      if (candidates.items.empty()) candidates.items.emplace_back(Null{});
      auto matcher = Matcher::Parse(Document{{foreign, Document{{"$in", std::move(candidates)}}}});
      if (!matcher.ok()) return matcher.status();
      Array joined;
      for (const Document& o : others) {
        if (matcher->Matches(o)) joined.items.emplace_back(o);
      }
      auto slot = CreatePath(&d, SplitPath(as));
      if (!slot.ok()) return slot.status();
      **slot = Value(std::move(joined));
    }
    return in;
  });
}

StatusOr<StagePtr> ParseStage(const Document& stage_doc, const CollectionReader& read) {
  if (stage_doc.size() != 1) {
    return Status(40323, "A pipeline stage specification object must contain exactly one field.");
  }
  const std::string& name = stage_doc.fields().front().key;
  const Value& arg = stage_doc.fields().front().value;
  if (name == "$match") {
    const Document* f = arg.If<Document>();
    if (!f) return Status(15959, "the match filter must be an expression in an object");
    auto m = Matcher::Parse(*f);
    if (!m.ok()) return m.status();
    auto matcher = std::make_shared<Matcher>(std::move(m).value());
    return PerDocument([matcher](const Document& d) -> StatusOr<std::optional<Document>> {
      return matcher->Matches(d) ? std::optional<Document>(d) : std::nullopt;
    });
  }
  if (name == "$project") return ProjectStage(arg);
  if (name == "$addFields" || name == "$set") return AddFields(name, arg);
  if (name == "$unset") return UnsetStage(arg);
  if (name == "$replaceRoot" || name == "$replaceWith") return ReplaceRoot(name, arg);
  if (name == "$group") return GroupStage(arg);
  if (name == "$unwind") return UnwindStage(arg);
  if (name == "$sort") {
    const Document* spec = arg.If<Document>();
    if (!spec || spec->empty()) return Status(15976, "$sort stage must have at least one sort key");
    auto order = SortOrder::Parse(*spec);
    if (!order.ok()) return order.status();
    SortOrder o = *order;
    return Whole([o](Docs in) -> StatusOr<Docs> {
      std::stable_sort(in.begin(), in.end(), [&](const Document& a, const Document& b) {
        return o.CompareDocs(a, b) < 0;
      });
      return in;
    });
  }
  if (name == "$skip" || name == "$limit") {
    auto n = PositiveCount(name, arg, name == "$skip");
    if (!n.ok()) return n.status();
    int64_t count = *n;
    bool skip = name == "$skip";
    return Whole([count, skip](Docs in) -> StatusOr<Docs> {
      size_t k = std::min<size_t>(static_cast<size_t>(count), in.size());
      if (skip) {
        in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        in.resize(k);
      }
      return in;
    });
  }
  if (name == "$count") {
    const std::string* field = arg.If<std::string>();
    if (!field || field->empty())
      return Status(40156, "the count field must be a non-empty string");
    if (field->starts_with('$'))
      return Status(40158, "the count field cannot be a $-prefixed path");
    std::string f = *field;
    return Whole([f](Docs in) -> StatusOr<Docs> {
      if (in.empty()) return Docs{};
      return Docs{Document{{f, static_cast<int32_t>(in.size())}}};
    });
  }
  if (name == "$lookup") return Lookup(arg, read);
  if (name == "$out" || name == "$merge") {
    return Status(40601, name + " can only be the final stage in the pipeline");
  }
  static const char* kNotImplemented[] = {
      "$merge",     "$facet",       "$bucket",    "$bucketAuto", "$graphLookup", "$geoNear",
      "$sample",    "$sortByCount", "$unionWith", "$densify",    "$fill",        "$setWindowFields",
      "$collStats", "$indexStats",  "$redact",    "$search",     "$documents"};
  if (std::find(std::begin(kNotImplemented), std::end(kNotImplemented), name) !=
      std::end(kNotImplemented)) {
    return Status(mm::kNotImplemented,
                  "aggregation stage " + name + " is not implemented by devmongod");
  }
  return Status(40324, "Unrecognized pipeline stage name: '" + name + "'");
}

}  // namespace

StatusOr<Pipeline> Pipeline::Parse(const Array& stages, CollectionReader read) {
  Pipeline p;
  for (const Value& s : stages.items) {
    const Document* d = s.If<Document>();
    if (!d) return Status(kTypeMismatch, "Each element of the 'pipeline' array must be an object");
    auto stage = ParseStage(*d, read);
    if (!stage.ok()) return stage.status();
    p.stages_.push_back(*stage);
  }
  return p;
}

StatusOr<std::vector<Document>> Pipeline::Run(std::vector<Document> input) const {
  for (const auto& s : stages_) {
    auto r = s->Run(std::move(input));
    if (!r.ok()) return r.status();
    input = std::move(r).value();
  }
  return input;
}

namespace {

// The collection an $out or $merge names: "coll" or {db, coll} in this database.
StatusOr<std::string> TargetName(const std::string& stage, const Value& arg, const std::string& db,
                                 const char* coll_field) {
  if (const std::string* name = arg.If<std::string>()) return *name;
  const Document* d = arg.If<Document>();
  if (!d) {
    return Status(16990, stage + " only supports a string or object argument, not " +
                             std::string(TypeAlias(arg.type())));
  }
  const Value* to_db = d->Get("db");
  const Value* coll = d->Get(coll_field);
  if (!coll || !coll->Is<std::string>()) {
    return Status(kFailedToParse, stage + " requires a '" + coll_field + "' string");
  }
  if (to_db && (!to_db->Is<std::string>() || to_db->As<std::string>() != db)) {
    return Status(mm::kNotImplemented,
                  stage + " to another database is not implemented by devmongod");
  }
  return coll->As<std::string>();
}

Status ParseMerge(const Value& arg, const std::string& db, OutStage* out) {
  const Document* d = arg.If<Document>();
  if (!d) {
    auto name = TargetName("$merge", arg, db, "coll");
    if (!name.ok()) return name.status();
    out->target = *name;
    return Status::Ok();
  }
  for (const Field& f : d->fields()) {
    if (f.key == "into") {
      auto name = TargetName("$merge", f.value, db, "coll");
      if (!name.ok()) return name.status();
      out->target = *name;
    } else if (f.key == "on") {
      out->on.clear();
      if (const std::string* one = f.value.If<std::string>()) {
        out->on.push_back(*one);
      } else if (const Array* many = f.value.If<Array>()) {
        for (const Value& v : many->items) {
          if (!v.Is<std::string>())
            return Status(51134, "$merge 'on' array elements must be strings");
          out->on.push_back(v.As<std::string>());
        }
      }
      if (out->on.empty()) return Status(51187, "$merge 'on' must name at least one field");
    } else if (f.key == "whenMatched") {
      const std::string* mode = f.value.If<std::string>();
      if (!mode) {
        return Status(mm::kNotImplemented,
                      "$merge with a whenMatched pipeline is not implemented by devmongod");
      }
      if (*mode != "replace" && *mode != "keepExisting" && *mode != "merge" && *mode != "fail") {
        return Status(kBadValue, "Enumeration value '" + *mode +
                                     "' for field '$merge.whenMatched' is not a valid value.");
      }
      out->when_matched = *mode;
    } else if (f.key == "whenNotMatched") {
      const std::string* mode = f.value.If<std::string>();
      if (!mode || (*mode != "insert" && *mode != "discard" && *mode != "fail")) {
        return Status(kBadValue, "'whenNotMatched' must be insert, discard or fail");
      }
      out->when_not_matched = *mode;
    } else if (f.key == "let") {
      return Status(mm::kNotImplemented, "$merge with let is not implemented by devmongod");
    } else {
      return Status(40415, "BSON field '$merge." + f.key + "' is an unknown field.");
    }
  }
  if (out->target.empty())
    return Status(40414, "BSON field '$merge.into' is missing but a required field");
  return Status::Ok();
}

}  // namespace

StatusOr<OutStage> SplitOut(const Array& stages, const std::string& db) {
  OutStage out;
  out.pipeline = stages;
  if (stages.items.empty()) return out;
  const Document* last = stages.items.back().If<Document>();
  if (!last || last->size() != 1) return out;
  const std::string& stage = last->fields().front().key;
  const Value& arg = last->fields().front().value;
  if (stage == "$out") {
    auto name = TargetName("$out", arg, db, "coll");
    if (!name.ok()) return name.status();
    out.target = *name;
  } else if (stage == "$merge") {
    out.merge = true;
    MM_RETURN_IF_ERROR(ParseMerge(arg, db, &out));
  } else {
    return out;
  }
  out.pipeline.items.pop_back();
  return out;
}

Status ValidateUpdatePipeline(const Array& stages) {
  static const char* kAllowed[] = {"$addFields", "$set",         "$project",
                                   "$unset",     "$replaceRoot", "$replaceWith"};
  for (const Value& s : stages.items) {
    const Document* d = s.If<Document>();
    if (!d || d->empty())
      return Status(kFailedToParse, "Each element of the update pipeline must be an object");
    const std::string& name = d->fields().front().key;
    if (std::find(std::begin(kAllowed), std::end(kAllowed), name) == std::end(kAllowed)) {
      return Status(kInvalidOptions, name + " is not allowed to be used within an update");
    }
  }
  auto p = Pipeline::Parse(stages);
  return p.ok() ? Status::Ok() : p.status();
}

StatusOr<Document> ApplyUpdatePipeline(const Array& stages, const Document& doc) {
  auto p = Pipeline::Parse(stages);
  if (!p.ok()) return p.status();
  auto out = p->Run({doc});
  if (!out.ok()) return out.status();
  return std::move(out->front());
}

}  // namespace mm::engine
