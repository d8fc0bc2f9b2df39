#include "server/commands/tailable_cursors.h"

#include "server/engine/catalog.h"
#include "server/engine/projection.h"
#include "server/engine/query.h"

namespace mm::commands {

Status CheckTailable(const Document& cmd, const engine::Collection* coll) {
  const bool tailable = OptionalBool(cmd, "tailable", false);
  if (OptionalBool(cmd, "awaitData", false) && !tailable) {
    return Status(kFailedToParse, "Cannot set 'awaitData' without also setting 'tailable'");
  }
  if (!tailable) return Status::Ok();
  if (const Value* sort = cmd.Get("sort"); sort && sort->Is<Document>() &&
                                           !sort->As<Document>().empty() &&
                                           !(sort->As<Document>() == Document{{"$natural", 1}})) {
    return Status(kBadValue, "cannot use tailable option with a sort other than {$natural: 1}");
  }
  if (coll && !OptionalBool(coll->options(), "capped", false)) {
    return Status(kBadValue, "error processing query: ns=" + coll->ns() +
                                 " tailable cursor requested on non capped collection");
  }
  return Status::Ok();
}

Status RefillTail(CursorStore& cursors, int64_t id, engine::Catalog& catalog) {
  CursorStore::Tail* tail = cursors.TailOf(id);
  if (!tail) return Status::Ok();
  engine::Collection* coll = catalog.Find(tail->db, tail->collection);
  if (!coll || !(coll->uuid() == tail->uuid)) {
    const std::string ns = tail->db + "." + tail->collection;
    cursors.Kill(id);
    return Status(kQueryPlanKilled, "collection dropped. ns: " + ns);
  }
  engine::QueryOptions options;
  options.filter = tail->filter;
  auto ids = engine::FindRecords(*coll, options);
  if (!ids.ok()) return ids.status();
  std::optional<engine::Projection> project;
  if (!tail->projection.empty()) {
    auto p = engine::Projection::Parse(tail->projection);
    if (!p.ok()) return p.status();
    project = std::move(p).value();
  }
  std::vector<Document> added;
  int64_t last = tail->last;
  for (engine::RecordId rid : *ids) {
    if (rid <= tail->last) continue;
    last = std::max(last, rid);
    if (!project) {
      added.push_back(*coll->Get(rid));
      continue;
    }
    auto projected = project->Apply(*coll->Get(rid));
    if (!projected.ok()) return projected.status();
    added.push_back(std::move(projected).value());
  }
  tail->last = std::max(last, coll->LastRecordId());
  cursors.Append(id, std::move(added));
  return Status::Ok();
}

}  // namespace mm::commands
