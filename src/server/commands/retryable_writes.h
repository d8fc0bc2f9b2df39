// Retryable writes (replica-set mode): a write sent with a session and a txnNumber, outside a
// transaction, runs at most once. A driver that lost the reply (a network error, a failover, a
// writeConcernError) retries with the same txnNumber; the server answers with the first
// outcome instead of writing again, as mongod's session catalog does.
#pragma once

#include <optional>

#include "server/commands/command.h"

namespace mm::commands {

// Whether `cmd` is a retryable write: insert/update/delete/findAndModify with lsid and
// txnNumber and no autocommit.
bool IsRetryableWrite(const Document& cmd);

// For a retry of a write this session already ran: its first reply. For a txnNumber older
// than the session's newest: 225 TransactionTooOld. Otherwise nothing: run the write, then
// Remember its reply.
std::optional<StatusOr<Document>> ReplayRetryableWrite(const Document& cmd, CommandContext& ctx);
void RememberRetryableWrite(const Document& cmd, CommandContext& ctx, const Document& reply);

}  // namespace mm::commands
