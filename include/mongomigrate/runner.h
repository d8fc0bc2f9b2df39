// mongomigrate::Runner — what the CLI does, as a library: take the lock, plan against the
// history, run each step between a `running` and an `applied` (or `failed`) record, release
// the lock, and report events to whoever renders them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/migrate_mongo.h"
#include "mongomigrate/migration.h"
#include "mongomigrate/mongo.h"
#include "mongomigrate/plan.h"
#include "mongomigrate/version.h"

namespace mm {

namespace history {
class Lock;
}

struct RunnerOptions {
  std::string history_collection = "migrationHistory";
  std::string lock_collection = "migrationLock";
  std::chrono::milliseconds lock_timeout{60000};  // how long to wait for another runner
  std::chrono::milliseconds lock_lease{30000};    // how long a dead runner's lock lives
  bool dry_run = false;                           // plan and report; run nothing, write nothing
  bool allow_out_of_order = false;  // apply pending versions below the highest applied
  // Where the deployment supports them, run each transactional migration and its history
  // record in one transaction (--no-transaction turns this off).
  bool use_transactions = true;
  std::string tool_version = kVersion;  // recorded in each history record
  // Polled before each migration and between steps: the number of the signal that asked the
  // run to stop (SIGINT, SIGTERM), or 0. The run then stops before the next step, records what
  // happened, and releases the lock. May be empty.
  std::function<int()> interrupted;
  // A migrate-mongo project taken over as it is: its changelog is kept as migrate-mongo keeps
  // it and its lock honoured (history/changelog.h); migrations then run outside transactions,
  // as migrate-mongo runs them.
  std::optional<MigrateMongoChangelog> migrate_mongo;
  // Called under the lock once a plan with steps is checked, before its first write (not on a
  // dry run): `up --backup` dumps the collections the plan touches here. A non-OK status
  // stops the run with nothing run.
  std::function<Status(const plan::Plan&)> before_run;
  // Called under the lock once every step of a plan ran (not on a dry run): what it reads of the
  // database is this run's result, with no other runner's half-way (the schema snapshot).
  std::function<void(const plan::Plan&)> after_run;
};

struct RunEvent {
  // kOutput: a line the migration printed itself (console.log); kProgress: a batched update
  // started or finished a batch.
  enum class Type { kPlanned, kStarted, kFinished, kFailed, kNote, kWarning, kOutput, kProgress };
  Type type = Type::kPlanned;
  plan::Direction direction = plan::Direction::kUp;
  const Migration* migration = nullptr;     // null for kPlanned and lock notes
  int64_t duration_ms = 0;                  // kFinished, kFailed
  Status error;                             // kFailed
  std::string note;                         // kNote, kWarning, kOutput
  const plan::Plan* plan = nullptr;         // kPlanned
  const BatchProgress* progress = nullptr;  // kProgress
};
using EventSink = std::function<void(const RunEvent&)>;

// One history record as `mongo-migrate history` shows it (plan/plan.h).
using HistoryEntry = plan::HistoryEntry;

struct LockInfo {
  std::string holder;  // host, pid, command, since, lease
  bool live = false;
};

namespace history {
class History;
class Changelog;
}  // namespace history

class Runner {
 public:
  Runner(mongo::Database db, std::vector<Migration> migrations, RunnerOptions options = {});
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // One row per version, as `status` shows it (reads only; takes no lock). Files applied and
  // unchanged are not loaded unless `load_all` (validate).
  StatusOr<std::vector<plan::StatusRow>> Status(bool load_all = false);
  // The lock document, if any.
  StatusOr<std::optional<LockInfo>> Lock();
  // Every history record, in the order they last changed (reads only; takes no lock).
  StatusOr<std::vector<HistoryEntry>> Records();

  // Applies pending migrations up to `target` (all when absent). Returns the plan it ran.
  StatusOr<plan::Plan> Up(std::optional<int64_t> target, const EventSink& events);
  // Rolls back the `steps` most recent migrations, newest first; their records become
  // `reverted` (pending again).
  StatusOr<plan::Plan> Down(int64_t steps, const EventSink& events);
  // Rolls back every migration applied above `version` (0: all of them), newest first.
  // `version` must be 0 or an applied version.
  StatusOr<plan::Plan> DownTo(int64_t version, const EventSink& events);
  // Rolls back the `steps` most recent migrations, then applies them again, under one lock:
  // the seed's "test your rollbacks" in one command. Returns the plan that re-applied them.
  StatusOr<plan::Plan> Redo(int64_t steps, const EventSink& events);
  // Records `version` as applied (without running it) or as pending, e.g. after a failed or
  // interrupted run a person has inspected.
  mm::Status Force(int64_t version, bool applied, const EventSink& events);
  // Records versions 1..`version` that have no record as applied (state `baseline`), without
  // running them: adopting a database whose schema already matches.
  StatusOr<std::vector<int64_t>> Baseline(int64_t version, const EventSink& events);
  // Records the current file's checksum for an applied version whose file was edited.
  mm::Status AcceptChecksum(int64_t version, const EventSink& events);
  // Runs `fn` holding the migration lock, as `up` would (waiting up to lock_timeout for another
  // runner): a backup or a restore that must not meet a migration. `command` names the holder
  // in the lock document.
  mm::Status Exclusive(const std::string& command, const EventSink& events,
                       const std::function<mm::Status()>& fn);
  // Removes the lock; refuses while its lease is live unless `force`. Returns whose it was.
  StatusOr<std::optional<LockInfo>> Unlock(bool force);

  const std::vector<Migration>& migrations() const { return migrations_; }

  // Frees the lock this runner holds, from any thread, without waiting for the run: for a
  // process about to exit at once (a second Ctrl-C). The run's record stays as it is.
  mm::Status ReleaseLockNow();

 private:
  // Loads the deferred migration files (Migration::resolve): all of them with `all`, else
  // those not recorded applied/baseline with their current checksum. An applied, unchanged
  // file keeps the description its record holds.
  mm::Status LoadDeferred(const std::vector<plan::AppliedRecord>& records, bool all);
  StatusOr<std::vector<plan::AppliedRecord>> ReadForCommand(history::History& history);
  // In a migrate-mongo project, the records as its changelog says: written into the history
  // first when `write` (a command under the lock), else only in the returned copy.
  StatusOr<std::vector<plan::AppliedRecord>> AgreeWithChangelog(
      history::History& history, std::vector<plan::AppliedRecord> records, bool write);
  template <typename Fn>
  auto Locked(const std::string& command, const EventSink& events, Fn fn) -> decltype(fn());
  StatusOr<plan::Plan> Execute(StatusOr<plan::Plan> plan,
                               const std::vector<plan::AppliedRecord>& records,
                               const EventSink& events);
  // Before each migration: the lock is still ours and nobody asked us to stop.
  mm::Status ReadyForNext(const EventSink& events, const std::string& what);
  const Migration* Find(int64_t version) const;

  mongo::Database db_;
  std::vector<Migration> migrations_;
  RunnerOptions options_;
  std::mutex lock_mutex_;          // guards lock_, which ReleaseLockNow reads from another thread
  history::Lock* lock_ = nullptr;  // while Locked() runs its function
  std::unique_ptr<history::Changelog> changelog_;  // a migrate-mongo project's changelog
  int64_t migration_block_ = 0;  // migrate-mongo's migrationBlock: when this run started (ms)
};

}  // namespace mm

namespace mongomigrate = mm;
