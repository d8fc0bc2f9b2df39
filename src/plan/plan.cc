#include "mongomigrate/plan.h"

#include <algorithm>
#include <map>

namespace mm::plan {
namespace {

std::string Source(const Migration& m) { return m.file.empty() ? "a C++ migration" : m.file; }

std::string JoinVersions(const std::vector<int64_t>& versions) {
  std::string out;
  for (int64_t v : versions) out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

// A record that counts as applied (as opposed to pending again, or unfinished).
bool CountsAsApplied(const AppliedRecord& r) {
  return r.status == "applied" || r.status == "baseline";
}

// Versions whose recorded state forbids running anything: an unfinished or failed run, a
// changed or vanished file.
Status CheckAppliedIntact(const std::vector<StatusRow>& rows) {
  for (const StatusRow& r : rows) {
    if (r.state != State::kRunning && r.state != State::kFailed) continue;
    if (r.resumable && r.available) continue;  // `up` resumes it after its last batch
    std::string v = std::to_string(r.version);
    return Status(kBadValue,
                  "refusing to run: version " + v + " (" + r.file + ") " +
                      (r.state == State::kRunning ? "was left running: " : "failed: ") + r.detail +
                      ". The database may hold part of its changes. Check them, then either: "
                      "`mongo-migrate force " +
                      v +
                      " --state applied` if its changes are all "
                      "there; `mongo-migrate force " +
                      v +
                      " --state pending` if none are (or "
                      "after undoing them), then fix the migration and run `up` again.");
  }
  std::vector<std::string> problems;
  std::vector<int64_t> changed;
  for (const StatusRow& r : rows) {
    if (r.state == State::kChanged) {
      changed.push_back(r.version);
      problems.push_back("version " + std::to_string(r.version) + " (" + r.file +
                         ") changed after it was applied");
    } else if (r.state == State::kMissing) {
      problems.push_back("version " + std::to_string(r.version) +
                         " is applied but its migration file is gone");
    }
  }
  if (problems.empty()) return Status::Ok();
  std::string message = "refusing to run: ";
  for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
  message +=
      ". Restore the original file, or roll back before editing; `mongo-migrate status` shows "
      "every version's state.";
  if (!changed.empty()) {
    message +=
        " If the edit is deliberate and reviewed, accept it with `mongo-migrate repair "
        "--accept-checksum " +
        std::to_string(changed.front()) + "`.";
  }
  return Status(kBadValue, message);
}

}  // namespace

std::string_view StateName(State s) {
  switch (s) {
    case State::kApplied:
      return "applied";
    case State::kPending:
      return "pending";
    case State::kChanged:
      return "changed";
    case State::kMissing:
      return "missing";
    case State::kRunning:
      return "running";
    case State::kFailed:
      return "failed";
    case State::kAhead:
      return "ahead";
    case State::kConflict:
      return "conflict";
  }
  return "?";
}

StateCounts CountStates(const std::vector<StatusRow>& rows) {
  StateCounts c;
  for (const StatusRow& r : rows) {
    switch (r.state) {
      case State::kApplied:
        ++c.applied;
        break;
      case State::kPending:
        ++c.pending;
        break;
      case State::kChanged:
        ++c.changed;
        break;
      case State::kMissing:
        ++c.missing;
        break;
      case State::kRunning:
        ++c.running;
        break;
      case State::kFailed:
        ++c.failed;
        break;
      case State::kAhead:
        ++c.ahead;
        break;
      case State::kConflict:
        ++c.conflict;
        break;
    }
    if (r.available) ++c.files;
  }
  return c;
}

Status CheckUniqueVersions(const std::vector<Migration>& available) {
  std::map<int64_t, const Migration*> seen;
  for (const Migration& m : available) {
    if (m.version <= 0) {
      return Status(kBadValue, Source(m) + ": version must be a positive integer, not " +
                                   std::to_string(m.version));
    }
    auto [it, inserted] = seen.emplace(m.version, &m);
    if (!inserted) {
      return Status(kBadValue, "version " + std::to_string(m.version) + " is defined twice: in " +
                                   Source(*it->second) + " and in " + Source(m) +
                                   "; give one of them a new version");
    }
  }
  return Status::Ok();
}

std::vector<StatusRow> BuildStatus(const std::vector<Migration>& available,
                                   const std::vector<AppliedRecord>& applied) {
  std::map<int64_t, StatusRow> rows;
  int64_t highest_available = 0;
  for (const Migration& m : available) highest_available = std::max(highest_available, m.version);
  for (const Migration& m : available) {
    rows[m.version] =
        StatusRow{m.version, m.description, m.file, State::kPending, std::nullopt, ""};
  }
  for (const AppliedRecord& r : applied) {
    auto it = rows.find(r.version);
    const bool unfinished = r.status == "running" || r.status == "reverting";
    if (r.status == "reverted") continue;  // rolled back: pending again (if the file exists)
    if (unfinished || r.status == "failed") {
      StatusRow row{r.version,    r.description,
                    r.file,       unfinished ? State::kRunning : State::kFailed,
                    r.applied_at, r.detail};
      if (it != rows.end()) row.description = it->second.description;
      row.available = it != rows.end();
      row.resumable = r.status == "running" && r.progress.has_value();
      if (row.resumable) {
        const Value* done = r.progress->Get("done");
        auto n = done && done->IsNumber() ? done->AsExactInt64() : std::nullopt;
        row.detail = "stopped in a batched update after " + std::to_string(n.value_or(0)) +
                     " documents; `up` resumes it after its last finished batch";
      }
      rows[r.version] = row;
      continue;
    }
    if (it == rows.end()) {
      rows[r.version] =
          StatusRow{r.version,    r.description,
                    r.file,       r.version > highest_available ? State::kAhead : State::kMissing,
                    r.applied_at, "",
                    false};
      continue;
    }
    const Migration& m = *std::find_if(available.begin(), available.end(),
                                       [&](const Migration& x) { return x.version == r.version; });
    bool changed = !r.checksum.empty() && !m.checksum.empty() && r.checksum != m.checksum &&
                   r.checksum != m.raw_checksum;
    it->second.state = changed ? State::kChanged : State::kApplied;
    it->second.applied_at = r.applied_at;
  }
  // A version two files share: one row per file, each marked, so that none hides the other.
  std::map<int64_t, std::vector<const Migration*>> by_version;
  for (const Migration& m : available) by_version[m.version].push_back(&m);
  std::vector<StatusRow> out;
  for (auto& [v, row] : rows) {
    const auto& sharing = by_version[v];
    if (sharing.size() < 2) {
      out.push_back(std::move(row));
      continue;
    }
    std::string files;
    for (const Migration* m : sharing) files += (files.empty() ? "" : " and ") + Source(*m);
    for (const Migration* m : sharing) {
      StatusRow conflict = row;
      conflict.description = m->description;
      conflict.file = m->file;
      conflict.state = State::kConflict;
      conflict.available = true;
      conflict.detail = "version " + std::to_string(v) + " is given by " + files +
                        "; give one of them a new version (mongo-migrate create NAME numbers "
                        "above every file)";
      out.push_back(std::move(conflict));
    }
  }
  return out;
}

StatusOr<Plan> PlanUp(const std::vector<Migration>& available,
                      const std::vector<AppliedRecord>& applied, std::optional<int64_t> target,
                      bool allow_out_of_order) {
  MM_RETURN_IF_ERROR(CheckUniqueVersions(available));
  if (target) {
    bool known = std::any_of(available.begin(), available.end(),
                             [&](const Migration& m) { return m.version == *target; });
    if (!known) {
      int64_t highest = 0;
      for (const Migration& m : available) highest = std::max(highest, m.version);
      return Status(kBadValue, "no migration has version " + std::to_string(*target) +
                                   (highest ? " (the highest is " + std::to_string(highest) + ")"
                                            : " (no migrations were found)"));
    }
  }
  std::vector<StatusRow> rows = BuildStatus(available, applied);
  MM_RETURN_IF_ERROR(CheckAppliedIntact(rows));
  int64_t highest_applied = 0;
  for (const AppliedRecord& r : applied) {
    if (CountsAsApplied(r)) highest_applied = std::max(highest_applied, r.version);
  }
  std::vector<int64_t> out_of_order;
  Plan plan;
  plan.direction = Direction::kUp;
  for (const StatusRow& r : rows) {
    if (r.state == State::kAhead) plan.ahead.push_back(r.version);
  }
  std::vector<Migration> sorted = available;
  std::sort(sorted.begin(), sorted.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (const Migration& m : sorted) {
    auto row = std::find_if(rows.begin(), rows.end(),
                            [&](const StatusRow& r) { return r.version == m.version; });
    const bool resumable = row->state == State::kRunning && row->resumable;
    if (row->state != State::kPending && !resumable) continue;
    if (target && m.version > *target) break;
    if (m.version < highest_applied) out_of_order.push_back(m.version);
    plan.steps.push_back(m);
  }
  if (!out_of_order.empty() && !allow_out_of_order) {
    return Status(kBadValue, "pending version(s) " + JoinVersions(out_of_order) +
                                 " are lower than the highest applied version " +
                                 std::to_string(highest_applied) +
                                 ": applying them now would run migrations out of order. Renumber "
                                 "them above " +
                                 std::to_string(highest_applied) +
                                 ", or, if they are independent of what was applied since, run "
                                 "with --allow-out-of-order (allow_out_of_order = true in "
                                 "mongo-migrate.toml).");
  }
  plan.out_of_order = std::move(out_of_order);
  plan.highest_applied = highest_applied;
  return plan;
}

StatusOr<Plan> PlanDown(const std::vector<Migration>& available,
                        const std::vector<AppliedRecord>& applied, int64_t steps) {
  MM_RETURN_IF_ERROR(CheckUniqueVersions(available));
  if (steps < 1) return Status(kBadValue, "down needs a number of steps of at least 1");
  std::vector<AppliedRecord> newest_first;
  for (const AppliedRecord& r : applied) {
    if (CountsAsApplied(r) || r.status == "running" || r.status == "failed" ||
        r.status == "reverting") {
      newest_first.push_back(r);
    }
  }
  std::sort(newest_first.begin(), newest_first.end(),
            [](const AppliedRecord& a, const AppliedRecord& b) { return a.version > b.version; });
  if (static_cast<size_t>(steps) > newest_first.size()) {
    return Status(kBadValue,
                  "cannot roll back " + std::to_string(steps) + " migration(s): " +
                      (newest_first.empty() ? std::string("none is applied")
                                            : "only " + std::to_string(newest_first.size()) +
                                                  " applied (try `down " +
                                                  std::to_string(newest_first.size()) + "`)"));
  }
  newest_first.resize(static_cast<size_t>(steps));
  std::vector<StatusRow> rows = BuildStatus(available, applied);
  MM_RETURN_IF_ERROR(CheckAppliedIntact(rows));
  Plan plan;
  plan.direction = Direction::kDown;
  std::vector<int64_t> ahead;
  for (const AppliedRecord& r : newest_first) {
    bool known = std::any_of(available.begin(), available.end(),
                             [&](const Migration& x) { return x.version == r.version; });
    if (!known) ahead.push_back(r.version);
  }
  if (!ahead.empty()) {
    return Status(kBadValue,
                  "refusing to roll back: version " + JoinVersions(ahead) +
                      " is applied but this release has no file for it (a newer release "
                      "applied it); roll it back with the release that has its migration. "
                      "Nothing was rolled back.");
  }
  std::vector<int64_t> no_down;
  for (const AppliedRecord& r : newest_first) {
    const Migration& m = *std::find_if(available.begin(), available.end(),
                                       [&](const Migration& x) { return x.version == r.version; });
    if (!m.down) no_down.push_back(m.version);
    plan.steps.push_back(m);
  }
  if (!no_down.empty()) {
    std::string which;
    for (int64_t v : no_down) {
      const Migration& m = *std::find_if(available.begin(), available.end(),
                                         [&](const Migration& x) { return x.version == v; });
      which += (which.empty() ? "" : ", ") + std::to_string(v) + " (" + Source(m) + ")";
    }
    return Status(kBadValue, "refusing to roll back: version " + which +
                                 " has no `down`, so nothing was rolled back. Roll back fewer "
                                 "steps, or add a `down` to that migration.");
  }
  return plan;
}

}  // namespace mm::plan
