// mongo-migrate: the seed's `up [version]`, `down [steps]`, `status` and `create NAME`,
// natively. Every command is a library call (mongomigrate::Runner) plus rendering.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <optional>

#include "cli/config.h"
#include "cli/create.h"
#include "cli/render.h"
#include "mongo/uri.h"
#include "mongomigrate/runner.h"
#include "source/source.h"

namespace {

constexpr const char* kVersion = "0.1.0";

constexpr const char* kExitCodes =
    "Exit codes: 0 success; 1 a migration failed; 2 usage or configuration error; "
    "3 migrations pending (status --exit-code); 4 could not connect.";

enum ExitCode { kSuccess = 0, kMigrationFailed = 1, kUsage = 2, kPending = 3, kNoConnection = 4 };

struct Options {
  std::optional<std::string> uri;
  std::string dir = "./migrations";
  std::string collection = "migrationHistory";
  std::string env_file = "./.env";
  bool dry_run = false;
  bool json = false;
  bool quiet = false;
  bool no_color = false;
  std::optional<int64_t> target;
  int64_t steps = 1;
  bool exit_code = false;
  std::string name;
};

int ExitFor(const mm::Status& s) {
  switch (mm::Classify(s)) {
    case mm::FailureKind::kConnection:
      return kNoConnection;
    case mm::FailureKind::kMigrationFailed:
      return kMigrationFailed;
    case mm::FailureKind::kConfiguration:
      return kUsage;
  }
  return kUsage;
}

// A connection failure names where it tried to connect (password redacted).
mm::Status WithTarget(const mm::Status& s, const std::string& redacted_uri) {
  if (mm::Classify(s) != mm::FailureKind::kConnection) return s;
  return mm::Status(s.code(), "could not connect to " + redacted_uri + ": " + s.message())
      .WithDetails(s.details());
}

int Fail(mm::cli::Renderer& out, const mm::Status& s, int code) {
  out.Failure(s, code);
  out.Finish(false);
  return code;
}

int RunDatabaseCommand(const std::string& command, const Options& o, mm::cli::Renderer& out) {
  auto migrations = mm::source::LoadDirectory(o.dir);
  if (!migrations.ok()) return Fail(out, migrations.status(), kUsage);
  auto resolved = mm::cli::ResolveUri(o.uri, o.env_file);
  if (!resolved.ok()) return Fail(out, resolved.status(), kUsage);
  auto client = mm::mongo::Client::Open(resolved->uri);
  if (!client.ok()) return Fail(out, client.status(), kUsage);
  const std::string& db_name = (*client)->default_database();
  if (db_name.empty()) {
    return Fail(out,
                mm::Status(mm::kBadValue, "the URI from " + resolved->source +
                                              " names no database: put it in the path, e.g. "
                                              "mongodb://localhost:27017/neuronav"),
                kUsage);
  }
  const std::string redacted = mm::mongo::RedactUri(resolved->uri);
  out.Context(db_name, redacted, o.dry_run);
  mm::RunnerOptions runner_options;
  runner_options.history_collection = o.collection;
  runner_options.dry_run = o.dry_run;
  runner_options.tool_version = kVersion;
  mm::Runner runner((*client)->database(db_name), std::move(migrations).value(), runner_options);
  auto sink = [&](const mm::RunEvent& e) { out.Event(e); };
  if (command == "status") {
    auto rows = runner.Status();
    if (!rows.ok()) return Fail(out, WithTarget(rows.status(), redacted), ExitFor(rows.status()));
    out.StatusTable(*rows);
    out.Finish(true);
    bool pending = std::any_of(rows->begin(), rows->end(), [](const mm::plan::StatusRow& r) {
      return r.state == mm::plan::State::kPending;
    });
    return o.exit_code && pending ? kPending : kSuccess;
  }
  auto plan = command == "up" ? runner.Up(o.target, sink) : runner.Down(o.steps, sink);
  if (!plan.ok()) return Fail(out, WithTarget(plan.status(), redacted), ExitFor(plan.status()));
  out.Finish(true);
  return kSuccess;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mongo-migrate: versioned migrations for MongoDB", "mongo-migrate"};
  app.footer(kExitCodes);
  app.set_version_flag("--version", std::string("mongo-migrate ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();
  Options o;
  app.add_option("--uri", o.uri,
                 "MongoDB connection string; the database is the one in its path "
                 "(default: MONGODB_URI from the environment, then from the .env file)");
  app.add_option("--dir", o.dir, "Directory of migration files")->capture_default_str();
  app.add_option("--collection", o.collection, "History collection")->capture_default_str();
  app.add_option("--env-file", o.env_file, "dotenv file to read MONGODB_URI from")
      ->capture_default_str();
  app.add_flag("--dry-run", o.dry_run, "Print the plan; change nothing");
  app.add_flag("--json", o.json, "Print one JSON document on stdout (for CI)");
  app.add_flag("--quiet", o.quiet, "Print only errors");
  app.add_flag("--no-color", o.no_color, "No colours or symbols, even on a terminal");

  CLI::App* up =
      app.add_subcommand("up", "Apply pending migrations, up to VERSION (inclusive) if given");
  up->add_option("VERSION", o.target, "Highest version to apply")->check(CLI::PositiveNumber);
  CLI::App* down =
      app.add_subcommand("down", "Roll back the last STEPS applied migrations (default 1)");
  down->add_option("STEPS", o.steps, "How many to roll back")->check(CLI::PositiveNumber);
  CLI::App* status = app.add_subcommand("status", "Show every migration's state and Applied: X/Y");
  status->add_flag("--exit-code", o.exit_code, "Exit with 3 when a migration is pending");
  CLI::App* create = app.add_subcommand("create", "Write the next migration file from a template");
  create->add_option("NAME", o.name, "snake_case name, e.g. add_new_field_to_users")->required();
  for (CLI::App* sub : {up, down, status, create}) sub->footer(kExitCodes);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kSuccess : kUsage;
  }
  std::string command = app.get_subcommands().front()->get_name();
  mm::cli::OutputOptions output;
  output.json = o.json;
  output.quiet = o.quiet;
  output.color =
      !o.no_color && !o.json && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  if (command == "create") {
    mm::cli::Renderer out(output, command);
    auto created = mm::cli::CreateMigration(o.dir, o.name);
    if (!created.ok()) return Fail(out, created.status(), kUsage);
    out.Created(created->path, created->version);
    out.Finish(true);
    return kSuccess;
  }
  // Resolved here too so that the renderer redacts the password from its very first line.
  auto resolved = mm::cli::ResolveUri(o.uri, o.env_file);
  if (resolved.ok()) output.password = mm::mongo::PasswordOf(resolved->uri);
  mm::cli::Renderer out(output, command);
  return RunDatabaseCommand(command, o, out);
}
