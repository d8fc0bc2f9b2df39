// The history collection (`migrationHistory`, the seed's name): one document per applied
// version, unique on `version` (index `version_1`, as the seed's migration 002 creates it).
#pragma once

#include <string>
#include <vector>

#include "mongomigrate/migration.h"
#include "mongomigrate/mongo.h"
#include "plan/plan.h"

namespace mm::history {

struct AppliedBy {
  std::string user_at_host;  // "deploy@pod-7"
  std::string tool_version;
};

class History {
 public:
  History(mongo::Database db, std::string collection)
      : db_(db), collection_(std::move(collection)) {}
  const std::string& collection() const { return collection_; }

  // Every record, ascending by version (reads from the primary).
  StatusOr<std::vector<plan::AppliedRecord>> Load();
  // Creates the unique index on `version` if it is missing (idempotent).
  Status EnsureIndex();
  // Records `m` as applied now, with majority write concern.
  Status RecordApplied(const Migration& m, int64_t duration_ms, const AppliedBy& by);
  // Removes the record of `version` (the seed's rollback), with majority write concern.
  Status RemoveRecord(int64_t version);

 private:
  mongo::Database db_;
  std::string collection_;
};

// "user@host" of this process, for `appliedBy`.
std::string CurrentUserAtHost();

}  // namespace mm::history
