// `create NAME`: writes the next migration file from a template.
#pragma once

#include <ctime>
#include <filesystem>
#include <string>

#include "mongomigrate/status.h"

namespace mm::cli {

struct CreatedFile {
  std::string path;
  int64_t version = 0;
};

// Writes `dir/NNN_name.json` (or `.js`, the seed's template, for `format` "js") with the next
// version, creating `dir` if needed: with the sequential scheme the highest file or history
// version + 1 (zero-padded to 3 digits); with the timestamp scheme the current UTC time as
// YYYYMMDDHHMMSS, or that + 1 when a file or record is already there or above.
// The name is made snake_case as migrate-mongo does ("Add Email Index", add-email-index,
// AddEmailIndex → add_email_index); refused only when nothing usable is left. With `dry_run`,
// writes nothing (not even `dir`) and returns the file it would write.
// "Add Email Index" → "add_email_index"; "" when no letter is left.
std::string SnakeCaseName(const std::string& typed);

struct CreateOptions {
  std::string format = "json";        // or "js"
  std::string scheme = "sequential";  // or "timestamp": YYYYMMDDHHMMSS, UTC
  bool dry_run = false;
  // The highest version the history records (0: none, or not read); the new version is above
  // it as well as above every file, whatever scheme those use.
  int64_t history_highest = 0;
  std::time_t now = 0;  // for the timestamp scheme; 0: the current time
};

StatusOr<CreatedFile> CreateMigration(const std::filesystem::path& dir, const std::string& name,
                                      const CreateOptions& options = {});

}  // namespace mm::cli
