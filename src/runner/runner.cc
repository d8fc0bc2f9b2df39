#include "mongomigrate/runner.h"

#include <chrono>

#include "history/history.h"

namespace mm {
namespace {

Status Marked(Status s, const char* mark) {
  Document details = s.details();
  details.Set(mark, true);
  return std::move(s).WithDetails(std::move(details));
}

}  // namespace

FailureKind Classify(const Status& status) {
  if (status.details().Has("connection")) return FailureKind::kConnection;
  if (status.details().Has("migrationFailed")) return FailureKind::kMigrationFailed;
  return FailureKind::kConfiguration;
}

Runner::Runner(mongo::Database db, std::vector<Migration> migrations, RunnerOptions options)
    : db_(db), migrations_(std::move(migrations)), options_(std::move(options)) {}

StatusOr<std::vector<plan::StatusRow>> Runner::Status() {
  MM_RETURN_IF_ERROR(plan::CheckUniqueVersions(migrations_));
  history::History history(db_, options_.history_collection);
  auto applied = history.Load();
  if (!applied.ok()) return applied.status();
  return plan::BuildStatus(migrations_, *applied);
}

StatusOr<plan::Plan> Runner::Up(std::optional<int64_t> target, const EventSink& events) {
  history::History history(db_, options_.history_collection);
  auto applied = history.Load();
  if (!applied.ok()) return applied.status();
  return Execute(plan::PlanUp(migrations_, *applied, target), events);
}

StatusOr<plan::Plan> Runner::Down(int64_t steps, const EventSink& events) {
  history::History history(db_, options_.history_collection);
  auto applied = history.Load();
  if (!applied.ok()) return applied.status();
  return Execute(plan::PlanDown(migrations_, *applied, steps), events);
}

StatusOr<plan::Plan> Runner::Execute(StatusOr<plan::Plan> planned, const EventSink& events) {
  if (!planned.ok()) return planned.status();
  const plan::Plan& plan = *planned;
  events(RunEvent{RunEvent::Type::kPlanned, plan.direction, nullptr, 0, {}, {}, &plan});
  if (options_.dry_run || plan.steps.empty()) return planned;
  history::History history(db_, options_.history_collection);
  if (plan.direction == plan::Direction::kUp) MM_RETURN_IF_ERROR(history.EnsureIndex());
  const history::AppliedBy by{history::CurrentUserAtHost(), options_.tool_version};
  for (const Migration& m : plan.steps) {
    events(RunEvent{RunEvent::Type::kStarted, plan.direction, &m, 0, {}, {}});
    auto start = std::chrono::steady_clock::now();
    const auto& action = plan.direction == plan::Direction::kUp ? m.up : m.down;
    auto note = [&](const std::string& text) {
      events(RunEvent{RunEvent::Type::kNote, plan.direction, &m, 0, {}, text});
    };
    mm::Status s = action->Run(db_, note);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    if (s.ok()) {
      s = plan.direction == plan::Direction::kUp ? history.RecordApplied(m, ms, by)
                                                 : history.RemoveRecord(m.version);
    }
    if (!s.ok()) {
      if (!s.details().Has("connection")) s = Marked(std::move(s), "migrationFailed");
      events(RunEvent{RunEvent::Type::kFailed, plan.direction, &m, ms, s, {}});
      return s;
    }
    events(RunEvent{RunEvent::Type::kFinished, plan.direction, &m, ms, {}, {}});
  }
  return planned;
}

}  // namespace mm
