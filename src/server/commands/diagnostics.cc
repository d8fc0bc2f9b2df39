// Small commands that describe the server: ping, buildInfo, getParameter, endSessions.
#include <chrono>
#include <thread>

#include "server/commands/handlers.h"
#include "server/commands/sessions.h"
#include "server/wire/message.h"

namespace mm::commands {

CommandSpec PingCommand() {
  return CommandSpec{"ping",
                     "Answers {ok: 1}; used to check a connection.",
                     {},
                     {},
                     [](const Document&, CommandContext&) -> StatusOr<Document> {
                       return Document{{"ok", 1.0}};
                     }};
}

CommandSpec BuildInfoCommand() {
  return CommandSpec{"buildInfo",
                     "Reports the MongoDB version devmongod behaves as.",
                     {},
                     {},
                     [](const Document&, CommandContext&) -> StatusOr<Document> {
                       return Document{
                           {"version", "7.0.0"},
                           {"gitVersion", "devmongod"},
                           {"modules", Array{}},
                           {"allocator", "system"},
                           {"javascriptEngine", "none"},
                           {"sysInfo", "deprecated"},
                           {"versionArray", Array{{Value(7), Value(0), Value(0), Value(0)}}},
                           {"bits", 64},
                           {"debug", false},
                           {"maxBsonObjectSize", int32_t{wire::kMaxBsonObjectSize}},
                           {"storageEngines", Array{{Value("devmongod")}}},
                           {"ok", 1.0}};
                     }};
}

CommandSpec GetParameterCommand() {
  return CommandSpec{
      "getParameter",
      "Reads server parameters; devmongod knows featureCompatibilityVersion.",
      {"featureCompatibilityVersion", "showDetails", "allParameters"},
      {},
      [](const Document& cmd, CommandContext&) -> StatusOr<Document> {
        const Value& arg = cmd.fields().front().value;
        bool all = arg == Value("*");
        if (!all && !cmd.Has("featureCompatibilityVersion")) {
          return Status(kInvalidOptions, "no option found to get");
        }
        return Document{{"featureCompatibilityVersion", Document{{"version", "7.0"}}}, {"ok", 1.0}};
      }};
}

CommandSpec EndSessionsCommand() {
  return CommandSpec{"endSessions",
                     "Ends logical sessions, aborting their open transactions.",
                     {},
                     {},
                     [](const Document& cmd, CommandContext& ctx) -> StatusOr<Document> {
                       const Value& ids = cmd.fields().front().value;
                       if (!ids.Is<Array>()) {
                         return TypeMismatch("endSessions", "endSessions", "array", ids);
                       }
                       for (const Value& id : ids.As<Array>().items) {
                         if (id.Is<Document>() && ctx.sessions) {
                           ctx.sessions->End(id.As<Document>());
                         }
                       }
                       return Document{{"ok", 1.0}};
                     }};
}

CommandSpec SleepCommand() {
  CommandSpec spec{"sleep",
                   "Test command (enableTestCommands=1): waits `millis` ms (or `secs` s).",
                   {"millis", "secs", "lock", "lockTarget"},
                   {},
                   [](const Document& cmd, CommandContext& ctx) -> StatusOr<Document> {
                     auto millis = OptionalInt(cmd, "millis", 0);
                     auto secs = OptionalInt(cmd, "secs", 0);
                     if (!millis.ok()) return millis.status();
                     if (!secs.ok()) return secs.status();
                     int64_t total = *millis + *secs * 1000;
                     if (!cmd.Has("millis") && !cmd.Has("secs")) total = 100;
                     // In slices, so that a stopping server need not wait for the whole sleep.
                     auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(total);
                     while (std::chrono::steady_clock::now() < end &&
                            !(ctx.shutting_down && *ctx.shutting_down)) {
                       std::this_thread::sleep_for(std::chrono::milliseconds(20));
                     }
                     return Document{{"ok", 1.0}};
                   }};
  spec.takes_engine_lock = false;
  return spec;
}

}  // namespace mm::commands
