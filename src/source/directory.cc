#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>

#include "js/js_migration.h"
#include "source/source.h"

namespace mm::source {
namespace {
constexpr uintmax_t kMaxFileBytes = 16 * 1024 * 1024;

// An open file descriptor, closed when it goes.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A migration file's bytes: one open, one fstat and the reads (a directory of hundreds of
// files is read at every `status`).
StatusOr<std::string> ReadMigrationFile(const std::filesystem::path& path) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  // A dangling link or a directory named like a migration is a mistake, not something to
  // skip silently.
  if (fd.get() < 0 && errno != EACCES) {
    return Status(kBadValue,
                  path.string() + ": cannot be read (not a regular file, or a link to nothing)");
  }
  if (fd.get() < 0) return Status(kBadValue, path.string() + ": cannot be read");
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status(kBadValue,
                  path.string() + ": cannot be read (not a regular file, or a link to nothing)");
  }
  if (static_cast<uintmax_t>(st.st_size) > kMaxFileBytes) {
    return Status(kBadValue,
                  path.string() + ": is " +
                      std::to_string(static_cast<uintmax_t>(st.st_size) / (1024 * 1024)) +
                      " MB, larger than a migration can be (16 MB, MongoDB's "
                      "document limit); move bulk data out of migration files");
  }
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (true) {
    if (got == bytes.size()) bytes.resize(bytes.size() + 4096);  // it grew since fstat
    ssize_t n = read(fd.get(), bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status(kBadValue, path.string() + ": cannot be read");
    if (n == 0) break;
    got += static_cast<size_t>(n);
    if (got > kMaxFileBytes) {
      return Status(kBadValue, path.string() + ": is larger than a migration can be (16 MB)");
    }
  }
  bytes.resize(got);
  return bytes;
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

namespace {

// A file whose name starts like a migration's (a version, then `_` or `-`) but that cannot run:
// said, never skipped in silence. Other files (README.md, helper modules) are left alone.
Status NotAMigrationFormat(const std::string& name) {
  size_t digits = 0;
  while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
  if (digits == 0 || digits >= name.size() || (name[digits] != '_' && name[digits] != '-')) {
    return Status::Ok();
  }
  const size_t dot = name.rfind('.');
  const std::string extension = dot == std::string::npos ? "" : name.substr(dot);
  if (extension == ".ts" || extension == ".mts" || extension == ".cts") {
    return Status(kBadValue,
                  "TypeScript migrations cannot run directly: compile them to JavaScript first "
                  "(tsc --module commonjs --outDir <this directory>) and keep the .ts sources "
                  "elsewhere");
  }
  return Status(kBadValue, "looks like a migration (its name starts with a version) but " +
                               (extension.empty() ? std::string("has no extension")
                                                  : extension + " is not a migration format") +
                               ": name it .json or .js, or rename it if it is not a migration");
}

}  // namespace

StatusOr<std::vector<Migration>> LoadDirectory(const std::filesystem::path& dir,
                                               const std::string& only_extension) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status(kBadValue, "migrations directory " + dir.string() +
                                 " does not exist (set it with --dir, or create it with "
                                 "`mongo-migrate create NAME`)");
  }
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!only_extension.empty()) {
      if (entry.path().extension() == only_extension &&
          name != "sample-migration" + only_extension) {
        names.push_back(name);
      }
      continue;
    }
    // Other .js files are helper modules a JavaScript migration may require().
    if (name.ends_with(".json") || js::IsJsMigrationName(name)) {
      names.push_back(name);
    } else if (Status refused = NotAMigrationFormat(name); !refused.ok()) {
      return Status(refused.code(), (dir / name).string() + ": " + refused.message());
    }
  }
  std::sort(names.begin(), names.end());
  std::vector<Migration> out;
  for (const std::string& name : names) {
    const std::filesystem::path path = dir / name;
    if (js::IsJsMigrationName(name) || (!only_extension.empty() && !name.ends_with(".json"))) {
      auto bytes = ReadMigrationFile(path);
      if (!bytes.ok()) return bytes.status();
      auto m = js::DeferJsMigration(path, *bytes);
      if (!m.ok()) return m.status();
      m->checksum = FileChecksum(*bytes);
      m->raw_checksum = bytes->find("\r\n") == std::string::npos ? m->checksum : Sha256Hex(*bytes);
      out.push_back(std::move(m).value());
      continue;
    }
    auto parts = ParseFileName(name);
    // Errors from the parsers start with the file's name; prefix its directory.
    auto in_dir = [&](const Status& st) {
      return Status(st.code(), (dir / st.message()).string());
    };
    if (!parts.ok()) return in_dir(parts.status());
    auto bytes = ReadMigrationFile(path);
    if (!bytes.ok()) return bytes.status();
    // Parsed only when needed, as JavaScript files are evaluated: `status` and a no-op `up`
    // leave applied, unchanged files alone (their description comes from the history).
    Migration m;
    m.version = parts->version;
    m.file = name;
    m.description = parts->name;
    std::replace(m.description.begin(), m.description.end(), '_', ' ');
    m.checksum = FileChecksum(*bytes);
    // The same digest unless the file has CRLF line endings: computed once then.
    m.raw_checksum = bytes->find("\r\n") == std::string::npos ? m.checksum : Sha256Hex(*bytes);
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
  // Two files with one version are not refused here: `status` shows both rows, marked, and the
  // runner refuses every command that may write (Runner::Locked).
  return out;
}

}  // namespace mm::source
