// saslStart, saslContinue (SCRAM-SHA-256) and createUser, for devmongod --auth.
#include "server/commands/authorization.h"
#include "server/commands/handlers.h"

namespace mm::commands {
namespace {

Status AuthFailed() { return Status(kAuthenticationFailed, "Authentication failed."); }

// The SASL payload: BinData as drivers send it, or a string.
std::optional<std::string> Payload(const Document& cmd) {
  const Value* p = cmd.Get("payload");
  if (!p) return std::nullopt;
  if (const Binary* b = p->If<Binary>()) return b->bytes;
  if (const std::string* s = p->If<std::string>()) return *s;
  return std::nullopt;
}

Document SaslReply(bool done, const std::string& payload) {
  return Document{
      {"conversationId", 1}, {"done", done}, {"payload", Binary{0, payload}}, {"ok", 1.0}};
}

StatusOr<Document> SaslStart(const Document& cmd, CommandContext& ctx) {
  const Value* mechanism = cmd.Get("mechanism");
  if (!mechanism || !mechanism->Is<std::string>()) {
    return Status(40414, "BSON field 'saslStart.mechanism' is missing but a required field");
  }
  if (mechanism->As<std::string>() != "SCRAM-SHA-256") {
    return Status(kMechanismUnavailable, "Received authentication for mechanism " +
                                             mechanism->As<std::string>() +
                                             " which is unknown or not enabled");
  }
  auto payload = Payload(cmd);
  if (!payload) return AuthFailed();
  auto started = auth::ScramConversation::Start(*payload);
  if (!started.ok()) return started.status();
  std::string user = ctx.db + "." + started->second;
  auto it = ctx.users->find(user);
  if (it == ctx.users->end()) return AuthFailed();  // as MongoDB: no hint that the user is unknown
  ConnectionState::Scram scram{std::move(started->first), user, false};
  std::string server_first = scram.conversation.ServerFirst(it->second.credentials);
  ctx.connection->scram = std::move(scram);
  return SaslReply(false, server_first);
}

StatusOr<Document> SaslContinue(const Document& cmd, CommandContext& ctx) {
  auto& scram = ctx.connection->scram;
  if (!scram) return Status(kAuthenticationFailed, "No SASL session state found");
  if (scram->proof_checked) {
    // The client's empty final message, when it did not ask to skip it.
    ctx.connection->authenticated.insert(scram->user);
    scram.reset();
    return SaslReply(true, "");
  }
  auto payload = Payload(cmd);
  auto server_final =
      payload ? scram->conversation.Finish(*payload) : StatusOr<std::string>(AuthFailed());
  if (!server_final.ok()) {
    scram.reset();
    return server_final.status();
  }
  // skipEmptyExchange was sent with saslStart; libmongoc and MongoDB ≥ 4.4 use it.
  ctx.connection->authenticated.insert(scram->user);
  scram.reset();
  return SaslReply(true, *server_final);
}

StatusOr<Document> CreateUser(const Document& cmd, CommandContext& ctx) {
  const Value& name = cmd.fields().front().value;
  if (!name.Is<std::string>() || name.As<std::string>().empty()) {
    return TypeMismatch("createUser", "createUser", "string", name);
  }
  // The localhost exception: the first user may be created without authenticating.
  if (ctx.options.auth && !ctx.users->empty() && ctx.connection->authenticated.empty()) {
    return Status(kUnauthorized, "Command createUser requires authentication");
  }
  const Value* pwd = cmd.Get("pwd");
  if (!pwd || !pwd->Is<std::string>() || pwd->As<std::string>().empty()) {
    return Status(kBadValue,
                  "Must provide a 'pwd' field for all user documents, except those "
                  "with '$external' as the user's source db");
  }
  const Value* roles = cmd.Get("roles");
  if (!roles || !roles->Is<Array>()) {
    return Status(kBadValue, "\"createUser\" command requires a \"roles\" array");
  }
  auto granted = ParseRoles(roles->As<Array>(), ctx.db);
  if (!granted.ok()) return granted.status();
  std::string key = ctx.db + "." + name.As<std::string>();
  if (ctx.users->count(key)) {
    return Status(51003, "User \"" + name.As<std::string>() + "@" + ctx.db + "\" already exists");
  }
  (*ctx.users)[key] = User{auth::MakeCredentials(pwd->As<std::string>()), std::move(*granted)};
  return Document{{"ok", 1.0}};
}

}  // namespace

CommandSpec SaslStartCommand() {
  CommandSpec spec{"saslStart",
                   "Starts a SCRAM-SHA-256 conversation.",
                   {"mechanism", "payload", "autoAuthorize", "options"},
                   {},
                   SaslStart};
  return spec;
}

CommandSpec SaslContinueCommand() {
  CommandSpec spec{"saslContinue",
                   "Continues a SCRAM-SHA-256 conversation.",
                   {"conversationId", "payload"},
                   {},
                   SaslContinue};
  return spec;
}

CommandSpec CreateUserCommand() {
  CommandSpec spec{"createUser",
                   "Creates a SCRAM-SHA-256 user in the command's database.",
                   {"pwd", "roles", "mechanisms", "customData", "digestPassword"},
                   {"authenticationRestrictions"},
                   CreateUser};
  return spec;
}

}  // namespace mm::commands
