#include "js/engine.h"

#include <js/CompilationAndEvaluation.h>
#include <js/ContextOptions.h>
#include <js/Conversions.h>
#include <js/Initialization.h>
#include <js/JSON.h>
#include <js/Promise.h>
#include <js/SourceText.h>
#include <jsfriendapi.h>

#include <cstdlib>
#include <limits>

#include "js/node_builtins_js.h"
#include "js/prelude_js.h"
#include "js/state.h"
#include "value/bson_codec.h"

namespace mm::js {
namespace {

const JSClass kGlobalClass = {
    "global", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps, nullptr, nullptr, nullptr};

// Takes the pending exception and describes it with prelude.js's formatError (message, code,
// file:line and the stack); clears it.
std::string TakeException(Engine::State& state) {
  JSContext* cx = state.cx;
  JS::RootedValue error(cx);
  if (!JS_GetPendingException(cx, &error)) return "unknown JavaScript error (out of memory?)";
  JS_ClearPendingException(cx);
  JS::RootedValueArray<1> args(cx);
  args[0].set(error);
  JS::RootedValue text(cx);
  JS::RootedObject entry(cx, *state.entry);
  if (!JS_CallFunctionName(cx, entry, "formatError", args, &text)) {
    JS_ClearPendingException(cx);
    JS::RootedString plain(cx, JS::ToString(cx, error));
    JS::RootedValue plain_value(cx);
    if (plain) plain_value.setString(plain);
    std::string what = plain ? ToUtf8(cx, plain_value) : "";
    return what.empty() ? "JavaScript error (out of memory?)" : what;
  }
  return ToUtf8(cx, text);
}

// The server error a rejected promise carries, if it is a MongoServerError: its code
// survives so the runner reports it as the JSON format does.
int CodeOf(JSContext* cx, JS::HandleValue error) {
  if (!error.isObject()) return kInternalError;
  JS::RootedObject obj(cx, &error.toObject());
  JS::RootedValue code(cx);
  if (!JS_GetProperty(cx, obj, "code", &code) || !code.isNumber()) return kInternalError;
  double n = code.toNumber();
  // 0 would make the failure a success; a code must be a non-zero int.
  if (!(n >= INT32_MIN && n <= INT32_MAX) || n != static_cast<int>(n) || n == 0)
    return kInternalError;
  return static_cast<int>(n);
}

// Whether `error` is the MongoNetworkError the prelude throws for a lost connection: the run
// then stops as a connection failure (its record stays `running`), not a failed migration.
bool IsNetworkError(JSContext* cx, JS::HandleValue error) {
  if (!error.isObject()) return false;
  JS::RootedObject obj(cx, &error.toObject());
  JS::RootedValue name(cx);
  if (!JS_GetProperty(cx, obj, "name", &name) || !name.isString()) return false;
  bool match = false;
  return JS_StringEqualsAscii(cx, name.toString(), "MongoNetworkError", &match) && match;
}

}  // namespace

Engine::Engine() : state_(std::make_unique<State>()) {}

Engine::~Engine() {
  if (!state_->cx) return;
  state_->sessions.clear();
  state_->bson_types.reset();
  state_->entry.reset();
  state_->global.reset();
  JS_DestroyContext(state_->cx);
  JS_ShutDown();
}

StatusOr<Engine*> Engine::Get() {
  // Destroyed at exit, after every migration has run; SpiderMonkey starts once per process.
  static std::unique_ptr<Engine> engine;
  static Status failed;  // SpiderMonkey can be initialised only once per process
  if (engine) return engine.get();
  if (!failed.ok()) return failed;
  failed = Status(kInternalError, "the JavaScript engine failed to start earlier");
  if (const char* failure = JS_InitWithFailureDiagnostic()) {
    return Status(kInternalError, std::string("cannot start SpiderMonkey: ") + failure);
  }
  auto created = std::unique_ptr<Engine>(new Engine());
  State& s = *created->state_;
  // SpiderMonkey's default heap limit (32 MB) is an embedding default, not Node.js's (which is
  // a few GB): a data migration that reads a collection into an array needs the latter.
  s.cx = JS_NewContext(std::numeric_limits<uint32_t>::max());
  if (!s.cx) {
    JS_ShutDown();
    return Status(kInternalError, "cannot create a JavaScript context");
  }
  JS_SetContextPrivate(s.cx, &s);
  // Capturing the async caller's stack at every promise (a `for await` over a cursor makes one
  // a document) cost more than the migration's own work; an error's stack keeps its
  // synchronous frames, which name the migration file and line.
  JS::ContextOptionsRef(s.cx).setAsyncStack(false);
  if (!::js::UseInternalJobQueues(s.cx) || !JS::InitSelfHostedCode(s.cx)) {
    return Status(kInternalError, "cannot initialise the JavaScript engine");
  }
  JS::RealmOptions options;
  s.global = std::make_unique<JS::PersistentRootedObject>(
      s.cx, JS_NewGlobalObject(s.cx, &kGlobalClass, nullptr, JS::FireOnNewGlobalHook, options));
  if (!*s.global) return Status(kInternalError, "cannot create the JavaScript global object");
  // The engine lives in this realm for the rest of the process.
  JS::EnterRealm(s.cx, *s.global);
  JS::CompileOptions compile(s.cx);
  compile.setFileAndLine("prelude.js", 1);
  JS::SourceText<mozilla::Utf8Unit> source;
  JS::RootedValue prelude(s.cx);
  JS::RootedObject global(s.cx, *s.global);
  JS::RootedValueArray<1> args(s.cx);
  JS::RootedObject natives(s.cx, MakeNatives(s.cx));
  JS::RootedValue entry(s.cx);
  if (!natives ||
      !source.init(s.cx, kPreludeJs, sizeof kPreludeJs - 1, JS::SourceOwnership::Borrowed) ||
      !JS::Evaluate(s.cx, compile, source, &prelude)) {
    return Status(kInternalError, "the JavaScript prelude does not load");
  }
  // Node's built-in modules: a function prelude.js calls on the first require of one (only
  // compiled here; SpiderMonkey parses the inner functions lazily).
  JS::CompileOptions builtins_compile(s.cx);
  builtins_compile.setFileAndLine("node_builtins.js", 1);
  JS::SourceText<mozilla::Utf8Unit> builtins_source;
  JS::RootedValue builtins(s.cx);
  if (!builtins_source.init(s.cx, kNodeBuiltinsJs, sizeof kNodeBuiltinsJs - 1,
                            JS::SourceOwnership::Borrowed) ||
      !JS::Evaluate(s.cx, builtins_compile, builtins_source, &builtins) ||
      !JS_DefineProperty(s.cx, natives, "nodeBuiltins", builtins, JSPROP_READONLY)) {
    return Status(kInternalError, "the JavaScript runtime's Node built-ins do not load");
  }
  args[0].setObject(*natives);
  if (!JS_CallFunctionValue(s.cx, global, prelude, args, &entry) || !entry.isObject()) {
    // s.entry is not set yet, so TakeException (formatError) cannot be used.
    std::string why = "unknown error";
    JS::RootedValue error(s.cx);
    if (JS_GetPendingException(s.cx, &error)) {
      JS_ClearPendingException(s.cx);
      JS::RootedString text(s.cx, JS::ToString(s.cx, error));
      JS::RootedValue text_value(s.cx);
      if (text) text_value.setString(text);
      why = ToUtf8(s.cx, text_value);
    }
    return Status(kInternalError, "the JavaScript runtime does not start: " + why);
  }
  s.entry = std::make_unique<JS::PersistentRootedObject>(s.cx, &entry.toObject());
  engine = std::move(created);
  failed = Status::Ok();
  return engine.get();
}

StatusOr<std::string> Engine::CallWithFile(const char* function, const std::string& path,
                                           const std::string& source) {
  State& s = *state_;
  JSContext* cx = s.cx;
  JS::RootedObject entry(cx, *s.entry);
  JS::RootedValueArray<2> args(cx);
  JS::RootedString p(cx, FromUtf8(cx, path));
  JS::RootedString src(cx, FromUtf8(cx, source));
  if (!p || !src) return Status(kBadValue, path + ": " + TakeException(s));
  args[0].setString(p);
  args[1].setString(src);
  JS::RootedValue result(cx);
  if (!JS_CallFunctionName(cx, entry, function, args, &result)) {
    return Status(kFailedToParse, path + ": " + TakeException(s));
  }
  return ToUtf8(cx, result);
}

StatusOr<ModuleInfo> Engine::Load(const std::string& path, const std::string& source) {
  auto loaded = CallWithFile("load", path, source);
  if (!loaded.ok()) return loaded.status();
  auto info = ParseExtendedJson(*loaded);
  const Value* index = info.ok() ? info->Get("index") : nullptr;
  if (!index || !index->Is<int32_t>()) {
    return Status(kFailedToParse,
                  path +
                      ": cannot read what the module exports; does its top level replace "
                      "JSON.stringify or define Object.prototype.toJSON? Do that inside up()");
  }
  ModuleInfo out;
  out.index = index->As<int32_t>();
  if (const Value* v = info->Get("version"); v && !v->IsNullish()) {
    auto n = v->IsNumber() ? v->AsExactInt64() : std::nullopt;
    if (n && *n > 0) {
      out.version = *n;
    } else {
      out.version_invalid = true;
    }
  }
  if (const Value* d = info->Get("description"); d && d->Is<std::string>()) {
    out.description = d->As<std::string>();
  }
  const Value* up = info->Get("up");
  const Value* down = info->Get("down");
  out.has_up = up && up->Truthy();
  out.has_down = down && down->Truthy();
  if (const Value* t = info->Get("transaction"); t && t->Is<bool>())
    out.transaction = t->As<bool>();
  if (const Value* c = info->Get("collections"); c && !c->IsNullish()) {
    std::vector<std::string> names;
    bool valid = c->Is<Array>();
    for (const Value& name : valid ? c->As<Array>().items : std::vector<Value>{}) {
      valid = valid && name.Is<std::string>() && !name.As<std::string>().empty();
      if (valid) names.push_back(name.As<std::string>());
    }
    if (valid) {
      out.collections = std::move(names);
    } else {
      out.collections_invalid = true;
    }
  }
  return out;
}

StatusOr<std::string> Engine::Exports(const std::string& path, const std::string& source) {
  return CallWithFile("exportsOf", path, source);
}

Status Engine::Run(int index, const std::string& direction, mongo::Database& db,
                   const ActionOutput& out) {
  State& s = *state_;
  JSContext* cx = s.cx;
  s.db = &db;
  s.print = out.print;
  s.checkpoint = out.checkpoint;
  s.output = &out;
  s.batched_updates = 0;
  s.interruption = Status::Ok();
  struct Reset {
    State& s;
    ~Reset() {
      s.db = nullptr;
      s.print = nullptr;
      s.checkpoint = nullptr;
      s.output = nullptr;
      s.interruption = Status::Ok();
      s.sessions.clear();  // sessions a migration left open end with it
    }
  } reset{s};
  JS::RootedObject entry(cx, *s.entry);
  JS::RootedValueArray<3> args(cx);
  args[0].setInt32(index);
  JS::RootedString dir(cx, FromUtf8(cx, direction));
  JS::RootedString name(cx, FromUtf8(cx, db.name()));
  if (!dir || !name) return Status(kInternalError, TakeException(s));
  args[1].setString(dir);
  args[2].setString(name);
  JS::RootedValue promise_value(cx);
  if (!JS_CallFunctionName(cx, entry, "run", args, &promise_value)) {
    return Status(kInternalError, TakeException(s));
  }
  if (!promise_value.isObject() ||
      !JS::IsPromiseObject(JS::RootedObject(cx, &promise_value.toObject()))) {
    return Status(kInternalError, direction +
                                      "() did not start: the runtime's Promise was "
                                      "replaced (Promise.resolve?) by the migration");
  }
  JS::RootedObject promise(cx, &promise_value.toObject());
  // Drive the event loop: promise jobs first, then the earliest timer, until the migration's
  // promise settles or nothing is left that could settle it.
  JS::RootedValue more(cx);
  while (true) {
    ::js::RunJobs(cx);
    if (JS_IsExceptionPending(cx)) return Status(kInternalError, TakeException(s));
    if (JS::GetPromiseState(promise) != JS::PromiseState::Pending) break;
    if (!JS_CallFunctionName(cx, entry, "runNextTimer", JS::HandleValueArray::empty(), &more)) {
      return Status(kInternalError, TakeException(s));
    }
    if (!more.toBoolean()) {
      return Status(kInternalError,
                    direction +
                        "() never finished: its promise is still pending with no timer or "
                        "database reply left to settle it (an await on something that never "
                        "resolves?)");
    }
  }
  if (!s.interruption.ok()) {
    return s.interruption.Reworded(s.interruption.message() + " during " + direction + "()");
  }
  if (JS::GetPromiseState(promise) == JS::PromiseState::Rejected) {
    JS::RootedValue reason(cx, JS::GetPromiseResult(promise));
    int code = CodeOf(cx, reason);
    const bool network = IsNetworkError(cx, reason);
    JS_SetPendingException(cx, reason);
    Status failed(code, TakeException(s));
    return network ? std::move(failed).WithKind(FailureKind::kConnection) : failed;
  }
  return Status::Ok();
}

}  // namespace mm::js
