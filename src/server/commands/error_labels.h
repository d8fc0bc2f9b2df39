// The error labels mongod adds to a reply (error_labels.cpp): TransientTransactionError on
// errors inside a transaction that make retrying the whole transaction safe, and
// RetryableWriteError on retriable errors of a retryable write or of commit/abort. Drivers
// decide on retries from them, so a fail-point error must carry them as a real one would.
#pragma once

#include "mongomigrate/value.h"

namespace mm::commands {

// The labels for `reply` (an error reply, or one with a writeConcernError) to `cmd`; empty when
// none apply.
Array ErrorLabelsFor(const Document& cmd, const Document& reply);

}  // namespace mm::commands
