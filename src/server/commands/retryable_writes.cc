#include "server/commands/retryable_writes.h"

#include "server/commands/fail_points.h"
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

// The array of statements a write command carries (findAndModify has one, and no array).
const char* StatementsField(const std::string& command) {
  if (command == "insert") return "documents";
  if (command == "update") return "updates";
  if (command == "delete") return "deletes";
  return nullptr;
}

bool Succeeded(const Document& reply) { return !reply.Has("writeErrors"); }

int64_t CountOf(const Document& reply, const char* field) {
  const Value* v = reply.Get(field);
  auto n = v ? v->AsExactInt64() : std::nullopt;
  return n ? *n : 0;
}

// The entries of `reply[field]` ({index, ...}), renumbered as statement `index` of the whole.
void AppendRenumbered(const Document& reply, const char* field, size_t index, Array* out) {
  const Value* entries = reply.Get(field);
  if (!entries || !entries->Is<Array>()) return;
  for (const Value& entry : entries->As<Array>().items) {
    if (!entry.Is<Document>()) continue;
    Document renumbered = entry.As<Document>();
    renumbered.Set("index", static_cast<int32_t>(index));
    out->items.emplace_back(std::move(renumbered));
  }
}

StatusOr<Document> RunByStatement(const CommandSpec& spec, const Document& cmd, CommandContext& ctx,
                                  Transaction& session) {
  const std::string& command = cmd.fields().front().key;
  const char* field = StatementsField(command);
  const Value* statements = field ? cmd.Get(field) : nullptr;
  if (field && (!statements || !statements->Is<Array>())) return spec.handler(cmd, ctx);
  const size_t count = field ? statements->As<Array>().items.size() : 1;
  const bool ordered = !cmd.Has("ordered") || cmd.Get("ordered")->Truthy();

  int64_t n = 0, modified = 0;
  Array upserted, write_errors;
  for (size_t i = 0; i < count; ++i) {
    Document result;
    if (auto kept = session.retryable_statements.find(i);
        kept != session.retryable_statements.end()) {
      if (!field) return kept->second;
      result = kept->second;
    } else {
      auto fault = ctx.fail_points ? ctx.fail_points->CheckTransactionalWrite() : std::nullopt;
      if (fault && fault->close_connection) ctx.close_connection = true;
      if (fault && fault->fail_before_commit) {
        Status failed(*fault->fail_before_commit,
                      "Failing write via the onPrimaryTransactionalWrite fail point");
        if (!field) return failed;
        result = Document{{"n", 0},
                          {"writeErrors", Array{{Document{{"index", 0},
                                                          {"code", failed.code()},
                                                          {"codeName", failed.code_name()},
                                                          {"errmsg", failed.message()}}}}}};
      } else {
        Document one = cmd;
        if (field) one.Set(field, Array{{statements->As<Array>().items[i]}});
        auto reply = spec.handler(one, ctx);
        if (!reply.ok() || !field) {
          if (reply.ok()) session.retryable_statements[i] = *reply;
          return reply;
        }
        result = std::move(reply).value();
        if (Succeeded(result)) session.retryable_statements[i] = result;
      }
    }
    n += CountOf(result, "n");
    modified += CountOf(result, "nModified");
    AppendRenumbered(result, "upserted", i, &upserted);
    AppendRenumbered(result, "writeErrors", i, &write_errors);
    if (!Succeeded(result) && ordered) break;
  }
  Document merged{{"n", n}};
  if (command == "update") merged.Append("nModified", modified);
  if (!upserted.items.empty()) merged.Append("upserted", std::move(upserted));
  if (!write_errors.items.empty()) merged.Append("writeErrors", std::move(write_errors));
  return merged;
}

}  // namespace

bool IsRetryableWrite(const Document& cmd) {
  if (cmd.empty() || cmd.Has("autocommit") || !cmd.Has("txnNumber")) return false;
  const std::string& name = cmd.fields().front().key;
  return name == "insert" || name == "update" || name == "delete" || name == "findAndModify";
}

StatusOr<Document> RunRetryableWrite(const CommandSpec& spec, const Document& cmd,
                                     CommandContext& ctx) {
  auto id = IdentityOf(cmd);
  if (!id || !ctx.sessions) return spec.handler(cmd, ctx);
  Transaction& session = ctx.sessions->For(*id->lsid);
  if (id->number < session.number) {
    return Status(kTransactionTooOld,
                  "Retryable write with txnNumber " + std::to_string(id->number) +
                      " is prohibited on session because a newer retryable write with txnNumber " +
                      std::to_string(session.number) + " has already started on this session.");
  }
  if (id->number == session.number && session.retryable_reply) return *session.retryable_reply;
  if (id->number > session.number) {
    // A newer txnNumber ends whatever the session had before (as starting a transaction does).
    if (session.state == Transaction::State::kInProgress) session.Abort();
    session.number = id->number;
    session.retryable_reply.reset();
    session.retryable_statements.clear();
  }
  session.state = Transaction::State::kNone;
  const bool by_statement = (ctx.fail_points && ctx.fail_points->TransactionalWriteArmed()) ||
                            !session.retryable_statements.empty();
  if (by_statement) return RunByStatement(spec, cmd, ctx, session);
  auto reply = spec.handler(cmd, ctx);
  // A failed command did nothing: a retry runs it again.
  if (reply.ok()) session.retryable_reply = *reply;
  return reply;
}

}  // namespace mm::commands
