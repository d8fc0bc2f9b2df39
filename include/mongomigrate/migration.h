// A migration: a version, a description, and the actions that apply (`up`) and revert
// (`down`) it. Migrations come from files (src/source/) or from C++ code (Registry).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/status.h"

namespace mm {

// Only named here: a migration's description (and plan/, which reads nothing else) compiles
// without the client's types; what runs an action includes mongomigrate/mongo.h.
namespace mongo {
class Database;
}

// How far a batched update has come (mongomigrate/batched_update.h).
struct BatchProgress {
  std::string collection;
  int64_t done = 0;              // documents matched by the finished batches, resumed ones too
  std::optional<int64_t> total;  // documents matching its filter when it started
  int64_t batches = 0;           // batches finished by this run
  double seconds = 0;            // since this run started it
  bool finished = false;
};

// Where a running action's lines go, and what the runner offers it.
struct ActionOutput {
  std::function<void(const std::string&)> note;   // the tool's remarks (a tolerated error)
  std::function<void(const std::string&)> print;  // the migration's own output (console.log)
  // Called between two steps (never inside one): a non-OK status (the user interrupted the
  // run) tells the action to stop there and return it. May be empty.
  std::function<Status()> checkpoint;

  // For batched updates, set by the runner (empty outside it: nothing is resumable then).
  // What a killed or interrupted run of this migration recorded: {step, lastId, done}.
  const Document* resume = nullptr;
  // Records `progress` in the migration's history record (an empty document clears it),
  // through `db` (in the batch's transaction, when it has one).
  std::function<Status(mongo::Database& db, const Document& progress)> save_progress;
  // Whether the deployment runs transactions: each batch then commits with its progress.
  bool transactions = false;
  std::function<void(const BatchProgress&)> progress;
};

// One direction of a migration.
class MigrationAction {
 public:
  virtual ~MigrationAction() = default;
  // Runs against the target database. A non-OK status means the migration failed.
  virtual Status Run(mongo::Database& db, const ActionOutput& out) const = 0;
  // Why this action cannot run inside a multi-document transaction ("" when it can): a
  // command MongoDB refuses in one, or an error the action tolerates (any failed statement
  // aborts a transaction).
  virtual std::string TransactionBlocker() const { return ""; }
  // Whether running may change or remove the collection `name` of the target database. The
  // runner guards its history collection (snapshot, then restore what went) only around
  // actions that may touch it; an action that cannot know says true.
  virtual bool MayTouch(const std::string& name) const {
    (void)name;
    return true;
  }
  // The collections of the target database that running may change (for `up --backup`), or
  // nullopt when it cannot know (then everything is backed up).
  virtual std::optional<std::vector<std::string>> Collections() const { return std::nullopt; }
  // What a dry run shows of this action: the commands it would send, one a line, or why they
  // are only known when it runs.
  virtual std::vector<std::string> Describe() const {
    return {"(its commands are known only when it runs)"};
  }
  // Checked for every planned migration before anything runs: whether this action can run
  // safely on the deployment (`transactions`: it runs them). A refusal is a configuration
  // error, and nothing is written.
  virtual Status CheckBeforeRun(bool transactions) const {
    (void)transactions;
    return Status::Ok();
  }
};

struct Migration {
  int64_t version = 0;
  std::string description;
  std::string file;  // the file's name; "" for a migration registered in C++
  // SHA-256 (hex) of the file's bytes with CRLF line endings read as LF, so that a Windows
  // checkout matches a Unix one; "" for C++ migrations.
  std::string checksum;
  // SHA-256 of the bytes exactly as they are, which releases before 0.2 recorded; a record
  // that holds it still matches.
  std::string raw_checksum;
  std::shared_ptr<const MigrationAction> up;
  std::shared_ptr<const MigrationAction> down;  // null: this version cannot be rolled back
  // Where the deployment supports transactions, whether the steps and the history record
  // commit together in one. False for steps MongoDB refuses inside a transaction (creating
  // indexes on an existing collection, dropping a collection).
  bool transactional = true;
  // A file whose actions are not loaded yet (a JavaScript module is evaluated only when it is
  // needed: SpiderMonkey starts in ~12 ms and every file is evaluated). Set, `up` and `down`
  // are empty and `description` comes from the file name; calling it loads the file and fills
  // them in (an error names the file); the caller clears it (moving it out first). The runner
  // calls it for every
  // migration it may run or whose file changed, and leaves applied, unchanged ones alone.
  std::function<Status(Migration&)> resolve;
};

// Migrations written in C++, for services that embed the runner and migrate at start-up.
class Registry {
 public:
  using Function = std::function<Status(mongo::Database&)>;
  // A migration that uses what the runner offers (a resumable RunBatchedUpdate).
  using FunctionWithOutput = std::function<Status(mongo::Database&, const ActionOutput&)>;
  // `down` may be empty: then the version cannot be rolled back.
  Registry& Add(int64_t version, std::string description, Function up, Function down = {});
  Registry& Add(int64_t version, std::string description, FunctionWithOutput up,
                FunctionWithOutput down = {});
  // Declares the collections the migration added last changes (both directions), so that
  // `up --backup` (mongomigrate/backup.h) dumps only those; without it, everything.
  //   registry.Add(3, "index orders", up, down).Touching({"orders"});
  Registry& Touching(std::vector<std::string> collections);
  const std::vector<Migration>& migrations() const { return migrations_; }

 private:
  std::vector<Migration> migrations_;
};

}  // namespace mm
