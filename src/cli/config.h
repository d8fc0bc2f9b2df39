// Where the connection string comes from: --uri > MONGO_MIGRATE_URI > the URI variable
// (MONGODB_URI, or the project file's `uri_env`) in the environment > that variable in the .env
// file (dotenv rules, as the seed's scripts/migrate.js reads it) > `uri` in the project file.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "mongomigrate/status.h"

namespace mm::cli {

// KEY=VALUE lines; `export ` prefixes, # comments, single and double quotes (double quotes
// expand \n), inline comments after unquoted values. Errors name the file and line.
StatusOr<std::map<std::string, std::string>> ParseDotenv(const std::string& text,
                                                         const std::string& file);

struct ResolvedUri {
  std::string uri;
  std::string source;  // "--uri", "MONGODB_URI in the environment", "MONGODB_URI in .env", …
};

struct UriSources {
  std::optional<std::string> flag;       // --uri
  std::optional<std::string> variables;  // MONGO_MIGRATE_URI
  std::string variable = "MONGODB_URI";  // uri_env
  std::string env_file = "./.env";
  std::optional<std::string> configured;  // `uri` in the project file (its environment first)
  std::string configured_source;          // "uri in mongo-migrate.toml"
};

// Fails (code BadValue) naming the places it looked when none provides a URI.
StatusOr<ResolvedUri> ResolveUri(const UriSources& sources);

}  // namespace mm::cli
