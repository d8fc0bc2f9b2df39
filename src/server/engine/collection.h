// One collection: its documents in insertion order, its indexes and its validator.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <memory_resource>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"
#include "server/engine/index.h"
#include "server/engine/json_schema.h"
#include "server/engine/match.h"
#include "server/storage/storage.h"

namespace mm::engine {

// While it lives, document validation is skipped on this thread: a command sent with
// `bypassDocumentValidation: true` (insert, update, findAndModify, aggregate with $out/$merge),
// whichever collection method ends up writing.
class BypassValidationScope {
 public:
  explicit BypassValidationScope(bool bypass);
  ~BypassValidationScope();
  BypassValidationScope(const BypassValidationScope&) = delete;
  BypassValidationScope& operator=(const BypassValidationScope&) = delete;

 private:
  bool previous_;
};

class Collection {
 public:
  // `options` are the create options kept for listCollections (validator, capped, …).
  Collection(std::string db, std::string name, Document options, storage::Storage* storage);

  const std::string& db() const { return db_; }
  const std::string& name() const { return name_; }
  std::string ns() const { return db_ + "." + name_; }
  const Document& options() const { return options_; }
  void set_options(Document options) { options_ = std::move(options); }
  const Binary& uuid() const { return uuid_; }
  size_t size() const { return records_.size(); }
  // The newest record's id (0 when empty): capped collections keep insertion order.
  RecordId LastRecordId() const { return records_.empty() ? 0 : records_.rbegin()->first; }

  // Sets the validator options from create/collMod. Fails with BadValue when the validator
  // is not a valid filter.
  Status SetValidation(const Document& options);

  // Adds `_id` (an ObjectId) when missing and moves it first; checks the validator and every
  // unique index. Errors: DuplicateKey 11000 (details keyPattern/keyValue),
  // DocumentValidationFailure 121, InvalidIdField 53 for an array _id.
  // `stored`, when given, receives the document as stored (with its _id).
  Status Insert(Document doc, Document* stored = nullptr);
  // Replaces a record with `doc` (already updated), with the same checks as Insert.
  Status Replace(RecordId id, Document doc);
  void Remove(RecordId id);

  const Document* Get(RecordId id) const;
  // Records that may match `filter`: from a single-field index when the filter has an
  // equality, $in or range on its field, else every record; in natural order, or in _id order
  // when `*in_id_order` says so (an _id range, a clustered collection).
  std::vector<RecordId> Candidates(const Document& filter, bool* in_id_order = nullptr) const;
  // As Candidates, visiting them until `visit` returns false (a limit reached), so that an
  // index range is not materialised; with `want_id_order`, a filter no index answers walks the
  // _id index (a find sorted by _id with a limit stops early). `*in_id_order` is set, before
  // the first visit, to whether the records come in _id order.
  void VisitCandidates(const Document& filter, bool want_id_order,
                       const std::function<bool(RecordId)>& visit, bool* in_id_order) const;

  const std::vector<std::unique_ptr<IndexKeys>>& indexes() const { return indexes_; }
  // Builds an index over existing documents. Fails with 11000 when a unique index meets a
  // duplicate, 85/86 when it conflicts with an existing index. `*created` is false when an
  // identical index already exists.
  Status CreateIndex(IndexSpec spec, bool* created);
  Status DropIndex(const std::string& name);
  // Sets `hidden` / `expireAfterSeconds` on an index (collMod).
  Status ModifyIndex(const Document& change, Document* old_values);

  void SetName(std::string db, std::string name) {
    db_ = std::move(db);
    name_ = std::move(name);
  }
  Document Metadata() const;
  void Persist() const;
  // Writes metadata and every record to storage (after a transaction's copy is adopted).
  void PersistAll() const;

  // A private copy for a transaction: same uuid and version, writing to `storage`.
  std::unique_ptr<Collection> Clone(storage::Storage* storage) const;
  void set_storage(storage::Storage* storage) { storage_ = storage; }
  // Changes whenever the collection does (documents, indexes, options); unique across all
  // collections of the process, so a dropped and re-created collection never matches.
  uint64_t version() const { return version_; }
  // A transaction's copy remembers the _id of every document it inserts, changes or removes,
  // so that two open transactions writing one document conflict at once, as in MongoDB.
  void TrackWrites(bool on) {
    track_writes_ = on;
    if (!on) written_ids_.clear();
  }
  // Whether this copy and `other` wrote a document with the same _id.
  bool WroteAnyOf(const Collection& other) const;
  // Restores a record read back from storage.
  void Restore(RecordId id, Document doc);

 private:
  // Visits the candidates the index on `f.key` gives for the condition `f`; false when no index
  // answers it. `*in_id_order` tells whether they came in _id order.
  bool VisitFromIndex(const Field& f, const std::function<bool(RecordId)>& visit,
                      bool* in_id_order) const;
  Status CheckValidation(const Document& doc, const Document* before) const;
  // collMod {index: {unique: true}}: only after prepareUnique, and only without duplicates
  // (else 359 with the conflicting _ids in `violations`).
  Status ConvertToUnique(IndexKeys& index, const Value& unique, Document* reply);
  Status CheckUnique(const std::vector<std::vector<Value>>& keys, RecordId self) const;
  void Index(const Document& doc, RecordId id, bool add);
  void Touch() const;
  void NoteWrite(const Document& doc);
  // A capped collection ({capped, size, max}) drops its oldest documents past its limits.
  void EnforceCap();

  std::string db_;
  std::string name_;
  Document options_;
  Binary uuid_;
  storage::Storage* storage_;
  // The records' map nodes come from the collection's own pool, apart from the documents'
  // field arrays: the arrays an updateMany frees then lie side by side and are reused for the
  // next ones, where with nodes interleaved among them glibc reused none (an updateMany over
  // 1M documents grew the server by 350 MiB), and a node costs no malloc header. Declared
  // first: it outlives the map.
  std::pmr::unsynchronized_pool_resource node_pool_;
  std::pmr::map<RecordId, Document> records_{&node_pool_};
  RecordId next_id_ = 1;
  std::vector<std::unique_ptr<IndexKeys>> indexes_;
  std::shared_ptr<const Matcher> validator_;
  std::shared_ptr<const JsonSchema> schema_;  // when the validator is one $jsonSchema
  std::string validation_level_ = "strict";
  std::string validation_action_ = "error";
  mutable uint64_t version_ = 0;
  bool track_writes_ = false;
  std::set<Value, ValueLess> written_ids_;
};

}  // namespace mm::engine
