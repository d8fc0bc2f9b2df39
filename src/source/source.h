// Finding and reading migration files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mongomigrate/migration.h"
#include "mongomigrate/status.h"

namespace mm::source {

// Every migration file in `dir`, ascending by version. Files are named like the seed's,
// `NNN_snake_case_name.json` (3 or more digits, the version). Fails, naming the file and what
// to change, on a bad name, a version that differs from the prefix, or a JSON or format error;
// a file named like a migration in no format it can run is refused. Other files are ignored.
//
// `only_extension` (".js"): a migrate-mongo project's rule instead: only files with that
// extension are migrations (but sample-migration.js), every other file is left alone.
StatusOr<std::vector<Migration>> LoadDirectory(const std::filesystem::path& dir,
                                               const std::string& only_extension = "");

// The collection the `create` template's example steps name: a file whose steps still name it
// was not edited, and `up` refuses it before anything runs.
inline constexpr const char* kTemplateCollection = "collection_name";

// Parses one JSON migration file's bytes; `file` names it in errors.
StatusOr<Migration> ParseJsonMigration(const std::string& file, const std::string& bytes);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(const std::string& bytes);
// The checksum recorded for a migration file: SHA-256 of its bytes, CRLF read as LF.
std::string FileChecksum(const std::string& bytes);

// The parts of a migration file name: its version and name ("001_add_x.json" → 1, "add_x").
struct FileName {
  int64_t version = 0;
  std::string name;
  std::string extension;
};
// Fails when `file` does not look like NNN_snake_case_name.EXT.
StatusOr<FileName> ParseFileName(const std::string& file);
bool IsSnakeCase(const std::string& name);

}  // namespace mm::source
