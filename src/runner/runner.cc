#include "mongomigrate/runner.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>

#include "history/changelog.h"
#include "history/history.h"
#include "history/lock.h"
#include "runner/fault_point.h"

namespace mm {
namespace {

LockInfo InfoOf(const history::LockHolder& h) { return LockInfo{history::Describe(h), h.live}; }

int64_t MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// Runs one direction of `m` and writes its history record in one transaction: either both
// commit or neither does, so a failure leaves no writes and no record behind. The claim was
// committed before; the result is recorded only while it stands, so a stale runner's
// transaction aborts.
Status RunInTransaction(mongo::Database& db, const std::string& history_collection,
                        const history::Claim& claim, const Migration& m, bool up,
                        const history::AppliedBy& by, const ActionOutput& out,
                        std::chrono::steady_clock::time_point start) {
  auto session = mongo::Session::Start(*db.client());
  if (!session.ok()) return session.status();
  MM_RETURN_IF_ERROR((*session)->StartTransaction());
  mongo::Database in_transaction = db.InSession(session->get());
  history::History history(in_transaction, history_collection);
  Status s = (up ? m.up : m.down)->Run(in_transaction, out);
  if (s.ok()) runner::FaultPoint("after-run", m.version);
  if (s.ok()) {
    s = up ? history.MarkApplied(claim, m, MillisecondsSince(start), by)
           : history.MarkReverted(claim, MillisecondsSince(start), by);
  }
  if (s.ok()) return (*session)->CommitTransaction();
  (void)(*session)->AbortTransaction();
  return s;
}

// Why `m` runs outside a transaction on a deployment that has them ("" when it does not).
std::string OutsideTransactionReason(const Migration& m, bool up) {
  if (!m.transactional) return "the file says \"transaction\": false";
  return (up ? m.up : m.down)->TransactionBlocker();
}

}  // namespace

Runner::Runner(mongo::Database db, std::vector<Migration> migrations, RunnerOptions options)
    : db_(db), migrations_(std::move(migrations)), options_(std::move(options)) {
  if (options_.migrate_mongo) {
    changelog_ = std::make_unique<history::Changelog>(db_, *options_.migrate_mongo);
    options_.use_transactions = false;  // the changelog is written beside the run, as migrate-mongo
    migration_block_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  }
}

Runner::~Runner() = default;

StatusOr<std::vector<plan::AppliedRecord>> Runner::AgreeWithChangelog(
    history::History& history, std::vector<plan::AppliedRecord> records, bool write) {
  if (!changelog_) return records;
  auto differences = changelog_->Differences(migrations_, records);
  if (!differences.ok()) return differences.status();
  if (differences->empty()) return records;
  if (!write) {
    history::Changelog::Apply(*differences, &records);
    return records;
  }
  const history::AppliedBy by{"migrate-mongo", options_.tool_version};
  for (const history::ChangelogDifference& d : *differences) {
    const plan::AppliedRecord* read = nullptr;
    for (const plan::AppliedRecord& r : records) {
      if (r.version == d.version) read = &r;
    }
    MM_RETURN_IF_ERROR(history.Force(d.version, d.migration, read, d.applied, by, d.applied_at));
  }
  return history.LoadForWrite();
}

mm::Status Runner::Exclusive(const std::string& command, const EventSink& events,
                             const std::function<mm::Status()>& fn) {
  return Locked(command, events, [&]() -> mm::Status { return fn(); });
}

const Migration* Runner::Find(int64_t version) const {
  for (const Migration& m : migrations_) {
    if (m.version == version) return &m;
  }
  return nullptr;
}

mm::Status Runner::LoadDeferred(const std::vector<plan::AppliedRecord>& records, bool all) {
  for (Migration& m : migrations_) {
    if (!m.resolve) continue;
    if (!all) {
      auto r = std::find_if(records.begin(), records.end(),
                            [&](const plan::AppliedRecord& a) { return a.version == m.version; });
      const bool done = r != records.end() && (r->status == "applied" || r->status == "baseline");
      if (done && (r->checksum == m.checksum || r->checksum == m.raw_checksum)) {
        if (!r->description.empty()) m.description = r->description;
        continue;
      }
    }
    auto resolve = std::move(m.resolve);
    m.resolve = nullptr;
    MM_RETURN_IF_ERROR(resolve(m));
  }
  return mm::Status::Ok();
}

StatusOr<std::vector<plan::StatusRow>> Runner::Status(bool load_all) {
  // Two files with one version are shown, each row marked (kConflict), not refused here.
  history::History history(db_, options_.history_collection);
  auto loaded = history.Load();
  if (!loaded.ok()) return loaded.status();
  auto applied = AgreeWithChangelog(history, std::move(loaded).value(), /*write=*/false);
  if (!applied.ok()) return applied.status();
  MM_RETURN_IF_ERROR(LoadDeferred(*applied, load_all));
  return plan::BuildStatus(migrations_, *applied);
}

StatusOr<std::vector<HistoryEntry>> Runner::Records() {
  return history::History(db_, options_.history_collection).Entries();
}

StatusOr<std::optional<LockInfo>> Runner::Lock() {
  auto holder = history::ReadLock(db_, options_.lock_collection, options_.history_collection);
  if (!holder.ok()) return holder.status();
  if (!*holder) return std::optional<LockInfo>();
  return std::optional<LockInfo>(InfoOf(**holder));
}

// Runs `fn` while holding the lock (a dry run takes none: it writes nothing). Every command that
// may write refuses two files with one version first (`status` shows them, each row marked).
template <typename Fn>
auto Runner::Locked(const std::string& command, const EventSink& events, Fn fn) -> decltype(fn()) {
  MM_RETURN_IF_ERROR(plan::CheckUniqueVersions(migrations_));
  if (options_.dry_run) return fn();
  history::LockOptions lock_options;
  lock_options.collection = options_.lock_collection;
  lock_options.key = options_.history_collection;
  lock_options.lease = options_.lock_lease;
  lock_options.timeout = options_.lock_timeout;
  lock_options.command = command;
  lock_options.cancelled = [this] { return options_.interrupted ? options_.interrupted() : 0; };
  auto lock = history::Lock::Acquire(db_, lock_options, [&](const history::LockHolder& h) {
    events(RunEvent{RunEvent::Type::kNote,
                    plan::Direction::kUp,
                    nullptr,
                    0,
                    {},
                    "waiting for the migration lock held by " + history::Describe(h),
                    nullptr});
  });
  if (!lock.ok()) return lock.status();
  runner::FaultPoint("after-lock");
  // A migrate-mongo project: its own lock too, so that migrate-mongo and mongo-migrate never
  // run side by side.
  if (changelog_) {
    mm::Status taken = changelog_->TakeLock();
    if (!taken.ok()) {
      (void)(*lock)->Release();
      return taken;
    }
  }
  {
    std::lock_guard guard(lock_mutex_);
    lock_ = lock->get();
  }
  auto result = fn();
  {
    std::lock_guard guard(lock_mutex_);
    lock_ = nullptr;
  }
  mm::Status released = changelog_ ? changelog_->ReleaseLock() : mm::Status::Ok();
  mm::Status ours = (*lock)->Release();
  if (released.ok()) released = ours;
  if (!released.ok() && result.ok()) return released;
  return result;
}

// The history as a command sees it: a dry run only reads; a command about to write refuses a
// newer format and upgrades an older one first.
StatusOr<std::vector<plan::AppliedRecord>> Runner::ReadForCommand(history::History& history) {
  auto records = options_.dry_run ? history.Load() : history.LoadForWrite();
  if (!records.ok()) return records.status();
  return AgreeWithChangelog(history, std::move(records).value(), /*write=*/!options_.dry_run);
}

StatusOr<plan::Plan> Runner::Up(std::optional<int64_t> target, const EventSink& events) {
  std::string command = target ? "up " + std::to_string(*target) : "up";
  return Locked(command, events, [&]() -> StatusOr<plan::Plan> {
    history::History history(db_, options_.history_collection);
    auto applied = ReadForCommand(history);
    if (!applied.ok()) return applied.status();
    MM_RETURN_IF_ERROR(LoadDeferred(*applied, /*all=*/false));
    return Execute(plan::PlanUp(migrations_, *applied, target, options_.allow_out_of_order),
                   *applied, events);
  });
}

StatusOr<plan::Plan> Runner::Down(int64_t steps, const EventSink& events) {
  return Locked("down " + std::to_string(steps), events, [&]() -> StatusOr<plan::Plan> {
    history::History history(db_, options_.history_collection);
    auto applied = ReadForCommand(history);
    if (!applied.ok()) return applied.status();
    MM_RETURN_IF_ERROR(LoadDeferred(*applied, /*all=*/true));
    return Execute(plan::PlanDown(migrations_, *applied, steps), *applied, events);
  });
}

namespace {

// How many applied (or unfinished) versions lie above `version`.
int64_t CountAbove(const std::vector<plan::AppliedRecord>& records, int64_t version) {
  int64_t n = 0;
  for (const plan::AppliedRecord& r : records) {
    if (r.version > version && r.status != "reverted") ++n;
  }
  return n;
}

}  // namespace

StatusOr<plan::Plan> Runner::DownTo(int64_t version, const EventSink& events) {
  const std::string command = version ? "down --to " + std::to_string(version) : "down --all";
  return Locked(command, events, [&]() -> StatusOr<plan::Plan> {
    history::History history(db_, options_.history_collection);
    auto applied = ReadForCommand(history);
    if (!applied.ok()) return applied.status();
    if (version != 0) {
      auto target =
          std::find_if(applied->begin(), applied->end(), [&](const plan::AppliedRecord& r) {
            return r.version == version && (r.status == "applied" || r.status == "baseline");
          });
      if (target == applied->end()) {
        return mm::Status(kBadValue, "version " + std::to_string(version) +
                                         " is not applied: `down --to` rolls back to an "
                                         "applied version (`down --all` rolls back everything)");
      }
    }
    const int64_t steps = CountAbove(*applied, version);
    if (steps == 0) {
      plan::Plan nothing;
      nothing.direction = plan::Direction::kDown;
      events(RunEvent{RunEvent::Type::kPlanned, nothing.direction, nullptr, 0, {}, {}, &nothing});
      return nothing;
    }
    MM_RETURN_IF_ERROR(LoadDeferred(*applied, /*all=*/true));
    return Execute(plan::PlanDown(migrations_, *applied, steps), *applied, events);
  });
}

StatusOr<plan::Plan> Runner::Redo(int64_t steps, const EventSink& events) {
  return Locked("redo " + std::to_string(steps), events, [&]() -> StatusOr<plan::Plan> {
    history::History history(db_, options_.history_collection);
    auto applied = ReadForCommand(history);
    if (!applied.ok()) return applied.status();
    MM_RETURN_IF_ERROR(LoadDeferred(*applied, /*all=*/true));
    auto down = Execute(plan::PlanDown(migrations_, *applied, steps), *applied, events);
    if (!down.ok()) return down.status();
    int64_t highest = 0;
    for (const Migration& m : down->steps) highest = std::max(highest, m.version);
    // Applied again up to the highest version rolled back (nothing above it was applied). A dry
    // run changed nothing: it plans from the history as the rollback would leave it.
    std::vector<plan::AppliedRecord> after;
    if (options_.dry_run) {
      after = *applied;
      for (plan::AppliedRecord& r : after) {
        for (const Migration& m : down->steps) {
          if (r.version == m.version) r.status = "reverted";
        }
      }
    } else {
      auto reread = history.Load();
      if (!reread.ok()) return reread.status();
      after = std::move(reread).value();
    }
    return Execute(plan::PlanUp(migrations_, after, highest, options_.allow_out_of_order), after,
                   events);
  });
}

mm::Status Runner::ReadyForNext(const EventSink& events, const std::string& what) {
  if (int signal = options_.interrupted ? options_.interrupted() : 0) {
    return mm::Status(kInterrupted, std::string("interrupted by SIG") + sigabbrev_np(signal) + " " +
                                        what + ": nothing of it ran")
        .Interrupted(signal);
  }
  if (!lock_) return mm::Status::Ok();
  mm::Status held = lock_->ConfirmUnlessFresh();
  for (const std::string& e : lock_->TakeRenewalErrors()) {
    events(RunEvent{RunEvent::Type::kWarning, plan::Direction::kUp, nullptr, 0, {}, e, nullptr});
  }
  return held;
}

namespace {
const plan::AppliedRecord* RecordOf(const std::vector<plan::AppliedRecord>& records,
                                    int64_t version) {
  for (const plan::AppliedRecord& r : records) {
    if (r.version == version) return &r;
  }
  return nullptr;
}
}  // namespace

StatusOr<plan::Plan> Runner::Execute(StatusOr<plan::Plan> planned,
                                     const std::vector<plan::AppliedRecord>& records,
                                     const EventSink& events) {
  if (!planned.ok()) return planned.status();
  const plan::Plan& plan = *planned;
  events(RunEvent{RunEvent::Type::kPlanned, plan.direction, nullptr, 0, {}, {}, &plan});
  if (!plan.ahead.empty()) {
    std::string versions;
    for (int64_t v : plan.ahead) versions += (versions.empty() ? "" : ", ") + std::to_string(v);
    events(RunEvent{RunEvent::Type::kWarning,
                    plan.direction,
                    nullptr,
                    0,
                    {},
                    "version " + versions +
                        " is applied but this release has no file for it: the database is "
                        "ahead of this release (a newer one migrated it); nothing to do for it",
                    nullptr});
  }
  if (!plan.out_of_order.empty()) {
    std::string versions;
    for (int64_t v : plan.out_of_order) {
      versions += (versions.empty() ? "" : ", ") + std::to_string(v);
    }
    events(RunEvent{RunEvent::Type::kWarning,
                    plan.direction,
                    nullptr,
                    0,
                    {},
                    "out of order: version " + versions + " is below the highest applied one (" +
                        std::to_string(plan.highest_applied) + "), applied as allowed",
                    nullptr});
  }
  if (options_.dry_run || plan.steps.empty()) return planned;
  runner::FaultPoint("after-plan");
  const bool up = plan.direction == plan::Direction::kUp;
  bool transactions = false;
  if (options_.use_transactions) {
    auto supported = db_.client()->SupportsTransactions();
    if (!supported.ok()) return supported.status();
    transactions = *supported;
  }
  // Refusals that need no write come before the first one (the history's index included).
  for (const Migration& m : plan.steps) {
    const MigrationAction* action = (up ? m.up : m.down).get();
    if (action) MM_RETURN_IF_ERROR(action->CheckBeforeRun(transactions));
  }
  if (options_.before_run) {
    // Under the lock, after every refusal and before the first write: what it saves (a backup)
    // is the state the plan starts from.
    if (mm::Status ready = options_.before_run(plan); !ready.ok()) {
      return ready.Reworded(ready.message() + "; nothing ran");
    }
  }
  history::History history(db_, options_.history_collection);
  MM_RETURN_IF_ERROR(history.EnsureIndex());
  const history::AppliedBy by{history::CurrentUserAtHost(), options_.tool_version};
  const history::ClaimToken token{lock_ ? lock_->owner() : "", lock_ ? lock_->generation() : 0};
  // The next version's claim, when it was made in one write with the last record.
  std::optional<history::Claim> claimed_next;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Migration& m = plan.steps[i];
    auto event = [&](RunEvent::Type type, std::string text) {
      events(RunEvent{type, plan.direction, &m, 0, {}, std::move(text), nullptr});
    };
    auto note = [&](const std::string& text) { event(RunEvent::Type::kNote, text); };
    ActionOutput out;
    out.note = note;
    out.print = [&](const std::string& text) { event(RunEvent::Type::kOutput, text); };
    out.checkpoint = [&]() -> mm::Status {
      runner::FaultPoint("after-step", m.version);
      int signal = options_.interrupted ? options_.interrupted() : 0;
      if (signal == 0) return mm::Status::Ok();
      return mm::Status(kInterrupted, std::string("interrupted by SIG") + sigabbrev_np(signal))
          .Interrupted(signal);
    };
    out.progress = [&](const BatchProgress& p) {
      events(RunEvent{RunEvent::Type::kProgress, plan.direction, &m, 0, {}, {}, nullptr, &p});
    };
    if (!claimed_next) {
      MM_RETURN_IF_ERROR(ReadyForNext(events, "before version " + std::to_string(m.version)));
      runner::FaultPoint("before-claim", m.version);
      auto made = history.ClaimVersion(m, plan.direction, RecordOf(records, m.version), token, by);
      if (!made.ok()) return made.status();
      claimed_next = std::move(*made);
    }
    const std::optional<history::Claim> claim = std::exchange(claimed_next, std::nullopt);
    runner::FaultPoint("after-claim", m.version);
    const std::string outside = transactions ? OutsideTransactionReason(m, up) : "";
    const bool in_transaction = transactions && outside.empty();
    // Kept to restore the history should this migration drop or rewrite it (the seed's own
    // 002 `down` drops migrationHistory). Taken after the claim, so the claim survives too;
    // only around an action that may touch the history (a JSON file says which collections
    // it touches), so that most migrations cost no read of the history at all.
    const MigrationAction& action = *(up ? m.up : m.down);
    const bool guarded = action.MayTouch(options_.history_collection);
    if (guarded) MM_RETURN_IF_ERROR(history.Guard());
    // The claim stands, but this runner may have stalled since (a paused or swapped-out
    // process stalls its renewal thread too): stop before running if the lock went to another.
    // Within half a lease of its last renewal nobody else can have taken it, so that costs no
    // round trip; a lock removed with `unlock --force` meanwhile is covered by `force`, which
    // does not release a claimed version before the removed lease's end (RevokedLeaseEnd).
    if (lock_) {
      if (mm::Status held = lock_->ConfirmUnlessFresh(); !held.ok()) {
        (void)history.ResetClaim(*claim);  // nothing of it ran: the next run simply runs it
        return held;
      }
    }
    // A batched update outside the migration's own transaction records its progress, so
    // that a killed or interrupted run resumes after its last finished batch.
    bool progress_saved = false;
    const plan::AppliedRecord* read = RecordOf(records, m.version);
    if (!in_transaction && up) {
      out.resume = read && read->status == "running" && read->progress ? &*read->progress : nullptr;
      out.transactions = transactions;
      out.save_progress = [&](mongo::Database& through, const Document& progress) {
        progress_saved = !progress.empty();
        return history::History(through, options_.history_collection)
            .SaveProgress(*claim, progress);
      };
      if (out.resume) note("resuming its batched update where the interrupted run stopped");
    }
    event(RunEvent::Type::kStarted, "");
    if (!outside.empty()) note("runs outside a transaction: " + outside);
    auto start = std::chrono::steady_clock::now();
    mm::Status s = in_transaction ? RunInTransaction(db_, options_.history_collection, *claim, m,
                                                     up, by, out, start)
                                  : action.Run(db_, out);
    if (!in_transaction && s.ok()) runner::FaultPoint("after-run", m.version);
    const int64_t ms = MillisecondsSince(start);
    history.NoteWritten(m.version);  // in a transaction, another History wrote its record
    auto restored = guarded ? history.RestoreMissing() : StatusOr<int>(0);
    if (!restored.ok()) return restored.status();
    if (*restored > 0) {
      event(RunEvent::Type::kWarning, "migration " + std::to_string(m.version) + " removed " +
                                          std::to_string(*restored) + " record(s) from " +
                                          options_.history_collection + "; restored them");
    }
    if (!s.ok()) {
      if (s.kind() == FailureKind::kConnection) return s;  // the record stays `running`: honest
      if (s.kind() == FailureKind::kInterrupted && progress_saved) {
        // Stopped between two batches with its progress recorded: the next `up` resumes it.
        events(RunEvent{RunEvent::Type::kFailed, plan.direction, &m, ms, s, {}, nullptr});
        return s;
      }
      // Another runner's record (a refused claim) or a lock no longer ours: leave it be.
      if (s.kind() == FailureKind::kLockLost) return s;
      if (in_transaction) {
        std::string why = s.message() +
                          "; the transaction was rolled back: no writes and no "
                          "history record were left";
        if (s.code() == kOperationNotSupportedInTransaction) {
          why +=
              ". MongoDB refuses this step inside a transaction: add \"transaction\": false "
              "to the file, or run with --no-transaction";
        }
        s = s.Reworded(why);
        MM_RETURN_IF_ERROR(history.ResetClaim(*claim));
      } else {
        MM_RETURN_IF_ERROR(history.MarkFailed(*claim, plan.direction, s, ms));
      }
      if (s.kind() != FailureKind::kInterrupted)
        s = mm::Status(std::move(s)).WithKind(FailureKind::kMigrationFailed);
      events(RunEvent{RunEvent::Type::kFailed, plan.direction, &m, ms, s, {}, nullptr});
      return s;
    }
    if (changelog_) {
      // Before the record: a run killed between the two leaves the changelog saying applied
      // and the record `running`, which the next command settles as applied, never twice.
      MM_RETURN_IF_ERROR(up ? changelog_->Applied(m, migration_block_) : changelog_->Reverted(m));
      runner::FaultPoint("after-changelog", m.version);
    }
    auto finished = [&] {
      runner::FaultPoint("after-record", m.version);
      events(RunEvent{RunEvent::Type::kFinished, plan.direction, &m, ms, {}, {}, nullptr});
    };
    if (in_transaction) {  // recorded in its transaction
      finished();
      continue;
    }
    const Migration* next = i + 1 < plan.steps.size() ? &plan.steps[i + 1] : nullptr;
    mm::Status ready = next
                           ? ReadyForNext(events, "before version " + std::to_string(next->version))
                           : mm::Status::Ok();
    if (ready.ok() && next) {
      // Its record and the next version's claim share one write.
      auto both = history.RecordAndClaim(*claim, m, ms, *next, plan.direction,
                                         RecordOf(records, next->version), token, by);
      MM_RETURN_IF_ERROR(both.recorded);
      finished();
      if (!both.claimed.ok()) return both.claimed.status();
      claimed_next = std::move(*both.claimed);
      continue;
    }
    MM_RETURN_IF_ERROR(up ? history.MarkApplied(*claim, m, ms, by)
                          : history.MarkReverted(*claim, ms, by));
    finished();
    MM_RETURN_IF_ERROR(ready);  // interrupted, or the lock was lost: the next does not start
  }
  if (options_.after_run) options_.after_run(plan);
  return planned;
}

