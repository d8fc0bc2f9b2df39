#include "server/engine/collection.h"

#include <bson/bson.h>

#include <cstring>
#include <map>
#include <random>

#include "value/bson_codec.h"

namespace mm::engine {
namespace {

ObjectId NewObjectId() {
  bson_oid_t oid;
  bson_oid_init(&oid, nullptr);
  ObjectId out;
  std::copy(std::begin(oid.bytes), std::end(oid.bytes), out.bytes.begin());
  return out;
}

Binary NewUuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string bytes(16, '\0');
  for (size_t i = 0; i < 16; i += 8) {
    uint64_t r = rng();
    std::memcpy(bytes.data() + i, &r, 8);
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  return Binary{4, bytes};
}

// Guarded by the engine lock, like every collection.
uint64_t next_version = 0;

}  // namespace

void Collection::Touch() const { version_ = ++next_version; }

Collection::Collection(std::string db, std::string name, Document options,
                       storage::Storage* storage)
    : db_(std::move(db)),
      name_(std::move(name)),
      options_(std::move(options)),
      uuid_(NewUuid()),
      storage_(storage) {
  const Value* clustered = options_.Get("clusteredIndex");
  indexes_.push_back(std::make_unique<IndexKeys>(
      IdIndexSpec(clustered && clustered->Is<Document>() ? &clustered->As<Document>() : nullptr)));
  // Options were validated by the caller; a bad validator cannot get here.
  (void)SetValidation(options_);
}

Status Collection::SetValidation(const Document& options) {
  if (const Value* v = options.Get("validator")) {
    const Document* d = v->If<Document>();
    if (!d) return Status(kTypeMismatch, "'validator' must be an object");
    schema_.reset();
    if (d->empty()) {
      validator_.reset();
    } else {
      auto m = Matcher::Parse(*d);
      if (!m.ok()) return m.status();
      validator_ = std::make_shared<const Matcher>(std::move(m).value());
      // A validator that is one $jsonSchema explains its failures rule by rule.
      if (d->size() == 1 && d->fields().front().key == "$jsonSchema" &&
          d->fields().front().value.Is<Document>()) {
        auto schema = JsonSchema::Parse(d->fields().front().value.As<Document>());
        if (schema.ok()) schema_ = *schema;
      }
    }
  }
  if (const Value* v = options.Get("validationLevel")) {
    const std::string* s = v->If<std::string>();
    if (!s || (*s != "off" && *s != "strict" && *s != "moderate")) {
      return Status(kBadValue, "Enumeration value '" + (s ? *s : ToRelaxedJson(*v)) +
                                   "' for field 'validationLevel' is not a valid value.");
    }
    validation_level_ = *s;
  }
  if (const Value* v = options.Get("validationAction")) {
    const std::string* s = v->If<std::string>();
    if (!s || (*s != "error" && *s != "warn")) {
      return Status(kBadValue, "Enumeration value '" + (s ? *s : ToRelaxedJson(*v)) +
                                   "' for field 'validationAction' is not a valid value.");
    }
    validation_action_ = *s;
  }
  return Status::Ok();
}

namespace {
thread_local bool bypass_validation = false;
}  // namespace

BypassValidationScope::BypassValidationScope(bool bypass) : previous_(bypass_validation) {
  bypass_validation = bypass;
}
BypassValidationScope::~BypassValidationScope() { bypass_validation = previous_; }

Status Collection::CheckValidation(const Document& doc, const Document* before) const {
  if (bypass_validation || !validator_ || validation_level_ == "off" ||
      validation_action_ == "warn")
    return Status::Ok();
  // "moderate" leaves documents that were already invalid free to change.
  if (before && validation_level_ == "moderate" && !validator_->Matches(*before))
    return Status::Ok();
  if (validator_->Matches(doc)) return Status::Ok();
  Document info;
  if (const Value* id = doc.Get("_id")) info.Append("failingDocumentId", *id);
  if (schema_) {
    Document details{{"operatorName", "$jsonSchema"}};
    details.Append("schemaRulesNotSatisfied", schema_->Explain(Value(doc)));
    info.Append("details", std::move(details));
  } else {
    info.Append("details", Document{{"operatorName", "$jsonSchema or query operators"},
                                    {"reason", "document did not match the collection validator"}});
  }
  return Status(kDocumentValidationFailure, "Document failed validation")
      .WithDetails(Document{{"errInfo", info}});
}

namespace {

// MongoDB's 11000 for `index` meeting `key`, with keyPattern/keyValue beside errmsg.
Status DuplicateKeyError(const IndexKeys& index, const std::string& ns, const Value& key,
                         const std::string& prefix) {
  Document key_value = index.KeyValue(key);
  std::string shown;
  for (const Field& f : key_value.fields()) {
    shown += (shown.empty() ? "" : ", ") + f.key + ": " + ToRelaxedJson(f.value);
  }
  return Status(kDuplicateKey, prefix + "E11000 duplicate key error collection: " + ns +
                                   " index: " + index.spec().name + " dup key: { " + shown + " }")
      .WithDetails(Document{{"keyPattern", index.spec().key}, {"keyValue", key_value}});
}

// The first of `keys` that another record than `self` already holds in `index`.
std::optional<Value> ConflictingKey(const IndexKeys& index, const std::vector<Value>& keys,
                                    RecordId self) {
  for (const Value& k : keys) {
    if (index.FindConflict({k}, self)) return k;
  }
  return std::nullopt;
}

}  // namespace

Status Collection::CheckUnique(const std::vector<std::vector<Value>>& keys, RecordId self) const {
  for (size_t i = 0; i < indexes_.size(); ++i) {
    const IndexKeys& index = *indexes_[i];
    if (!index.spec().RefusesDuplicates()) continue;
    if (auto dup = ConflictingKey(index, keys[i], self)) {
      return DuplicateKeyError(index, ns(), *dup, "");
    }
  }
  return Status::Ok();
}

void Collection::Index(const Document& doc, RecordId id, bool add) {
  for (auto& index : indexes_) {
    auto keys = index->KeysFor(doc);
    if (add) {
      index->Add(keys, id);
    } else {
      index->Remove(keys, id);
    }
  }
}

namespace {
// Whether `v` nests more than `limit` documents/arrays; recurses at most limit + 1 deep.
bool DeeperThan(const Value& v, int limit) {
  const Document* d = v.If<Document>();
  const Array* a = v.If<Array>();
  if (!d && !a) return false;
  if (limit == 0) return true;
  if (d) {
    for (const Field& f : d->fields()) {
      if (DeeperThan(f.value, limit - 1)) return true;
    }
  } else {
    for (const Value& e : a->items) {
      if (DeeperThan(e, limit - 1)) return true;
    }
  }
  return false;
}
bool StoredTooDeep(const Document& doc) {
  for (const Field& f : doc.fields()) {
    if (DeeperThan(f.value, kMaxStoredDepth)) return true;
  }
  return false;
}
}  // namespace

Status Collection::Insert(Document doc, Document* stored) {
  if (size_t size = BsonSize(doc); size > kMaxUserDocumentSize) {
    return Status(kBadValue, "object to insert too large. size in bytes: " + std::to_string(size) +
                                 ", max size: " + std::to_string(kMaxUserDocumentSize));
  }
  if (StoredTooDeep(doc)) {
    return Status(kOverflow, "cannot insert document because it exceeds " +
                                 std::to_string(kMaxStoredDepth) + " levels of nesting");
  }
  Value* id = doc.Get("_id");
  if (!id) {
    doc.fields().insert(doc.fields().begin(), Field{"_id", NewObjectId()});
  } else if (doc.fields().front().key != "_id") {
    Value moved = *id;
    doc.Remove("_id");
    doc.fields().insert(doc.fields().begin(), Field{"_id", std::move(moved)});
  }
  const Value& final_id = doc.fields().front().value;
  if (final_id.Is<Array>()) {
    return Status(kInvalidIdField, "The '_id' value cannot be of type array");
  }
  if (final_id.Is<Regex>()) return Status(kInvalidIdField, "can't use a regex for _id");
  MM_RETURN_IF_ERROR(CheckValidation(doc, nullptr));
  RecordId rid = next_id_;
  std::vector<std::vector<Value>> keys;
  for (const auto& index : indexes_) keys.push_back(index->KeysFor(doc));
  MM_RETURN_IF_ERROR(CheckUnique(keys, rid));
  ++next_id_;
  for (size_t i = 0; i < indexes_.size(); ++i) indexes_[i]->Add(keys[i], rid);
  storage_->PutDocument(ns(), rid, doc);
  Touch();
  NoteWrite(doc);
  if (stored) *stored = doc;
  // A stored document keeps no spare capacity: an update that appends one field would
  // otherwise double its field array for every document (bench/memory_bench).
  doc.fields().shrink_to_fit();
  records_.emplace(rid, std::move(doc));
  EnforceCap();
  return Status::Ok();
}

void Collection::EnforceCap() {
  if (!options_.Has("capped") || !options_.Get("capped")->Truthy()) return;
  auto limit = [&](const char* field) -> int64_t {
    const Value* v = options_.Get(field);
    auto n = v && v->IsNumber() ? v->AsExactInt64() : std::nullopt;
    return n && *n > 0 ? *n : 0;
  };
  const int64_t max_docs = limit("max");
  // MongoDB raises `size` to at least 4096 bytes and to a multiple of 256.
  const int64_t asked = limit("size");
  const int64_t max_bytes = asked > 0 ? std::max<int64_t>(4096, (asked + 255) / 256 * 256) : 0;
  int64_t bytes = 0;
  for (const auto& [rid, doc] : records_) bytes += static_cast<int64_t>(BsonSize(doc));
  // The oldest go first, as in a capped collection; the newest document always stays.
  while (records_.size() > 1 &&
         ((max_docs > 0 && static_cast<int64_t>(records_.size()) > max_docs) ||
          (max_bytes > 0 && bytes > max_bytes))) {
    bytes -= static_cast<int64_t>(BsonSize(records_.begin()->second));
    Remove(records_.begin()->first);
  }
}

Status Collection::Replace(RecordId id, Document doc) {
  auto it = records_.find(id);
  if (it == records_.end()) return Status(kInternalError, "record vanished");
  if (BsonSize(doc) > kMaxUserDocumentSize) {
    return Status(17419, "Resulting document after update is larger than " +
                             std::to_string(kMaxUserDocumentSize));
  }
  if (StoredTooDeep(doc)) {
    return Status(kOverflow,
                  "Document exceeds maximum nesting depth of " + std::to_string(kMaxStoredDepth));
  }
  MM_RETURN_IF_ERROR(CheckValidation(doc, &it->second));
  // Only indexes whose keys the update changed need a uniqueness check and new entries (an
  // updateMany of a field no index covers touches no index at all).
  std::vector<std::vector<Value>> keys, old_keys;
  std::vector<bool> changed(indexes_.size());
  for (size_t i = 0; i < indexes_.size(); ++i) {
    keys.push_back(indexes_[i]->KeysFor(doc));
    old_keys.push_back(indexes_[i]->KeysFor(it->second));
    changed[i] = keys[i] != old_keys[i];
    if (changed[i] && indexes_[i]->spec().RefusesDuplicates()) {
      if (auto dup = ConflictingKey(*indexes_[i], keys[i], id)) {
        return DuplicateKeyError(*indexes_[i], ns(), *dup, "");
      }
    }
  }
  for (size_t i = 0; i < indexes_.size(); ++i) {
    if (!changed[i]) continue;
    indexes_[i]->Remove(old_keys[i], id);
    indexes_[i]->Add(keys[i], id);
  }
  storage_->PutDocument(ns(), id, doc);
  Touch();
  NoteWrite(doc);
  doc.fields().shrink_to_fit();
  it->second = std::move(doc);
  return Status::Ok();
}

void Collection::Remove(RecordId id) {
  auto it = records_.find(id);
  if (it == records_.end()) return;
  Index(it->second, id, false);
  NoteWrite(it->second);
  records_.erase(it);
  storage_->DeleteDocument(ns(), id);
  Touch();
}

void Collection::NoteWrite(const Document& doc) {
  if (!track_writes_ || doc.empty()) return;
  written_ids_.insert(doc.fields().front().value);
}

bool Collection::WroteAnyOf(const Collection& other) const {
  for (const Value& id : other.written_ids_) {
    if (written_ids_.count(id)) return true;
  }
  return false;
}

void Collection::Restore(RecordId id, Document doc) {
  Index(doc, id, true);
  records_[id] = std::move(doc);
  next_id_ = std::max(next_id_, id + 1);
}

const Document* Collection::Get(RecordId id) const {
  auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

namespace {

// A scalar a plain index can look up exactly (documents, arrays, regexes and null need the
// whole filter's semantics).
bool Exact(const Value& v) {
  return !(v.Is<Document>() || v.Is<Regex>() || v.Is<Array>() || v.IsNullish());
}

// A single-field index that holds every document with a value at `field` (not sparse,
// partial, special or hidden).
const IndexKeys* PlainIndexOn(const std::vector<std::unique_ptr<IndexKeys>>& indexes,
                              const std::string& field) {
  for (const auto& index : indexes) {
    const IndexSpec& spec = index->spec();
    if (spec.key.size() == 1 && spec.key.fields().front().key == field && !spec.sparse &&
        !spec.partial && !spec.special && !spec.hidden) {
      return index.get();
    }
  }
  return nullptr;
}

std::vector<RecordId> SortedUnique(std::vector<RecordId> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

bool Collection::VisitFromIndex(const Field& f, const std::function<bool(RecordId)>& visit,
                                bool* in_id_order) const {
  if (f.key.starts_with('$')) return false;
  const IndexKeys* index = PlainIndexOn(indexes_, f.key);
  if (!index) return false;
  auto visit_all = [&](const std::vector<RecordId>& ids) {
    for (RecordId id : ids) {
      if (!visit(id)) break;
    }
    return true;
  };
  const Value& v = f.value;
  if (Exact(v)) return visit_all(SortedUnique(index->Lookup(v)));
  const Document* ops = v.If<Document>();
  if (!ops || ops->empty()) return false;
  // {field: {$in: [scalars]}}: the union of each value's entries.
  if (ops->size() == 1 && ops->fields().front().key == "$in") {
    const Array* in = ops->fields().front().value.If<Array>();
    if (!in || !std::all_of(in->items.begin(), in->items.end(), Exact)) return false;
    std::vector<RecordId> ids;
    for (const Value& item : in->items) {
      auto found = index->Lookup(item);
      ids.insert(ids.end(), found.begin(), found.end());
    }
    return visit_all(SortedUnique(std::move(ids)));
  }
  // {field: {$gt/$gte/$lt/$lte: scalar, …}}: the index's range, in key order (a superset
  // across type brackets; the caller applies the whole filter).
  const Value* low = nullptr;
  const Value* high = nullptr;
  bool low_inclusive = false, high_inclusive = false;
  for (const Field& op : ops->fields()) {
    if (!Exact(op.value)) return false;
    if (op.key == "$gt" || op.key == "$gte") {
      if (low) return false;
      low = &op.value;
      low_inclusive = op.key == "$gte";
    } else if (op.key == "$lt" || op.key == "$lte") {
      if (high) return false;
      high = &op.value;
      high_inclusive = op.key == "$lte";
    } else {
      return false;
    }
  }
  // Only _id never holds an array: its range gives each record once, in _id order, and is
  // walked in place.
  if (f.key == "_id") {
    *in_id_order = true;
    index->VisitRange(low, low_inclusive, high, high_inclusive, visit);
    return true;
  }
  // An array matches {$gte: 5, $lt: 9} when one element is ≥ 5 and another < 9 ([1, 9]): the
  // bounds cannot be intersected over a field that may hold arrays (MongoDB's multikey rule),
  // so only one of them narrows the scan there.
  if (low && high) high = nullptr;
  std::vector<RecordId> ids;
  index->VisitRange(low, low_inclusive, high, high_inclusive, [&](RecordId id) {
    ids.push_back(id);
    return true;
  });
  return visit_all(SortedUnique(std::move(ids)));
}

void Collection::VisitCandidates(const Document& filter, bool want_id_order,
                                 const std::function<bool(RecordId)>& visit,
                                 bool* in_id_order) const {
  *in_id_order = false;
  // An equality, $in or range on a field with a plain single-field index: only that index's
  // entries can match (also inside a top-level $and). The caller still applies the whole
  // filter.
  for (const Field& f : filter.fields()) {
    if (f.key == "$and") {
      const Array* clauses = f.value.If<Array>();
      for (const Value& clause : clauses ? clauses->items : std::vector<Value>{}) {
        const Document* d = clause.If<Document>();
        for (const Field& g : d ? d->fields() : std::vector<Field>{}) {
          if (VisitFromIndex(g, visit, in_id_order)) return;
        }
      }
      continue;
    }
    if (VisitFromIndex(f, visit, in_id_order)) return;
  }
  // A clustered collection keeps its documents in _id order: that is its natural order. Else,
  // asked for _id order, the _id index gives it.
  const IndexKeys* id_index = PlainIndexOn(indexes_, "_id");
  if (id_index && (want_id_order || options_.Has("clusteredIndex"))) {
    *in_id_order = true;
    id_index->VisitRange(nullptr, false, nullptr, false, visit);
    return;
  }
  for (const auto& [rid, doc] : records_) {
    if (!visit(rid)) break;
  }
}

std::vector<RecordId> Collection::Candidates(const Document& filter, bool* in_id_order) const {
  std::vector<RecordId> ids;
  bool ordered = false;
  VisitCandidates(
      filter, false,
      [&](RecordId id) {
        ids.push_back(id);
        return true;
      },
      &ordered);
  if (in_id_order) *in_id_order = ordered;
  return ids;
}

Status Collection::CreateIndex(IndexSpec spec, bool* created) {
  *created = false;
  for (const auto& existing : indexes_) {
    const IndexSpec& e = existing->spec();
    if (e.name == spec.name) {
      if (e.SameDefinition(spec)) return Status::Ok();
      if (e.key == spec.key) {
        return Status(kIndexOptionsConflict,
                      "An equivalent index already exists with the same name but different "
                      "options. Requested index: " +
                          ToRelaxedJson(spec.listed) +
                          ", existing index: " + ToRelaxedJson(e.listed));
      }
      return Status(kIndexKeySpecsConflict,
                    "An existing index has the same name as the requested index. When index "
                    "names are not specified, they are auto generated and can cause conflicts. "
                    "Please refer to our documentation. Requested index: " +
                        ToRelaxedJson(spec.listed) +
                        ", existing index: " + ToRelaxedJson(e.listed));
    }
    if (!e.SameSignature(spec)) continue;  // e.g. unique beside non-unique: both may exist
    if (e.SameDefinition(spec)) {
      return Status(kIndexOptionsConflict, "Index already exists with a different name: " + e.name);
    }
    return Status(kIndexOptionsConflict,
                  "An equivalent index already exists with a different name and options. "
                  "Requested index: " +
                      ToRelaxedJson(spec.listed) + ", existing index: " + ToRelaxedJson(e.listed));
  }
  auto index = std::make_unique<IndexKeys>(std::move(spec));
  for (const auto& [rid, doc] : records_) {
    auto keys = index->KeysFor(doc);
    if (index->spec().unique) {
      if (auto dup = ConflictingKey(*index, keys, rid)) {
        return DuplicateKeyError(*index, ns(), *dup, "Index build failed: ");
      }
    }
    index->Add(keys, rid);
  }
  indexes_.push_back(std::move(index));
  *created = true;
  Persist();
  return Status::Ok();
}

Status Collection::DropIndex(const std::string& name) {
  if (name == indexes_.front()->spec().name) {
    return Status(kInvalidOptions, "cannot drop _id index");
  }
  for (auto it = indexes_.begin(); it != indexes_.end(); ++it) {
    if ((*it)->spec().name == name) {
      indexes_.erase(it);
      Persist();
      return Status::Ok();
    }
  }
  return Status(kIndexNotFound, "index not found with name [" + name + "]");
}

Status Collection::ModifyIndex(const Document& change, Document* old_values) {
  for (const Field& f : change.fields()) {
    static constexpr std::string_view kKnown[] = {
        "name", "keyPattern", "hidden", "expireAfterSeconds", "prepareUnique", "unique"};
    if (std::find(std::begin(kKnown), std::end(kKnown), f.key) == std::end(kKnown)) {
      return Status(kUnknownField, "BSON field 'collMod.index." + f.key + "' is an unknown field.");
    }
  }
  const Value* name = change.Get("name");
  const Value* key = change.Get("keyPattern");
  for (auto& index : indexes_) {
    IndexSpec& s = index->spec();
    bool hit = (name && *name == Value(s.name)) ||
               (key && key->Is<Document>() && key->As<Document>() == s.key);
    if (!hit) continue;
    if (const Value* hidden = change.Get("hidden")) {
      if (s.is_id) return Status(kBadValue, "can't hide _id index");
      old_values->Append("hidden_old", s.hidden);
      old_values->Append("hidden_new", hidden->Truthy());
      s.hidden = hidden->Truthy();
      s.listed.Remove("hidden");
      if (s.hidden) s.listed.Append("hidden", true);
    }
    if (const Value* ttl = change.Get("expireAfterSeconds")) {
      const Value* old = s.listed.Get("expireAfterSeconds");
      if (!old) return Status(kInvalidOptions, "no expireAfterSeconds field to update");
      old_values->Append("expireAfterSeconds_old", *old);
      old_values->Append("expireAfterSeconds_new", *ttl);
      s.listed.Set("expireAfterSeconds", *ttl);
    }
    if (const Value* prepare = change.Get("prepareUnique")) {
      if (s.prepare_unique != prepare->Truthy()) {
        old_values->Append("prepareUnique_old", s.prepare_unique);
        old_values->Append("prepareUnique_new", prepare->Truthy());
      }
      s.prepare_unique = prepare->Truthy();
      s.listed.Remove("prepareUnique");
      if (s.prepare_unique) s.listed.Append("prepareUnique", true);
    }
    if (const Value* unique = change.Get("unique")) {
      MM_RETURN_IF_ERROR(ConvertToUnique(*index, *unique, old_values));
    }
    Persist();
    return Status::Ok();
  }
  return Status(kIndexNotFound, "cannot find index " +
                                    (name ? ToRelaxedJson(*name) : ToRelaxedJson(*key)) +
                                    " for ns " + ns());
}

Status Collection::ConvertToUnique(IndexKeys& index, const Value& unique, Document* reply) {
  IndexSpec& s = index.spec();
  if (!unique.Is<bool>() || !unique.As<bool>()) {
    return Status(kBadValue, "collMod's index option 'unique' can only be true in MongoDB 7.0");
  }
  if (s.unique) return Status::Ok();
  if (!s.prepare_unique) {
    return Status(kInvalidOptions,
                  "Cannot make index unique with 'prepareUnique: false'; run collMod with "
                  "'prepareUnique: true' first");
  }
  // Every key more than one document holds, with their _ids (what MongoDB reports).
  std::map<std::string, Array> holders;
  for (const auto& [rid, doc] : records_) {
    const Value* id = doc.Get("_id");
    for (const Value& k : index.KeysFor(doc)) holders[ToRelaxedJson(k)].items.push_back(*id);
  }
  Array violations;
  for (auto& [k, ids] : holders) {
    if (ids.items.size() > 1) violations.items.emplace_back(Document{{"ids", std::move(ids)}});
  }
  if (!violations.items.empty()) {
    return Status(kCannotConvertIndexToUnique,
                  "Cannot convert the index to unique. Please resolve conflicting documents "
                  "before running collMod again.")
        .WithDetails(Document{{"violations", std::move(violations)}});
  }
  s.unique = true;
  s.listed.Set("unique", true);
  reply->Append("unique_new", true);
  return Status::Ok();
}

Document Collection::Metadata() const {
  Array specs;
  for (const auto& index : indexes_) specs.items.emplace_back(index->spec().listed);
  return Document{{"options", options_}, {"indexes", std::move(specs)}};
}

void Collection::Persist() const {
  storage_->PutCollection(ns(), Metadata());
  Touch();
}

void Collection::PersistAll() const {
  storage_->PutCollection(ns(), Metadata());
  for (const auto& [id, doc] : records_) storage_->PutDocument(ns(), id, doc);
}

std::unique_ptr<Collection> Collection::Clone(storage::Storage* storage) const {
  auto copy = std::make_unique<Collection>(db_, name_, options_, storage);
  copy->uuid_ = uuid_;
  copy->records_ = records_;
  copy->next_id_ = next_id_;
  copy->indexes_.clear();
  for (const auto& index : indexes_) copy->indexes_.push_back(std::make_unique<IndexKeys>(*index));
  copy->validator_ = validator_;
  copy->schema_ = schema_;
  copy->validation_level_ = validation_level_;
  copy->validation_action_ = validation_action_;
  copy->version_ = version_;
  return copy;
}

}  // namespace mm::engine
