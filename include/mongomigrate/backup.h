// Backups in mongodump's directory layout, taken before migrations run (`up --backup DIR`) or
// on their own (`backup DIR`), and put back with `restore DIR`:
//   DIR/mongo-migrate-backup.json        what was dumped, from which database, before which
//                                        versions
//   DIR/<db>/<collection>.bson           its documents, BSON back to back
//   DIR/<db>/<collection>.metadata.json  {options, indexes, uuid, collectionName, type}, in
//                                        canonical Extended JSON, as mongodump writes it
// Documents are streamed a cursor batch at a time: memory does not grow with the collection.
// Backups hold personal data: directories are created 0700, files 0600.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/status.h"

namespace mm {

namespace mongo {
class Database;
}

struct BackupProgress {
  std::string collection;
  int64_t done = 0;
  std::optional<int64_t> total;
};

struct BackupOptions {
  // The collections to dump; empty: every collection of the database but `excluded`.
  std::vector<std::string> collections;
  std::vector<std::string> excluded;
  // The versions the backup is taken before (the manifest names them).
  std::vector<int64_t> before_versions;
  // Each of `collections` must exist (a `backup --collections` typo is an error, not an empty
  // backup); `up --backup` names collections its migrations may create.
  bool require_named = false;
  std::function<void(const BackupProgress&)> progress;
  // As RunnerOptions::interrupted: a signal stops the backup between batches (it then has no
  // complete manifest and cannot be restored).
  std::function<int()> interrupted;
};

struct BackupSummary {
  std::string database;
  struct Collection {
    std::string name;
    std::string type = "collection";
    int64_t documents = 0;
  };
  std::vector<Collection> collections;
  std::vector<std::string> skipped;  // restore: the tool's own collections, left as they are
  int64_t bytes = 0;                 // of BSON documents
};

// Dumps into `dir`, which must not exist or be empty (a backup is never overwritten).
StatusOr<BackupSummary> Backup(mongo::Database& db, const std::string& dir,
                               const BackupOptions& options);

struct RestoreOptions {
  // Drop a collection that exists before restoring it; without it, a collection that exists
  // (holding documents or not) is refused before anything is written.
  bool drop = false;
  // Collections of the dump never restored (the history and lock collections).
  std::vector<std::string> excluded;
  std::function<void(const BackupProgress&)> progress;
  // As RunnerOptions::interrupted: a signal stops the restore between batches; the collection
  // being rebuilt is left as it was.
  std::function<int()> interrupted;
};

// Puts the dumped collections back into `db` (documents, options, indexes). Every file is read
// through before the first write. Writes no history record: what the history says is for the
// person restoring to settle (`force`). When a collection fails after others were restored,
// the error (kind kMigrationFailed) names which were and which were not.
StatusOr<BackupSummary> Restore(mongo::Database& db, const std::string& dir,
                                const RestoreOptions& options);

}  // namespace mm
