// ES modules: `export async function up(db, client)`, `export default {…}`, `.mjs` files and
// `import … from 'mongodb'`, compiled by SpiderMonkey as modules. What an import names is
// decided by prelude.js (entry.resolveModule): the built-in modules it offers, or a relative file.
#include <js/Modules.h>
#include <js/Promise.h>
#include <js/SourceText.h>
#include <jsapi.h>
#include <jsfriendapi.h>

#include "js/state.h"

namespace mm::js {
namespace {

Engine::State& StateOf(JSContext* cx) {
  return *static_cast<Engine::State*>(JS_GetContextPrivate(cx));
}

// native.compileModule(source, filename) → the module record, knowing its file name (an import
// in it resolves relative to that file).
bool CompileModule(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  return CompileSourceArgs(cx, args, [&](JS::CompileOptions& options, auto& text) {
    JS::RootedObject module(cx, JS::CompileModule(cx, options, text));
    if (!module) return false;
    JS::SetModulePrivate(module, args.get(1));
    args.rval().setObject(*module);
    return true;
  });
}

// native.evaluateModule(record) → its namespace object, once it and what it imports have run.
bool EvaluateModule(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  if (!args.get(0).isObject()) {
    JS_ReportErrorUTF8(cx, "evaluateModule: not a module");
    return false;
  }
  JS::RootedObject module(cx, &args.get(0).toObject());
  if (!JS::ModuleInstantiate(cx, module)) return false;
  JS::RootedValue evaluation(cx);
  if (!JS::ModuleEvaluate(cx, module, &evaluation)) return false;
  // With top-level await the evaluation is a promise: settle it here (a file's top level runs
  // when it is loaded, before any migration), and throw what it rejected with.
  if (evaluation.isObject() && JS::IsPromiseObject(JS::RootedObject(cx, &evaluation.toObject()))) {
    JS::RootedObject promise(cx, &evaluation.toObject());
    ::js::RunJobs(cx);
    if (JS::GetPromiseState(promise) == JS::PromiseState::Pending) {
      JS_ReportErrorUTF8(cx,
                         "the module's top level is still waiting (a top-level await on a "
                         "timer or a database command?): do that inside up()");
      return false;
    }
    if (!JS::ThrowOnModuleEvaluationFailure(cx, promise, JS::ThrowModuleErrorsSync)) return false;
  }
  JSObject* ns = JS::GetModuleNamespace(cx, module);
  if (!ns) return false;
  args.rval().setObject(*ns);
  return true;
}

// SpiderMonkey's hook for each `import`: prelude.js's entry.resolveModule(specifier, from)
// gives the module record.
JSObject* ResolveImport(JSContext* cx, JS::HandleValue referencing, JS::HandleObject request) {
  Engine::State& state = StateOf(cx);
  JS::RootedString specifier(cx, JS::GetModuleRequestSpecifier(cx, request));
  if (!specifier) return nullptr;
  JS::RootedObject entry(cx, *state.entry);
  JS::RootedValueArray<2> args(cx);
  args[0].setString(specifier);
  args[1].set(referencing);
  JS::RootedValue record(cx);
  if (!JS_CallFunctionName(cx, entry, "resolveModule", args, &record)) return nullptr;
  if (!record.isObject()) {
    JS_ReportErrorUTF8(cx, "an import resolved to no module");
    return nullptr;
  }
  return &record.toObject();
}

constexpr JSFunctionSpec kModuleNatives[] = {JS_FN("compileModule", CompileModule, 2, 0),
                                             JS_FN("evaluateModule", EvaluateModule, 1, 0),
                                             JS_FS_END};

}  // namespace

bool DefineModuleNatives(JSContext* cx, JS::HandleObject natives) {
  JS::SetModuleResolveHook(JS_GetRuntime(cx), ResolveImport);
  return JS_DefineFunctions(cx, natives, kModuleNatives);
}

}  // namespace mm::js
