#include "cli/app.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "commit.h"
#include "mongomigrate/version.h"

namespace mm::cli {
namespace {

// A number of seconds within [min, max]: finite, so NaN and infinity are refused.
CLI::Validator SecondsBetween(double min, double max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
            value < min || value > max) {
          char range[96];
          std::snprintf(range, sizeof range, "%g and %g", min, max);
          return "must be a number of seconds between " + std::string(range) + ", not " + text;
        }
        return "";
      },
      "SECONDS");
}

// A version or a count: digits only, 1 to INT64_MAX. (CLI11's PositiveNumber accepts what a
// double holds and prints that range, 300 digits long.)
CLI::Validator WholeNumber() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int64_t value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || text[0] == '+' || text[0] == '-' || ec != std::errc() ||
            end != text.data() + text.size() || value < 1) {
          return "must be a whole number from 1 to 9223372036854775807, not '" +
                 (text.size() > 40 ? text.substr(0, 40) + "…" : text) + "'";
        }
        return "";
      },
      "NUMBER");
}

}  // namespace

const char* const kExitCodes =
    "Exit codes: 0 success; 1 a migration failed (or validate, diff or verify found a problem, "
    "or a restore stopped after restoring some collections); 2 usage or configuration error, or "
    "a refused plan; 3 status --exit-code: something to do (pending); "
    "4 could not connect; 5 timed out waiting for the migration lock; 6 the lock was lost or "
    "another runner changed a version's record mid-run (this runner stopped, running nothing "
    "twice); 7 status --exit-code: something `up` refuses (failed, running, changed, missing); "
    "130 / 143 interrupted by SIGINT / SIGTERM (stopped between steps, recorded, lock "
    "released).";