mm::Status Runner::Force(int64_t version, bool applied, const EventSink& events) {
  auto result = Locked("force " + std::to_string(version), events, [&]() -> StatusOr<bool> {
    const Migration* m = Find(version);
    history::History history(db_, options_.history_collection);
    auto records = ReadForCommand(history);
    if (!records.ok()) return records.status();
    MM_RETURN_IF_ERROR(LoadDeferred(*records, /*all=*/true));
    const plan::AppliedRecord* read = RecordOf(*records, version);
    if (!m && !read) {
      return mm::Status(
          kBadValue, "no migration and no history record has version " + std::to_string(version));
    }
    if (read && (read->status == "running" || read->status == "reverting")) {
      auto revoked =
          history::RevokedLeaseEnd(db_, options_.lock_collection, options_.history_collection);
      if (!revoked.ok()) return revoked.status();
      if (*revoked) {
        return mm::Status(kBadValue,
                          "version " + std::to_string(version) + " is " + read->status +
                              ", and a runner whose lock was removed with `unlock --force` may "
                              "still be running it until " +
                              FormatUtc(**revoked) +
                              " (the end of its lease). Wait until then and run `force` again");
      }
    }
    if (options_.dry_run) return true;
    MM_RETURN_IF_ERROR(history.EnsureIndex());
    if (changelog_ && m) {
      // migrate-mongo's view follows: applied has a changelog document, pending none.
      const bool listed = read && (read->status == "applied" || read->status == "baseline");
      if (applied && !listed) MM_RETURN_IF_ERROR(changelog_->Applied(*m, migration_block_));
      if (!applied && listed) MM_RETURN_IF_ERROR(changelog_->Reverted(*m));
    }
    MM_RETURN_IF_ERROR(
        history.Force(version, m, read, applied,
                      history::AppliedBy{history::CurrentUserAtHost(), options_.tool_version}));
    return true;
  });
  return result.ok() ? mm::Status::Ok() : result.status();
}

