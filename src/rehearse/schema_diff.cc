// What one schema adds, lacks or changes relative to another.
#include <map>

#include "mongomigrate/schema.h"
#include "value/bson_codec.h"
#include "value/compare.h"

namespace mm {
namespace {

using Kind = SchemaDifference::Kind;

std::string Json(const Value& v) { return ToRelaxedJson(v); }

std::string IndexName(const Document& index) {
  const Value* name = index.Get("name");
  return name && name->Is<std::string>() ? name->As<std::string>() : "";
}

// Both sides by name, in name order: (expected, actual), either may be null.
template <typename T, typename NameOf>
std::map<std::string, std::pair<const T*, const T*>> Pair(const std::vector<T>& expected,
                                                          const std::vector<T>& actual,
                                                          NameOf name_of) {
  std::map<std::string, std::pair<const T*, const T*>> both;
  for (const T& e : expected) both[name_of(e)].first = &e;
  for (const T& a : actual) both[name_of(a)].second = &a;
  return both;
}

void DiffOptions(const CollectionSchema& e, const CollectionSchema& a,
                 std::vector<SchemaDifference>& out) {
  auto both = Pair(e.options.fields(), a.options.fields(), [](const Field& f) { return f.key; });
  for (const auto& [key, pair] : both) {
    const std::string object = a.name + " option " + key;
    if (!pair.first) {
      out.push_back({Kind::kAdded, object, "", Json(pair.second->value)});
    } else if (!pair.second) {
      out.push_back({Kind::kRemoved, object, Json(pair.first->value), ""});
    } else if (!ValuesEqual(pair.first->value, pair.second->value)) {
      out.push_back({Kind::kChanged, object, Json(pair.first->value), Json(pair.second->value)});
    }
  }
}

void DiffIndexes(const CollectionSchema& e, const CollectionSchema& a,
                 std::vector<SchemaDifference>& out) {
  for (const auto& [name, pair] : Pair(e.indexes, a.indexes, IndexName)) {
    const std::string object = "index " + a.name + "." + name;
    if (!pair.first) {
      out.push_back({Kind::kAdded, object, "", Json(*pair.second)});
    } else if (!pair.second) {
      out.push_back({Kind::kRemoved, object, Json(*pair.first), ""});
    } else if (CompareDocuments(*pair.first, *pair.second) != 0) {
      out.push_back({Kind::kChanged, object, Json(*pair.first), Json(*pair.second)});
    }
  }
}

}  // namespace

std::vector<SchemaDifference> DiffSchemas(const Schema& expected, const Schema& actual) {
  std::vector<SchemaDifference> out;
  auto name_of = [](const CollectionSchema& c) { return c.name; };
  for (const auto& [name, pair] : Pair(expected.collections, actual.collections, name_of)) {
    const auto& [e, a] = pair;
    const std::string kind = (e ? e->type : a->type) == "view" ? "view " : "collection ";
    if (!e || !a) {
      const CollectionSchema& there = e ? *e : *a;
      Document summary{{"type", there.type}, {"options", there.options}};
      Array indexes;
      for (const Document& index : there.indexes) indexes.items.push_back(index);
      summary.Append("indexes", indexes);
      out.push_back({e ? Kind::kRemoved : Kind::kAdded, kind + name, e ? Json(summary) : "",
                     a ? Json(summary) : ""});
      continue;
    }
    if (e->type != a->type) {
      out.push_back({Kind::kChanged, name + " type", Json(e->type), Json(a->type)});
    }
    DiffOptions(*e, *a, out);
    DiffIndexes(*e, *a, out);
  }
  return out;
}

std::string Describe(const SchemaDifference& d) {
  switch (d.kind) {
    case Kind::kAdded:
      return d.object + " is there, not expected: " + d.actual;
    case Kind::kRemoved:
      return d.object + " is missing, expected: " + d.expected;
    case Kind::kChanged:
      return d.object + " differs: expected " + d.expected + ", found " + d.actual;
  }
  return d.object;
}

}  // namespace mm
