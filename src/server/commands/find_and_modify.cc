#include "server/commands/handlers.h"
#include "server/engine/projection.h"
#include "server/engine/query.h"

namespace mm::commands {
namespace {

StatusOr<Document> FindAndModify(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  auto query = OptionalDocument(cmd, "query");
  auto sort = OptionalDocument(cmd, "sort");
  auto fields = OptionalDocument(cmd, "fields");
  for (const auto* r : {&query, &sort, &fields}) {
    if (!r->ok()) return r->status();
  }
  const bool remove = OptionalBool(cmd, "remove", false);
  const bool return_new = OptionalBool(cmd, "new", false);
  const bool upsert = OptionalBool(cmd, "upsert", false);
  const Value* update_spec = cmd.Get("update");
  if (remove && update_spec)
    return Status(kFailedToParse, "Cannot specify both an update and remove=true");
  if (!remove && !update_spec)
    return Status(kFailedToParse, "Either an update or remove=true must be specified");
  if (remove && (upsert || return_new)) {
    return Status(kFailedToParse, "Cannot specify both upsert=true and remove=true ");
  }
  const Array* array_filters = nullptr;
  if (const Value* af = cmd.Get("arrayFilters")) {
    if (!af->Is<Array>()) return TypeMismatch("findAndModify", "arrayFilters", "array", *af);
    array_filters = &af->As<Array>();
  }
  std::optional<engine::Update> update;
  if (update_spec) {
    auto u = engine::Update::Parse(*update_spec, array_filters);
    if (!u.ok()) return u.status();
    update = std::move(u).value();
  }
  std::optional<engine::Projection> projection;
  if (*fields && !(*fields)->empty()) {
    auto p = engine::Projection::Parse(**fields);
    if (!p.ok()) return p.status();
    projection = std::move(p).value();
  }
  engine::QueryOptions options;
  if (*query) options.filter = **query;
  if (*sort) {
    auto order = engine::SortOrder::Parse(**sort);
    if (!order.ok()) return order.status();
    options.sort = *order;
  }
  options.limit = 1;
  auto coll = ctx.catalog.GetOrCreate(ctx.db, *name);
  if (!coll.ok()) return coll.status();
  auto ids = engine::FindRecords(**coll, options);
  if (!ids.ok()) return ids.status();

  Document last_error;
  std::optional<Document> value;
  if (ids->empty()) {
    last_error.Append("n", 0);
    if (update && upsert) {
      auto inserted = engine::UpsertDocument(*coll, options.filter, *update);
      if (!inserted.ok()) return inserted.status();
      last_error.Set("n", 1);
      last_error.Append("updatedExisting", false);
      last_error.Append("upserted", *inserted->Get("_id"));
      if (return_new) value = *inserted;
    } else if (update) {
      last_error.Append("updatedExisting", false);
    }
  } else {
    engine::RecordId id = ids->front();
    Document before = *(*coll)->Get(id);
    last_error.Append("n", 1);
    if (remove) {
      (*coll)->Remove(id);
      value = before;
    } else {
      auto matcher = engine::Matcher::Parse(options.filter);
      int positional = -1;
      matcher->Matches(before, &positional);
      bool modified = false;
      MM_RETURN_IF_ERROR(engine::UpdateRecord(*coll, id, *update, positional, &modified));
      last_error.Append("updatedExisting", true);
      value = return_new ? *(*coll)->Get(id) : before;
    }
  }
  Value reply_value = Null{};
  if (value) {
    if (projection) {
      auto p = projection->Apply(*value);
      if (!p.ok()) return p.status();
      reply_value = std::move(p).value();
    } else {
      reply_value = std::move(*value);
    }
  }
  return Document{
      {"lastErrorObject", std::move(last_error)}, {"value", std::move(reply_value)}, {"ok", 1.0}};
}

}  // namespace

CommandSpec FindAndModifyCommand() {
  return CommandSpec{"findAndModify",
                     "Updates, replaces or removes one document and returns it.",
                     {"query", "sort", "remove", "update", "new", "fields", "upsert",
                      "arrayFilters", "bypassDocumentValidation", "hint", "let"},
                     {"collation"},
                     FindAndModify};
}

}  // namespace mm::commands
