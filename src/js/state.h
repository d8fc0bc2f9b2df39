// What the engine and its native functions share (internal to src/js/).
#pragma once

#include <js/CompilationAndEvaluation.h>
#include <js/SourceText.h>
#include <jsapi.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "js/bson_bridge.h"
#include "js/engine.h"

namespace mm::js {

struct Engine::State {
  JSContext* cx = nullptr;
  std::unique_ptr<JS::PersistentRootedObject> global;
  std::unique_ptr<JS::PersistentRootedObject> entry;  // what prelude.js returned
  // While a migration runs: its database, where console output goes, and the sessions it
  // started (client.startSession), by id.
  mongo::Database* db = nullptr;
  std::function<void(const std::string&)> print;
  std::function<Status()> checkpoint;
  const ActionOutput* output = nullptr;  // what the runner offers (batched updates' resume)
  int batched_updates = 0;               // batchedUpdate calls so far in this run: their ordinal
  Status interruption;                   // set once `checkpoint` fails: no command runs after it
  std::map<int, std::unique_ptr<mongo::Session>> sessions;
  std::unique_ptr<BsonTypes> bson_types;  // given by prelude.js as it starts
  int next_session = 1;
};

// Defines the `native` object prelude.js is given (natives.cc).
JSObject* MakeNatives(JSContext* cx);
// Adds compileModule and evaluateModule to it and routes `import` to prelude.js's
// entry.resolveModule (es_modules.cc).
bool DefineModuleNatives(JSContext* cx, JS::HandleObject natives);
// Adds hash and secureRandomHex, node_builtins.js's crypto (node_natives.cc).
bool DefineNodeNatives(JSContext* cx, JS::HandleObject natives);

// UTF-8 text of a JS string value ("" if it is not a string).
std::string ToUtf8(JSContext* cx, JS::HandleValue value);
// A JS string from UTF-8 text; nullptr (with an exception pending) on failure.
JSString* FromUtf8(JSContext* cx, const std::string& text);

// The (source, filename) arguments of native.evaluate and native.compileModule, handed to
// `compile(options, text)` so that errors and stacks name the file with its real line numbers.
template <typename Compile>
bool CompileSourceArgs(JSContext* cx, const JS::CallArgs& args, Compile compile) {
  const std::string source = ToUtf8(cx, args.get(0));
  const std::string filename = ToUtf8(cx, args.get(1));
  JS::CompileOptions options(cx);
  options.setFileAndLine(filename.c_str(), 1);
  JS::SourceText<mozilla::Utf8Unit> text;
  if (!text.init(cx, source.data(), source.size(), JS::SourceOwnership::Borrowed)) return false;
  return compile(options, text);
}

}  // namespace mm::js
