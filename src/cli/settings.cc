#include "cli/options.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/migrate_mongo_config.h"
#include "cli/project_file.h"
#include "mongo/uri.h"
#include "mongomigrate/runner.h"

namespace mm::cli {
namespace {

// Shown relative to the current directory when that is shorter (a project file found in a
// parent gives absolute paths).
std::string Shown(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  if (ec || path.is_relative()) return path.string();
  std::filesystem::path relative = path.lexically_relative(cwd);
  return relative.empty() ? path.string() : relative.string();
}

}  // namespace

// Fills what no flag gave from the other layers — MONGO_MIGRATE_<KEY> variables, the chosen
// environment's section, the project file's top level — and the URI's sources (see
// project_file.h for the order). Errors name the file and line, or the variable.
Status ApplySettings(const std::function<bool(const char* flag)>& given, Options& o) {
  auto variables = SettingsFromVariables();
  if (!variables.ok()) return variables.status();
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  std::optional<ProjectFile> project;
  if (auto path = FindProjectFile(cwd)) {
    auto loaded = LoadProjectFile(*path);
    if (!loaded.ok()) return loaded.status();
    project = std::move(loaded).value();
  }
  std::optional<std::string> environment = o.environment;
  if (const char* chosen = std::getenv("MONGO_MIGRATE_ENVIRONMENT");
      !environment && chosen && *chosen) {
    environment = chosen;
  }
  Settings from_file;
  if (project) from_file = project->defaults;
  if (environment) {
    if (!project) {
      return mm::Status(mm::kBadValue,
                        "environment \"" + *environment +
                            "\" was asked for (--environment or MONGO_MIGRATE_ENVIRONMENT), "
                            "but there is no " +
                            kProjectFileName + " in " + cwd.string() +
                            " or a parent; `mongo-migrate init` writes one");
    }
    auto it = project->environments.find(*environment);
    if (it == project->environments.end()) {
      std::string known;
      for (const auto& [name, settings] : project->environments) {
        known += (known.empty() ? "" : ", ") + name;
      }
      return mm::Status(mm::kBadValue, Shown(project->path) + " has no [environments." +
                                           *environment + "] section (" +
                                           (known.empty() ? "it defines none" : "it has " + known) +
                                           ")");
    }
    from_file.OverrideWith(it->second);
  }
  Settings merged = from_file;
  merged.OverrideWith(*variables);
  const std::filesystem::path base = project ? project->path.parent_path() : ".";
  if (!given("--dir")) {
    o.dir = merged.dir ? Shown(*merged.dir) : project ? Shown(base / "migrations") : o.dir;
  }
  if (!given("--env-file")) {
    o.env_file = merged.env_file ? Shown(*merged.env_file)
                 : project       ? Shown(base / ".env")
                                 : o.env_file;
  }
  if (!given("--collection") && merged.history_collection) {
    o.collection = *merged.history_collection;
  }
  if (!given("--lock-collection") && merged.lock_collection) {
    o.lock_collection = *merged.lock_collection;
  }
  if (!given("--schema-file") && merged.schema_file) o.schema_file = Shown(*merged.schema_file);
  if (!given("--lock-timeout") && merged.lock_timeout) o.lock_timeout_s = *merged.lock_timeout;
  if (!given("--lock-lease") && merged.lock_lease) o.lock_lease_s = *merged.lock_lease;
  if (!given("--no-transaction") && merged.transactions) o.no_transaction = !*merged.transactions;
  if (!given("create --format") && merged.format) o.format = *merged.format;
  o.scheme = merged.scheme.value_or("sequential");
  // Timestamps exist so that branches can merge: a version below the highest applied one is
  // expected there (each such apply is still named in the output).
  if (!given("--allow-out-of-order")) {
    o.allow_out_of_order = merged.allow_out_of_order.value_or(o.scheme == "timestamp");
  }
  o.uri_sources.flag = o.uri;
  o.uri_sources.variables = variables->uri;
  o.uri_sources.variable = merged.uri_env.value_or("MONGODB_URI");
  o.uri_sources.env_file = o.env_file;
  if (from_file.uri) {
    o.uri_sources.configured = from_file.uri;
    o.uri_sources.configured_source = "uri in " + Shown(project->path);
  }
  // A migrate-mongo project is taken over as it is, unless a project file says otherwise.
  const std::filesystem::path migrate_mongo = cwd / kMigrateMongoConfigName;
  const bool has_migrate_mongo = std::filesystem::is_regular_file(migrate_mongo, ec);
  if (!project && has_migrate_mongo) {
    auto config = LoadMigrateMongoConfig(migrate_mongo);
    if (!config.ok()) return config.status();
    if (!given("--dir") && !merged.dir) o.dir = config->migrations_dir;
    o.uri_sources.configured = config->url;
    o.uri_sources.configured_source = std::string("mongodb.url in ") + kMigrateMongoConfigName;
    o.database = config->database;
    o.migrate_mongo = config->changelog;
    o.only_extension = config->extension;
    o.origin = std::string("the migrate-mongo project of ") + kMigrateMongoConfigName +
               ", changelog " + config->changelog.collection;
  }
  if (project) {
    o.origin =
        (environment ? *environment + ", " : std::string()) + "from " + Shown(project->path) +
        (has_migrate_mongo ? std::string(" (it wins over ") + kMigrateMongoConfigName + ")" : "");
    if (!project->secret_keys.empty() && !o.quiet && !o.json && !o.json_lines) {
      std::string keys;
      for (const std::string& k : project->secret_keys) keys += (keys.empty() ? "" : ", ") + k;
      std::fprintf(stderr,
                   "warning: %s sets %s: a connection string in the repository may carry a "
                   "password; name the variable that holds it with uri_env instead\n",
                   Shown(project->path).c_str(), keys.c_str());
    }
  }
  return mm::Status::Ok();
}

// The highest version the history records (see options.h).
StatusOr<std::optional<int64_t>> HighestRecordedVersion(const Options& o) {
  auto resolved = ResolveUri(o.uri_sources);
  if (!resolved.ok()) return std::optional<int64_t>();  // no URI configured: no history to read
  auto client = mm::mongo::Client::Open(resolved->uri, /*single_threaded=*/true,
                                        /*selection_timeout_ms=*/1500);
  if (!client.ok()) return client.status();
  const std::string db_name = o.database.value_or((*client)->default_database());
  if (db_name.empty()) return mm::Status(mm::kBadValue, "the URI names no database");
  mm::RunnerOptions options;
  options.history_collection = o.collection;
  options.lock_collection = o.lock_collection;
  mm::Runner runner((*client)->database(db_name), {}, options);
  auto records = runner.Records();
  if (!records.ok()) {
    return mm::Status(records.status().code(),
                      "the history could not be read (" +
                          mm::mongo::RedactPassword(records.status().message(), resolved->uri) +
                          ")");
  }
  int64_t highest = 0;
  for (const auto& r : *records) highest = std::max(highest, r.version);
  return std::optional<int64_t>(highest);
}

std::vector<std::string> ToolCollections(const Options& o) {
  std::vector<std::string> out{o.collection, o.lock_collection};
  if (o.migrate_mongo) {
    out.push_back(o.migrate_mongo->collection);
    out.push_back(o.migrate_mongo->lock_collection);
  }
  return out;
}

}  // namespace mm::cli
