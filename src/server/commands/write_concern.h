// A command's `writeConcern`, as a one-member deployment can satisfy it. devmongod is one
// node: `w: 1` and `w: "majority"` are met when the write is done; anything that needs more
// nodes is not, and says so as mongod does instead of pretending it was.
#pragma once

#include <optional>

#include "server/commands/command.h"

namespace mm::commands {

// Before running `cmd`: a standalone refuses `w` > 1 (2 BadValue, as mongod).
Status CheckWriteConcern(const Document& cmd, const ServerOptions& options);

// After it ran: the writeConcernError its reply carries, if the write concern cannot be met
// by one node (100 UnsatisfiableWriteConcern for `w` > 1 on a one-member replica set, 79
// UnknownReplWriteConcern for a tag). The write itself is done, as with mongod.
std::optional<Document> UnsatisfiedWriteConcern(const Document& cmd);

}  // namespace mm::commands
