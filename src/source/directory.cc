#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "js/js_migration.h"
#include "plan/plan.h"
#include "source/source.h"

namespace mm::source {
namespace {
constexpr uintmax_t kMaxFileBytes = 16 * 1024 * 1024;

StatusOr<std::string> ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status(kBadValue, path.string() + ": cannot be read");
  return bytes.str();
}
}  // namespace

bool IsSnakeCase(const std::string& name) {
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

StatusOr<FileName> ParseFileName(const std::string& file) {
  auto bad = [&] {
    return Status(kFailedToParse, file +
                                      ": migration files are named NNN_snake_case_name.json "
                                      "(3 or more digits, then a lowercase name), e.g. "
                                      "001_create_users_collection.json");
  };
  size_t underscore = file.find('_');
  size_t dot = file.rfind('.');
  if (underscore == std::string::npos || dot == std::string::npos || dot < underscore) return bad();
  std::string digits = file.substr(0, underscore);
  if (digits.size() < 3 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return bad();
  FileName out;
  // At most 18 digits, as for .js files: every such number fits int64_t, and `create` can add 1.
  if (digits.size() > 18) {
    return Status(kFailedToParse, file + ": the version in the name has " +
                                      std::to_string(digits.size()) +
                                      " digits; a version has at most 18 (renumber the file)");
  }
  std::from_chars(digits.data(), digits.data() + digits.size(), out.version);
  out.name = file.substr(underscore + 1, dot - underscore - 1);
  out.extension = file.substr(dot + 1);
  if (!IsSnakeCase(out.name)) return bad();
  return out;
}

StatusOr<std::vector<Migration>> LoadDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status(kBadValue, "migrations directory " + dir.string() +
                                 " does not exist (set it with --dir, or create it with "
                                 "`mongo-migrate create NAME`)");
  }
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    // Other .js files are helper modules a JavaScript migration may require().
    if (name.ends_with(".json") || js::IsJsMigrationName(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<Migration> out;
  for (const std::string& name : names) {
    const std::filesystem::path path = dir / name;
    // A dangling link or a directory named like a migration is a mistake, not something to
    // skip silently.
    if (!std::filesystem::is_regular_file(path, ec)) {
      return Status(kBadValue, path.string() +
                                   ": cannot be read (not a regular file, or a "
                                   "link to nothing)");
    }
    if (auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxFileBytes) {
      return Status(kBadValue, path.string() + ": is " + std::to_string(size / (1024 * 1024)) +
                                   " MB, larger than a migration can be (16 MB, MongoDB's "
                                   "document limit); move bulk data out of migration files");
    }
    if (name.ends_with(".js")) {
      auto bytes = ReadAll(path);
      if (!bytes.ok()) return bytes.status();
      auto m = js::DeferJsMigration(path, *bytes);
      if (!m.ok()) return m.status();
      m->checksum = FileChecksum(*bytes);
      m->raw_checksum = Sha256Hex(*bytes);
      out.push_back(std::move(m).value());
      continue;
    }
    auto parts = ParseFileName(name);
    // Errors from the parsers start with the file's name; prefix its directory.
    auto in_dir = [&](const Status& st) {
      return Status(st.code(), (dir / st.message()).string());
    };
    if (!parts.ok()) return in_dir(parts.status());
    auto bytes = ReadAll(path);
    if (!bytes.ok()) return bytes.status();
    // Parsed only when needed, as JavaScript files are evaluated: `status` and a no-op `up`
    // leave applied, unchanged files alone (their description comes from the history).
    Migration m;
    m.version = parts->version;
    m.file = name;
    m.description = parts->name;
    std::replace(m.description.begin(), m.description.end(), '_', ' ');
    m.checksum = FileChecksum(*bytes);
    m.raw_checksum = Sha256Hex(*bytes);
    m.resolve = [dir, name, version = parts->version,
                 bytes = std::move(bytes).value()](Migration& self) -> Status {
      auto parsed = ParseJsonMigration(name, bytes);
      if (!parsed.ok()) {
        return Status(parsed.status().code(), (dir / parsed.status().message()).string());
      }
      if (parsed->version != version) {
        return Status(kFailedToParse, (dir / name).string() + ": \"version\" is " +
                                          std::to_string(parsed->version) +
                                          " but the file name says " + std::to_string(version) +
                                          "; make them agree");
      }
      self.description = parsed->description;
      self.up = parsed->up;
      self.down = parsed->down;
      self.transactional = parsed->transactional;
      return Status::Ok();
    };
    out.push_back(std::move(m));
  }
  if (out.empty()) {
    return Status(kBadValue, "no migration files in " + dir.string() +
                                 " (expected NNN_snake_case_name.json; is --dir right? "
                                 "`mongo-migrate create NAME` writes the first one)");
  }
  MM_RETURN_IF_ERROR(plan::CheckUniqueVersions(out));
  return out;
}

}  // namespace mm::source
