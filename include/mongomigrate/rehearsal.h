// Rehearsing migrations on a private devmongod before they reach a real database: each pending
// migration is applied, rolled back, applied again and applied once more on its own result, and
// the schema (and a digest of the data) after each step is compared with what it should be.
// A `down` that forgets an index, an `up` that cannot run twice, a migration that cannot be
// rolled back: found in milliseconds, in CI, with no database.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mongomigrate/migration.h"
#include "mongomigrate/mongo.h"
#include "mongomigrate/schema.h"
#include "mongomigrate/status.h"

namespace mm {

// A devmongod of its own: started on an ephemeral loopback port, holding its data in memory
// only (nothing of a sample reaches the disk), stopped when destroyed.
class ShadowServer {
 public:
  // `devmongod`: the program to start. Fails when it cannot be started or does not answer.
  static StatusOr<std::unique_ptr<ShadowServer>> Start(const std::string& devmongod);
  ~ShadowServer();
  ShadowServer(const ShadowServer&) = delete;
  ShadowServer& operator=(const ShadowServer&) = delete;

  // mongodb://127.0.0.1:PORT/DATABASE
  std::string uri(const std::string& database) const;

 private:
  ShadowServer(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_;
  int port_;
};

struct RehearsalOptions {
  std::string history_collection = "migrationHistory";
  std::string lock_collection = "migrationLock";
  // Irreversible (no `down`) and non-idempotent migrations fail the rehearsal too.
  bool strict = false;
  // As RunnerOptions::interrupted: a signal's number stops the rehearsal between steps.
  std::function<int()> interrupted;
};

struct RehearsalResult {
  enum class Outcome {
    kPassed,          // up, down, up again and a second up all left what they should
    kFailed,          // a step failed, or left something it should not (see problems)
    kIrreversible,    // no `down`: its `up` was rehearsed (fails the run under strict)
    kNotIdempotent,   // a second `up` failed or changed the schema (fails under strict)
    kCannotRehearse,  // it uses something devmongod does not implement: neither pass nor fail
    kNotRun,          // an earlier migration stopped the rehearsal
  };
  int64_t version = 0;
  std::string description;
  std::string file;
  Outcome outcome = Outcome::kNotRun;
  bool reversible = true;
  bool idempotent = true;
  std::vector<std::string> problems;  // one sentence each: what differs, or the error
  int64_t duration_ms = 0;
};
std::string_view OutcomeName(RehearsalResult::Outcome outcome);

struct RehearsalReport {
  std::vector<RehearsalResult> results;
  bool strict = false;
  // Every migration passed (under strict) or at worst was irreversible or not idempotent.
  bool Passed() const;
};

// Rehearses `pending` (ascending) on `database` of `shadow`, which already holds the starting
// schema (and sample data): taking a ShadowServer, not a connection, it cannot be pointed at a
// real database by mistake. For each: schema and data digest S0; up → S1; down → must give S0
// back; up again → must give S1; up once more on its own result → must succeed and leave S1
// (idempotence). `each` hears each result as it is known. Only an error of the shadow itself
// (it stopped answering) is a non-OK status; failing migrations are results.
StatusOr<RehearsalReport> Rehearse(ShadowServer& shadow, const std::string& database,
                                   std::vector<Migration> pending, const RehearsalOptions& options,
                                   const std::function<void(const RehearsalResult&)>& each);

}  // namespace mm
