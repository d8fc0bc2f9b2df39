// A command's `readConcern`, parsed and checked as mongod does (read_concern_args.cpp and the
// per-command support checks): unknown levels and fields are errors, not silently ignored.
#pragma once

#include <optional>
#include <string>

#include "server/commands/command.h"

namespace mm::commands {

struct ReadConcern {
  std::string level;  // "" when none was given (local)
  std::optional<Timestamp> at_cluster_time;
  bool snapshot() const { return level == "snapshot"; }
};

// Parses `cmd.readConcern`: FailedToParse (9) for an unknown level or a non-object,
// InvalidOptions (72) for unknown fields and impossible combinations (atClusterTime without
// snapshot, afterClusterTime with atClusterTime, a null timestamp).
StatusOr<ReadConcern> ParseReadConcern(const Document& cmd);

// Whether `command` may run with `rc` outside a transaction: linearizable and snapshot need a
// replica set (123 NotAReplicaSet); snapshot is for find, aggregate and distinct; writes take
// only local; an aggregate that writes ($out, $merge) cannot be linearizable (72).
Status CheckReadConcernSupported(const Document& cmd, const ReadConcern& rc,
                                 const ServerOptions& options);

}  // namespace mm::commands
