// Planning, with no MongoDB in sight: from the migrations available, the history records and
// a request, to the ordered steps to run, or to a precise refusal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/migration.h"
#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::plan {

// What the history collection says about one version.
struct AppliedRecord {
  int64_t version = 0;
  // "applied", "baseline" (recorded without running), "running"/"reverting" (a run started and
  // never finished: the process died), "failed", "reverted" (rolled back: pending again).
  std::string status = "applied";
  std::optional<DateTime> applied_at;
  std::string description;
  std::string file;
  std::string checksum;
  std::string detail;    // for failed/running: the error, or who was running it
  int64_t revision = 0;  // bumped by every write; claims are conditional on it
  // A "running" record stopped inside a batched update ({step, lastId, done}): `up` resumes
  // it instead of refusing (mongomigrate/batched_update.h).
  std::optional<Document> progress;
};

// One history record as `mongo-migrate history` shows it.
struct HistoryEntry {
  int64_t version = 0;
  std::string status;  // applied, baseline, running, reverting, failed, reverted
  std::string description;
  std::optional<DateTime> when;        // when the record last changed
  std::string by;                      // who made that change (user@host)
  std::optional<int64_t> duration_ms;  // how long the run that made it took
  std::string tool_version;
  std::string error;  // a failure's message, whole
};

enum class State {
  kApplied,   // recorded, and its file (if any) is unchanged
  kPending,   // available, not recorded
  kChanged,   // recorded, but the file's bytes differ from the recorded checksum
  kMissing,   // recorded, but no migration with this version is available any more
  kRunning,   // a run started it and never finished (killed mid-step)
  kFailed,    // its last run failed
  kAhead,     // applied, above every available version: a newer release applied it
  kConflict,  // two or more files give this version (one row each); nothing runs until fixed
};
std::string_view StateName(State s);

struct StatusRow {
  int64_t version = 0;
  std::string description;
  std::string file;
  State state = State::kPending;
  std::optional<DateTime> applied_at;
  std::string detail;      // kRunning/kFailed: what the record says
  bool available = true;   // a migration with this version is among those available
  bool resumable = false;  // kRunning inside a batched update: `up` resumes it
};

// One row per version known to either side, ascending; a version two files share has one
// kConflict row per file (its detail names them all and the fix). An applied version with no
// migration is kAhead when it is above every available version (an older release against a database
// a newer one migrated: blue-green), else kMissing (a file vanished from the middle).
std::vector<StatusRow> BuildStatus(const std::vector<Migration>& available,
                                   const std::vector<AppliedRecord>& applied);

// How many rows are in each state.
struct StateCounts {
  size_t applied = 0, pending = 0, changed = 0, missing = 0, running = 0, failed = 0, ahead = 0,
         conflict = 0;
  size_t files = 0;  // rows with a migration available (everything but missing and ahead)
  // What `up` would refuse to run past.
  bool NeedsAttention() const { return changed + missing + running + failed + conflict > 0; }
};
StateCounts CountStates(const std::vector<StatusRow>& rows);

enum class Direction { kUp, kDown };

struct Plan {
  Direction direction = Direction::kUp;
  std::vector<Migration> steps;  // in the order they run
  std::vector<int64_t> ahead;    // applied versions this release has no file for (kAhead)
  // Versions it applies below the highest applied one (allowed, e.g. with timestamps).
  std::vector<int64_t> out_of_order;
  int64_t highest_applied = 0;
};

// Every pending migration up to `target` (inclusive; all when absent), ascending.
// Refuses (BadValue) when: two migrations share a version; `target` names no migration;
// an applied migration's file changed or vanished; a version is running or failed; a pending
// version is lower than the highest applied one (out of order) unless `allow_out_of_order`.
StatusOr<Plan> PlanUp(const std::vector<Migration>& available,
                      const std::vector<AppliedRecord>& applied, std::optional<int64_t> target,
                      bool allow_out_of_order = false);

// The `steps` most recently applied versions (highest first). Refuses when `steps` < 1 or
// exceeds what is applied, when one of them has no `down` or no migration at all (ahead of
// this release included), or when a file changed, naming each version concerned.
StatusOr<Plan> PlanDown(const std::vector<Migration>& available,
                        const std::vector<AppliedRecord>& applied, int64_t steps);

// Refuses two migrations with one version, naming both sources.
Status CheckUniqueVersions(const std::vector<Migration>& available);

}  // namespace mm::plan
