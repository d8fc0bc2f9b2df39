// The `native` object prelude.js builds the migration API on: one database command, console
// output, clocks, randomness, files for require(), and sessions. Everything else is JavaScript.
#include <bson/bson.h>
#include <js/CharacterEncoding.h>
#include <js/CompilationAndEvaluation.h>
#include <js/PropertySpec.h>
#include <js/SourceText.h>
#include <js/String.h>
#include <js/Utility.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "js/bson_bridge.h"
#include "js/state.h"
#include "mongomigrate/batched_update.h"
#include "value/bson_codec.h"

extern char** environ;

namespace mm::js {
namespace {

Engine::State& StateOf(JSContext* cx) {
  return *static_cast<Engine::State*>(JS_GetContextPrivate(cx));
}

JSString* FromUtf8Lossy(JSContext* cx, const std::string& text) {
  size_t length = 0;
  JS::UniqueTwoByteChars chars(
      JS::LossyUTF8CharsToNewTwoByteCharsZ(cx, JS::UTF8Chars(text.data(), text.size()), &length,
                                           ::js::MallocArena)
          .get());
  return chars ? JS_NewUCStringCopyN(cx, chars.get(), length) : nullptr;
}

bool ReturnString(JSContext* cx, JS::CallArgs& args, const std::string& text) {
  JSString* s = FromUtf8(cx, text);
  if (!s) return false;
  args.rval().setString(s);
  return true;
}

// The reply a failed command would have had: {ok: 0, errmsg, code, codeName, …}; a network
// failure is marked $network so that the prelude throws MongoNetworkError.
Document FailureReply(const Status& s) {
  Document reply{{"ok", 0.0}, {"errmsg", s.message()}, {"code", s.code()}};
  for (const Field& f : s.details().fields()) reply.Append(f.key, f.value);
  if (s.kind() == FailureKind::kConnection) reply.Append("$network", true);
  if (!reply.Has("codeName")) reply.Append("codeName", CodeName(s.code()));
  return reply;
}

// native.command(dbName, command, sessionId) → the reply, both crossing as BSON (bson_bridge.h).
bool Command(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine::State& state = StateOf(cx);
  if (!state.db) {
    JS_ReportErrorUTF8(cx,
                       "the database is only available inside up() and down(), not while the "
                       "migration file loads");
    return false;
  }
  if (state.checkpoint && state.interruption.ok()) {
    if (Status go_on = state.checkpoint(); !go_on.ok()) state.interruption = go_on;
  }
  if (!state.interruption.ok()) {
    JS_ReportErrorUTF8(cx, "%s: no further commands are sent",
                       state.interruption.message().c_str());
    return false;
  }
  const std::string db_name = ToUtf8(cx, args.get(0));
  if (!state.bson_types || !args.get(1).isObject()) {
    JS_ReportErrorUTF8(cx, "cannot send this command: it is not an object");
    return false;
  }
  JS::RootedObject command_object(cx, &args.get(1).toObject());
  std::string bytes;
  if (!JsToBsonBytes(cx, *state.bson_types, command_object, &bytes)) return false;
  mongo::Database target(state.db->client(), db_name);
  target = target.InSession(state.db->session());
  if (args.get(2).isNumber() && args.get(2).toNumber() != 0) {
    auto it = state.sessions.find(static_cast<int>(args.get(2).toNumber()));
    if (it == state.sessions.end()) {
      JS_ReportErrorUTF8(cx, "Cannot use a session that has ended");
      return false;
    }
    target = target.InSession(it->second.get());
  }
  auto reply = target.RunCommandBson(bytes);
  std::string reply_bytes =
      reply.ok() ? std::move(*reply) : EncodeBson(FailureReply(reply.status()));
  bson_t reply_bson;
  if (!bson_init_static(&reply_bson, reinterpret_cast<const uint8_t*>(reply_bytes.data()),
                        reply_bytes.size())) {
    JS_ReportErrorUTF8(cx, "the server's reply is not a BSON document");
    return false;
  }
  return BsonToJs(cx, *state.bson_types, &reply_bson, args.rval());
}

// native.batchedUpdate(dbName, {batchedUpdate, filter, update, batchSize, …}): the JSON step's
// batched update, run here, resumable (mongomigrate/batched_update.h); its ordinal is the
// order of the calls in this run.
bool BatchedUpdateNative(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine::State& state = StateOf(cx);
  if (!state.db || !state.output || !state.bson_types) {
    JS_ReportErrorUTF8(cx, "batchedUpdate is only available inside up() and down()");
    return false;
  }
  if (!args.get(1).isObject()) {
    JS_ReportErrorUTF8(cx, "batchedUpdate(filter, update, options)");
    return false;
  }
  JS::RootedObject step_object(cx, &args.get(1).toObject());
  std::string bytes;
  if (!JsToBsonBytes(cx, *state.bson_types, step_object, &bytes)) return false;
  auto decoded = DecodeBson(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  auto spec =
      decoded.ok() ? ParseBatchedUpdate(*decoded) : StatusOr<BatchedUpdate>(decoded.status());
  if (!spec.ok()) {
    JS_ReportErrorUTF8(cx, "%s", spec.status().message().c_str());
    return false;
  }
  mongo::Database target(state.db->client(), ToUtf8(cx, args.get(0)));
  target = target.InSession(state.db->session());
  Status ran = RunBatchedUpdate(target, *spec, *state.output, state.batched_updates++);
  if (!ran.ok()) {
    if (ran.kind() == FailureKind::kInterrupted) state.interruption = ran;
    JS_ReportErrorUTF8(cx, "%s", ran.message().c_str());
    return false;
  }
  args.rval().setUndefined();
  return true;
}

// native.bsonTypes(toExtendedJson, makeTyped, ObjectId.prototype): what the BSON bridge uses
// for typed values (bson_bridge.h).
bool BsonTypesNative(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  if (!args.get(0).isObject() || !args.get(1).isObject() || !args.get(2).isObject()) {
    JS_ReportErrorUTF8(cx, "bsonTypes(toExtendedJson, makeTyped, ObjectId.prototype)");
    return false;
  }
  auto types = std::make_unique<BsonTypes>(cx);
  types->to_extended_json = &args.get(0).toObject();
  types->make_typed = &args.get(1).toObject();
  types->object_id_prototype = &args.get(2).toObject();
  StateOf(cx).bson_types = std::move(types);
  args.rval().setUndefined();
  return true;
}

// native.print(level, text)
bool Print(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine::State& state = StateOf(cx);
  std::string level = ToUtf8(cx, args.get(0));
  std::string text = ToUtf8(cx, args.get(1));
  if (level == "warn") text = "warning: " + text;
  if (level == "error") text = "error: " + text;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (state.print) {
      state.print(line);
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  }
  args.rval().setUndefined();
  return true;
}

// native.newObjectId([seconds]) → 24 hex digits, from libbson's generator (process-unique
// counter and random bytes, as the driver's).
bool NewObjectId(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  bson_oid_t oid;
  if (args.get(0).isNumber()) {
    bson_oid_init(&oid, nullptr);
    auto seconds = static_cast<uint32_t>(args.get(0).toNumber());
    oid.bytes[0] = static_cast<uint8_t>(seconds >> 24);
    oid.bytes[1] = static_cast<uint8_t>(seconds >> 16);
    oid.bytes[2] = static_cast<uint8_t>(seconds >> 8);
    oid.bytes[3] = static_cast<uint8_t>(seconds);
  } else {
    bson_oid_init(&oid, nullptr);
  }
  char hex[25];
  bson_oid_to_string(&oid, hex);
  return ReturnString(cx, args, hex);
}

// native.randomHex(bytes)
bool RandomHex(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  int n = args.get(0).isNumber() ? static_cast<int>(args.get(0).toNumber()) : 16;
  std::string out;
  const char* digits = "0123456789abcdef";
  for (int i = 0; i < n; ++i) {
    auto b = static_cast<uint8_t>(rng());
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return ReturnString(cx, args, out);
}

// native.now() → milliseconds on a monotonic clock (for timers).
bool Now(JSContext*, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  auto since = std::chrono::steady_clock::now().time_since_epoch();
  args.rval().setNumber(
      static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(since).count()) /
      1000.0);
  return true;
}

// native.sleep(ms): a migration waiting on setTimeout has nothing else to do.
bool Sleep(JSContext*, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  if (args.get(0).isNumber() && args.get(0).toNumber() > 0) {
    std::this_thread::sleep_for(
        std::chrono::microseconds(static_cast<int64_t>(args.get(0).toNumber() * 1000)));
  }
  args.rval().setUndefined();
  return true;
}

// native.environment() → process.env
bool Environment(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  JS::RootedObject env(cx, JS_NewPlainObject(cx));
  if (!env) return false;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    // Node.js decodes the environment as UTF-8, replacing what is not with U+FFFD; so do we
    // (a strict decode of one stray Latin-1 variable would make every JS migration unloadable).
    JS::RootedString name(cx, FromUtf8Lossy(cx, entry.substr(0, eq)));
    JS::RootedString value(cx, FromUtf8Lossy(cx, entry.substr(eq + 1)));
    JS::RootedId id(cx);
    if (!name || !value || !JS_StringToId(cx, name, &id) ||
        !JS_DefinePropertyById(cx, env, id, value, JSPROP_ENUMERATE)) {
      return false;
    }
  }
  args.rval().setObject(*env);
  return true;
}

bool Cwd(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  char buf[4096];
  return ReturnString(cx, args, getcwd(buf, sizeof buf) ? buf : "/");
}

// native.evaluate(source, filename): compiles and runs `source` so that errors and stacks
// name `filename` and its real line numbers.
bool Evaluate(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  return CompileSourceArgs(cx, args, [&](JS::CompileOptions& options, auto& text) {
    return JS::Evaluate(cx, options, text, args.rval());
  });
}

// native.readFile(path) → its text, or null when it cannot be read.
bool ReadFile(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  std::ifstream in(ToUtf8(cx, args.get(0)), std::ios::binary);
  if (!in) {
    args.rval().setNull();
    return true;
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  return ReturnString(cx, args, bytes.str());
}

// native.startSession() → an id for native.command and native.transaction.
bool StartSession(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine::State& state = StateOf(cx);
  if (!state.db) {
    JS_ReportErrorUTF8(cx, "sessions are only available inside up() and down()");
    return false;
  }
  auto session = mongo::Session::Start(*state.db->client());
  if (!session.ok()) {
    JS_ReportErrorUTF8(cx, "cannot start a session: %s", session.status().message().c_str());
    return false;
  }
  int id = state.next_session++;
  state.sessions[id] = std::move(session).value();
  args.rval().setInt32(id);
  return true;
}

// native.transaction(id, "start" | "commit" | "abort") → a reply as canonical Extended JSON.
bool Transaction(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine::State& state = StateOf(cx);
  auto it =
      state.sessions.find(args.get(0).isNumber() ? static_cast<int>(args.get(0).toNumber()) : 0);
  if (it == state.sessions.end()) {
    JS_ReportErrorUTF8(cx, "Cannot use a session that has ended");
    return false;
  }
  const std::string what = ToUtf8(cx, args.get(1));
  Status s = what == "start"    ? it->second->StartTransaction()
             : what == "commit" ? it->second->CommitTransaction()
                                : it->second->AbortTransaction();
  return ReturnString(cx, args, ToCanonicalJson(s.ok() ? Document{{"ok", 1}} : FailureReply(s)));
}

bool EndSession(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  if (args.get(0).isNumber()) StateOf(cx).sessions.erase(static_cast<int>(args.get(0).toNumber()));
  args.rval().setUndefined();
  return true;
}

constexpr JSFunctionSpec kNatives[] = {JS_FN("command", Command, 3, 0),
                                       JS_FN("bsonTypes", BsonTypesNative, 3, 0),
                                       JS_FN("batchedUpdate", BatchedUpdateNative, 2, 0),
                                       JS_FN("print", Print, 2, 0),
                                       JS_FN("newObjectId", NewObjectId, 1, 0),
                                       JS_FN("randomHex", RandomHex, 1, 0),
                                       JS_FN("now", Now, 0, 0),
                                       JS_FN("sleep", Sleep, 1, 0),
                                       JS_FN("environment", Environment, 0, 0),
                                       JS_FN("cwd", Cwd, 0, 0),
                                       JS_FN("evaluate", Evaluate, 2, 0),
                                       JS_FN("readFile", ReadFile, 1, 0),
                                       JS_FN("startSession", StartSession, 0, 0),
                                       JS_FN("transaction", Transaction, 2, 0),
                                       JS_FN("endSession", EndSession, 1, 0),
                                       JS_FS_END};

}  // namespace

JSObject* MakeNatives(JSContext* cx) {
  JS::RootedObject natives(cx, JS_NewPlainObject(cx));
  if (!natives || !JS_DefineFunctions(cx, natives, kNatives) || !DefineModuleNatives(cx, natives) ||
      !DefineNodeNatives(cx, natives)) {
    return nullptr;
  }
  return natives;
}

std::string ToUtf8(JSContext* cx, JS::HandleValue value) {
  if (!value.isString()) return "";
  // Exact length, so that a string holding a NUL character keeps what follows it.
  JSLinearString* linear = JS_EnsureLinearString(cx, value.toString());
  if (!linear) return "";
  std::string out(JS::GetDeflatedUTF8StringLength(linear), '\0');
  out.resize(JS::DeflateStringToUTF8Buffer(linear, mozilla::Span<char>(out.data(), out.size())));
  return out;
}

JSString* FromUtf8(JSContext* cx, const std::string& text) {
  return JS_NewStringCopyUTF8N(cx, JS::UTF8Chars(text.data(), text.size()));
}

}  // namespace mm::js
