// The embedded SpiderMonkey engine that runs JavaScript migrations. One per process, created
// on first use on the thread that uses it (JSAPI contexts are single-threaded); the only part
// of mongo-migrate that includes jsapi.h is this folder.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mongomigrate/migration.h"
#include "mongomigrate/mongo.h"
#include "mongomigrate/status.h"

namespace mm::js {

// What a migration module declares (module.exports).
struct ModuleInfo {
  int index = 0;                   // the engine's handle for the module
  std::optional<int64_t> version;  // `version`, when exported as a whole number
  bool version_invalid = false;    // exported, but not a positive whole number
  std::string description;         // "" when not exported
  bool has_up = false;
  bool has_down = false;
  std::optional<bool> transaction;  // `transaction`, when exported as a boolean
  // `collections`: the names of the collections it changes, when exported as an array of them.
  std::optional<std::vector<std::string>> collections;
  bool collections_invalid = false;  // exported, but not an array of non-empty strings
};

class Engine {
 public:
  // The process's engine; starting SpiderMonkey on first call. Fails if it cannot start.
  static StatusOr<Engine*> Get();
  ~Engine();

  // Evaluates a CommonJS module (the file at `path`, whose text is `source`). Errors (syntax,
  // a throwing top level, require of an unknown module) name the file and line.
  StatusOr<ModuleInfo> Load(const std::string& path, const std::string& source);
  // Evaluates a module that is not a migration (migrate-mongo-config.js) and returns what it
  // exports (its default export, if it has one) as relaxed Extended JSON.
  StatusOr<std::string> Exports(const std::string& path, const std::string& source);

  // Runs `up` or `down` of a loaded module against `db`, driving its promise (and timers) to
  // the end. console output goes to `print`. A throw or rejection becomes the JS message and
  // stack; a server error keeps its code and codeName. `checkpoint` (may be empty) is asked
  // before each database command: once it fails (the user interrupted the run), that command
  // and every later one throw, and the run fails with its status whatever the migration does
  // with the errors (it may catch them, as the seed's 003 does).
  Status Run(int index, const std::string& direction, mongo::Database& db, const ActionOutput& out);

  struct State;

 private:
  Engine();
  // Calls prelude.js's entry.`function`(path, source); its result, or the exception naming
  // `path`.
  StatusOr<std::string> CallWithFile(const char* function, const std::string& path,
                                     const std::string& source);
  std::unique_ptr<State> state_;
};

}  // namespace mm::js
