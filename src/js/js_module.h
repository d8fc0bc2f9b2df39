// The one entry point of the JavaScript engine's module (mongomigrate_js.so), which the core
// library loads on demand (js_loader.cc). The module and the program are built together: the
// ABI number only guards against a stray module of another release.
#pragma once

#include <filesystem>
#include <string>

#include "mongomigrate/migration.h"
#include "mongomigrate/status.h"

namespace mm::js {

constexpr int kModuleAbi = 3;  // 3: MigrationAction::Collections()

struct ModuleApi {
  int abi;
  StatusOr<Migration> (*load_migration)(const std::filesystem::path& path,
                                        const std::string& bytes);
  StatusOr<std::string> (*module_exports)(const std::filesystem::path& path,
                                          const std::string& bytes);
};

}  // namespace mm::js

extern "C" const mm::js::ModuleApi* mm_js_module_api();
