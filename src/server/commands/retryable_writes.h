// Retryable writes (replica-set mode): a write sent with a session and a txnNumber, outside a
// transaction, runs at most once. A driver that lost the reply (a network error, a failover, a
// writeConcernError) retries with the same txnNumber; the server answers with the first
// outcome instead of writing again, as mongod's session catalog does.
#pragma once

#include "server/commands/command.h"

namespace mm::commands {

// Whether `cmd` is a retryable write: insert/update/delete/findAndModify with lsid and
// txnNumber and no autocommit.
bool IsRetryableWrite(const Document& cmd);

// Runs the retryable write `cmd` with `spec`'s handler, at most once per statement. A retry of
// a write the session already ran gets the first outcome; a txnNumber older than the
// session's newest gets 225 TransactionTooOld.
//
// Normally a write runs whole and its reply is kept. While the onPrimaryTransactionalWrite fail
// point is armed (or a retry finds a write that stopped part-way), it runs statement by
// statement, as mongod does: each executed statement is kept, and a retry runs only the
// statements not yet executed, merging the kept results into its reply.
StatusOr<Document> RunRetryableWrite(const CommandSpec& spec, const Document& cmd,
                                     CommandContext& ctx);

}  // namespace mm::commands
