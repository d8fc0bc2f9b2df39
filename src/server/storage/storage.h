// Where devmongod's data lives beyond the engine's in-memory working set.
//
// The engine keeps every collection in memory and writes each change through this interface,
// so a durable store (SQLite, issue 6) only has to persist and reload; handlers never see it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::storage {

using RecordId = int64_t;

class Storage {
 public:
  virtual ~Storage() = default;

  // Creates or replaces a collection's metadata (options and index specs) under `ns`.
  virtual void PutCollection(const std::string& ns, const Document& metadata) = 0;
  virtual void DropCollection(const std::string& ns) = 0;
  virtual void RenameCollection(const std::string& from, const std::string& to) = 0;
  virtual void PutDocument(const std::string& ns, RecordId id, const Document& doc) = 0;
  virtual void DeleteDocument(const std::string& ns, RecordId id) = 0;

  // Brackets one command's writes: a durable store commits them together at Commit.
  virtual void Begin() {}
  virtual void Commit() {}

  // Replays everything stored, collections before their documents.
  virtual void Load(
      const std::function<void(const std::string& ns, const Document& metadata)>& on_collection,
      const std::function<void(const std::string& ns, RecordId, Document)>& on_document) = 0;
};

// Keeps nothing: the engine's memory is the only copy, and a restart starts empty.
std::unique_ptr<Storage> MakeMemoryStorage();

// SQLite in `dbpath` (created if missing). Fails when another devmongod holds the directory's
// lock file, or the file is not a devmongod database.
StatusOr<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& dbpath);

}  // namespace mm::storage
