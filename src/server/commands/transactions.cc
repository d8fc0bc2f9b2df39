// Multi-document transactions: statements run on the session's snapshot; commitTransaction
// and abortTransaction end it. The rules and error codes are mongod's (see sessions.h).
#include <algorithm>

#include "server/commands/handlers.h"
#include "server/commands/sessions.h"

namespace mm::commands {
namespace {

// What mongod lets a transaction run; anything else is OperationNotSupportedInTransaction.
constexpr std::string_view kAllowedInTransaction[] = {"abortTransaction",
                                                      "aggregate",
                                                      "commitTransaction",
                                                      "create",
                                                      "createIndexes",
                                                      "delete",
                                                      "distinct",
                                                      "find",
                                                      "findAndModify",
                                                      "getMore",
                                                      "insert",
                                                      "killCursors",
                                                      "update"};

// Drivers retry a whole transaction on these (the Transactions spec's error labels).
Status Transient(Status s) {
  return std::move(s).WithDetails(
      Document{{"errorLabels", Array{{Value("TransientTransactionError")}}}});
}

struct TransactionFields {
  const Document* lsid = nullptr;
  int64_t number = 0;
};

// Reads lsid and txnNumber, which a transaction statement (or commit/abort) must carry with
// `autocommit: false`.
StatusOr<TransactionFields> ReadTransactionFields(const Document& cmd) {
  TransactionFields out;
  const Value* autocommit = cmd.Get("autocommit");
  if (autocommit && (!autocommit->Is<bool>() || autocommit->As<bool>())) {
    return Status(kInvalidOptions, "Specifying autocommit=true is not allowed.");
  }
  const Value* number = cmd.Get("txnNumber");
  if (!number) {
    return Status(kInvalidOptions,
                  "'autocommit' field requires a transaction number to also be specified");
  }
  if (!number->Is<int64_t>()) {
    return TypeMismatch(cmd.fields().front().key, "txnNumber", "long", *number);
  }
  out.number = number->As<int64_t>();
  const Value* lsid = cmd.Get("lsid");
  if (!lsid || !lsid->Is<Document>()) {
    return Status(kInvalidOptions, "Transaction number requires a session ID to also be specified");
  }
  out.lsid = &lsid->As<Document>();
  if (!autocommit) {
    return Status(kInvalidOptions,
                  "txnNumber may only be provided for multi-document transactions and retryable "
                  "write commands. autocommit:false was not provided, and " +
                      cmd.fields().front().key + " is not a retryable write command.");
  }
  return out;
}

Status NoSuchTransaction(int64_t number, const Transaction& txn) {
  if (number == txn.number && txn.state == Transaction::State::kAborted) {
    return Transient(
        Status(kNoSuchTransaction,
               "Transaction with { txnNumber: " + std::to_string(number) + " } has been aborted."));
  }
  return Transient(
      Status(kNoSuchTransaction, "Given transaction number " + std::to_string(number) +
                                     " does not match any in-progress transactions. The active "
                                     "transaction number is " +
                                     std::to_string(txn.number)));
}

Status TooOld(int64_t number, const Transaction& txn) {
  return Status(kTransactionTooOld, "Cannot start transaction " + std::to_string(number) +
                                        " on session because a newer transaction " +
                                        std::to_string(txn.number) + " has already started.");
}

Status Committed(int64_t number) {
  return Status(kTransactionCommitted, "Transaction with { txnNumber: " + std::to_string(number) +
                                           " } has been committed.");
}

// The session's transaction state that `cmd` (lsid, txnNumber, autocommit) names.
struct Located {
  Transaction* txn;
  int64_t number;  // the command's txnNumber
};
StatusOr<Located> Locate(const Document& cmd, CommandContext& ctx) {
  auto fields = ReadTransactionFields(cmd);
  if (!fields.ok()) return fields.status();
  if (!ctx.sessions) return Status(kIllegalOperation, "sessions are not available");
  Transaction& txn = ctx.sessions->For(*fields->lsid);
  if (fields->number < txn.number) return TooOld(fields->number, txn);
  return Located{&txn, fields->number};
}

StatusOr<Document> CommitTransaction(const Document& cmd, CommandContext& ctx) {
  auto located = Locate(cmd, ctx);
  if (!located.ok()) return located.status();
  Transaction& t = *located->txn;
  const int64_t number = located->number;
  if (number == t.number && t.state == Transaction::State::kCommitted) {
    return Document{};  // a retried commit of a committed transaction succeeds again
  }
  if (number != t.number || t.state != Transaction::State::kInProgress) {
    return NoSuchTransaction(number, t);
  }
  if (Status conflict = ctx.catalog.CheckConflicts(*t.snapshot); !conflict.ok()) {
    t.Abort();
    return Transient(std::move(conflict));
  }
  ctx.catalog.Commit(*t.snapshot);
  t.snapshot.reset();
  t.state = Transaction::State::kCommitted;
  return Document{};
}

StatusOr<Document> AbortTransaction(const Document& cmd, CommandContext& ctx) {
  auto located = Locate(cmd, ctx);
  if (!located.ok()) return located.status();
  Transaction& t = *located->txn;
  const int64_t number = located->number;
  if (number == t.number && t.state == Transaction::State::kCommitted) return Committed(number);
  if (number != t.number || t.state != Transaction::State::kInProgress) {
    return NoSuchTransaction(number, t);
  }
  t.Abort();
  return Document{};
}

StatusOr<Document> OnlyOnAdmin(const Document& cmd, CommandContext& ctx, const Handler& handler) {
  if (ctx.db != "admin") {
    return Status(kUnauthorized,
                  cmd.fields().front().key + " may only be run against the admin database.");
  }
  return handler(cmd, ctx);
}

}  // namespace

bool UsesSessionTransactionFields(const Document& cmd) {
  return cmd.Has("txnNumber") || cmd.Has("autocommit") || cmd.Has("startTransaction");
}

bool IsTransactionStatement(const Document& cmd) {
  const std::string& name = cmd.fields().front().key;
  return cmd.Has("autocommit") && name != "commitTransaction" && name != "abortTransaction";
}

StatusOr<Document> RunInTransaction(const CommandSpec& spec, const Document& cmd,
                                    CommandContext& ctx) {
  auto located = Locate(cmd, ctx);
  if (!located.ok()) return located.status();
  Transaction& txn = *located->txn;
  const int64_t number = located->number;
  if (OptionalBool(cmd, "startTransaction", false)) {
    if (number == txn.number) {
      return Status(kConflictingOperationInProgress,
                    "Transaction " + std::to_string(number) + " has already started.");
    }
    txn.number = number;
    txn.state = Transaction::State::kInProgress;
    txn.started = std::chrono::steady_clock::now();
    txn.snapshot = ctx.catalog.Snapshot();
  } else if (number != txn.number || txn.state != Transaction::State::kInProgress) {
    if (number == txn.number && txn.state == Transaction::State::kCommitted) {
      return Committed(number);
    }
    return NoSuchTransaction(number, txn);
  }
  if (cmd.Has("writeConcern")) {
    return Status(kInvalidOptions, "Cannot set write concern after starting a transaction.");
  }
  if (cmd.Has("readConcern") && !OptionalBool(cmd, "startTransaction", false)) {
    return Status(kInvalidOptions,
                  "Only the first command in a transaction may specify a "
                  "readConcern");
  }
  if (std::find(std::begin(kAllowedInTransaction), std::end(kAllowedInTransaction), spec.name) ==
      std::end(kAllowedInTransaction)) {
    txn.Abort();
    return Status(kOperationNotSupportedInTransaction,
                  "Cannot run '" + std::string(spec.name) + "' in a multi-document transaction.");
  }
  CommandContext inner = OnCatalog(ctx, *txn.snapshot);
  inner.in_transaction = true;
  StatusOr<Document> reply = spec.handler(cmd, inner);
  // As in mongod, any failed statement aborts its transaction.
  if (!reply.ok() || reply->Has("writeErrors")) {
    txn.Abort();
    return reply;
  }
  if (Status conflict = ctx.catalog.CheckConflicts(*txn.snapshot); !conflict.ok()) {
    txn.Abort();
    return Transient(std::move(conflict));
  }
  // A document another open transaction has written: the later writer fails at once, as
  // MongoDB's storage engine makes it.
  Status conflict = Status::Ok();
  ctx.sessions->ForEachInProgress([&](const Transaction& other) {
    if (&other != &txn && conflict.ok())
      conflict = txn.snapshot->CheckDocumentConflicts(*other.snapshot);
  });
  if (!conflict.ok()) {
    txn.Abort();
    return Transient(std::move(conflict));
  }
  return reply;
}

CommandSpec CommitTransactionCommand() {
  return CommandSpec{"commitTransaction",
                     "Commits the session's transaction (replica-set mode).",
                     {"recoveryToken"},
                     {},
                     [](const Document& cmd, CommandContext& ctx) {
                       return OnlyOnAdmin(cmd, ctx, CommitTransaction);
                     }};
}

CommandSpec AbortTransactionCommand() {
  return CommandSpec{"abortTransaction",
                     "Aborts the session's transaction (replica-set mode).",
                     {"recoveryToken"},
                     {},
                     [](const Document& cmd, CommandContext& ctx) {
                       return OnlyOnAdmin(cmd, ctx, AbortTransaction);
                     }};
}

}  // namespace mm::commands
