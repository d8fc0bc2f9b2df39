// A migrate-mongo project's changelog, kept exactly as migrate-mongo keeps it, so that a team
// can switch to mongo-migrate with no edit and switch back: one document per applied migration
// ({fileName, appliedAt, migrationBlock}, and fileHash when the project sets useFileHash),
// inserted when a migration is applied and deleted when it is rolled back. Everything else
// mongo-migrate records (running and failed states, claims, checksums) lives in its own history
// collection beside it; before each command the two are brought into agreement, the changelog
// winning, since migrate-mongo may have applied or rolled back versions since.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/migrate_mongo.h"
#include "mongomigrate/migration.h"
#include "mongomigrate/mongo.h"
#include "mongomigrate/plan.h"

namespace mm::history {

using ChangelogOptions = MigrateMongoChangelog;

// A change the history needs to agree with the changelog.
struct ChangelogDifference {
  int64_t version = 0;
  bool applied = false;  // true: migrate-mongo applied it; false: it rolled it back
  const Migration* migration = nullptr;
  std::optional<DateTime> applied_at;
};

class Changelog {
 public:
  Changelog(mongo::Database db, ChangelogOptions options) : db_(db), options_(std::move(options)) {}
  const ChangelogOptions& options() const { return options_; }

  // Where mongo-migrate's records disagree with the changelog. A version the changelog holds is
  // applied (unless it is being rolled back: `reverting` stays, to be resolved by hand); an
  // applied record the changelog does not hold was rolled back by migrate-mongo.
  StatusOr<std::vector<ChangelogDifference>> Differences(
      const std::vector<Migration>& migrations, const std::vector<plan::AppliedRecord>& records);
  // The records as the changelog says (for commands that only read).
  static void Apply(const std::vector<ChangelogDifference>& differences,
                    std::vector<plan::AppliedRecord>* records);

  // After `m`'s up ran, before its record is written: migrate-mongo's document.
  Status Applied(const Migration& m, int64_t migration_block);
  // After `m`'s down ran, before its record is written: migrate-mongo deletes the document.
  Status Reverted(const Migration& m);

  // migrate-mongo's own lock (with lockTtl > 0): refuse while it holds one, hold one while
  // mongo-migrate runs, so that neither runs beside the other.
  Status TakeLock();
  Status ReleaseLock();

 private:
  Value LockTtl() const;

  mongo::Database db_;
  ChangelogOptions options_;
};

}  // namespace mm::history
