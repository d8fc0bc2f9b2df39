// Databases and their collections.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/engine/collection.h"
#include "server/storage/storage.h"

namespace mm::engine {

class Catalog {
 public:
  explicit Catalog(storage::Storage* storage);

  Collection* Find(const std::string& db, const std::string& name);
  // Creates the collection when missing (as inserts and createIndexes do implicitly).
  StatusOr<Collection*> GetOrCreate(const std::string& db, const std::string& name,
                                    bool* created = nullptr);
  StatusOr<Collection*> Create(const std::string& db, const std::string& name, Document options);
  bool Drop(const std::string& db, const std::string& name);
  void DropDatabase(const std::string& db);
  // Fails with NamespaceNotFound (26) or NamespaceExists (48) unless `drop_target`.
  Status Rename(const std::string& from_db, const std::string& from, const std::string& to_db,
                const std::string& to, bool drop_target);

  std::vector<std::string> DatabaseNames() const;
  std::vector<Collection*> Collections(const std::string& db) const;

  // Rebuilds the catalog from what `storage` kept (at start-up): collections with their
  // options, validators and indexes, then their documents under their record ids.
  void LoadFrom(storage::Storage& storage);

  // A transaction's private snapshot: every collection copied, writing to no storage. It
  // remembers each collection's version so that Commit can tell what changed on either side.
  std::unique_ptr<Catalog> Snapshot() const;
  // Whether `ns` existed when this snapshot was taken (createIndexes in a transaction may
  // only touch collections it created).
  bool ExistedAtSnapshot(const std::string& db, const std::string& name) const;
  // Fails with WriteConflict (112) when a collection that `snapshot` changed was also changed
  // here since the snapshot was taken. Conflicts are per collection, not per document.
  Status CheckConflicts(const Catalog& snapshot) const;
  // Between two transactions' snapshots: fails with WriteConflict (112) when both wrote a
  // document with the same _id in the same collection (neither has committed yet).
  Status CheckDocumentConflicts(const Catalog& other) const;
  // Adopts every collection `snapshot` changed (CheckConflicts must have passed).
  void Commit(Catalog& snapshot);

  // Fails with InvalidNamespace (73) for names MongoDB refuses.
  static Status ValidateCollectionName(const std::string& db, const std::string& name);

 private:
  // Collections `snapshot` changed since it was taken, as (db, name).
  std::vector<std::pair<std::string, std::string>> ChangedIn(const Catalog& snapshot) const;

  storage::Storage* storage_;
  std::map<std::string, std::map<std::string, std::unique_ptr<Collection>>> dbs_;
  // A snapshot's own sink (writes nowhere) and the versions it started from, by namespace.
  std::unique_ptr<storage::Storage> own_storage_;
  std::map<std::string, uint64_t> base_versions_;
};

}  // namespace mm::engine
