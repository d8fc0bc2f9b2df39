#include "server/engine/aggregate.h"
#include "server/commands/handlers.h"
#include "server/engine/query.h"

namespace mm::commands {
namespace {

// Every document of `coll` in natural order (none when it does not exist).
std::vector<Document> AllDocuments(engine::Collection* coll) {
  std::vector<Document> docs;
  if (!coll) return docs;
  auto ids = engine::FindRecords(*coll, engine::QueryOptions{});
  if (!ids.ok()) return docs;
  docs.reserve(ids->size());
  for (engine::RecordId id : *ids) docs.push_back(*coll->Get(id));
  return docs;
}

// $out: replaces `target` with `docs` all at once, keeping its options and indexes, as
// MongoDB does (a temporary collection, renamed over the target). A document the target's
// validator or unique indexes refuse leaves the target as it was.
Status ReplaceWith(CommandContext& ctx, const std::string& target, std::vector<Document> docs) {
  MM_RETURN_IF_ERROR(engine::Catalog::ValidateCollectionName(ctx.db, target));
  const std::string temp = "tmp.agg_out." + target;
  engine::Collection* existing = ctx.catalog.Find(ctx.db, target);
  auto created = ctx.catalog.Create(ctx.db, temp, existing ? existing->options() : Document{});
  if (!created.ok()) return created.status();
  engine::Collection* out = *created;
  Status s = out->SetValidation(out->options());
  if (existing && s.ok()) {
    for (const auto& index : existing->indexes()) {
      if (index->spec().name == "_id_") continue;
      bool made = false;
      s = out->CreateIndex(index->spec(), &made);
      if (!s.ok()) break;
    }
  }
  for (Document& d : docs) {
    if (!s.ok()) break;
    s = out->Insert(std::move(d));
  }
  if (!s.ok()) {
    ctx.catalog.Drop(ctx.db, temp);
    return s;
  }
  return ctx.catalog.Rename(ctx.db, temp, ctx.db, target, /*drop_target=*/true);
}

StatusOr<Document> Aggregate(const Document& cmd, CommandContext& ctx) {
  const Value& target = cmd.fields().front().value;
  if (!target.Is<std::string>()) {
    if (target.IsNumber()) {
      return Status(kNotImplemented, "database-level aggregate is not implemented by devmongod");
    }
    return Status(kInvalidNamespace, "Invalid {aggregate: ...} value: must be a string or 1");
  }
  const Value* pipeline_value = cmd.Get("pipeline");
  if (!pipeline_value)
    return Status(40414, "BSON field 'aggregate.pipeline' is missing but a required field");
  if (!pipeline_value->Is<Array>())
    return TypeMismatch("aggregate", "pipeline", "array", *pipeline_value);
  if (!cmd.Has("cursor") && !OptionalBool(cmd, "explain", false)) {
    return Status(
        kFailedToParse,
        "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  auto batch_size = CursorBatchSize(cmd, 101);
  if (!batch_size.ok()) return batch_size.status();
  auto split = engine::SplitOut(pipeline_value->As<Array>(), ctx.db);
  if (!split.ok()) return split.status();
  engine::Catalog& catalog = ctx.catalog;
  const std::string db = ctx.db;
  auto pipeline = engine::Pipeline::Parse(split->pipeline, [&catalog, db](const std::string& c) {
    return AllDocuments(catalog.Find(db, c));
  });
  if (!pipeline.ok()) return pipeline.status();
  const std::string& name = target.As<std::string>();
  auto out = pipeline->Run(AllDocuments(ctx.catalog.Find(ctx.db, name)));
  if (!out.ok()) return out.status();
  std::string ns = ctx.db + "." + name;
  std::vector<Document> docs = std::move(out).value();
  if (!split->target.empty()) {
    MM_RETURN_IF_ERROR(ReplaceWith(ctx, split->target, std::move(docs)));
    return CursorReply(ns, 0, {}, true);
  }
  int64_t id = OpenIfMore(ctx.cursors, ns, &docs, *batch_size);
  return CursorReply(ns, id, std::move(docs), true);
}

}  // namespace

CommandSpec AggregateCommand() {
  return CommandSpec{
      "aggregate",
      "Runs an aggregation pipeline over a collection.",
      {"pipeline", "cursor", "allowDiskUse", "bypassDocumentValidation", "hint", "let"},
      {"explain", "collation"},
      Aggregate};
}

}  // namespace mm::commands
