// mongomigrate::Runner — what the CLI does, as a library: plan against the history, run each
// step, record it right after it succeeds, and report events to whoever renders them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/migration.h"
#include "mongomigrate/mongo.h"
#include "plan/plan.h"

namespace mm {

struct RunnerOptions {
  std::string history_collection = "migrationHistory";
  bool dry_run = false;  // plan and report; run nothing, write nothing
  std::string tool_version = "0.1.0";
};

struct RunEvent {
  enum class Type { kPlanned, kStarted, kFinished, kFailed, kNote };
  Type type = Type::kPlanned;
  plan::Direction direction = plan::Direction::kUp;
  const Migration* migration = nullptr;  // null for kPlanned
  int64_t duration_ms = 0;               // kFinished, kFailed
  Status error;                          // kFailed
  std::string note;                      // kNote
  const plan::Plan* plan = nullptr;      // kPlanned
};
using EventSink = std::function<void(const RunEvent&)>;

// Why a run stopped; the CLI maps each to an exit code.
enum class FailureKind {
  kConfiguration,    // bad files, a refused plan, a bad URI (exit 2)
  kConnection,       // no server could be reached (exit 4)
  kMigrationFailed,  // a step failed; earlier steps stay applied and recorded (exit 1)
};
FailureKind Classify(const Status& status);

class Runner {
 public:
  Runner(mongo::Database db, std::vector<Migration> migrations, RunnerOptions options = {});

  // One row per version, as `status` shows it.
  StatusOr<std::vector<plan::StatusRow>> Status();
  // Applies pending migrations up to `target` (all when absent). Returns the plan it ran.
  StatusOr<plan::Plan> Up(std::optional<int64_t> target, const EventSink& events);
  // Rolls back the `steps` most recent migrations, newest first.
  StatusOr<plan::Plan> Down(int64_t steps, const EventSink& events);

  const std::vector<Migration>& migrations() const { return migrations_; }

 private:
  StatusOr<plan::Plan> Execute(StatusOr<plan::Plan> plan, const EventSink& events);

  mongo::Database db_;
  std::vector<Migration> migrations_;
  RunnerOptions options_;
};

}  // namespace mm

namespace mongomigrate = mm;
