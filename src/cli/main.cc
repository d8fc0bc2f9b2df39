// mongo-migrate: the seed's `up [version]`, `down [steps]`, `status` and `create NAME`, plus
// the commands that keep a shared database safe (unlock, force, validate, repair, baseline).
// Every command is a library call (mongomigrate::Runner) plus rendering.
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "cli/app.h"
#include "cli/backup_commands.h"
#include "cli/config.h"
#include "cli/create.h"
#include "cli/exit_codes.h"
#include "cli/init.h"
#include "cli/options.h"
#include "cli/project_file.h"
#include "cli/rehearse_commands.h"
#include "cli/render.h"
#include "commit.h"
#include "mongo/uri.h"
#include "mongomigrate/runner.h"
#include "source/source.h"

namespace {

using mm::cli::Options;

using namespace mm::cli;  // the exit codes

// The first SIGINT/SIGTERM asks the run to stop between steps; a second one frees the lock
// and exits at once. Set by the signal thread, read by the runner.
std::atomic<int> g_interrupted{0};
// The runner a second signal frees the lock of; guarded so that it cannot be destroyed while
// the signal thread uses it.
std::mutex g_runner_mutex;
mm::Runner* g_runner = nullptr;

int Interrupted() { return g_interrupted.load(); }

void WatchSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  // Blocked before any other thread exists, so that every thread inherits the mask and only
  // this one takes the signals.
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    while (true) {
      int signal = 0;
      if (sigwait(&set, &signal) != 0) continue;
      if (g_interrupted.exchange(signal) == 0) {
        std::string text = std::string("\nSIG") + sigabbrev_np(signal) +
                           ": stopping before the next step (again to abort at once)\n";
        (void)!write(STDERR_FILENO, text.data(), text.size());
        continue;
      }
      std::string text = std::string("SIG") + sigabbrev_np(signal) +
                         " again: aborting now; an unfinished migration stays `running`\n";
      (void)!write(STDERR_FILENO, text.data(), text.size());
      {
        std::lock_guard guard(g_runner_mutex);
        if (g_runner) (void)g_runner->ReleaseLockNow();
      }
      std::fflush(stdout);
      _exit(128 + signal);
    }
  }).detach();
}

