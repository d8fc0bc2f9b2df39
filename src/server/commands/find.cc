#include "server/commands/handlers.h"
#include "server/commands/tailable_cursors.h"
#include "server/engine/projection.h"
#include "server/engine/query.h"

namespace mm::commands {
namespace {

StatusOr<Document> Find(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  auto filter = OptionalDocument(cmd, "filter");
  auto sort = OptionalDocument(cmd, "sort");
  auto projection = OptionalDocument(cmd, "projection");
  for (const auto* r : {&filter, &sort, &projection}) {
    if (!r->ok()) return r->status();
  }
  auto skip = OptionalInt(cmd, "skip", 0);
  auto limit = OptionalInt(cmd, "limit", 0);
  auto batch_size = OptionalInt(cmd, "batchSize", 101);
  for (const auto* r : {&skip, &limit, &batch_size}) {
    if (!r->ok()) return r->status();
  }
  if (*skip < 0)
    return Status(51024, "BSON field 'skip' value must be >= 0, actual value '" +
                             std::to_string(*skip) + "'");
  if (*limit < 0)
    return Status(51024, "BSON field 'limit' value must be >= 0, actual value '" +
                             std::to_string(*limit) + "'");
  if (*batch_size < 0)
    return Status(51024, "BSON field 'batchSize' value must be >= 0, actual value '" +
                             std::to_string(*batch_size) + "'");
  engine::QueryOptions options;
  if (*filter) options.filter = **filter;
  if (*sort) {
    auto order = engine::SortOrder::Parse(**sort);
    if (!order.ok()) return order.status();
    options.sort = *order;
  }
  options.skip = *skip;
  options.limit = *limit;
  std::optional<engine::Projection> project;
  if (*projection && !(*projection)->empty()) {
    auto p = engine::Projection::Parse(**projection);
    if (!p.ok()) return p.status();
    project = std::move(p).value();
  }
  std::string ns = ctx.db + "." + *name;
  std::vector<Document> docs;
  engine::Collection* coll = ctx.catalog.Find(ctx.db, *name);
  MM_RETURN_IF_ERROR(CheckTailable(cmd, coll));
  if (!coll) {
    // Still reject a bad filter, as MongoDB parses it before looking for the collection.
    auto m = engine::Matcher::Parse(options.filter);
    if (!m.ok()) return m.status();
    return CursorReply(ns, 0, {}, true);
  }
  auto ids = engine::FindRecords(*coll, options);
  if (!ids.ok()) return ids.status();
  docs.reserve(ids->size());
  for (engine::RecordId id : *ids) {
    const Document& doc = *coll->Get(id);
    if (project) {
      auto p = project->Apply(doc);
      if (!p.ok()) return p.status();
      docs.push_back(std::move(p).value());
    } else {
      docs.push_back(doc);
    }
  }
  int64_t id = 0;
  if (OptionalBool(cmd, "tailable", false) && coll->size() > 0) {
    // The cursor stays open after its last document; getMore returns what comes next.
    CursorStore::Tail tail{ctx.db,
                           *name,
                           coll->uuid(),
                           options.filter,
                           *projection ? **projection : Document{},
                           coll->LastRecordId(),
                           OptionalBool(cmd, "awaitData", false)};
    id = OpenIfMore(ctx.cursors, ns, &docs, *batch_size, std::move(tail));
  } else if (OptionalBool(cmd, "singleBatch", false)) {
    if (*batch_size > 0 && static_cast<int64_t>(docs.size()) > *batch_size)
      docs.resize(*batch_size);
  } else {
    id = OpenIfMore(ctx.cursors, ns, &docs, *batch_size);
  }
  return CursorReply(ns, id, std::move(docs), true);
}

}  // namespace

CommandSpec FindCommand() {
  return CommandSpec{"find",
                     "Queries a collection; results beyond the first batch via getMore.",
                     {"filter", "sort", "projection", "skip", "limit", "batchSize", "singleBatch",
                      "hint", "noCursorTimeout", "allowPartialResults", "allowDiskUse", "let",
                      "returnKey", "showRecordId", "min", "max", "tailable", "awaitData"},
                     {"collation", "oplogReplay", "readOnce"},
                     Find};
}

}  // namespace mm::commands
