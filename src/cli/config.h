// Where the connection string comes from: --uri > MONGODB_URI in the environment >
// MONGODB_URI in the .env file (dotenv rules), as the seed's scripts/migrate.js reads it.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "value/status.h"

namespace mm::cli {

// KEY=VALUE lines; `export ` prefixes, # comments, single and double quotes (double quotes
// expand \n), inline comments after unquoted values. Errors name the file and line.
StatusOr<std::map<std::string, std::string>> ParseDotenv(const std::string& text,
                                                         const std::string& file);

struct ResolvedUri {
  std::string uri;
  std::string source;  // "--uri", "MONGODB_URI in the environment", "MONGODB_URI in .env"
};

// Fails (code BadValue) naming all three places when none provides a URI.
StatusOr<ResolvedUri> ResolveUri(const std::optional<std::string>& flag,
                                 const std::string& env_file);

}  // namespace mm::cli