void DefineCli(CLI::App& app, CliState& state) {
  app.footer(kExitCodes);
  app.set_version_flag("--version",
                       std::string("mongo-migrate ") + kVersion + " (commit " + kGitCommit + ")");
  app.require_subcommand(1);
  app.fallthrough();
  Options& o = state.options;
  app.add_option("--uri", o.uri,
                 "MongoDB connection string; the database is the one in its path "
                 "(default: MONGODB_URI from the environment, then from the .env file)");
  app.add_option("-e,--environment", o.environment,
                 "Use the [environments.NAME] section of mongo-migrate.toml (default: "
                 "MONGO_MIGRATE_ENVIRONMENT)");
  app.add_option("--dir", o.dir, "Directory of migration files")->capture_default_str();
  app.add_option("--collection", o.collection, "History collection")->capture_default_str();
  app.add_option("--lock-collection", o.lock_collection, "Lock collection")->capture_default_str();
  // The default ./.env may be absent; a file named on purpose must exist.
  app.add_option("--env-file", o.env_file, "dotenv file to read MONGODB_URI from")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& path) -> std::string {
            return std::filesystem::is_regular_file(path) ? "" : "no such file: " + path;
          },
          "FILE"));
  app.add_option("--lock-timeout", o.lock_timeout_s,
                 "Seconds to wait for another runner's lock before exiting with 5")
      ->capture_default_str()
      ->check(SecondsBetween(0, 86400));
  app.add_option("--lock-lease", o.lock_lease_s,
                 "Seconds a lock outlives its runner if that runner dies (renewed while it runs)")
      ->capture_default_str()
      ->check(SecondsBetween(1, 86400));
  app.add_flag("--dry-run", o.dry_run, "Print the plan; change nothing");
  auto* json_flag = app.add_flag("--json", o.json, "Print one JSON document on stdout (for CI)");
  app.add_flag("--json-lines", o.json_lines,
               "Print one JSON document per event on stdout as it happens (started, progress, "
               "finished, failed…), the --json document last")
      ->excludes(json_flag);
  app.add_flag("--quiet", o.quiet, "Print only errors");
  app.add_flag("--no-color", o.no_color, "No colours or symbols, even on a terminal");
  app.add_flag("--allow-out-of-order", o.allow_out_of_order,
               "Apply pending versions lower than the highest applied one");
  app.add_option("--schema-file", o.schema_file,
                 "Schema snapshot to rewrite after each successful up/down, and to compare with "
                 "(diff, validate, verify --from-snapshot); default: schema_file in "
                 "mongo-migrate.toml");
  app.add_flag("--no-transaction", o.no_transaction,
               "Never wrap a migration and its history record in a transaction (by default "
               "they commit together where the deployment supports transactions)");

  CLI::App* up =
      app.add_subcommand("up", "Apply pending migrations, up to VERSION (inclusive) if given");
  up->add_option("VERSION", o.target, "Highest version to apply")->check(WholeNumber());
  up->add_option("--backup", o.backup_dir,
                 "Before anything runs (under the lock), dump the collections the pending "
                 "migrations touch into DIR, in mongodump's layout (files 0600)");
  CLI::App* down =
      app.add_subcommand("down", "Roll back the last STEPS applied migrations (default 1)");
  auto* steps_arg =
      down->add_option("STEPS", o.steps, "How many to roll back")->check(WholeNumber());
  auto* to_option =
      down->add_option("--to", o.down_to, "Roll back every migration applied above VERSION")
          ->check(WholeNumber())
          ->excludes(steps_arg);
  down->add_flag("--all", o.down_all, "Roll back every applied migration")
      ->excludes(steps_arg)
      ->excludes(to_option);
  CLI::App* redo = app.add_subcommand(
      "redo", "Roll back the last N applied migrations (default 1), then apply them again");
  redo->add_option("N", o.steps, "How many to redo")->check(WholeNumber());
  CLI::App* status =
      app.add_subcommand("status", "Show every migration's state, the lock, and Applied: X/Y");
  status->add_flag("-v,--verbose", o.verbose,
                   "Under a failed or unfinished version, its whole error (the JS stack too)");
  status->add_flag("--exit-code", o.exit_code,
                   "Exit with 3 when a migration is pending, 7 when one is failed, running, "
                   "changed or missing (what `up` refuses); 0 only when up to date");
  CLI::App* create = app.add_subcommand("create", "Write the next migration file from a template");
  create->add_option("NAME", o.name, "snake_case name, e.g. add_new_field_to_users")->required();
  create->add_option("--format", o.format, "json, or js for the seed's JavaScript template")
      ->capture_default_str()
      ->check(CLI::IsMember({"json", "js"}));
  CLI::App* validate = app.add_subcommand(
      "validate", "Check that applied migrations match their files and none failed (exit 0/1)");
  CLI::App* force = app.add_subcommand(
      "force",
      "Record VERSION as applied or pending without running it (after a failed or "
      "interrupted run)");
  force->add_option("VERSION", o.version, "The version to record")
      ->required()
      ->check(WholeNumber());
  force->add_option("--state", o.state, "applied or pending")
      ->required()
      ->check(CLI::IsMember({"applied", "pending"}));
  CLI::App* repair = app.add_subcommand(
      "repair", "Accept the edited file of an applied migration: record its new checksum");
  repair->add_option("--accept-checksum", o.version, "The version whose file was edited")
      ->required()
      ->check(WholeNumber());
  CLI::App* baseline =
      app.add_subcommand("baseline",
                         "Adopt an existing database: record versions up to VERSION as applied, "
                         "without running them");
  baseline->add_option("VERSION", o.version, "The highest version already in place")
      ->required()
      ->check(WholeNumber());
  CLI::App* history = app.add_subcommand(
      "history",
      "List every history record in the order they last changed: version, state, when, by "
      "whom, how long, tool version, and a failure's whole error");
  CLI::App* unlock = app.add_subcommand("unlock", "Remove the migration lock, saying whose it was");
  CLI::App* init = app.add_subcommand(
      "init",
      "Start a project here: mongo-migrate.toml, migrations/ and .env.example (never overwrites)");
  init->add_option("--scheme", state.init_scheme,
                   "Versions of `create`: sequential (001, 002…) or timestamp (YYYYMMDDHHMMSS)")
      ->capture_default_str()
      ->check(CLI::IsMember({"sequential", "timestamp"}));
  unlock->add_flag("--force", o.force, "Remove it even while its lease is live");
  CLI::App* schema = app.add_subcommand(
      "schema",
      "Print the database's schema (collections, options, indexes) as a canonical, diffable "
      "JSON snapshot, with the versions it reflects");
  schema->add_option("--out", o.out_file, "Write it to FILE instead of stdout");
  app.add_subcommand("diff",
                     "Compare the live schema with the snapshot (--schema-file): what was added, "
                     "removed or changed; exit 1 on drift");
  CLI::App* backup = app.add_subcommand(
      "backup",
      "Dump collections (all but the tool's own by default) into DIR in mongodump's layout: "
      "<db>/<collection>.bson and .metadata.json, and a manifest");
  backup->add_option("DIR", o.backup_dir, "A new or empty directory")->required();
  backup->add_option("--collections", o.collections, "Only these (comma-separated)")
      ->delimiter(',');
  CLI::App* restore = app.add_subcommand(
      "restore",
      "Put a backup's collections back (documents, options, indexes); records nothing in the "
      "history");
  restore->add_option("DIR", o.backup_dir, "The backup's directory")->required();
  restore->add_flag("--drop", o.drop,
                    "Replace collections that exist (without it, restore refuses to touch them)");
  CLI::App* verify = app.add_subcommand(
      "verify",
      "Rehearse each pending migration on a private devmongod: up, down (must restore the "
      "schema), up again, and up once more (idempotence); exit 1 unless all pass");
  verify->add_option("--target", o.target, "Highest version to rehearse")->check(WholeNumber());
  auto* from_live = verify->add_flag(
      "--from-live", o.from_live,
      "Start from the live database's schema and pending versions (only reads it)");
  verify
      ->add_flag("--from-snapshot", o.from_snapshot,
                 "Start from the schema snapshot (--schema-file): no database needed; the "
                 "versions above the snapshot's are rehearsed (default when one exists)")
      ->excludes(from_live);
  verify
      ->add_option("--sample", o.sample,
                   "With --from-live: copy up to N documents of each collection into the "
                   "shadow (in memory only)")
      ->check(CLI::Range(int64_t{0}, int64_t{100000}));
  verify->add_flag("--strict", o.strict,
                   "Irreversible (no down) and non-idempotent migrations fail the run too");
  verify->add_option("--devmongod", o.devmongod,
                     "The devmongod to rehearse on (default: beside mongo-migrate, then PATH)");
  // Each command's help names the global options it takes too; the exit codes are listed once,
  // in the top-level help.
  for (CLI::App* sub :
       {up, down, redo, status, history, create, validate, force, repair, baseline, unlock, init,
        schema, app.get_subcommand("diff"), verify, backup, restore}) {
    sub->footer(
        "Global options (before or after the command): --uri, -e/--environment, --dir, "
        "--collection, "
        "--lock-collection, --env-file, --lock-timeout, --lock-lease, --dry-run, --json, "
        "--json-lines, --quiet, --no-color, --allow-out-of-order, --no-transaction, "
        "--schema-file; see "
        "mongo-migrate --help (also for the exit codes).");
  }
  // `help [COMMAND]`: the same as `COMMAND --help`, or the top-level help.
  CLI::App* help = app.add_subcommand("help", "Show the help of a command, or this help");
  help->add_option("COMMAND", state.help_topic, "The command");
}

