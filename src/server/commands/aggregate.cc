#include "server/engine/aggregate.h"
#include "server/commands/handlers.h"
#include "server/engine/query.h"

namespace mm::commands {
namespace {

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
  auto pipeline = engine::Pipeline::Parse(pipeline_value->As<Array>());
  if (!pipeline.ok()) return pipeline.status();
  const std::string& name = target.As<std::string>();
  std::vector<Document> input;
  if (engine::Collection* coll = ctx.catalog.Find(ctx.db, name)) {
    auto ids = engine::FindRecords(*coll, engine::QueryOptions{});
    if (!ids.ok()) return ids.status();
    input.reserve(ids->size());
    for (engine::RecordId id : *ids) input.push_back(*coll->Get(id));
  }
  auto out = pipeline->Run(std::move(input));
  if (!out.ok()) return out.status();
  std::string ns = ctx.db + "." + name;
  std::vector<Document> docs = std::move(out).value();
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
