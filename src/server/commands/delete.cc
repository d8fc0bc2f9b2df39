#include "server/commands/handlers.h"
#include "server/commands/write_errors.h"
#include "server/engine/query.h"

namespace mm::commands {
namespace {

// Validates one statement and, when the collection exists, deletes what it matches.
StatusOr<int32_t> RunStatement(const Document& stmt, engine::Collection* coll) {
  const Value* q = stmt.Get("q");
  const Value* limit = stmt.Get("limit");
  if (!q) return Status(40414, "BSON field 'delete.deletes.q' is missing but a required field");
  if (!limit)
    return Status(40414, "BSON field 'delete.deletes.limit' is missing but a required field");
  if (!q->Is<Document>()) return TypeMismatch("delete.deletes", "q", "object", *q);
  double l = limit->IsNumber() ? limit->AsDouble() : -1;
  if (l != 0 && l != 1)
    return Status(kFailedToParse,
                  "The limit field in delete objects must be 0 or 1. Got " + std::to_string(l));
  engine::QueryOptions options;
  options.filter = q->As<Document>();
  if (!coll) {
    // A bad filter is an error even when the collection does not exist.
    auto matcher = engine::Matcher::Parse(options.filter);
    return matcher.ok() ? StatusOr<int32_t>(0) : StatusOr<int32_t>(matcher.status());
  }
  options.limit = static_cast<int64_t>(l);
  auto ids = engine::FindRecords(*coll, options);
  if (!ids.ok()) return ids.status();
  for (engine::RecordId id : *ids) coll->Remove(id);
  return static_cast<int32_t>(ids->size());
}

StatusOr<Document> Delete(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  const Value* deletes = cmd.Get("deletes");
  if (!deletes) return Status(40414, "BSON field 'delete.deletes' is missing but a required field");
  if (!deletes->Is<Array>()) return TypeMismatch("delete", "deletes", "array", *deletes);
  MM_RETURN_IF_ERROR(CheckStatements(
      deletes->As<Array>(),
      StatementShape{
          "delete.deletes", {"q", "limit", "hint", "collation"}, {"collation"}, {"q", "limit"}}));
  const bool ordered = OptionalBool(cmd, "ordered", true);
  engine::Collection* coll = ctx.catalog.Find(ctx.db, *name);
  int32_t n = 0;
  Array errors;
  const auto& stmts = deletes->As<Array>().items;
  for (size_t i = 0; i < stmts.size(); ++i) {
    if (!stmts[i].Is<Document>()) return TypeMismatch("delete", "deletes", "object", stmts[i]);
    auto r = RunStatement(stmts[i].As<Document>(), coll);
    if (!r.ok()) {
      if (r.status().code() == kUnknownField || r.status().code() == 40414) return r.status();
      errors.items.push_back(WriteError(i, r.status()));
      if (ordered) break;
      continue;
    }
    n += *r;
  }
  Document reply{{"n", n}};
  if (!errors.items.empty()) reply.Append("writeErrors", std::move(errors));
  reply.Append("ok", 1.0);
  return reply;
}

}  // namespace

CommandSpec DeleteCommand() {
  return CommandSpec{"delete",
                     "Deletes documents (limit 0: all matching, 1: the first).",
                     {"deletes", "ordered", "let"},
                     {},
                     Delete};
}

}  // namespace mm::commands
