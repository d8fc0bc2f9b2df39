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

  // Fails with InvalidNamespace (73) for names MongoDB refuses.
  static Status ValidateCollectionName(const std::string& db, const std::string& name);

 private:
  storage::Storage* storage_;
  std::map<std::string, std::map<std::string, std::unique_ptr<Collection>>> dbs_;
};

}  // namespace mm::engine
