// The project file, `mongo-migrate.toml`: where a team keeps the settings every flag sets, with
// named environments. Found in the current directory or the nearest parent (as git and cargo
// find theirs), so the tool works from any subdirectory of a project.
//
// Precedence, highest first: a command-line flag; a MONGO_MIGRATE_<KEY> variable; the chosen
// environment's section ([environments.NAME], chosen with --environment or
// MONGO_MIGRATE_ENVIRONMENT); the file's top-level keys; the built-in default.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/status.h"

namespace mm::cli {

inline constexpr const char* kProjectFileName = "mongo-migrate.toml";

// One layer's settings; an unset member is not given at that layer. Paths are absolute or
// relative to the current directory once loaded (a file's paths are relative to the file).
struct Settings {
  std::optional<std::string> dir;
  std::optional<std::string> history_collection;
  std::optional<std::string> lock_collection;
  std::optional<std::string> env_file;
  std::optional<std::string> uri;
  std::optional<std::string> uri_env;  // the variable that holds the URI (MONGODB_URI)
  std::optional<std::string> scheme;   // "sequential" or "timestamp"
  std::optional<std::string> format;   // create's template: "json" or "js"
  std::optional<double> lock_timeout;  // seconds
  std::optional<double> lock_lease;    // seconds
  std::optional<bool> allow_out_of_order;
  std::optional<bool> transactions;
  // The schema snapshot every successful up/down rewrites (mongomigrate/schema.h).
  std::optional<std::string> schema_file;

  // Each member of `over` that is set replaces this one's.
  void OverrideWith(const Settings& over);
};

struct ProjectFile {
  std::filesystem::path path;
  Settings defaults;
  std::map<std::string, Settings> environments;
  // Keys that put a secret in the repository ("uri" at the top or in an environment), for a
  // warning.
  std::vector<std::string> secret_keys;
};

// `start`'s own mongo-migrate.toml or its nearest parent's; nullopt when there is none.
std::optional<std::filesystem::path> FindProjectFile(const std::filesystem::path& start);

// Parses and checks the file: an unknown key, a wrong type or an out-of-range value is an error
// naming the file, line and key (and the key meant, for a near miss).
StatusOr<ProjectFile> LoadProjectFile(const std::filesystem::path& path);
StatusOr<ProjectFile> ParseProjectFile(std::string_view text, const std::filesystem::path& path);

// The MONGO_MIGRATE_<KEY> layer, from the process environment; a bad value names the variable.
StatusOr<Settings> SettingsFromVariables();

}  // namespace mm::cli
