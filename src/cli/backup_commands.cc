#include "cli/backup_commands.h"

#include <unistd.h>

#include <cstdio>

#include "cli/exit_codes.h"
#include "mongomigrate/backup.h"

namespace mm::cli {
namespace {

// On a terminal (and not --json), one line per collection redrawn as its batches go by, on
// stderr so that stdout stays what the command reports.
std::function<void(const BackupProgress&)> ProgressLine(const Options& o) {
  if (o.json || o.json_lines || o.quiet || !isatty(STDERR_FILENO)) return nullptr;
  return [](const BackupProgress& p) {
    const bool finished = p.total && p.done >= *p.total;
    std::fprintf(stderr, "\r  %s: %lld%s document(s)%s", p.collection.c_str(),
                 static_cast<long long>(p.done),
                 p.total ? (" of " + std::to_string(*p.total)).c_str() : "", finished ? "\n" : "");
  };
}

std::string Summary(const BackupSummary& s) {
  int64_t documents = 0;
  for (const auto& c : s.collections) documents += c.documents;
  return std::to_string(s.collections.size()) + " collection(s), " + std::to_string(documents) +
         " document(s)";
}

// The lock's notes ("waiting for the migration lock held by …") as the other commands show them.
EventSink Events(Renderer& out) {
  return [&out](const RunEvent& e) { out.Event(e); };
}

}  // namespace

int BackupCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out,
                  const std::function<int()>& interrupted) {
  if (o.dry_run) {
    return out.Fail(Status(kBadValue,
                           "backup has no --dry-run: it only reads the database and "
                           "writes a new directory"));
  }
  BackupOptions options;
  options.collections = o.collections;
  options.require_named = true;
  options.excluded = ToolCollections(o);
  options.progress = ProgressLine(o);
  options.interrupted = interrupted;
  auto rows = runner.Status();
  if (!rows.ok()) return out.Fail(rows.status());
  for (const plan::StatusRow& row : *rows) {
    if (row.state == plan::State::kPending) options.before_versions.push_back(row.version);
  }
  // Under the migration lock: a backup taken while a migration runs would be half of each.
  StatusOr<BackupSummary> summary = Status(kInternalError, "");
  Status locked = runner.Exclusive("backup", Events(out), [&] {
    summary = Backup(db, o.backup_dir, options);
    return summary.ok() ? Status::Ok() : summary.status();
  });
  if (!locked.ok()) return out.Fail(locked);
  out.Message("backed up " + Summary(*summary) + " of " + db.name() + " to " + o.backup_dir);
  out.Finish(true);
  return kSuccess;
}

int RestoreCommand(mongo::Database& db, Runner& runner, const Options& o, Renderer& out,
                   const std::function<int()>& interrupted) {
  if (o.dry_run) {
    return out.Fail(Status(kBadValue,
                           "restore has no --dry-run; without --drop it refuses, "
                           "before writing anything, to touch a collection that "
                           "exists"));
  }
  RestoreOptions options;
  options.drop = o.drop;
  options.excluded = ToolCollections(o);
  options.progress = ProgressLine(o);
  options.interrupted = interrupted;
  // Under the migration lock: no migration runs into a half-restored collection.
  StatusOr<BackupSummary> summary = Status(kInternalError, "");
  Status locked = runner.Exclusive("restore", Events(out), [&] {
    summary = Restore(db, o.backup_dir, options);
    return summary.ok() ? Status::Ok() : summary.status();
  });
  if (!locked.ok()) return out.Fail(locked);
  std::string skipped;
  for (const std::string& name : summary->skipped) skipped += (skipped.empty() ? "" : ", ") + name;
  out.Message("restored " + Summary(*summary) + " into " + db.name() + " from " + o.backup_dir +
              " (the migration history was not changed: settle it with `force` if needed)");
  if (!skipped.empty()) {
    out.Message("not restored, the tool's own: " + skipped);
  }
  out.Finish(true);
  return kSuccess;
}

std::function<Status(const plan::Plan&)> BackupBeforeRun(mongo::Database& db, const Options& o,
                                                         Renderer& out,
                                                         std::function<int()> interrupted) {
  return [&db, &o, &out, interrupted](const plan::Plan& plan) -> Status {
    BackupOptions options;
    options.excluded = ToolCollections(o);
    options.progress = ProgressLine(o);
    options.interrupted = interrupted;
    bool everything = false;
    const bool up = plan.direction == plan::Direction::kUp;
    for (const Migration& m : plan.steps) {
      options.before_versions.push_back(m.version);
      const MigrationAction* action = (up ? m.up : m.down).get();
      auto touched = action ? action->Collections() : std::nullopt;
      if (!touched) {
        everything = true;
        continue;
      }
      for (const std::string& c : *touched) options.collections.push_back(c);
    }
    if (everything) options.collections.clear();
    if (!everything && options.collections.empty()) {
      out.Message("nothing to back up: the pending migrations say they change no collection");
      return Status::Ok();
    }
    auto summary = Backup(db, o.backup_dir, options);
    if (!summary.ok()) {
      return summary.status().Reworded("the backup before the migrations failed: " +
                                       summary.status().message());
    }
    out.Message("backed up " + Summary(*summary) + " to " + o.backup_dir +
                (everything ? " (the whole database: a migration's collections are known "
                              "only when it runs)"
                            : ""));
    return Status::Ok();
  };
}

}  // namespace mm::cli
