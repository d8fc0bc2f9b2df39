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

void Catalog::LoadFrom(storage::Storage& storage) {
  storage.Load(
      [this](const std::string& ns, const Document& metadata) {
        size_t dot = ns.find('.');
        const std::string db = ns.substr(0, dot), name = ns.substr(dot + 1);
        const Value* options = metadata.Get("options");
        auto coll = std::make_unique<Collection>(
            db, name, options && options->Is<Document>() ? options->As<Document>() : Document{},
            storage_);
        if (const Value* indexes = metadata.Get("indexes"); indexes && indexes->Is<Array>()) {
          for (const Value& spec : indexes->As<Array>().items) {
            if (!spec.Is<Document>()) continue;
            // The _id (or clustered) index comes with the collection.
            const Value* index_name = spec.As<Document>().Get("name");
            if ((index_name && index_name->Is<std::string>() &&
                 index_name->As<std::string>() == "_id_") ||
                spec.As<Document>().Has("clustered")) {
              continue;
            }
            auto parsed = ParseIndexSpec(spec.As<Document>());
            bool created = false;
            if (parsed.ok()) (void)coll->CreateIndex(std::move(parsed).value(), &created);
          }
        }
        dbs_[db][name] = std::move(coll);
      },
      [this](const std::string& ns, storage::RecordId id, Document doc) {
        size_t dot = ns.find('.');
        if (Collection* coll = Find(ns.substr(0, dot), ns.substr(dot + 1))) {
          coll->Restore(id, std::move(doc));
        }
      });
}

std::unique_ptr<Catalog> Catalog::Snapshot() const {
  auto sink = storage::MakeMemoryStorage();
  auto copy = std::make_unique<Catalog>(sink.get());
  copy->own_storage_ = std::move(sink);
  for (const auto& [db, colls] : dbs_) {
    for (const auto& [name, coll] : colls) {
      copy->dbs_[db][name] = coll->Clone(copy->storage_);
      copy->dbs_[db][name]->TrackWrites(true);
      copy->base_versions_[coll->ns()] = coll->version();
    }
  }
  return copy;
}

bool Catalog::ExistedAtSnapshot(const std::string& db, const std::string& name) const {
  return base_versions_.count(db + "." + name) > 0;
}

std::vector<std::pair<std::string, std::string>> Catalog::ChangedIn(const Catalog& snapshot) const {
  std::vector<std::pair<std::string, std::string>> changed;
  for (const auto& [db, colls] : snapshot.dbs_) {
    for (const auto& [name, coll] : colls) {
      auto base = snapshot.base_versions_.find(coll->ns());
      if (base == snapshot.base_versions_.end() || base->second != coll->version()) {
        changed.emplace_back(db, name);
      }
    }
  }
  return changed;
}

Status Catalog::CheckDocumentConflicts(const Catalog& other) const {
  for (const auto& [db, colls] : dbs_) {
    auto other_db = other.dbs_.find(db);
    if (other_db == other.dbs_.end()) continue;
    for (const auto& [name, coll] : colls) {
      auto other_coll = other_db->second.find(name);
      if (other_coll == other_db->second.end() || coll->uuid() != other_coll->second->uuid()) {
        continue;
      }
      if (coll->WroteAnyOf(*other_coll->second)) {
        return Status(kWriteConflict,
                      "Caused by :: Write conflict during plan execution and yielding is "
                      "disabled. :: Please retry your operation or multi-document transaction.");
      }
    }
  }
  return Status::Ok();
}

Status Catalog::CheckConflicts(const Catalog& snapshot) const {
  for (const auto& [db, name] : ChangedIn(snapshot)) {
    auto base = snapshot.base_versions_.find(db + "." + name);
    const Collection* now = nullptr;
    if (auto d = dbs_.find(db); d != dbs_.end()) {
      if (auto c = d->second.find(name); c != d->second.end()) now = c->second.get();
    }
    const bool existed = base != snapshot.base_versions_.end();
    const bool unchanged = existed ? now && now->version() == base->second : !now;
    if (!unchanged) {
      return Status(kWriteConflict,
                    "Write conflict during plan execution and yielding is disabled. :: Please "
                    "retry your operation or multi-document transaction.");
    }
  }
  return Status::Ok();
}

void Catalog::Commit(Catalog& snapshot) {
  for (const auto& [db, name] : ChangedIn(snapshot)) {
    std::unique_ptr<Collection>& adopted = snapshot.dbs_[db][name];
    adopted->set_storage(storage_);
    adopted->TrackWrites(false);
    storage_->DropCollection(db + "." + name);
    adopted->PersistAll();
    dbs_[db][name] = std::move(adopted);
  }
  snapshot.dbs_.clear();
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
