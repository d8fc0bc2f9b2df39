// `init`: a new project's mongo-migrate.toml, migrations/ and .env.example.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mongomigrate/status.h"

namespace mm::cli {

struct InitResult {
  std::vector<std::string> written;  // paths created
  std::vector<std::string> kept;     // paths that existed and were left as they were
};

// Writes into `dir` whatever of the three is missing, never overwriting anything. `scheme` is
// the project's versioning scheme ("sequential" or "timestamp"). With `dry_run`, writes nothing
// and says what it would write.
StatusOr<InitResult> InitProject(const std::filesystem::path& dir, const std::string& scheme,
                                 bool dry_run);

}  // namespace mm::cli
