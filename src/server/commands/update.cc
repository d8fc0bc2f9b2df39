#include "server/commands/handlers.h"
#include "server/commands/write_errors.h"
#include "server/engine/query.h"

namespace mm::commands {
namespace {

struct StatementResult {
  int32_t matched = 0;
  int32_t modified = 0;
  std::optional<Value> upserted_id;
};

Status RunStatement(const Document& stmt, engine::Collection* coll, StatementResult* result) {
  const Value* q = stmt.Get("q");
  const Value* u = stmt.Get("u");
  if (!q) return Status(40414, "BSON field 'update.updates.q' is missing but a required field");
  if (!u) return Status(40414, "BSON field 'update.updates.u' is missing but a required field");
  if (!q->Is<Document>()) return TypeMismatch("update.updates", "q", "object", *q);
  const Array* array_filters = nullptr;
  if (const Value* af = stmt.Get("arrayFilters")) {
    if (!af->Is<Array>()) return TypeMismatch("update.updates", "arrayFilters", "array", *af);
    array_filters = &af->As<Array>();
  }
  auto update = engine::Update::Parse(*u, array_filters);
  if (!update.ok()) return update.status();
  const bool multi = OptionalBool(stmt, "multi", false);
  if (multi && update->kind() == engine::Update::Kind::kReplacement) {
    return Status(kFailedToParse, "multi update is not supported for replacement-style update");
  }
  const Document& filter = q->As<Document>();
  auto matcher = engine::Matcher::Parse(filter);
  if (!matcher.ok()) return matcher.status();
  for (engine::RecordId id : coll->Candidates(filter)) {
    const Document* doc = coll->Get(id);
    int positional = -1;
    if (!doc || !matcher->Matches(*doc, &positional)) continue;
    ++result->matched;
    bool modified = false;
    MM_RETURN_IF_ERROR(engine::UpdateRecord(coll, id, *update, positional, &modified));
    if (modified) ++result->modified;
    if (!multi) break;
  }
  if (result->matched == 0 && OptionalBool(stmt, "upsert", false)) {
    auto inserted = engine::UpsertDocument(coll, filter, *update);
    if (!inserted.ok()) return inserted.status();
    result->upserted_id = *inserted->Get("_id");
  }
  return Status::Ok();
}

StatusOr<Document> Update(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  const Value* updates = cmd.Get("updates");
  if (!updates) return Status(40414, "BSON field 'update.updates' is missing but a required field");
  if (!updates->Is<Array>()) return TypeMismatch("update", "updates", "array", *updates);
  // MongoDB 7.0's statement fields (`sort` came in 8.0: unknown here, as there).
  MM_RETURN_IF_ERROR(CheckStatements(
      updates->As<Array>(),
      StatementShape{"update.updates",
                     {"q", "u", "multi", "upsert", "arrayFilters", "hint", "collation", "c"},
                     {"collation", "c"},
                     {"q", "u"}}));
  const bool ordered = OptionalBool(cmd, "ordered", true);
  auto coll = ctx.catalog.GetOrCreate(ctx.db, *name);
  if (!coll.ok()) return coll.status();
  int32_t n = 0, modified = 0;
  Array upserted, errors;
  const auto& stmts = updates->As<Array>().items;
  for (size_t i = 0; i < stmts.size(); ++i) {
    StatementResult r;
    Status s = stmts[i].Is<Document>() ? RunStatement(stmts[i].As<Document>(), *coll, &r)
                                       : TypeMismatch("update", "updates", "object", stmts[i]);
    if (!s.ok()) {
      // A malformed statement fails the whole command, as MongoDB's parser does.
      if (s.code() == kUnknownField || s.code() == 40414) return s;
      errors.items.push_back(WriteError(i, s));
      if (ordered) break;
      continue;
    }
    n += r.matched;
    modified += r.modified;
    if (r.upserted_id) {
      ++n;
      upserted.items.emplace_back(
          Document{{"index", static_cast<int32_t>(i)}, {"_id", *r.upserted_id}});
    }
  }
  Document reply{{"n", n}, {"nModified", modified}};
  if (!upserted.items.empty()) reply.Append("upserted", std::move(upserted));
  if (!errors.items.empty()) reply.Append("writeErrors", std::move(errors));
  reply.Append("ok", 1.0);
  return reply;
}

}  // namespace

CommandSpec UpdateCommand() {
  return CommandSpec{"update",
                     "Updates documents (operators, replacement or pipeline).",
                     {"updates", "ordered", "bypassDocumentValidation", "let"},
                     {},
                     Update};
}

}  // namespace mm::commands
