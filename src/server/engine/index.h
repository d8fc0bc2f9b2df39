// Index definitions and the key sets that enforce uniqueness.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <memory_resource>
#include <string>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"
#include "server/engine/match.h"
#include "server/storage/storage.h"
#include "value/compare.h"

namespace mm::engine {

using storage::RecordId;

struct IndexSpec {
  std::string name;
  Document key;     // as the client gave it, e.g. {stressors: "text"}
  Document listed;  // the document listIndexes returns (v, key, name, options)
  bool unique = false;
  bool sparse = false;
  bool hidden = false;
  // collMod {prepareUnique: true}: new duplicates are refused (11000) though old ones remain,
  // the step before converting the index to unique.
  bool prepare_unique = false;
  bool RefusesDuplicates() const { return unique || prepare_unique; }
  std::shared_ptr<const Matcher> partial;
  bool special = false;  // text / 2dsphere / 2d / hashed: stored and listed, not used for keys
  bool is_id = false;    // the _id index (or a clustered collection's clustered index)

  // Whether two specs describe the same index apart from the name.
  bool SameDefinition(const IndexSpec& other) const;
  // Whether two specs are one index to MongoDB 7.0 (its index signature: key pattern, unique,
  // sparse, partialFilterExpression; collation is not implemented). Indexes whose signatures
  // differ may coexist on one key pattern (SERVER-47657).
  bool SameSignature(const IndexSpec& other) const;
};

// Parses one element of createIndexes' `indexes` array. Fails with CannotCreateIndex (67) for
// a bad key pattern, 197 InvalidIndexSpecificationOption for unknown fields, and
// FailedToParse (9) when `name` or `key` is missing.
StatusOr<IndexSpec> ParseIndexSpec(const Document& spec);
// The _id index every collection has; for a clustered collection (create's canonical
// `clusteredIndex` option, {v, key, name, unique}), listed as MongoDB lists the clustered index.
IndexSpec IdIndexSpec(const Document* clustered_index = nullptr);

// The keys of one index over a collection's documents.
class IndexKeys {
 public:
  explicit IndexKeys(IndexSpec spec) : spec_(std::move(spec)) {}
  // A copy (a transaction's) has its own pool.
  IndexKeys(const IndexKeys& other) : spec_(other.spec_), entries_(other.entries_, &pool_) {}
  IndexKeys& operator=(const IndexKeys&) = delete;
  const IndexSpec& spec() const { return spec_; }
  IndexSpec& spec() { return spec_; }

  // The keys `doc` has in this index (several when a key field is an array), none when the
  // index is sparse/partial and does not cover it.
  std::vector<Value> KeysFor(const Document& doc) const;
  // A record other than `self` already holding one of `keys`, if the index is unique.
  std::optional<RecordId> FindConflict(const std::vector<Value>& keys, RecordId self) const;
  // Records holding exactly `key` (a single-field equality lookup).
  std::vector<RecordId> Lookup(const Value& key) const;
  // Every record the index holds, in key order (a clustered collection's natural order).
  std::vector<RecordId> InKeyOrder() const;
  // Visits, in key order, the records of a single-field index whose key lies between `low` and
  // `high` (null: no bound) until `visit` returns false. A record with several keys (an array)
  // is visited once per key in range.
  void VisitRange(const Value* low, bool low_inclusive, const Value* high, bool high_inclusive,
                  const std::function<bool(RecordId)>& visit) const;

  void Add(const std::vector<Value>& keys, RecordId id);
  void Remove(const std::vector<Value>& keys, RecordId id);

  // {email: "a@b"} for the duplicate-key error's keyValue.
  Document KeyValue(const Value& key) const;

 private:
  // A key as held in `entries_`: a single-field index holds the field's value itself (one
  // Value less per entry, and no wrapping to look one up), a compound index the array of parts.
  Value AsKey(Array parts) const;

  IndexSpec spec_;
  // Entries come from the index's own pool, as a collection's records do (collection.h).
  std::pmr::unsynchronized_pool_resource pool_;
  std::pmr::multimap<Value, RecordId, ValueLess> entries_{&pool_};
};

}  // namespace mm::engine
