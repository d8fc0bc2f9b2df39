// The history collection (`migrationHistory`, the seed's name): one document per version
// that was ever run, unique on `version` (index `version_1`, as the seed's migration 002
// creates it). Its `status` moves: running → applied | failed, and on rollback
// reverting → reverted | failed. A process killed mid-step leaves `running`.
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
  // The raw documents, to restore them if a migration drops the collection.
  StatusOr<std::vector<Document>> Snapshot();
  // Re-inserts the snapshot's documents that are no longer there; returns how many.
  StatusOr<int> RestoreMissing(const std::vector<Document>& snapshot);
  // Creates the unique index on `version` if it is missing (idempotent).
  Status EnsureIndex();

  // State changes, each with majority write concern.
  Status MarkStarted(const Migration& m, plan::Direction direction, const AppliedBy& by);
  Status MarkApplied(const Migration& m, int64_t duration_ms, const AppliedBy& by,
                     const std::string& status = "applied");
  Status MarkReverted(const Migration& m, int64_t duration_ms, const AppliedBy& by);
  Status MarkFailed(const Migration& m, plan::Direction direction, const Status& error,
                    int64_t duration_ms);
  // The seed's "manually record as applied", done by the tool and recorded as forced.
  Status Force(int64_t version, const Migration* m, bool applied, const AppliedBy& by);
  Status AcceptChecksum(int64_t version, const std::string& checksum, const AppliedBy& by);

 private:
  // Applies `update` to the record of `version` with majority write concern.
  Status Write(int64_t version, Document update, bool upsert);
  // `command` with majority write concern, unless it runs inside a transaction.
  Document Durable(Document command) const;

  mongo::Database db_;
  std::string collection_;
};

// "user@host" of this process, for `appliedBy`.
std::string CurrentUserAtHost();

}  // namespace mm::history
