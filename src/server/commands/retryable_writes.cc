#include "server/commands/retryable_writes.h"

#include "server/commands/sessions.h"

namespace mm::commands {
namespace {

struct Identity {
  const Document* lsid;
  int64_t number;
};

std::optional<Identity> IdentityOf(const Document& cmd) {
  const Value* lsid = cmd.Get("lsid");
  const Value* number = cmd.Get("txnNumber");
  if (!lsid || !lsid->Is<Document>() || !number || !number->IsNumber()) return std::nullopt;
  auto n = number->AsExactInt64();
  if (!n) return std::nullopt;
  return Identity{&lsid->As<Document>(), *n};
}

}  // namespace

bool IsRetryableWrite(const Document& cmd) {
  if (cmd.empty() || cmd.Has("autocommit") || !cmd.Has("txnNumber")) return false;
  const std::string& name = cmd.fields().front().key;
  return name == "insert" || name == "update" || name == "delete" || name == "findAndModify";
}

std::optional<StatusOr<Document>> ReplayRetryableWrite(const Document& cmd, CommandContext& ctx) {
  auto id = IdentityOf(cmd);
  if (!id || !ctx.sessions) return std::nullopt;
  Transaction& session = ctx.sessions->For(*id->lsid);
  if (id->number < session.number) {
    return StatusOr<Document>(
        Status(kTransactionTooOld, "Retryable write with txnNumber " + std::to_string(id->number) +
                                       " is prohibited on session because a newer retryable write "
                                       "with txnNumber " +
                                       std::to_string(session.number) +
                                       " has already started on this session."));
  }
  if (id->number == session.number && session.retryable_reply) {
    return StatusOr<Document>(*session.retryable_reply);
  }
  return std::nullopt;
}

void RememberRetryableWrite(const Document& cmd, CommandContext& ctx, const Document& reply) {
  auto id = IdentityOf(cmd);
  if (!id || !ctx.sessions) return;
  Transaction& session = ctx.sessions->For(*id->lsid);
  if (id->number < session.number) return;
  // A newer txnNumber ends whatever the session had before (as starting a transaction does).
  if (id->number > session.number && session.state == Transaction::State::kInProgress) {
    session.Abort();
  }
  session.number = id->number;
  session.state = Transaction::State::kNone;
  const Value* ok = reply.Get("ok");
  if (ok && ok->IsNumber() && ok->AsDouble() == 1) {
    session.retryable_reply = reply;
  } else {
    session.retryable_reply.reset();  // a failed command did nothing: a retry runs it again
  }
}

}  // namespace mm::commands