StatusOr<std::vector<int64_t>> Runner::Baseline(int64_t version, const EventSink& events) {
  return Locked(
      "baseline " + std::to_string(version), events, [&]() -> StatusOr<std::vector<int64_t>> {
        if (!Find(version))
          return mm::Status(kBadValue, "no migration has version " + std::to_string(version));
        history::History history(db_, options_.history_collection);
        auto records = ReadForCommand(history);
        if (!records.ok()) return records.status();
        MM_RETURN_IF_ERROR(LoadDeferred(*records, /*all=*/true));
        if (!options_.dry_run) MM_RETURN_IF_ERROR(history.EnsureIndex());
        const history::AppliedBy by{history::CurrentUserAtHost(), options_.tool_version};
        std::vector<int64_t> recorded;
        std::vector<Migration> sorted = migrations_;
        std::sort(sorted.begin(), sorted.end(),
                  [](const Migration& a, const Migration& b) { return a.version < b.version; });
        for (const Migration& m : sorted) {
          if (m.version > version) break;
          const plan::AppliedRecord* read = RecordOf(*records, m.version);
          if (read && read->status != "reverted") continue;
          if (!options_.dry_run && changelog_) {
            MM_RETURN_IF_ERROR(changelog_->Applied(m, migration_block_));
          }
          if (!options_.dry_run) MM_RETURN_IF_ERROR(history.MarkBaseline(m, read, by));
          recorded.push_back(m.version);
        }
        return recorded;
      });
}

