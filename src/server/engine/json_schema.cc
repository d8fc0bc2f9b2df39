#include "server/engine/json_schema.h"

#include <algorithm>
#include <cmath>

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
        out->pattern_properties_.emplace_back(*r, *sub);
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

bool JsonSchema::ValidatesFields(const Document& d) const {
  for (const Field& field : d.fields()) {
    bool declared = false;
    for (const auto& [name, sub] : properties_) {
      if (name != field.key) continue;
      declared = true;
      if (!sub->Validates(field.value)) return false;
    }
    for (const auto& [regex, sub] : pattern_properties_) {
      if (!regex->Matches(field.key)) continue;
      declared = true;
      if (!sub->Validates(field.value)) return false;
    }
    if (declared) continue;
    const Value* additional = schema_.Get("additionalProperties");
    if (additional && additional->Is<bool>() && !additional->As<bool>()) return false;
    if (additional_schema_ && !additional_schema_->Validates(field.value)) return false;
  }
  for (const auto& [name, required] : property_dependencies_) {
    if (!d.Has(name)) continue;
    for (const std::string& r : required) {
      if (!d.Has(r)) return false;
    }
  }
  for (const auto& [name, sub] : schema_dependencies_) {
    if (d.Has(name) && !sub->Validates(Value(d))) return false;
  }
  return true;
}

bool JsonSchema::Validates(const Value& v) const {
  for (const SchemaPtr& sub : all_of_) {
    if (!sub->Validates(v)) return false;
  }
  if (!any_of_.empty() && std::none_of(any_of_.begin(), any_of_.end(),
                                       [&](const SchemaPtr& s) { return s->Validates(v); }))
    return false;
  if (!one_of_.empty() && std::count_if(one_of_.begin(), one_of_.end(),
                                        [&](const SchemaPtr& s) { return s->Validates(v); }) != 1)
    return false;
  if (not_ && not_->Validates(v)) return false;
  for (const Field& f : schema_.fields()) {
    const std::string& k = f.key;
    const Value& a = f.value;
    if (k == "bsonType" && !TypeMatches(a, v, false)) return false;
    if (k == "type" && !TypeMatches(a, v, true)) return false;
    if (k == "enum" && a.Is<Array>()) {
      const auto& items = a.As<Array>().items;
      if (std::none_of(items.begin(), items.end(),
                       [&](const Value& e) { return ValuesEqual(e, v); }))
        return false;
    }
    if (k == "multipleOf" && v.IsNumber()) {
      const double q = v.AsDouble() / a.AsDouble();
      if (!std::isfinite(q) || q != std::floor(q)) return false;
    }
    if (v.IsNumber() && a.IsNumber()) {
      int c = CompareValues(v, a);
      bool exclusive_min =
          schema_.Has("exclusiveMinimum") && schema_.Get("exclusiveMinimum")->Truthy();
      bool exclusive_max =
          schema_.Has("exclusiveMaximum") && schema_.Get("exclusiveMaximum")->Truthy();
      if (k == "minimum" && (c < 0 || (exclusive_min && c == 0))) return false;
      if (k == "maximum" && (c > 0 || (exclusive_max && c == 0))) return false;
    }
    if (const std::string* s = v.If<std::string>()) {
      if (k == "minLength" && a.IsNumber() && static_cast<double>(s->size()) < a.AsDouble())
        return false;
      if (k == "maxLength" && a.IsNumber() && static_cast<double>(s->size()) > a.AsDouble())
        return false;
      if (k == "pattern") {
        auto r = CompiledRegex::Compile(a.As<std::string>(), "");
        if (!r.ok() || !(*r)->Matches(*s)) return false;
      }
    }
    if (const Array* arr = v.If<Array>()) {
      if (k == "minItems" && a.IsNumber() && static_cast<double>(arr->items.size()) < a.AsDouble())
        return false;
      if (k == "maxItems" && a.IsNumber() && static_cast<double>(arr->items.size()) > a.AsDouble())
        return false;
      if (k == "items" && items_) {
        for (const Value& e : arr->items) {
          if (!items_->Validates(e)) return false;
        }
      }
    }
    if (const Document* d = v.If<Document>()) {
      if (k == "required") {
        for (const Value& r : a.As<Array>().items) {
          if (r.Is<std::string>() && !d->Has(r.As<std::string>())) return false;
        }
      }
    }
  }
  if (const Document* d = v.If<Document>()) return ValidatesFields(*d);
  return true;
}

}  // namespace mm::engine
