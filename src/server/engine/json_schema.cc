#include "server/engine/json_schema.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "server/engine/regex.h"
#include "value/compare.h"

namespace mm::engine {
namespace {

constexpr std::string_view kKeywords[] = {"bsonType",
                                          "type",
                                          "required",
                                          "properties",
                                          "minimum",
                                          "maximum",
                                          "exclusiveMinimum",
                                          "exclusiveMaximum",
                                          "minLength",
                                          "maxLength",
                                          "pattern",
                                          "enum",
                                          "items",
                                          "minItems",
                                          "maxItems",
                                          "additionalProperties",
                                          "description",
                                          "title",
                                          "minProperties",
                                          "maxProperties",
                                          "uniqueItems",
                                          "allOf",
                                          "anyOf",
                                          "oneOf",
                                          "not",
                                          "multipleOf",
                                          "patternProperties",
                                          "dependencies"};

// allOf / anyOf / oneOf: a non-empty array of schemas.
Status ParseSchemaList(const Field& f, std::vector<std::shared_ptr<const JsonSchema>>* out) {
  if (!f.value.Is<Array>()) {
    return Status(kTypeMismatch, "$jsonSchema keyword '" + f.key + "' must be an array");
  }
  if (f.value.As<Array>().items.empty()) {
    return Status(kFailedToParse, "$jsonSchema keyword '" + f.key + "' must be a non-empty array");
  }
  for (const Value& e : f.value.As<Array>().items) {
    if (!e.Is<Document>()) {
      return Status(kTypeMismatch, "$jsonSchema keyword '" + f.key +
                                       "' must be an array of objects, but found an element of "
                                       "type " +
                                       std::string(TypeAlias(e.type())));
    }
    auto sub = JsonSchema::Parse(e.As<Document>());
    if (!sub.ok()) return sub.status();
    out->push_back(*sub);
  }
  return Status::Ok();
}

// JSON Schema's `type` names next to BSON's aliases.
bool TypeMatches(const Value& spec, const Value& v, bool json_types) {
  std::vector<Value> names = spec.Is<Array>() ? spec.As<Array>().items : std::vector<Value>{spec};
  for (const Value& n : names) {
    if (!n.Is<std::string>()) continue;
    const std::string& name = n.As<std::string>();
    if (name == "number" && v.IsNumber()) return true;
    if (json_types) {
      if ((name == "boolean" && v.Is<bool>()) || (name == "object" && v.Is<Document>()) ||
          (name == "array" && v.Is<Array>()) || (name == "string" && v.Is<std::string>()) ||
          (name == "null" && v.Is<Null>())) {
        return true;
      }
      continue;
    }
    auto t = TypeFromAlias(name);
    if (t && *t == v.type()) return true;
  }
  return false;
}

}  // namespace

StatusOr<std::shared_ptr<const JsonSchema>> JsonSchema::Parse(const Document& schema) {
  auto out = std::make_shared<JsonSchema>();
  out->schema_ = schema;
  for (const Field& f : schema.fields()) {
    if (std::find(std::begin(kKeywords), std::end(kKeywords), f.key) == std::end(kKeywords)) {
      return Status(kFailedToParse, "Unknown $jsonSchema keyword: " + f.key);
    }
    if (f.key == "properties") {
      if (!f.value.Is<Document>())
        return Status(kTypeMismatch, "$jsonSchema keyword 'properties' must be an object");
      for (const Field& p : f.value.As<Document>().fields()) {
        if (!p.value.Is<Document>())
          return Status(kTypeMismatch,
                        "Nested schema for $jsonSchema property '" + p.key + "' must be an object");
        auto sub = Parse(p.value.As<Document>());
        if (!sub.ok()) return sub.status();
        out->properties_.emplace_back(p.key, *sub);
      }
    } else if (f.key == "allOf" || f.key == "anyOf" || f.key == "oneOf") {
      MM_RETURN_IF_ERROR(ParseSchemaList(f, f.key == "allOf"   ? &out->all_of_
                                            : f.key == "anyOf" ? &out->any_of_
                                                               : &out->one_of_));
    } else if (f.key == "not") {
      if (!f.value.Is<Document>())
        return Status(kTypeMismatch, "$jsonSchema keyword 'not' must be an object");
      auto sub = Parse(f.value.As<Document>());
      if (!sub.ok()) return sub.status();
      out->not_ = *sub;
    } else if (f.key == "multipleOf") {
      if (!f.value.IsNumber())
        return Status(kTypeMismatch, "$jsonSchema keyword 'multipleOf' must be a number");
      if (!(f.value.AsDouble() > 0))
        return Status(kFailedToParse,
                      "$jsonSchema keyword 'multipleOf' must have a positive value");
    } else if (f.key == "patternProperties") {
      if (!f.value.Is<Document>())
        return Status(kTypeMismatch, "$jsonSchema keyword 'patternProperties' must be an object");
      for (const Field& p : f.value.As<Document>().fields()) {
        if (!p.value.Is<Document>())
          return Status(kTypeMismatch,
                        "patternProperties schema for '" + p.key + "' must be an object");
        auto r = CompiledRegex::Compile(p.key, "");
        if (!r.ok()) return r.status();
        auto sub = Parse(p.value.As<Document>());
        if (!sub.ok()) return sub.status();
        out->pattern_properties_.push_back(PatternProperty{p.key, *r, *sub});
      }
    } else if (f.key == "additionalProperties" && !f.value.Is<bool>()) {
      if (!f.value.Is<Document>())
        return Status(kTypeMismatch,
                      "$jsonSchema keyword 'additionalProperties' must be either an object or a "
                      "boolean");
      auto sub = Parse(f.value.As<Document>());
      if (!sub.ok()) return sub.status();
      out->additional_schema_ = *sub;
    } else if (f.key == "dependencies") {
      if (!f.value.Is<Document>())
        return Status(kTypeMismatch, "$jsonSchema keyword 'dependencies' must be an object");
      for (const Field& dep : f.value.As<Document>().fields()) {
        if (const Document* schema = dep.value.If<Document>()) {
          auto sub = Parse(*schema);
          if (!sub.ok()) return sub.status();
          out->schema_dependencies_.emplace_back(dep.key, *sub);
        } else if (const Array* names = dep.value.If<Array>()) {
          std::vector<std::string> required;
          for (const Value& n : names->items) {
            if (!n.Is<std::string>())
              return Status(kTypeMismatch,
                            "property dependency of '" + dep.key + "' must be an array of strings");
            required.push_back(n.As<std::string>());
          }
          out->property_dependencies_.emplace_back(dep.key, std::move(required));
        } else {
          return Status(kTypeMismatch,
                        "dependency of '" + dep.key + "' must be an object or an array of strings");
        }
      }
    } else if (f.key == "items" && f.value.Is<Document>()) {
      auto sub = Parse(f.value.As<Document>());
      if (!sub.ok()) return sub.status();
      out->items_ = *sub;
    } else if (f.key == "required" && !f.value.Is<Array>()) {
      return Status(kTypeMismatch, "$jsonSchema keyword 'required' must be an array");
    } else if (f.key == "pattern") {
      if (!f.value.Is<std::string>())
        return Status(kTypeMismatch, "$jsonSchema keyword 'pattern' must be a string");
      auto r = CompiledRegex::Compile(f.value.As<std::string>(), "");
      if (!r.ok()) return r.status();
    } else if (f.key == "bsonType" || f.key == "type") {
      const Value& names = f.value;
      std::vector<Value> list =
          names.Is<Array>() ? names.As<Array>().items : std::vector<Value>{names};
      for (const Value& n : list) {
        if (!n.Is<std::string>())
          return Status(kTypeMismatch, "$jsonSchema keyword '" + f.key +
                                           "' must be a string or an array of strings");
        const std::string& s = n.As<std::string>();
        if (f.key == "bsonType" && s != "number" && !TypeFromAlias(s)) {
          return Status(kBadValue, "Unknown type name alias: " + s);
        }
      }
    }
  }
  return std::shared_ptr<const JsonSchema>(out);
}

namespace {

Document Failure(std::string_view op, const Value& specified, std::string_view reason,
                 const Value& considered) {
  return Document{{"operatorName", std::string(op)},
                  {"specifiedAs", Document{{std::string(op), specified}}},
                  {"reason", std::string(reason)},
                  {"consideredValue", considered}};
}

}  // namespace

bool JsonSchema::CheckFields(const Document& d, Array* why) const {
  bool ok = true;
  Array properties_failed;
  Array additional;
  for (const Field& field : d.fields()) {
    bool declared = false;
    for (const auto& [name, sub] : properties_) {
      if (name != field.key) continue;
      declared = true;
      Array details;
      if (sub->Check(field.value, why ? &details : nullptr)) continue;
      ok = false;
      if (!why) return false;
      Document entry{{"propertyName", name}};
      if (const Value* description = sub->schema_.Get("description")) {
        entry.Append("description", *description);
      }
      entry.Append("details", std::move(details));
      properties_failed.items.emplace_back(std::move(entry));
    }
    for (const auto& [pattern, regex, sub] : pattern_properties_) {
      if (!regex->Matches(field.key)) continue;
      declared = true;
      Array details;
      if (sub->Check(field.value, why ? &details : nullptr)) continue;
      ok = false;
      if (!why) return false;
      why->items.emplace_back(Document{{"operatorName", "patternProperties"},
                                       {"propertyName", field.key},
                                       {"regexMatched", pattern},
                                       {"details", std::move(details)}});
    }
    if (declared) continue;
    const Value* extra = schema_.Get("additionalProperties");
    if (extra && extra->Is<bool>() && !extra->As<bool>()) {
      ok = false;
      if (!why) return false;
      additional.items.emplace_back(field.key);
    }
    if (additional_schema_) {
      Array details;
      if (!additional_schema_->Check(field.value, why ? &details : nullptr)) {
        ok = false;
        if (!why) return false;
        why->items.emplace_back(Document{{"operatorName", "additionalProperties"},
                                         {"propertyName", field.key},
                                         {"details", std::move(details)}});
      }
    }
  }
  if (why && !properties_failed.items.empty()) {
    why->items.emplace_back(Document{{"operatorName", "properties"},
                                     {"propertiesNotSatisfied", std::move(properties_failed)}});
  }
  if (why && !additional.items.empty()) {
    why->items.emplace_back(Document{{"operatorName", "additionalProperties"},
                                     {"specifiedAs", Document{{"additionalProperties", false}}},
                                     {"additionalProperties", std::move(additional)}});
  }
  Array failing_dependencies;
  for (const auto& [name, required] : property_dependencies_) {
    if (!d.Has(name)) continue;
    Array missing;
    for (const std::string& r : required) {
      if (!d.Has(r)) missing.items.emplace_back(r);
    }
    if (missing.items.empty()) continue;
    ok = false;
    if (!why) return false;
    failing_dependencies.items.emplace_back(
        Document{{"conditionalProperty", name}, {"missingProperties", std::move(missing)}});
  }
  for (const auto& [name, sub] : schema_dependencies_) {
    Array details;
    if (!d.Has(name) || sub->Check(Value(d), why ? &details : nullptr)) continue;
    ok = false;
    if (!why) return false;
    failing_dependencies.items.emplace_back(
        Document{{"conditionalProperty", name}, {"details", std::move(details)}});
  }
  if (why && !failing_dependencies.items.empty()) {
    why->items.emplace_back(Document{{"operatorName", "dependencies"},
                                     {"failingDependencies", std::move(failing_dependencies)}});
  }
  return ok;
}

std::optional<Document> JsonSchema::KeywordFailure(const Field& f, const Value& v,
                                                   bool explain) const {
  const std::string& k = f.key;
  const Value& a = f.value;
  if (k == "bsonType" || k == "type") {
    if (TypeMatches(a, v, k == "type")) return std::nullopt;
    Document entry = Failure(k, a, "type did not match", v);
    entry.Append("consideredType", std::string(TypeAlias(v.type())));
    return entry;
  }
  if (k == "enum" && a.Is<Array>()) {
    const auto& items = a.As<Array>().items;
    if (std::any_of(items.begin(), items.end(), [&](const Value& e) { return ValuesEqual(e, v); }))
      return std::nullopt;
    return Failure(k, a, "value was not found in enum", v);
  }
  if (k == "multipleOf" && v.IsNumber()) {
    const double q = v.AsDouble() / a.AsDouble();
    if (std::isfinite(q) && q == std::floor(q)) return std::nullopt;
    return Failure(k, a, "considered value was not a multiple of the specified value", v);
  }
  if ((k == "minimum" || k == "maximum") && v.IsNumber() && a.IsNumber()) {
    const int c = CompareValues(v, a);
    const char* exclusive = k == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum";
    const bool strict = schema_.Has(exclusive) && schema_.Get(exclusive)->Truthy();
    const bool beyond =
        k == "minimum" ? (c < 0 || (strict && c == 0)) : (c > 0 || (strict && c == 0));
    if (!beyond) return std::nullopt;
    return Failure(k, a, "comparison failed", v);
  }
  if (const std::string* s = v.If<std::string>()) {
    const double length = static_cast<double>(s->size());
    if ((k == "minLength" && a.IsNumber() && length < a.AsDouble()) ||
        (k == "maxLength" && a.IsNumber() && length > a.AsDouble())) {
      return Failure(k, a, "specified string length was not satisfied", v);
    }
    if (k == "pattern") {
      auto r = CompiledRegex::Compile(a.As<std::string>(), "");
      if (r.ok() && (*r)->Matches(*s)) return std::nullopt;
      return Failure(k, a, "regular expression did not match", v);
    }
    return std::nullopt;
  }
  if (const Array* arr = v.If<Array>()) {
    const double count = static_cast<double>(arr->items.size());
    if ((k == "minItems" && a.IsNumber() && count < a.AsDouble()) ||
        (k == "maxItems" && a.IsNumber() && count > a.AsDouble())) {
      return Failure(k, a, "array did not match specified length", v);
    }
    if (k == "uniqueItems" && a.Truthy()) {
      for (size_t i = 0; i < arr->items.size(); ++i) {
        for (size_t j = i + 1; j < arr->items.size(); ++j) {
          if (!ValuesEqual(arr->items[i], arr->items[j])) continue;
          Document entry = Failure(k, a, "found a duplicate item", v);
          entry.Append("duplicatedValue", arr->items[i]);
          return entry;
        }
      }
    }
    if (k == "items" && items_) {
      for (size_t i = 0; i < arr->items.size(); ++i) {
        Array details;
        if (items_->Check(arr->items[i], explain ? &details : nullptr)) continue;
        return Document{{"operatorName", "items"},
                        {"reason", "At least one item did not match the sub-schema"},
                        {"itemIndex", static_cast<int32_t>(i)},
                        {"details", std::move(details)}};
      }
    }
    return std::nullopt;
  }
  if (const Document* d = v.If<Document>()) {
    if (k == "required") {
      Array missing;
      for (const Value& r : a.As<Array>().items) {
        if (r.Is<std::string>() && !d->Has(r.As<std::string>())) missing.items.push_back(r);
      }
      if (missing.items.empty()) return std::nullopt;
      return Document{{"operatorName", "required"},
                      {"specifiedAs", Document{{"required", a}}},
                      {"missingProperties", std::move(missing)}};
    }
    const double fields = static_cast<double>(d->size());
    if ((k == "minProperties" && a.IsNumber() && fields < a.AsDouble()) ||
        (k == "maxProperties" && a.IsNumber() && fields > a.AsDouble())) {
      return Document{{"operatorName", k},
                      {"specifiedAs", Document{{k, a}}},
                      {"reason", "specified number of properties was not satisfied"},
                      {"numberOfProperties", static_cast<int32_t>(d->size())}};
    }
  }
  return std::nullopt;
}

bool JsonSchema::Validates(const Value& v) const { return Check(v, nullptr); }

Array JsonSchema::Explain(const Value& v) const {
  Array why;
  Check(v, &why);
  return why;
}

std::vector<Document> JsonSchema::CombinatorFailures(const Value& v, bool explain) const {
  std::vector<Document> out;
  // Which of `list` `v` satisfies (indexes), and the others with their details.
  auto evaluate = [&](const std::vector<SchemaPtr>& list, Array* failed, Array* matched) {
    for (size_t i = 0; i < list.size(); ++i) {
      Array details;
      if (list[i]->Check(v, explain ? &details : nullptr)) {
        matched->items.emplace_back(static_cast<int32_t>(i));
        continue;
      }
      Document entry{{"index", static_cast<int32_t>(i)}};
      entry.Append("details", std::move(details));
      failed->items.emplace_back(std::move(entry));
    }
  };
  auto not_satisfied = [](const char* op, Array failed) {
    Document entry{{"operatorName", op}};
    entry.Append("schemasNotSatisfied", std::move(failed));
    return entry;
  };
  if (!all_of_.empty()) {
    Array failed, matched;
    evaluate(all_of_, &failed, &matched);
    if (!failed.items.empty()) out.push_back(not_satisfied("allOf", std::move(failed)));
  }
  if (!any_of_.empty()) {
    Array failed, matched;
    evaluate(any_of_, &failed, &matched);
    if (matched.items.empty()) out.push_back(not_satisfied("anyOf", std::move(failed)));
  }
  if (!one_of_.empty()) {
    Array failed, matched;
    evaluate(one_of_, &failed, &matched);
    if (matched.items.empty()) out.push_back(not_satisfied("oneOf", std::move(failed)));
    if (matched.items.size() > 1) {
      Document entry{{"operatorName", "oneOf"}, {"reason", "more than one subschema matched"}};
      entry.Append("matchingSchemaIndexes", std::move(matched));
      out.push_back(std::move(entry));
    }
  }
  if (not_ && not_->Validates(v)) {
    Document entry{{"operatorName", "not"}};
    entry.Append("specifiedAs", Document{{"not", Value(not_->schema_)}});
    entry.Append("reason", "child expression matched");
    out.push_back(std::move(entry));
  }
  return out;
}

bool JsonSchema::Check(const Value& v, Array* why) const {
  bool ok = true;
  // Records one failed rule: with `why`, its entry; without, the answer is already known.
  auto fail = [&](Document entry) {
    ok = false;
    if (why) why->items.emplace_back(std::move(entry));
    return why == nullptr;
  };
  for (Document& failure : CombinatorFailures(v, why != nullptr)) {
    if (fail(std::move(failure))) return false;
  }
  for (const Field& f : schema_.fields()) {
    if (auto failure = KeywordFailure(f, v, why != nullptr); failure && fail(std::move(*failure))) {
      return false;
    }
  }
  if (const Document* d = v.If<Document>()) {
    if (!CheckFields(*d, why)) ok = false;
  }
  return ok;
}

}  // namespace mm::engine
