// Snapshot reads outside transactions (readConcern {level: "snapshot"}, MongoDB 5.0+; the
// sessions spec's snapshot sessions): a read without atClusterTime reads the data as it is and
// answers the time it read at; a read with that atClusterTime sees the same data, whatever was
// written since.
//
// MongoDB keeps history for minSnapshotHistoryWindowInSeconds (300 s) and can read at any time
// inside it. devmongod keeps a copy of the data only at the times it handed out, for that
// window and at most kMaxKept of them: an atClusterTime it did not hand out (or has released)
// gets 239 SnapshotTooOld rather than a read at the wrong time.
#pragma once

#include <chrono>
#include <map>
#include <memory>

#include "server/commands/command.h"
#include "server/commands/read_concern.h"

namespace mm::commands {

class SnapshotHistory {
 public:
  static constexpr size_t kMaxKept = 16;

  void Keep(Timestamp at, std::unique_ptr<engine::Catalog> copy);
  engine::Catalog* At(Timestamp at);
  // Releases copies older than `window`, and the oldest beyond kMaxKept.
  void Release(std::chrono::seconds window);

 private:
  struct Kept {
    std::unique_ptr<engine::Catalog> catalog;
    std::chrono::steady_clock::time_point taken;
  };
  struct Earlier {
    bool operator()(const Timestamp& a, const Timestamp& b) const {
      return a.t != b.t ? a.t < b.t : a.i < b.i;
    }
  };
  std::map<Timestamp, Kept, Earlier> kept_;
};

// Runs the read `cmd` (find, aggregate or distinct) at a snapshot and adds `atClusterTime` to
// its reply (in `cursor` for find and aggregate, as mongod does).
StatusOr<Document> RunAtSnapshot(const CommandSpec& spec, const Document& cmd, CommandContext& ctx,
                                 const ReadConcern& rc);

}  // namespace mm::commands