// The known command nearest to `typed` by edit distance, if it is near enough to be a typo.
std::string Nearest(const std::string& typed, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = 3;  // at most two edits away
  for (const std::string& name : names) {
    std::vector<size_t> row(name.size() + 1);
    for (size_t j = 0; j <= name.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= typed.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= name.size(); ++j) {
        size_t above = row[j];
        row[j] = std::min(
            {row[j] + 1, row[j - 1] + 1, diagonal + (typed[i - 1] == name[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    if (row[name.size()] < best_distance) {
      best_distance = row[name.size()];
      best = name;
    }
  }
  return best;
}

class Command {
 public:
  Command(std::string name, const Options& o, mm::cli::Renderer& out)
      : name_(std::move(name)), o_(o), out_(out) {}

  int Run() {
    auto migrations = mm::source::LoadDirectory(o_.dir, o_.only_extension);
    // A backup or a restore needs no migration file (a broken one must not stop a backup).
    if (!migrations.ok() && (name_ == "backup" || name_ == "restore")) {
      migrations = std::vector<mm::Migration>{};
    }
    if (!migrations.ok()) return Fail(migrations.status(), kUsage);
    auto resolved = mm::cli::ResolveUri(o_.uri_sources);
    if (!resolved.ok()) return Fail(resolved.status(), kUsage);
    // status and validate take no lock, so nothing renews one from a second thread: one
    // connection serves them (one handshake, no monitor thread).
    const bool read_only = name_ == "status" || name_ == "validate" || name_ == "history" ||
                           name_ == "schema" || name_ == "diff";
    auto client = mm::mongo::Client::Open(resolved->uri, read_only);
    if (!client.ok()) return Fail(client.status(), kUsage);
    // migrate-mongo's rule: its databaseName, not the URI's path.
    const std::string db_name = o_.database.value_or((*client)->default_database());
    if (db_name.empty()) {
      return Fail(mm::Status(mm::kBadValue, "the URI from " + resolved->source +
                                                " names no database: put it in the path, e.g. "
                                                "mongodb://localhost:27017/neuronav"),
                  kUsage);
    }
    redacted_uri_ = mm::mongo::RedactUri(resolved->uri);
    out_.Context(db_name, redacted_uri_, o_.dry_run, o_.origin);
    mm::RunnerOptions options;
    options.history_collection = o_.collection;
    options.lock_collection = o_.lock_collection;
    options.lock_timeout =
        std::chrono::milliseconds(static_cast<int64_t>(o_.lock_timeout_s * 1000));
    options.lock_lease = std::chrono::milliseconds(static_cast<int64_t>(o_.lock_lease_s * 1000));
    options.dry_run = o_.dry_run;
    options.allow_out_of_order = o_.allow_out_of_order;
    options.use_transactions = !o_.no_transaction;
    options.tool_version = mm::kVersion;
    options.interrupted = Interrupted;
    options.migrate_mongo = o_.migrate_mongo;
    db_.emplace((*client)->database(db_name));
    if (name_ == "up" && !o_.backup_dir.empty()) {
      options.before_run = mm::cli::BackupBeforeRun(*db_, o_, out_, Interrupted);
    }
    // Only after a run that changed something (a run with nothing to do must not fold someone's
    // manual change into the snapshot `diff` compares with), and under its lock.
    options.after_run = [this](const mm::plan::Plan&) {
      if (runner_) mm::cli::RewriteSnapshot(*db_, *runner_, o_, out_);
    };
    mm::Runner runner(*db_, std::move(migrations).value(), options);
    runner_ = &runner;
    {
      std::lock_guard guard(g_runner_mutex);
      g_runner = &runner;
    }
    int code = Dispatch(runner);
    std::lock_guard guard(g_runner_mutex);
    g_runner = nullptr;
    return code;
  }

 private:
  int Dispatch(mm::Runner& runner) {
    auto sink = [&](const mm::RunEvent& e) { out_.Event(e); };
    if (name_ == "status" || name_ == "validate") return StatusOrValidate(runner);
    if (name_ == "schema") return mm::cli::SchemaCommand(*db_, runner, o_, out_);
    if (name_ == "diff") return mm::cli::DiffCommand(*db_, runner, o_, out_);
    if (name_ == "backup") return mm::cli::BackupCommand(*db_, runner, o_, out_, Interrupted);
    if (name_ == "restore") return mm::cli::RestoreCommand(*db_, runner, o_, out_, Interrupted);
    if (name_ == "history") {
      auto records = runner.Records();
      if (!records.ok()) return Fail(records.status());
      out_.HistoryTable(*records);
      return Done();
    }
    if (name_ == "up" || name_ == "down" || name_ == "redo") {
      auto plan = name_ == "up"     ? runner.Up(o_.target, sink)
                  : name_ == "redo" ? runner.Redo(o_.steps, sink)
                  : o_.down_all     ? runner.DownTo(0, sink)
                  : o_.down_to      ? runner.DownTo(*o_.down_to, sink)
                                    : runner.Down(o_.steps, sink);
      if (!plan.ok()) return Fail(plan.status());
      return Done();
    }
    if (name_ == "force") {
      bool applied = o_.state == "applied";
      mm::Status s = runner.Force(o_.version, applied, sink);
      if (!s.ok()) return Fail(s);
      out_.Message(std::string(o_.dry_run ? "would record" : "recorded") + " version " +
                   std::to_string(o_.version) + " as " +
                   (applied ? "applied (without running it)" : "pending"));
      return Done();
    }
    if (name_ == "baseline") {
      auto recorded = runner.Baseline(o_.version, sink);
      if (!recorded.ok()) return Fail(recorded.status());
      std::string list;
      for (int64_t v : *recorded) list += (list.empty() ? "" : ", ") + std::to_string(v);
      out_.Message(recorded->empty() ? "nothing to baseline: every version up to " +
                                           std::to_string(o_.version) + " is already recorded"
                                     : std::string(o_.dry_run ? "would record" : "recorded") +
                                           " as baseline (not run): " + list);
      return Done();
    }
    if (name_ == "repair") {
      mm::Status s = runner.AcceptChecksum(o_.version, sink);
      if (!s.ok()) return Fail(s);
      out_.Message(std::string(o_.dry_run ? "would accept" : "accepted") +
                   " the new checksum of version " + std::to_string(o_.version));
      return Done();
    }
    if (name_ == "unlock") {
      auto holder = runner.Unlock(o_.force);
      if (!holder.ok()) return Fail(holder.status());
      out_.Message(*holder ? std::string(o_.dry_run ? "would remove" : "removed") +
                                 " the lock held by " + (*holder)->holder
                           : "there was no lock to remove");
      return Done();
    }
    return Fail(mm::Status(mm::kBadValue, "unknown command " + name_), kUsage);
  }

  int StatusOrValidate(mm::Runner& runner) {
    auto rows = runner.Status(/*load_all=*/name_ == "validate");
    if (!rows.ok()) return Fail(rows.status());
    if (name_ == "status") {
      out_.StatusTable(*rows);
      auto lock = runner.Lock();
      if (!lock.ok()) return Fail(lock.status());
      out_.LockLine(*lock);
      out_.Finish(true);
      if (!o_.exit_code) return kSuccess;
      const mm::plan::StateCounts counts = mm::plan::CountStates(*rows);
      if (counts.NeedsAttention()) return kNeedsAttention;
      return counts.pending ? kPending : kSuccess;
    }
    std::string problems;
    int applied = 0;
    for (const auto& r : *rows) {
      if (r.state == mm::plan::State::kApplied) ++applied;
      if (r.state == mm::plan::State::kApplied || r.state == mm::plan::State::kPending ||
          r.state == mm::plan::State::kAhead) {
        continue;
      }
      problems += "\n  " + std::to_string(r.version) + " (" + r.file +
                  "): " + std::string(mm::plan::StateName(r.state)) +
                  (r.detail.empty() ? "" : ": " + r.detail);
    }
    if (!problems.empty()) {
      return Fail(mm::Status(mm::kBadValue,
                             "validation failed:" + problems +
                                 "\nRestore changed or missing files (or `repair "
                                 "--accept-checksum VERSION` after review); resolve failed or "
                                 "running versions with `force VERSION --state applied|pending`."),
                  kMigrationFailed);
    }
    std::string note;
    auto drift = mm::cli::SchemaDrift(*db_, runner, o_, note);
    if (!drift.ok()) return Fail(drift.status());
    if (!drift->empty()) {
      std::string lines;
      for (const std::string& d : *drift) lines += "\n  " + d;
      return Fail(mm::Status(mm::kBadValue, "validation failed: the live schema has drifted from " +
                                                o_.schema_file + ":" + lines +
                                                "\nSee `mongo-migrate diff`."),
                  kMigrationFailed);
    }
    out_.Message(std::to_string(applied) + " applied migration(s) match their files");
    if (!note.empty()) out_.Message(note);
    return Done();
  }

  int Done() {
    out_.Finish(true);
    return kSuccess;
  }

  // A connection failure names where it tried to connect (password redacted).
  int Fail(const mm::Status& s, std::optional<int> code = std::nullopt) {
    int exit = code ? *code : ExitFor(s);
    mm::Status shown = s;
    if (!code && s.kind() == mm::FailureKind::kConnection) {
      shown = s.Reworded("could not connect to " + redacted_uri_ + ": " + s.message());
    }
    return out_.Fail(shown, exit);
  }

  std::string name_;
  const Options& o_;
  mm::cli::Renderer& out_;
  std::string redacted_uri_;
  std::optional<mm::mongo::Database> db_;
  mm::Runner* runner_ = nullptr;  // while Run() runs it
};

}  // namespace

int main(int argc, char** argv) {
  // Each line reaches a pipe (CI, docker and kubectl logs) when its event happens, in order
  // with stderr, and a killed run leaves what it printed: stdout is line-buffered even when it
  // is not a terminal.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  // libmongoc (initialised when it is loaded, before main) keeps performance counters in
  // /dev/shm/mongoc-<pid>, which a killed run (kill -9, an OOM, an evicted pod) would leave
  // behind; a later process given that pid would then print "Falling back to malloc for
  // counters". The name goes now: the counters stay mapped, and nothing outlives the process.
  shm_unlink(("/mongoc-" + std::to_string(getpid())).c_str());
  CLI::App app{"mongo-migrate: versioned migrations for MongoDB", "mongo-migrate"};
  mm::cli::CliState state;
  mm::cli::DefineCli(app, state);
  Options& o = state.options;
  CLI::App* create = app.get_subcommand("create");
  if (int generated = mm::cli::GenerateDocs(app, mm::cli::ManText(), argc, argv); generated >= 0) {
    return generated;
  }

  // CLI11 would only say "A subcommand is required" for a mistyped command; name it instead.
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.starts_with("-")) {
      static const std::set<std::string> kTakesValue = {"--uri",         "-e",
                                                        "--environment", "--dir",
                                                        "--collection",  "--lock-collection",
                                                        "--env-file",    "--lock-timeout",
                                                        "--lock-lease",  "--schema-file"};
      if (kTakesValue.count(arg)) ++i;  // its value is not a command
      continue;
    }
    auto known = app.get_subcommands([&](CLI::App* sub) { return sub->get_name() == arg; });
    if (known.empty()) {
      std::vector<std::string> commands;
      std::string listed;
      for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        commands.push_back(sub->get_name());
        listed += (listed.empty() ? "" : ", ") + sub->get_name();
      }
      const std::string nearest = Nearest(arg, commands);
      std::fprintf(stderr, "error: unknown command '%s'%s (commands: %s; see --help)\n",
                   mm::cli::Escaped(arg).c_str(),
                   nearest.empty() ? "" : ("; did you mean `" + nearest + "`?").c_str(),
                   listed.c_str());
      return kUsage;
    }
    break;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kSuccess : kUsage;
  }
  std::string command = app.get_subcommands().front()->get_name();
  if (command == "help") {
    CLI::App* topic = nullptr;
    if (!state.help_topic.empty()) {
      try {
        topic = app.get_subcommand(state.help_topic);
      } catch (const CLI::OptionNotFound&) {
        std::fprintf(stderr, "error: no command '%s' (see mongo-migrate help)\n",
                     mm::cli::Escaped(state.help_topic).c_str());
        return kUsage;
      }
    }
    // The formatter directly: App::help() would show the selected `help` command's own page.
    CLI::App* page = topic ? topic : &app;
    std::printf(
        "%s", page->get_formatter()
                  ->make_help(page, topic ? "mongo-migrate " + topic->get_name() : "mongo-migrate",
                              CLI::AppFormatMode::Normal)
                  .c_str());
    return kSuccess;
  }
  auto given = [&](const char* flag) {
    return std::string_view(flag) == "create --format" ? create->count("--format") > 0
                                                       : app.count(flag) > 0;
  };
  if (mm::Status settings = mm::cli::ApplySettings(given, o); !settings.ok()) {
    std::fprintf(stderr, "error: %s\n", settings.message().c_str());
    return kUsage;
  }
  mm::cli::OutputOptions output;
  output.json = o.json;
  output.json_lines = o.json_lines;
  output.quiet = o.quiet;
  output.verbose = o.verbose;
  output.terminal = isatty(STDOUT_FILENO) != 0;
  const char* term = std::getenv("TERM");
  output.color = !o.no_color && !o.json && !o.json_lines && output.terminal &&
                 std::getenv("NO_COLOR") == nullptr && !(term && std::string(term) == "dumb");
  if (command == "init") {
    mm::cli::Renderer out(output, command);
    auto result = mm::cli::InitProject(std::filesystem::path(), state.init_scheme, o.dry_run);
    if (!result.ok()) {
      return out.Fail(result.status(), kUsage);
    }
    for (const std::string& path : result->written) {
      out.Message(std::string(o.dry_run ? "would write " : "wrote ") + path);
    }
    for (const std::string& path : result->kept) {
      out.Message("kept " + path + " (it exists; init never overwrites)");
    }
    if (!result->written.empty() && !o.dry_run) {
      out.Message(
          "next: cp .env.example .env, set MONGODB_URI in it, then mongo-migrate create "
          "add_something");
    }
    out.Finish(true);
    return kSuccess;
  }
  if (command == "create") {
    mm::cli::Renderer out(output, command);
    mm::cli::CreateOptions create_options;
    create_options.format = o.format;
    create_options.scheme = o.scheme;
    create_options.dry_run = o.dry_run;
    // Above the history too, when there is one to read: a version applied from another branch
    // may have no file here yet. `create` must work offline, so it only glances.
    std::string history_note;
    auto highest = mm::cli::HighestRecordedVersion(o);
    if (!highest.ok()) {
      history_note = "numbered above the files only: " + highest.status().message();
    } else if (*highest) {
      create_options.history_highest = **highest;
    }
    auto created = mm::cli::CreateMigration(o.dir, o.name, create_options);
    if (!created.ok()) {
      return out.Fail(created.status(), kUsage);
    }
    out.Created(created->path, created->version, o.dry_run);
    if (!history_note.empty()) out.Message(history_note);
    out.Finish(true);
    return kSuccess;
  }
  // Resolved here too so that the renderer redacts the password from its very first line.
  auto resolved = mm::cli::ResolveUri(o.uri_sources);
  if (resolved.ok()) output.secrets = mm::mongo::SecretsOf(resolved->uri);
  mm::cli::Renderer out(output, command);
  WatchSignals();
  if (command == "verify") {
    return mm::cli::VerifyCommand(o, out, Interrupted);
  }
  return Command(command, o, out).Run();
}