ManPageText ManText() {
  ManPageText text;
  text.name = "mongo-migrate";
  text.summary = "versioned migrations for MongoDB";
  text.version = std::string("mongo-migrate ") + kVersion;
  text.sections = {
      {"EXIT STATUS", kExitCodes},
      {"FILES",
       "mongo-migrate.toml\n"
       "The project file, found in the current directory or the nearest parent. Keys: dir, "
       "uri_env, env_file, history_collection, lock_collection, scheme (sequential or "
       "timestamp), format (json or js), lock_timeout, lock_lease, transactions, "
       "allow_out_of_order, schema_file, uri; sections [environments.NAME] override them. Paths "
       "are "
       "relative to the file. `mongo-migrate init` writes one.\n\n"
       ".env\n"
       "KEY=VALUE lines (dotenv rules) where the URI variable may be set.\n\n"
       "migrate-mongo-config.js\n"
       "A migrate-mongo project's configuration: without a mongo-migrate.toml, mongo-migrate "
       "takes the project over as it is and keeps its changelog as migrate-mongo keeps it.\n\n"
       "NNN_name.json, NNN_name.js, NNN_name.mjs, NNN_name.cjs\n"
       "Migration files in the migrations directory; the number is the version."},
      {"ENVIRONMENT",
       "MONGODB_URI\n"
       "The connection string (or the variable uri_env names); the database is its path.\n\n"
       "MONGO_MIGRATE_<KEY>\n"
       "Any project-file key (MONGO_MIGRATE_DIR, MONGO_MIGRATE_URI, MONGO_MIGRATE_LOCK_TIMEOUT, "
       "…): above the project file, below the flags.\n\n"
       "MONGO_MIGRATE_ENVIRONMENT\n"
       "The [environments.NAME] section to use, as --environment.\n\n"
       "NO_COLOR, TERM=dumb\n"
       "No colours or symbols.\n\n"
       "MONGO_MIGRATE_JS_MODULE\n"
       "Where the JavaScript engine's module (mongomigrate_js.so) is, if not beside the program "
       "or in ../lib/mongo-migrate/.\n\n"
       "MONGOC_DISABLE_SHM=1\n"
       "Keeps libmongoc from using /dev/shm for its counters (mongo-migrate removes its "
       "/dev/shm name at start in any case, so that a killed run leaves nothing there)."},
  };
  text.see_also = {"devmongod(1)"};
  return text;
}

}  // namespace mm::cli
