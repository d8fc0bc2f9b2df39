// What the command line asked for, once every layer of settings is applied: the flags, then
// MONGO_MIGRATE_<KEY> variables, the chosen environment, the project file (project_file.h), or
// a migrate-mongo project's config (migrate_mongo_config.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "mongomigrate/migrate_mongo.h"
#include "mongomigrate/status.h"

namespace mm::cli {

struct Options {
  std::optional<std::string> uri;
  std::optional<std::string> environment;  // --environment / -e
  std::string scheme = "sequential";       // create's versions: sequential or timestamp
  // Where the URI comes from, once the project file and the variables are read.
  UriSources uri_sources;
  // "staging, from /repo/mongo-migrate.toml" for the first line; empty without a project file.
  std::string origin;
  // A migrate-mongo project (migrate-mongo-config.js and no mongo-migrate.toml): its database,
  // its changelog, and only its extension's files are migrations.
  std::optional<std::string> database;
  std::optional<MigrateMongoChangelog> migrate_mongo;
  std::string only_extension;
  std::string dir = "./migrations";
  std::string collection = "migrationHistory";
  std::string lock_collection = "migrationLock";
  std::string env_file = "./.env";
  double lock_timeout_s = 60;
  double lock_lease_s = 30;
  bool dry_run = false;
  bool json = false;
  bool json_lines = false;
  bool verbose = false;
  bool quiet = false;
  bool no_color = false;
  bool allow_out_of_order = false;
  bool no_transaction = false;
  std::string format = "json";  // create --format
  std::optional<int64_t> target;
  int64_t steps = 1;
  std::optional<int64_t> down_to;  // down --to VERSION
  bool down_all = false;
  int64_t version = 0;
  bool exit_code = false;
  bool force = false;
  std::string state;
  std::string name;
  // Rehearsals and snapshots (rehearse_commands.h).
  std::string schema_file;  // rewritten after each successful up/down; diff's default
  std::string out_file;     // schema --out
  bool from_live = false;   // verify --from-live
  bool from_snapshot = false;
  int64_t sample = 0;  // verify --sample N: documents per collection copied from the live database
  bool strict = false;
  std::string devmongod;  // verify --devmongod PATH
  // Backups (backup_commands.h).
  std::string backup_dir;                // backup DIR, restore DIR, up --backup DIR
  std::vector<std::string> collections;  // backup --collections
  bool drop = false;                     // restore --drop
};

// Fills what no flag gave (`given("--dir")`; `given("create --format")` for create's own
// option) from the other layers, and the URI's sources. Errors name the file and line, or the
// variable.
Status ApplySettings(const std::function<bool(const char* flag)>& given, Options& o);

// The collections that are the tool's, not the application's: the history and the lock (and a
// migrate-mongo project's changelog and lock). Schemas, backups and restores leave them out.
std::vector<std::string> ToolCollections(const Options& o);

// The highest version the history records, for `create`: nullopt when no URI is configured (no
// history to speak of); an error says why it could not look.
StatusOr<std::optional<int64_t>> HighestRecordedVersion(const Options& o);

}  // namespace mm::cli
