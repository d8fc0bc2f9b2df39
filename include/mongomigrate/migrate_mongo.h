// A migrate-mongo project, taken over as it is (drop-in mode): its changelog collection is
// kept exactly as migrate-mongo keeps it, and its lock is honoured (history/changelog.h).
#pragma once

#include <cstdint>
#include <string>

namespace mm {

struct MigrateMongoChangelog {
  std::string collection = "changelog";            // changelogCollectionName
  std::string lock_collection = "changelog_lock";  // lockCollectionName
  int64_t lock_ttl_seconds = 0;  // lockTtl: migrate-mongo's lock is used only above 0
  bool use_file_hash = false;    // useFileHash: a file whose bytes changed is pending again
};

}  // namespace mm
