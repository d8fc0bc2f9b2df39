#include "server/commands/snapshot_reads.h"

#include "server/cluster_clock.h"
#include "server/engine/catalog.h"

namespace mm::commands {

void SnapshotHistory::Keep(Timestamp at, std::unique_ptr<engine::Catalog> copy) {
  kept_[at] = Kept{std::move(copy), std::chrono::steady_clock::now()};
  while (kept_.size() > kMaxKept) kept_.erase(kept_.begin());
}

engine::Catalog* SnapshotHistory::At(Timestamp at) {
  auto it = kept_.find(at);
  return it == kept_.end() ? nullptr : it->second.catalog.get();
}

void SnapshotHistory::Release(std::chrono::seconds window) {
  const auto oldest = std::chrono::steady_clock::now() - window;
  std::erase_if(kept_, [&](const auto& entry) { return entry.second.taken < oldest; });
}

StatusOr<Document> RunAtSnapshot(const CommandSpec& spec, const Document& cmd, CommandContext& ctx,
                                 const ReadConcern& rc) {
  if (!ctx.snapshots || !ctx.clock) return Status(kInternalError, "no snapshot history");
  ctx.snapshots->Release(ctx.options.snapshot_history_window);
  Timestamp at;
  engine::Catalog* catalog = nullptr;
  if (rc.at_cluster_time) {
    at = *rc.at_cluster_time;
    catalog = ctx.snapshots->At(at);
    if (!catalog) {
      Timestamp now = ctx.clock->Tick();
      if (at.t > now.t || (at.t == now.t && at.i > now.i)) {
        return Status(kInvalidOptions,
                      "readConcern atClusterTime value must not be greater than the current "
                      "clusterTime");
      }
      return Status(kSnapshotTooOld,
                    "Read timestamp (" + std::to_string(at.t) + ", " + std::to_string(at.i) +
                        ") is older than the oldest available timestamp: devmongod keeps data "
                        "only at the atClusterTime values it has answered, for "
                        "minSnapshotHistoryWindowInSeconds");
    }
  } else {
    at = ctx.clock->Tick();
    auto copy = ctx.catalog.Snapshot();
    catalog = copy.get();
    ctx.snapshots->Keep(at, std::move(copy));
  }
  CommandContext inner = OnCatalog(ctx, *catalog);
  auto reply = spec.handler(cmd, inner);
  if (!reply.ok()) return reply;
  if (Value* cursor = reply->Get("cursor"); cursor && cursor->Is<Document>()) {
    cursor->As<Document>().Append("atClusterTime", Value(at));
  } else {
    reply->Append("atClusterTime", Value(at));
  }
  return reply;
}

}  // namespace mm::commands
