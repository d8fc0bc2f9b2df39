// `create NAME`: writes the next migration file from a template.
#pragma once

#include <filesystem>
#include <string>

#include "value/status.h"

namespace mm::cli {

struct CreatedFile {
  std::string path;
  int64_t version = 0;
};

// Writes `dir/NNN_name.json` (or `.js`, the seed's template, for `format` "js") with the next
// version (highest file version + 1, zero-padded to 3 digits), creating `dir` if needed.
// The name is made snake_case as migrate-mongo does ("Add Email Index", add-email-index,
// AddEmailIndex → add_email_index); refused only when nothing usable is left. With `dry_run`,
// writes nothing (not even `dir`) and returns the file it would write.
// "Add Email Index" → "add_email_index"; "" when no letter is left.
std::string SnakeCaseName(const std::string& typed);

StatusOr<CreatedFile> CreateMigration(const std::filesystem::path& dir, const std::string& name,
                                      const std::string& format = "json", bool dry_run = false);

}  // namespace mm::cli