mm::Status Runner::AcceptChecksum(int64_t version, const EventSink& events) {
  auto result = Locked("repair " + std::to_string(version), events, [&]() -> StatusOr<bool> {
    const Migration* m = Find(version);
    if (!m || m->checksum.empty()) {
      return mm::Status(kBadValue, "no migration file has version " + std::to_string(version));
    }
    history::History history(db_, options_.history_collection);
    auto records = ReadForCommand(history);
    if (!records.ok()) return records.status();
    MM_RETURN_IF_ERROR(LoadDeferred(*records, /*all=*/true));
    const plan::AppliedRecord* read = RecordOf(*records, version);
    if (!read || (read->status != "applied" && read->status != "baseline")) {
      return mm::Status(kBadValue, "version " + std::to_string(version) +
                                       " is not applied; there is no checksum to accept");
    }
    if (read->checksum == m->checksum) {
      return mm::Status(kBadValue, "version " + std::to_string(version) + " is unchanged");
    }
    if (options_.dry_run) return true;
    MM_RETURN_IF_ERROR(history.AcceptChecksum(
        *read, m->checksum,
        history::AppliedBy{history::CurrentUserAtHost(), options_.tool_version}));
    return true;
  });
  return result.ok() ? mm::Status::Ok() : result.status();
}

mm::Status Runner::ReleaseLockNow() {
  std::lock_guard guard(lock_mutex_);
  return lock_ ? lock_->Abandon() : mm::Status::Ok();
}

StatusOr<std::optional<LockInfo>> Runner::Unlock(bool force) {
  auto holder =
      options_.dry_run
          ? history::ReadLock(db_, options_.lock_collection, options_.history_collection)
          : history::RemoveLock(db_, options_.lock_collection, options_.history_collection, force);
  if (options_.dry_run && holder.ok() && *holder && (*holder)->live && !force) {
    return mm::Status(kBadValue, "the migration lock is held by " + history::Describe(**holder) +
                                     " and its lease is still live; `unlock` would refuse "
                                     "without --force");
  }
  if (!holder.ok()) return holder.status();
  if (!*holder) return std::optional<LockInfo>();
  return std::optional<LockInfo>(InfoOf(**holder));
}

}  // namespace mm
