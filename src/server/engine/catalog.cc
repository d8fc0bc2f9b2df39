#include "server/engine/catalog.h"

namespace mm::engine {

Catalog::Catalog(storage::Storage* storage) : storage_(storage) {}

Status Catalog::ValidateCollectionName(const std::string& db, const std::string& name) {
  if (db.empty() || db.find_first_of("/\\. \"$") != std::string::npos) {
    return Status(kInvalidNamespace, "Invalid database name: '" + db + "'");
  }
  if (name.empty()) return Status(kInvalidNamespace, "Invalid namespace specified '" + db + ".'");
  if (name.find('$') != std::string::npos || name.starts_with('.') ||
      name.find('\0') != std::string::npos) {
    return Status(kInvalidNamespace, "Invalid collection name: " + name);
  }
  if (name.starts_with("system.") && name != "system.js" && name != "system.views") {
    return Status(kInvalidNamespace, "Invalid system namespace: " + db + "." + name);
  }
  return Status::Ok();
}

Collection* Catalog::Find(const std::string& db, const std::string& name) {
  auto d = dbs_.find(db);
  if (d == dbs_.end()) return nullptr;
  auto c = d->second.find(name);
  return c == d->second.end() ? nullptr : c->second.get();
}

StatusOr<Collection*> Catalog::Create(const std::string& db, const std::string& name,
                                      Document options) {
  MM_RETURN_IF_ERROR(ValidateCollectionName(db, name));
  auto coll = std::make_unique<Collection>(db, name, std::move(options), storage_);
  Collection* raw = coll.get();
  dbs_[db][name] = std::move(coll);
  raw->Persist();
  return raw;
}

StatusOr<Collection*> Catalog::GetOrCreate(const std::string& db, const std::string& name,
                                           bool* created) {
  if (created) *created = false;
  if (Collection* c = Find(db, name)) return c;
  if (created) *created = true;
  return Create(db, name, Document{});
}

bool Catalog::Drop(const std::string& db, const std::string& name) {
  auto d = dbs_.find(db);
  if (d == dbs_.end() || !d->second.erase(name)) return false;
  if (d->second.empty()) dbs_.erase(d);
  storage_->DropCollection(db + "." + name);
  return true;
}

void Catalog::DropDatabase(const std::string& db) {
  auto d = dbs_.find(db);
  if (d == dbs_.end()) return;
  for (const auto& [name, coll] : d->second) storage_->DropCollection(db + "." + name);
  dbs_.erase(d);
}

Status Catalog::Rename(const std::string& from_db, const std::string& from,
                       const std::string& to_db, const std::string& to, bool drop_target) {
  Collection* source = Find(from_db, from);
  if (!source)
    return Status(kNamespaceNotFound,
                  "Source collection " + from_db + "." + from + " does not exist");
  MM_RETURN_IF_ERROR(ValidateCollectionName(to_db, to));
  if (from_db == to_db && from == to) {
    return Status(kIllegalOperation, "Can't rename a collection to itself");
  }
  if (Find(to_db, to)) {
    if (!drop_target) return Status(kNamespaceExists, "target namespace exists");
    Drop(to_db, to);
  }
  auto node = dbs_[from_db].extract(from);
  if (dbs_[from_db].empty()) dbs_.erase(from_db);
  node.key() = to;
  node.mapped()->SetName(to_db, to);
  dbs_[to_db].insert(std::move(node));
  storage_->RenameCollection(from_db + "." + from, to_db + "." + to);
  return Status::Ok();
}

std::vector<std::string> Catalog::DatabaseNames() const {
  std::vector<std::string> out;
  for (const auto& [name, colls] : dbs_) out.push_back(name);
  return out;
}

std::vector<Collection*> Catalog::Collections(const std::string& db) const {
  std::vector<Collection*> out;
  auto d = dbs_.find(db);
  if (d == dbs_.end()) return out;
  for (const auto& [name, coll] : d->second) out.push_back(coll.get());
  return out;
}

}  // namespace mm::engine
