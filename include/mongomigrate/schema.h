// A database's schema as mongo-migrate snapshots it: each collection's options and indexes,
// normalised as MongoDB reports them and in a stable order, without volatile fields (uuids,
// index versions), so that two snapshots of the same schema are byte for byte the same file and
// a pull request shows what a migration changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm {

namespace mongo {
class Database;
}

struct CollectionSchema {
  std::string name;
  std::string type = "collection";  // or "view" (its options hold viewOn and pipeline)
  Document options;                 // as listCollections reports them, keys sorted
  // By name; each {key, name, then its options sorted by name}, without `v` and `ns`.
  std::vector<Document> indexes;
};

struct Schema {
  std::vector<CollectionSchema> collections;  // by name
};

// A schema file (`schema_file`, `mongo-migrate schema --out`): the schema and the migrations it
// reflects, so that `verify --from-snapshot` knows which versions are still to come.
struct SchemaSnapshot {
  Schema schema;
  int64_t version = 0;  // the highest applied version (0: before any)
  std::vector<std::pair<int64_t, std::string>> checksums;  // of the applied files, ascending
};

// Reads `db`'s schema, leaving out system collections and `excluded` (the history, lock and
// changelog collections are the tool's, not the application's).
StatusOr<Schema> ReadSchema(mongo::Database& db, const std::vector<std::string>& excluded);

// The snapshot as its file holds it: indented JSON (relaxed Extended JSON for the values), keys
// in a fixed order, a newline at the end.
std::string SnapshotJson(const SchemaSnapshot& snapshot);
// Reads a snapshot file's text; errors name `file`, and the line for a syntax error.
StatusOr<SchemaSnapshot> ParseSnapshot(std::string_view json, const std::string& file);

struct SchemaDifference {
  enum class Kind { kAdded, kRemoved, kChanged };
  Kind kind = Kind::kAdded;
  // What differs: "collection users", "index users.email_1", "users option validator".
  std::string object;
  std::string expected;  // relaxed JSON of what the expected schema has ("" when added)
  std::string actual;    // relaxed JSON of what the actual one has ("" when removed)
};
// What `actual` adds, lacks or changes relative to `expected`, in a stable order. Numbers
// compare by value (an index on {a: 1} is the same whether 1 is an int or a double).
std::vector<SchemaDifference> DiffSchemas(const Schema& expected, const Schema& actual);
// One line: "index users.phone_1 is there, expected absent: {…}".
std::string Describe(const SchemaDifference& d);

// Creates `schema`'s collections (then its views) and their indexes in `db`.
Status CreateSchema(mongo::Database& db, const Schema& schema);

}  // namespace mm
