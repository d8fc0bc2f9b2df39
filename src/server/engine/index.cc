#include "server/engine/index.h"

#include <algorithm>

#include "server/engine/path.h"
#include "value/bson_codec.h"

namespace mm::engine {
namespace {

constexpr const char* kPlugins[] = {"text", "2dsphere", "2d", "hashed"};
constexpr const char* kAllowedOptions[] = {"v",
                                           "key",
                                           "name",
                                           "unique",
                                           "sparse",
                                           "partialFilterExpression",
                                           "expireAfterSeconds",
                                           "hidden",
                                           "prepareUnique",
                                           "background",
                                           "weights",
                                           "default_language",
                                           "language_override",
                                           "textIndexVersion",
                                           "2dsphereIndexVersion",
                                           "bits",
                                           "min",
                                           "max",
                                           "storageEngine",
                                           "ns"};

Status BadSpec(const Document& spec, const std::string& why) {
  return Status(kCannotCreateIndex,
                "Error in specification " + ToRelaxedJson(spec) + " :: caused by :: " + why);
}

}  // namespace

bool IndexSpec::SameSignature(const IndexSpec& other) const {
  auto filter = [](const Document& listed) {
    const Value* f = listed.Get("partialFilterExpression");
    return f ? *f : Value(Null{});
  };
  return key == other.key && unique == other.unique && sparse == other.sparse &&
         filter(listed) == filter(other.listed);
}

bool IndexSpec::SameDefinition(const IndexSpec& other) const {
  Document a = listed, b = other.listed;
  a.Remove("name");
  b.Remove("name");
  // As MongoDB compares index specs: numbers by value ({expireAfterSeconds: 30} from one
  // driver as an int32, from another as an int64, is one index).
  return ValuesEqual(Value(std::move(a)), Value(std::move(b)));
}

IndexSpec IdIndexSpec(const Document* clustered_index) {
  IndexSpec s;
  s.name = "_id_";
  s.key = Document{{"_id", 1}};
  s.listed = Document{{"v", 2}, {"key", s.key}, {"name", "_id_"}};
  s.unique = true;
  s.is_id = true;
  if (clustered_index) {
    if (const Value* name = clustered_index->Get("name"); name && name->Is<std::string>()) {
      s.name = name->As<std::string>();
    }
    s.listed = *clustered_index;
    s.listed.Append("clustered", true);
  }
  return s;
}

StatusOr<IndexSpec> ParseIndexSpec(const Document& spec) {
  IndexSpec s;
  const Value* key = spec.Get("key");
  const Value* name = spec.Get("name");
  if (!key)
    return Status(
        kFailedToParse,
        "Error in specification " + ToRelaxedJson(spec) +
            " :: caused by :: The 'key' field is a required property of an index specification");
  if (!name)
    return Status(
        kFailedToParse,
        "Error in specification " + ToRelaxedJson(spec) +
            " :: caused by :: The 'name' field is a required property of an index specification");
  if (!key->Is<Document>()) return Status(kTypeMismatch, "The field 'key' must be an object");
  if (!name->Is<std::string>()) return Status(kTypeMismatch, "The field 'name' must be a string");
  if (name->As<std::string>().empty()) return BadSpec(spec, "index name cannot be empty");
  for (const Field& f : spec.fields()) {
    if (std::find_if(std::begin(kAllowedOptions), std::end(kAllowedOptions),
                     [&](const char* o) { return f.key == o; }) == std::end(kAllowedOptions)) {
      if (f.key == "collation" || f.key == "wildcardProjection" || f.key == "clustered") {
        return Status(kNotImplemented,
                      "index option '" + f.key + "' is not implemented by devmongod");
      }
      return Status(197, "The field '" + f.key +
                             "' is not valid for an index specification. Specification: " +
                             ToRelaxedJson(spec));
    }
  }
  s.name = name->As<std::string>();
  s.key = key->As<Document>();
  if (s.key.empty()) return BadSpec(spec, "Index keys cannot be empty.");
  std::string plugin;
  for (const Field& f : s.key.fields()) {
    if (f.key.empty()) return BadSpec(spec, "Index key cannot be an empty field.");
    if (f.value.IsNumber()) {
      if (f.value.AsDouble() == 0) {
        return BadSpec(spec, "Values in the index key pattern can't be 0.");
      }
      continue;
    }
    if (const std::string* p = f.value.If<std::string>()) {
      if (std::find_if(std::begin(kPlugins), std::end(kPlugins),
                       [&](const char* k) { return *p == k; }) == std::end(kPlugins)) {
        return BadSpec(spec, "Unknown index plugin '" + *p + "'");
      }
      if (!plugin.empty() && plugin != *p)
        return BadSpec(spec, "Can't use more than one index plugin for a single index.");
      plugin = *p;
      continue;
    }
    return BadSpec(spec, "Values in v:2 index key pattern cannot be of type " +
                             std::string(TypeAlias(f.value.type())) +
                             ". Only numbers > 0, numbers < 0, and strings are allowed.");
  }
  if (s.name == "_id_" && !(s.key == Document{{"_id", 1}})) {
    return BadSpec(spec,
                   "The index name '_id_' is reserved for the _id index, which must have key "
                   "pattern {_id: 1}");
  }
  s.special = !plugin.empty();
  // listIndexes shows what MongoDB stores: v first, then key and name, then options.
  s.listed.Append("v", 2);
  if (plugin == "text") {
    Document weights, stored_key;
    bool fts_added = false;
    for (const Field& f : s.key.fields()) {
      if (f.value == Value("text")) {
        weights.Append(f.key, 1);
        if (!fts_added) {
          stored_key.Append("_fts", "text");
          stored_key.Append("_ftsx", 1);
          fts_added = true;
        }
      } else {
        stored_key.Append(f.key, f.value);
      }
    }
    s.listed.Append("key", stored_key);
  } else {
    s.listed.Append("key", s.key);
  }
  s.listed.Append("name", s.name);
  for (const Field& f : spec.fields()) {
    if (f.key == "key" || f.key == "name" || f.key == "v" || f.key == "background" || f.key == "ns")
      continue;
    if (f.key == "unique") {
      s.unique = f.value.Truthy();
      if (s.unique && s.special && plugin != "2dsphere" && plugin != "2d") {
        return BadSpec(spec, "Index type '" + plugin + "' does not support the unique option");
      }
      if (!s.unique) continue;  // MongoDB drops unique: false from the stored spec
      s.listed.Append("unique", true);
      continue;
    }
    if (f.key == "sparse") {
      s.sparse = f.value.Truthy();
      s.listed.Append("sparse", f.value);
      continue;
    }
    if (f.key == "prepareUnique") {
      s.prepare_unique = f.value.Truthy();
      if (s.prepare_unique) s.listed.Append("prepareUnique", true);
      continue;
    }
    if (f.key == "hidden") {
      s.hidden = f.value.Truthy();
      if (s.hidden) s.listed.Append("hidden", true);
      continue;
    }
    if (f.key == "partialFilterExpression") {
      const Document* pf = f.value.If<Document>();
      if (!pf)
        return Status(kTypeMismatch, "The field 'partialFilterExpression' must be an object");
      auto m = Matcher::Parse(*pf);
      if (!m.ok()) return BadSpec(spec, m.status().message());
      s.partial = std::make_shared<const Matcher>(std::move(m).value());
    }
    if (f.key == "expireAfterSeconds") {
      if (!f.value.IsNumber() || f.value.AsDouble() < 0) {
        return Status(kCannotCreateIndex,
                      "TTL index 'expireAfterSeconds' option must be within an acceptable range, "
                      "try a lower number");
      }
      if (s.key.size() > 1)
        return BadSpec(
            spec, "TTL indexes are single-field indexes, compound indexes do not support TTL.");
    }
    if (f.key == "weights" || f.key == "default_language" || f.key == "language_override" ||
        f.key == "textIndexVersion") {
      if (plugin != "text") continue;
    }
    s.listed.Append(f.key, f.value);
  }
  // MongoDB's index_key_validate: these mixes are errors, not options to ignore.
  if (s.sparse && s.partial)
    return BadSpec(spec, "cannot mix partialFilterExpression and sparse options");
  if (plugin == "text") {
    if (!s.listed.Has("weights")) {
      Document weights;
      for (const Field& f : s.key.fields()) {
        if (f.value == Value("text")) weights.Append(f.key, 1);
      }
      s.listed.Append("weights", weights);
    }
    if (!s.listed.Has("default_language")) s.listed.Append("default_language", "english");
    if (!s.listed.Has("language_override")) s.listed.Append("language_override", "language");
    if (!s.listed.Has("textIndexVersion")) s.listed.Append("textIndexVersion", 3);
  } else if (plugin == "2dsphere" && !s.listed.Has("2dsphereIndexVersion")) {
    s.listed.Append("2dsphereIndexVersion", 3);
  }
  return s;
}

std::vector<Value> IndexKeys::KeysFor(const Document& doc) const {
  if (spec_.special) return {};
  if (spec_.partial && !spec_.partial->Matches(doc)) return {};
  // One key per combination; MongoDB allows at most one array among the key fields.
  std::vector<Array> keys{Array{}};
  bool any_present = false;
  for (const Field& f : spec_.key.fields()) {
    std::vector<PathValue> values;
    bool missing = false;
    CollectPathValues(doc, SplitPath(f.key), &values, &missing);
    std::vector<Value> parts;
    for (const PathValue& pv : values) {
      if (const Array* a = pv.value->If<Array>()) {
        if (a->items.empty()) parts.push_back(Undefined{});
        for (const Value& e : a->items) parts.push_back(e);
      } else {
        parts.push_back(*pv.value);
      }
    }
    if (!parts.empty()) any_present = true;
    if (parts.empty()) parts.push_back(Null{});
    std::vector<Array> next;
    for (const Array& k : keys) {
      for (const Value& p : parts) {
        Array extended = k;
        extended.items.push_back(p);
        next.push_back(std::move(extended));
      }
    }
    keys = std::move(next);
  }
  if (spec_.sparse && !any_present) return {};
  std::vector<Value> out;
  for (Array& k : keys) {
    Value v = AsKey(std::move(k));
    if (std::none_of(out.begin(), out.end(), [&](const Value& o) { return ValuesEqual(o, v); })) {
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::optional<RecordId> IndexKeys::FindConflict(const std::vector<Value>& keys,
                                                RecordId self) const {
  if (!spec_.RefusesDuplicates()) return std::nullopt;
  for (const Value& k : keys) {
    auto [lo, hi] = entries_.equal_range(k);
    for (auto it = lo; it != hi; ++it) {
      if (it->second != self) return it->second;
    }
  }
  return std::nullopt;
}

std::vector<RecordId> IndexKeys::InKeyOrder() const {
  std::vector<RecordId> ids;
  ids.reserve(entries_.size());
  for (const auto& [key, id] : entries_) ids.push_back(id);
  return ids;
}

void IndexKeys::VisitRange(const Value* low, bool low_inclusive, const Value* high,
                           bool high_inclusive, const std::function<bool(RecordId)>& visit) const {
  auto begin = entries_.begin();
  auto end = entries_.end();
  if (low) {
    const Value& key = *low;
    begin = low_inclusive ? entries_.lower_bound(key) : entries_.upper_bound(key);
  }
  if (high) {
    const Value& key = *high;
    end = high_inclusive ? entries_.upper_bound(key) : entries_.lower_bound(key);
  }
  // A low bound above the high one: nothing (and `end` lies before `begin`).
  if (begin != entries_.end() && end != entries_.end() && ValueLess()(end->first, begin->first)) {
    return;
  }
  for (auto it = begin; it != end; ++it) {
    if (!visit(it->second)) return;
  }
}

std::vector<RecordId> IndexKeys::Lookup(const Value& key) const {
  std::vector<RecordId> out;
  auto [lo, hi] = entries_.equal_range(key);
  for (auto it = lo; it != hi; ++it) out.push_back(it->second);
  return out;
}

void IndexKeys::Add(const std::vector<Value>& keys, RecordId id) {
  for (const Value& k : keys) entries_.emplace(k, id);
}

void IndexKeys::Remove(const std::vector<Value>& keys, RecordId id) {
  for (const Value& k : keys) {
    auto [lo, hi] = entries_.equal_range(k);
    for (auto it = lo; it != hi; ++it) {
      if (it->second == id) {
        entries_.erase(it);
        break;
      }
    }
  }
}

Value IndexKeys::AsKey(Array parts) const {
  if (spec_.key.size() == 1 && parts.items.size() == 1) return std::move(parts.items.front());
  return Value(std::move(parts));
}

Document IndexKeys::KeyValue(const Value& key) const {
  Document out;
  if (spec_.key.size() == 1) {
    out.Append(spec_.key.fields().front().key, key);
    return out;
  }
  const auto& parts = key.As<Array>().items;
  size_t i = 0;
  for (const Field& f : spec_.key.fields()) {
    out.Append(f.key, i < parts.size() ? parts[i] : Value(Null{}));
    ++i;
  }
  return out;
}

}  // namespace mm::engine
