#include <bson/bson.h>

#include <chrono>

#include "server/commands/handlers.h"
#include "server/wire/message.h"

namespace mm::commands {
namespace {

// Stable for the life of the process, as a primary's electionId is between elections.
const ObjectId& ElectionId() {
  static const ObjectId id = [] {
    ObjectId o;
    o.bytes = {0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 1};
    return o;
  }();
  return id;
}

StatusOr<Document> Hello(const Document& cmd, CommandContext& ctx) {
  const bool hello_ok = OptionalBool(cmd, "helloOk", false);
  const bool legacy = cmd.fields().front().key != "hello";
  Document reply;
  if (legacy) {
    reply.Append("ismaster", true);
  } else {
    reply.Append("isWritablePrimary", true);
  }
  if (hello_ok) reply.Append("helloOk", true);
  if (const Value* client = cmd.Get("client"); client && client->Is<Document>() && ctx.connection) {
    const Value* app = client->As<Document>().Get("application");
    const Value* name = app && app->Is<Document>() ? app->As<Document>().Get("name") : nullptr;
    if (name && name->Is<std::string>()) ctx.connection->app_name = name->As<std::string>();
  }
  // Tells the driver which SCRAM mechanism the user can use ("db.user" in the request).
  if (const Value* who = cmd.Get("saslSupportedMechs");
      who && who->Is<std::string>() && ctx.users && ctx.users->count(who->As<std::string>())) {
    reply.Append("saslSupportedMechs", Array{{Value("SCRAM-SHA-256")}});
  }
  if (!ctx.options.repl_set.empty()) {
    const std::string& me = ctx.client.local_address;
    reply.Append("hosts", Array{{Value(me)}});
    reply.Append("setName", ctx.options.repl_set);
    reply.Append("setVersion", 1);
    reply.Append("secondary", false);
    reply.Append("primary", me);
    reply.Append("me", me);
    reply.Append("electionId", ElectionId());
  }
  auto now = std::chrono::system_clock::now().time_since_epoch();
  reply.Append("maxBsonObjectSize", int32_t{wire::kMaxBsonObjectSize});
  reply.Append("maxMessageSizeBytes", int32_t{wire::kMaxMessageSizeBytes});
  reply.Append("maxWriteBatchSize", int32_t{100000});
  reply.Append("localTime",
               DateTime{std::chrono::duration_cast<std::chrono::milliseconds>(now).count()});
  reply.Append("logicalSessionTimeoutMinutes", int32_t{30});
  reply.Append("connectionId", ctx.client.connection_id);
  reply.Append("minWireVersion", int32_t{0});
  reply.Append("maxWireVersion", int32_t{21});
  reply.Append("readOnly", false);
  reply.Append("ok", 1.0);
  return reply;
}

}  // namespace

CommandSpec HelloCommand(std::string_view name) {
  return CommandSpec{name,
                     "Describes this server to a connecting client (the handshake).",
                     {"helloOk", "client", "saslSupportedMechs", "compression", "loadBalanced",
                      "topologyVersion", "maxAwaitTimeMS", "speculativeAuthenticate"},
                     {},
                     Hello,
                     /*strict=*/false};
}

}  // namespace mm::commands
