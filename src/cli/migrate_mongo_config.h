// migrate-mongo-config.js, read as migrate-mongo reads it (evaluated: it may compute values
// from process.env), so that mongo-migrate can run an existing migrate-mongo project unedited.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "mongomigrate/migrate_mongo.h"
#include "mongomigrate/status.h"

namespace mm::cli {

inline constexpr const char* kMigrateMongoConfigName = "migrate-mongo-config.js";

struct MigrateMongoConfig {
  std::filesystem::path path;
  std::string url;                            // mongodb.url
  std::optional<std::string> database;        // mongodb.databaseName (else the URL's path)
  std::string migrations_dir = "migrations";  // relative to the current directory
  std::string extension = ".js";              // migrationFileExtension
  MigrateMongoChangelog changelog;
};

// Evaluates the file with the JavaScript engine and checks what it exports; an error names
// the file and the key.
StatusOr<MigrateMongoConfig> LoadMigrateMongoConfig(const std::filesystem::path& path);

}  // namespace mm::cli
