// The history collection (`migrationHistory`, the seed's name): one document per version
// that was ever run, unique on `version` (index `version_1`, as the seed's migration 002
// creates it). Its `status` moves: running → applied | failed, and on rollback
// reverting → reverted | failed. A process killed mid-step leaves `running`.
//
// Every write bumps the record's `revision`. A runner *claims* a version with one conditional
// write that succeeds only while the record is still at the revision it read when it planned,
// and it records the result only while its claim stands: a runner that stalled past its
// lock's lease finds its claim refused and runs nothing twice.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mongomigrate/migration.h"
#include "mongomigrate/mongo.h"
#include "mongomigrate/plan.h"

namespace mm::history {

// The record layout. Records without `formatVersion` (older releases, hand-written ones) are
// upgraded in place by the first command that writes; a newer format makes writes refuse.
constexpr int64_t kHistoryFormatVersion = 2;

struct AppliedBy {
  std::string user_at_host;  // "deploy@pod-7"
  std::string tool_version;
};

// Who claims: the lock's owner token and generation (the fencing token).
struct ClaimToken {
  std::string owner;
  int64_t generation = 0;
};

// A standing claim on one version's record.
struct Claim {
  int64_t version = 0;
  bool existed = false;      // whether there was a record when the runner planned
  std::string prior_status;  // its status then ("" when there was none)
  int64_t revision = 0;      // the record's revision once claimed
  ClaimToken token;
};

// What History::RecordAndClaim made of its two writes.
struct RecordedAndClaimed {
  Status recorded;          // the result of the run that finished
  StatusOr<Claim> claimed;  // the claim of the next version
};

class History {
 public:
  History(mongo::Database db, std::string collection)
      : db_(db), collection_(std::move(collection)) {}
  const std::string& collection() const { return collection_; }

  // Every record, ascending by version (reads from the primary). Fails, naming the record, on
  // one without an integer `version`.
  StatusOr<std::vector<plan::AppliedRecord>> Load();
  // As Load, for a command about to write: refuses records of a newer format, and upgrades
  // older ones in place first.
  StatusOr<std::vector<plan::AppliedRecord>> LoadForWrite();
  // Every record as `history` shows it, in the order they last changed (records without a
  // time, written by hand, first).
  StatusOr<std::vector<plan::HistoryEntry>> Entries();
  // The raw documents, ascending by version.
  StatusOr<std::vector<Document>> Snapshot();
  // Before a migration that may touch the history runs: brings a kept copy of the history up
  // to date (read whole the first time; afterwards only the records written since, by this
  // object or as told by NoteWritten), so that RestoreMissing can put back what it removes.
  Status Guard();
  // After it ran: re-inserts the kept records that are no longer there (one count when none
  // went, the usual case); returns how many.
  StatusOr<int> RestoreMissing();
  // `version`'s record was written elsewhere (a transaction's own History).
  void NoteWritten(int64_t version) { written_.insert(version); }
  // Creates the unique index on `version` if it is missing (idempotent).
  Status EnsureIndex();

  // Claims `m` for `direction` (record → running / reverting), only if its record is still as
  // `read` says (nullptr: there was none). A refusal is of kind kLockLost.
  StatusOr<Claim> ClaimVersion(const Migration& m, plan::Direction direction,
                               const plan::AppliedRecord* read, const ClaimToken& token,
                               const AppliedBy& by);
  // The result of a claimed run; each refuses (kLockLost) if the claim no longer stands.
  Status MarkApplied(const Claim& claim, const Migration& m, int64_t duration_ms,
                     const AppliedBy& by);
  Status MarkReverted(const Claim& claim, int64_t duration_ms, const AppliedBy& by);
  // MarkApplied (MarkReverted for kDown) of `done`, and ClaimVersion of `next`, in one
  // command of two ordered statements: a run of many migrations costs one history write per
  // migration. The claim is given back when the record is refused (nothing is left `running`
  // for a runner that stops).
  RecordedAndClaimed RecordAndClaim(const Claim& done, const Migration& done_m, int64_t duration_ms,
                                    const Migration& next, plan::Direction direction,
                                    const plan::AppliedRecord* next_read, const ClaimToken& token,
                                    const AppliedBy& by);
  Status MarkFailed(const Claim& claim, plan::Direction direction, const Status& error,
                    int64_t duration_ms);
  // Records where a batched update of the claimed run stands (empty: it finished), while the
  // claim stands; the revision does not move.
  Status SaveProgress(const Claim& claim, const Document& progress);
  // Puts the record back as it was before the claim (the claimed run's transaction aborted).
  Status ResetClaim(const Claim& claim);

  // Recorded without running (baseline), only if the record is still as `read` says.
  Status MarkBaseline(const Migration& m, const plan::AppliedRecord* read, const AppliedBy& by);
  // The seed's "manually record as applied", done by the tool and recorded as forced.
  // `at`: when it was applied, if known (migrate-mongo's changelog says), else now.
  Status Force(int64_t version, const Migration* m, const plan::AppliedRecord* read, bool applied,
               const AppliedBy& by, std::optional<DateTime> at = std::nullopt);
  Status AcceptChecksum(const plan::AppliedRecord& read, const std::string& checksum,
                        const AppliedBy& by);

 private:
  // Guard's copy: raw records by RestoreKey; and the versions written since it was read.
  std::optional<std::map<std::string, Document>> kept_;
  std::set<int64_t> written_;

  // Applies `update` to the record of `version` if it is still at `expected_revision`
  // (nullopt: inserts it, if there is still none), with majority write concern.
  Status WriteIf(int64_t version, std::optional<int64_t> expected_revision, Document filter_extra,
                 Document update);
  // WriteIf's statement of an `update` command (noted as written).
  Document Statement(int64_t version, std::optional<int64_t> expected_revision,
                     Document filter_extra, Document update);
  static Document ClaimUpdate(const Migration& m, plan::Direction direction,
                              const ClaimToken& token, const AppliedBy& by);
  // `command` with majority write concern, unless it runs inside a transaction.
  Document Durable(Document command) const;
  // Why a conditional write on `version` was refused: what its record says now.
  Status Refused(int64_t version);

  mongo::Database db_;
  std::string collection_;
};

// "user@host" of this process, for `appliedBy`.
std::string CurrentUserAtHost();

}  // namespace mm::history
