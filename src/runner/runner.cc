#include "mongomigrate/runner.h"

#include <chrono>

#include "history/history.h"
#include "history/lock.h"

namespace mm {
namespace {

Status Marked(Status s, const char* mark) {
  Document details = s.details();
  details.Set(mark, true);
  return std::move(s).WithDetails(std::move(details));
}

LockInfo InfoOf(const history::LockHolder& h) { return LockInfo{history::Describe(h), h.live}; }

int64_t MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// Runs one direction of `m` and writes its history record in one transaction: either both
// commit or neither does, so a failure leaves no writes and no record behind.
Status RunInTransaction(mongo::Database& db, const std::string& history_collection,
                        const Migration& m, bool up, const history::AppliedBy& by,
                        const ActionOutput& out, std::chrono::steady_clock::time_point start) {
  auto session = mongo::Session::Start(*db.client());
  if (!session.ok()) return session.status();
  MM_RETURN_IF_ERROR((*session)->StartTransaction());
  mongo::Database in_transaction = db.InSession(session->get());
  history::History history(in_transaction, history_collection);
  Status s = (up ? m.up : m.down)->Run(in_transaction, out);
  if (s.ok()) {
    s = up ? history.MarkApplied(m, MillisecondsSince(start), by)
           : history.MarkReverted(m, MillisecondsSince(start), by);
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

FailureKind Classify(const Status& status) {
  if (status.details().Has("connection")) return FailureKind::kConnection;
  if (status.details().Has("lockTimeout")) return FailureKind::kLockTimeout;
  if (status.details().Has("migrationFailed")) return FailureKind::kMigrationFailed;
  return FailureKind::kConfiguration;
}

Runner::Runner(mongo::Database db, std::vector<Migration> migrations, RunnerOptions options)
    : db_(db), migrations_(std::move(migrations)), options_(std::move(options)) {}

const Migration* Runner::Find(int64_t version) const {
  for (const Migration& m : migrations_) {
    if (m.version == version) return &m;
  }
  return nullptr;
}

StatusOr<std::vector<plan::StatusRow>> Runner::Status() {
  MM_RETURN_IF_ERROR(plan::CheckUniqueVersions(migrations_));
  history::History history(db_, options_.history_collection);
  auto applied = history.Load();
  if (!applied.ok()) return applied.status();
  return plan::BuildStatus(migrations_, *applied);
}

StatusOr<std::optional<LockInfo>> Runner::Lock() {
  auto holder = history::ReadLock(db_, options_.lock_collection, options_.history_collection);
  if (!holder.ok()) return holder.status();
  if (!*holder) return std::optional<LockInfo>();
  return std::optional<LockInfo>(InfoOf(**holder));
}

// Runs `fn` while holding the lock (a dry run takes none: it writes nothing).
template <typename Fn>
auto Runner::Locked(const std::string& command, const EventSink& events, Fn fn) -> decltype(fn()) {
  if (options_.dry_run) return fn();
  history::LockOptions lock_options;
  lock_options.collection = options_.lock_collection;
  lock_options.key = options_.history_collection;
  lock_options.lease = options_.lock_lease;
  lock_options.timeout = options_.lock_timeout;
  lock_options.command = command;
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
  auto result = fn();
  mm::Status released = (*lock)->Release();
  if (!released.ok() && result.ok()) return released;
  return result;
}

StatusOr<plan::Plan> Runner::Up(std::optional<int64_t> target, const EventSink& events) {
  std::string command = target ? "up " + std::to_string(*target) : "up";
  return Locked(command, events, [&]() -> StatusOr<plan::Plan> {
    history::History history(db_, options_.history_collection);
    auto applied = history.Load();
    if (!applied.ok()) return applied.status();
    return Execute(plan::PlanUp(migrations_, *applied, target, options_.allow_out_of_order),
                   events);
  });
}

StatusOr<plan::Plan> Runner::Down(int64_t steps, const EventSink& events) {
  return Locked("down " + std::to_string(steps), events, [&]() -> StatusOr<plan::Plan> {
    history::History history(db_, options_.history_collection);
    auto applied = history.Load();
    if (!applied.ok()) return applied.status();
    return Execute(plan::PlanDown(migrations_, *applied, steps), events);
  });
}

StatusOr<plan::Plan> Runner::Execute(StatusOr<plan::Plan> planned, const EventSink& events) {
  if (!planned.ok()) return planned.status();
  const plan::Plan& plan = *planned;
  events(RunEvent{RunEvent::Type::kPlanned, plan.direction, nullptr, 0, {}, {}, &plan});
  if (options_.dry_run || plan.steps.empty()) return planned;
  history::History history(db_, options_.history_collection);
  MM_RETURN_IF_ERROR(history.EnsureIndex());
  const history::AppliedBy by{history::CurrentUserAtHost(), options_.tool_version};
  const bool up = plan.direction == plan::Direction::kUp;
  bool transactions = false;
  if (options_.use_transactions) {
    auto supported = db_.client()->SupportsTransactions();
    if (!supported.ok()) return supported.status();
    transactions = *supported;
  }
  for (const Migration& m : plan.steps) {
    auto note = [&](const std::string& text) {
      events(RunEvent{RunEvent::Type::kNote, plan.direction, &m, 0, {}, text, nullptr});
    };
    const ActionOutput out{
        note, [&](const std::string& text) {
          events(RunEvent{RunEvent::Type::kOutput, plan.direction, &m, 0, {}, text, nullptr});
        }};
    const std::string outside = transactions ? OutsideTransactionReason(m, up) : "";
    const bool in_transaction = transactions && outside.empty();
    // Kept to restore the history should this migration drop or rewrite it (the seed's own
    // 002 `down` drops migrationHistory).
    auto snapshot = history.Snapshot();
    if (!snapshot.ok()) return snapshot.status();
    if (!in_transaction) MM_RETURN_IF_ERROR(history.MarkStarted(m, plan.direction, by));
    events(RunEvent{RunEvent::Type::kStarted, plan.direction, &m, 0, {}, {}, nullptr});
    if (!outside.empty()) note("runs outside a transaction: " + outside);
    auto start = std::chrono::steady_clock::now();
    mm::Status s = in_transaction
                       ? RunInTransaction(db_, options_.history_collection, m, up, by, out, start)
                       : (up ? m.up : m.down)->Run(db_, out);
    const int64_t ms = MillisecondsSince(start);
    auto restored = history.RestoreMissing(*snapshot);
    if (!restored.ok()) return restored.status();
    if (*restored > 0) {
      events(RunEvent{RunEvent::Type::kWarning,
                      plan.direction,
                      &m,
                      0,
                      {},
                      "migration " + std::to_string(m.version) + " removed " +
                          std::to_string(*restored) + " record(s) from " +
                          options_.history_collection + "; restored them",
                      nullptr});
    }
    if (!s.ok()) {
      if (s.details().Has("connection")) return s;  // the record stays `running`: honest
      if (in_transaction) {
        std::string why = s.message() +
                          "; the transaction was rolled back: no writes and no "
                          "history record were left";
        if (s.code() == kOperationNotSupportedInTransaction) {
          why +=
              ". MongoDB refuses this step inside a transaction: add \"transaction\": false "
              "to the file, or run with --no-transaction";
        }
        s = mm::Status(s.code(), why).WithDetails(s.details());
      } else {
        (void)history.MarkFailed(m, plan.direction, s, ms);
      }
      s = Marked(std::move(s), "migrationFailed");
      events(RunEvent{RunEvent::Type::kFailed, plan.direction, &m, ms, s, {}, nullptr});
      return s;
    }
    if (!in_transaction) {
      MM_RETURN_IF_ERROR(up ? history.MarkApplied(m, ms, by) : history.MarkReverted(m, ms, by));
    }
    events(RunEvent{RunEvent::Type::kFinished, plan.direction, &m, ms, {}, {}, nullptr});
  }
  return planned;
}

mm::Status Runner::Force(int64_t version, bool applied, const EventSink& events) {
  auto result = Locked("force " + std::to_string(version), events, [&]() -> StatusOr<bool> {
    const Migration* m = Find(version);
    history::History history(db_, options_.history_collection);
    auto records = history.Load();
    if (!records.ok()) return records.status();
    bool recorded = std::any_of(records->begin(), records->end(),
                                [&](const plan::AppliedRecord& r) { return r.version == version; });
    if (!m && !recorded) {
      return mm::Status(
          kBadValue, "no migration and no history record has version " + std::to_string(version));
    }
    MM_RETURN_IF_ERROR(history.EnsureIndex());
    MM_RETURN_IF_ERROR(
        history.Force(version, m, applied,
                      history::AppliedBy{history::CurrentUserAtHost(), options_.tool_version}));
    return true;
  });
  return result.ok() ? mm::Status::Ok() : result.status();
}

StatusOr<std::vector<int64_t>> Runner::Baseline(int64_t version, const EventSink& events) {
  return Locked(
      "baseline " + std::to_string(version), events, [&]() -> StatusOr<std::vector<int64_t>> {
        MM_RETURN_IF_ERROR(plan::CheckUniqueVersions(migrations_));
        if (!Find(version))
          return mm::Status(kBadValue, "no migration has version " + std::to_string(version));
        history::History history(db_, options_.history_collection);
        auto records = history.Load();
        if (!records.ok()) return records.status();
        MM_RETURN_IF_ERROR(history.EnsureIndex());
        const history::AppliedBy by{history::CurrentUserAtHost(), options_.tool_version};
        std::vector<int64_t> recorded;
        std::vector<Migration> sorted = migrations_;
        std::sort(sorted.begin(), sorted.end(),
                  [](const Migration& a, const Migration& b) { return a.version < b.version; });
        for (const Migration& m : sorted) {
          if (m.version > version) break;
          bool has =
              std::any_of(records->begin(), records->end(), [&](const plan::AppliedRecord& r) {
                return r.version == m.version && r.status != "reverted";
              });
          if (has) continue;
          MM_RETURN_IF_ERROR(history.MarkApplied(m, 0, by, "baseline"));
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
    auto records = history.Load();
    if (!records.ok()) return records.status();
    auto it = std::find_if(records->begin(), records->end(),
                           [&](const plan::AppliedRecord& r) { return r.version == version; });
    if (it == records->end() || (it->status != "applied" && it->status != "baseline")) {
      return mm::Status(kBadValue, "version " + std::to_string(version) +
                                       " is not applied; there is no checksum to accept");
    }
    if (it->checksum == m->checksum) {
      return mm::Status(kBadValue, "version " + std::to_string(version) + " is unchanged");
    }
    MM_RETURN_IF_ERROR(history.AcceptChecksum(
        version, m->checksum,
        history::AppliedBy{history::CurrentUserAtHost(), options_.tool_version}));
    return true;
  });
  return result.ok() ? mm::Status::Ok() : result.status();
}

StatusOr<std::optional<LockInfo>> Runner::Unlock(bool force) {
  auto holder =
      history::RemoveLock(db_, options_.lock_collection, options_.history_collection, force);
  if (!holder.ok()) return holder.status();
  if (!*holder) return std::optional<LockInfo>();
  return std::optional<LockInfo>(InfoOf(**holder));
}

}  // namespace mm
