// Loads the JavaScript engine's module (mongomigrate_js.so) the first time a JavaScript
// migration must be evaluated: a run that evaluates none (a JSON directory, a `status` of
// applied, unchanged files) never maps SpiderMonkey (~1 ms of every start, and its memory).
#include <dlfcn.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "js/js_file.h"
#include "js/js_migration.h"
#include "js/js_module.h"

namespace mm::js {
namespace {

#if MM_WITH_JS
// Where the module may be: MONGO_MIGRATE_JS_MODULE, beside the running program, where it was
// installed, and where this build put it.
std::vector<std::string> Candidates() {
  std::vector<std::string> out;
  if (const char* path = std::getenv("MONGO_MIGRATE_JS_MODULE"); path && *path) out.push_back(path);
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    const std::filesystem::path dir = std::filesystem::path(exe).parent_path();
    out.push_back((dir / "mongomigrate_js.so").string());
    out.push_back((dir / "../lib/mongo-migrate/mongomigrate_js.so").string());
  }
  out.push_back(MM_JS_MODULE_INSTALL_PATH);  // an embedder's program, installed elsewhere
  out.push_back(MM_JS_MODULE_BUILD_PATH);
  return out;
}
#endif

StatusOr<const ModuleApi*> Module() {
#if !MM_WITH_JS
  return Status(kBadValue,
                "this mongo-migrate was built with MM_WITH_JS=OFF, without the JavaScript engine: "
                "JavaScript migrations and migrate-mongo-config.js cannot run; rebuild with "
                "-DMM_WITH_JS=ON (SpiderMonkey: libmozjs-102-dev), or write JSON or C++ "
                "migrations");
#else
  static std::once_flag once;
  static const ModuleApi* api = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    for (const std::string& path : Candidates()) {
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        if (failure.empty() && access(path.c_str(), F_OK) == 0) failure = dlerror();
        continue;
      }
      // Never closed: migrations it made live until the process ends.
      auto entry = reinterpret_cast<const ModuleApi* (*)()>(dlsym(handle, "mm_js_module_api"));
      if (entry && entry()->abi == kModuleAbi) {
        api = entry();
        return;
      }
      failure = path + " is not this release's JavaScript module";
    }
  });
  if (api) return api;
  return Status(
      kInternalError,
      "cannot load the JavaScript runtime (mongomigrate_js.so" +
          (failure.empty() ? std::string(" was not found beside mongo-migrate") : ": " + failure) +
          "); reinstall mongo-migrate, or set MONGO_MIGRATE_JS_MODULE to its path");
#endif
}

}  // namespace

StatusOr<Migration> DeferJsMigration(const std::filesystem::path& path, std::string bytes) {
  size_t digits = 0;
  auto version = NameVersion(path, &digits);
  if (!version.ok()) return version.status();
  const std::string file = path.filename().string();
  Migration m;
  m.version = *version;
  m.file = file;
  m.description = NameWords(file, digits);
  m.resolve = [path, bytes = std::move(bytes)](Migration& self) -> Status {
    auto module = Module();
    if (!module.ok())
      return module.status().Reworded(path.string() + ": " + module.status().message());
    auto loaded = (*module)->load_migration(path, bytes);
    if (!loaded.ok()) return loaded.status();
    self.description = loaded->description;
    self.up = loaded->up;
    self.down = loaded->down;
    return Status::Ok();
  };
  return m;
}

StatusOr<std::string> ReadJsExports(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(kBadValue, "cannot read " + path.string());
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto module = Module();
  if (!module.ok()) {
    return module.status().Reworded(path.string() + ": " + module.status().message());
  }
  return (*module)->module_exports(path, bytes.str());
}

}  // namespace mm::js
