// JavaScript migration files (the seed's and migrate-mongo's CommonJS modules), run by the
// embedded SpiderMonkey engine. This header is the only way into src/js/.
#pragma once

#include <filesystem>
#include <string>

#include "mongomigrate/migration.h"
#include "mongomigrate/status.h"

namespace mm::js {

// Loads the module at `path` (its bytes are `bytes`) into the engine and describes it.
// The version is the module's `version` export or, when it has none, the number the file name
// starts with (`003_add_indexes.js` → 3, migrate-mongo's `20240115123045-add-users.js` →
// 20240115123045); when both are given they must agree. The description is the module's
// `description`, or the file name's words. The caller sets the checksum.
StatusOr<Migration> LoadJsMigration(const std::filesystem::path& path, const std::string& bytes);

// The same migration without starting the engine: the version and description from the file
// name, and `resolve` set to load it (as LoadJsMigration) when needed.
StatusOr<Migration> DeferJsMigration(const std::filesystem::path& path, std::string bytes);

// What the JavaScript module at `path` exports, as relaxed Extended JSON (in the engine's
// module; the core calls ReadJsExports, which loads it).
StatusOr<std::string> JsModuleExports(const std::filesystem::path& path, const std::string& bytes);
StatusOr<std::string> ReadJsExports(const std::filesystem::path& path);

// Whether `file` names a JavaScript migration (digits, then `_` or `-`, then a name, `.js`).
// Other `.js` files in the directory are helper modules a migration may require().
bool IsJsMigrationName(const std::string& file);

}  // namespace mm::js
