#include "cli/init.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/project_file.h"

namespace mm::cli {
namespace {

std::string ProjectFileText(const std::string& scheme) {
  return "# mongo-migrate's project file: the settings of every command run in this directory\n"
         "# or below it. Precedence: a command-line flag > a MONGO_MIGRATE_<KEY> variable >\n"
         "# the chosen [environments.NAME] section > the keys below > the built-in defaults.\n"
         "# Paths are relative to this file.\n"
         "\n"
         "dir = \"migrations\"\n"
         "# The variable that holds the connection string, read from the environment or from\n"
         "# env_file (keep secrets out of this file: it belongs in the repository).\n"
         "uri_env = \"MONGODB_URI\"\n"
         "env_file = \".env\"\n"
         "history_collection = \"migrationHistory\"\n"
         "lock_collection = \"migrationLock\"\n"
         "# sequential (001, 002, …) or timestamp (YYYYMMDDHHMMSS: two branches never collide)\n"
         "scheme = \"" +
         scheme +
         "\"\n"
         "# the template of `create`: json or js\n"
         "format = \"json\"\n"
         "# seconds to wait for another runner's lock, and how long a dead runner's lock lasts\n"
         "lock_timeout = 60\n"
         "lock_lease = 30\n"
         "# a migration and its history record commit together where transactions exist\n"
         "transactions = true\n"
         "# apply versions below the highest applied one (default: true with timestamps)\n"
         "# allow_out_of_order = false\n"
         "# the schema snapshot every up/down rewrites, for review beside the migration and for\n"
         "# `mongo-migrate diff` and `verify --from-snapshot`\n"
         "# schema_file = \"migrations/schema.json\"\n"
         "\n"
         "# mongo-migrate --environment staging up   (or MONGO_MIGRATE_ENVIRONMENT=staging)\n"
         "[environments.staging]\n"
         "uri_env = \"STAGING_MONGODB_URI\"\n"
         "\n"
         "[environments.production]\n"
         "uri_env = \"PRODUCTION_MONGODB_URI\"\n"
         "lock_timeout = 600\n";
}

constexpr const char* kEnvExample =
    "# Copy to .env (keep .env out of git) and set the connection string; the database is the\n"
    "# one in its path. mongo-migrate reads the variable named by uri_env in mongo-migrate.toml.\n"
    "MONGODB_URI=mongodb://localhost:27017/myapp\n";

// Creates `path` with `text` unless it exists (O_EXCL: never overwrites, even in a race).
Status WriteNew(const std::filesystem::path& path, const std::string& text, bool* existed) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST) {
    *existed = true;
    return Status::Ok();
  }
  if (fd < 0) return Status(kBadValue, "cannot write " + path.string() + ": " + strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = strerror(errno);
      ::close(fd);
      return Status(kBadValue, "cannot write " + path.string() + ": " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    return Status(kBadValue, "cannot write " + path.string() + ": " + strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<InitResult> InitProject(const std::filesystem::path& dir, const std::string& scheme,
                                 bool dry_run) {
  if (scheme != "sequential" && scheme != "timestamp") {
    return Status(kBadValue, "--scheme must be sequential or timestamp, not \"" + scheme + "\"");
  }
  InitResult result;
  const std::filesystem::path migrations = dir / "migrations";
  std::error_code ec;
  if (std::filesystem::exists(migrations, ec)) {
    if (!std::filesystem::is_directory(migrations, ec)) {
      return Status(kBadValue, migrations.string() + " exists and is not a directory");
    }
    result.kept.push_back(migrations.string() + "/");
  } else {
    if (!dry_run && !std::filesystem::create_directory(migrations, ec)) {
      return Status(kBadValue, "cannot create " + migrations.string() + ": " + ec.message());
    }
    result.written.push_back(migrations.string() + "/");
  }
  const std::pair<std::filesystem::path, std::string> files[] = {
      {dir / kProjectFileName, ProjectFileText(scheme)},
      {dir / ".env.example", kEnvExample},
  };
  for (const auto& [path, text] : files) {
    bool existed = std::filesystem::exists(path, ec);
    if (!existed && !dry_run) MM_RETURN_IF_ERROR(WriteNew(path, text, &existed));
    (existed ? result.kept : result.written).push_back(path.string());
  }
  return result;
}

}  // namespace mm::cli
