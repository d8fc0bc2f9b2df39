// libFuzzer: the project's own settings files, mongo-migrate.toml and .env, come from a
// repository and a developer's editor. Any bytes give settings or an error naming the file;
// never a crash, and an accepted value is within the bounds its flag has.
#include <cmath>
#include <cstdint>
#include <string>

#include "cli/config.h"
#include "cli/project_file.h"

namespace {

void CheckBounds(const mm::cli::Settings& s) {
  if (s.lock_timeout && !(*s.lock_timeout >= 0 && *s.lock_timeout <= 86400)) __builtin_trap();
  if (s.lock_lease && !(*s.lock_lease >= 1 && *s.lock_lease <= 86400)) __builtin_trap();
  if (s.scheme && *s.scheme != "sequential" && *s.scheme != "timestamp") __builtin_trap();
  if (s.history_collection && s.history_collection->empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto file = mm::cli::ParseProjectFile(text, "/project/mongo-migrate.toml");
  if (file.ok()) {
    CheckBounds(file->defaults);
    for (const auto& [name, settings] : file->environments) CheckBounds(settings);
  } else if (file.status().message().find("/project/mongo-migrate.toml") == std::string::npos) {
    __builtin_trap();  // every error names the file
  }
  (void)mm::cli::ParseDotenv(text, ".env");
  return 0;
}
