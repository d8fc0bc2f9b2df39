// Small commands that describe the server: ping, buildInfo, getParameter, endSessions.
#include "server/commands/handlers.h"
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
                     "Ends logical sessions; devmongod keeps no session state.",
                     {},
                     {},
                     [](const Document& cmd, CommandContext&) -> StatusOr<Document> {
                       if (!cmd.fields().front().value.Is<Array>()) {
                         return TypeMismatch("endSessions", "endSessions", "array",
                                             cmd.fields().front().value);
                       }
                       return Document{{"ok", 1.0}};
                     }};
}

}  // namespace mm::commands
