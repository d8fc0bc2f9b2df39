#include "server/engine/aggregate.h"

#include <set>

#include "server/commands/handlers.h"
#include "server/commands/sessions.h"
#include "server/engine/expression.h"
#include "server/engine/path.h"
#include "server/engine/query.h"
#include "value/bson_codec.h"

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
      if (index->spec().is_id) continue;
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

// $merge: each result document goes into `stage.target`, matched on `stage.on`.
Status MergeInto(CommandContext& ctx, const engine::OutStage& stage, std::vector<Document> docs) {
  MM_RETURN_IF_ERROR(engine::Catalog::ValidateCollectionName(ctx.db, stage.target));
  const bool on_id = stage.on == std::vector<std::string>{"_id"};
  engine::Collection* target = ctx.catalog.Find(ctx.db, stage.target);
  if (!on_id) {
    // As MongoDB: only a unique index over exactly the `on` fields makes a match unambiguous.
    bool unique = false;
    for (size_t i = 0; target && i < target->indexes().size(); ++i) {
      const engine::IndexSpec& spec = target->indexes()[i]->spec();
      if (!spec.unique || spec.partial || spec.key.size() != stage.on.size()) continue;
      bool all = true;
      for (const std::string& f : stage.on) all = all && spec.key.Has(f);
      unique = unique || all;
    }
    if (!unique) {
      return Status(51183, "Cannot find index to verify that join fields will be unique");
    }
  }
  if (!target) {
    auto created = ctx.catalog.GetOrCreate(ctx.db, stage.target);
    if (!created.ok()) return created.status();
    target = *created;
  }
  for (Document& d : docs) {
    Document filter;
    bool generated_id = on_id && !d.Has("_id");
    for (const std::string& f : stage.on) {
      if (generated_id) break;
      const Value* v = engine::GetExact(d, engine::SplitPath(f));
      if (!v || v->IsNullish() || v->Is<Array>() || v->Is<Undefined>()) {
        return Status(51132,
                      "$merge write error: 'on' field cannot be missing, null, undefined or an "
                      "array");
      }
      filter.Append(f, *v);
    }
    std::vector<engine::RecordId> matches;
    if (!generated_id) {
      auto ids = engine::FindRecords(*target, engine::QueryOptions{filter, {}, 0, 1});
      if (!ids.ok()) return ids.status();
      matches = std::move(ids).value();
    }
    if (matches.empty()) {
      if (stage.when_not_matched == "fail") {
        return Status(13113,
                      "$merge could not find a matching document in the target collection for "
                      "at least one document in the source collection");
      }
      if (stage.when_not_matched == "insert") MM_RETURN_IF_ERROR(target->Insert(std::move(d)));
      continue;
    }
    if (stage.when_matched == "keepExisting") continue;
    if (stage.when_matched == "fail") {
      return Status(kDuplicateKey,
                    "$merge found an existing document with the same values for the 'on' "
                    "field(s) and whenMatched is fail");
    }
    const Document& existing = *target->Get(matches.front());
    Document updated = stage.when_matched == "merge" ? existing : Document{};
    if (stage.when_matched == "replace") updated.Append("_id", *existing.Get("_id"));
    for (Field& f : d.fields()) {
      if (f.key == "_id") {
        if (!(f.value == *existing.Get("_id"))) {
          return Status(kImmutableField,
                        "$merge failed to update the matching document, did "
                        "you attempt to modify the _id or the shard key?");
        }
        continue;
      }
      if (Value* slot = updated.Get(f.key)) {
        *slot = std::move(f.value);
      } else {
        updated.Append(f.key, std::move(f.value));
      }
    }
    MM_RETURN_IF_ERROR(target->Replace(matches.front(), std::move(updated)));
  }
  return Status::Ok();
}

// $listLocalSessions: {} (the current user's sessions; every session without --auth),
// {allUsers: true}, or {users: [{user, db}]}.
StatusOr<std::vector<Document>> ListLocalSessions(const Value& spec, CommandContext& ctx) {
  if (!spec.Is<Document>()) return TypeMismatch("$listLocalSessions", "", "object", spec);
  const Document& options = spec.As<Document>();
  std::set<std::string> users;
  bool all = !ctx.options.auth;
  for (const Field& f : options.fields()) {
    if (f.key == "allUsers") {
      all = all || f.value.Truthy();
    } else if (f.key == "users" && f.value.Is<Array>()) {
      all = false;
      for (const Value& u : f.value.As<Array>().items) {
        const Document* d = u.If<Document>();
        const Value* name = d ? d->Get("user") : nullptr;
        const Value* db = d ? d->Get("db") : nullptr;
        if (!name || !name->Is<std::string>() || !db || !db->Is<std::string>()) {
          return Status(kIdlRequiredFieldMissing,
                        "$listLocalSessions.users: each user needs "
                        "'user' and 'db' strings");
        }
        users.insert(name->As<std::string>() + "@" + db->As<std::string>());
      }
    } else {
      return Status(kUnknownField,
                    "BSON field '$listLocalSessions." + f.key + "' is an unknown field.");
    }
  }
  if (!all && users.empty() && ctx.connection) {
    for (const std::string& key : ctx.connection->authenticated) {
      users.insert(SessionUserName(key));
    }
  }
  if (!ctx.sessions) return std::vector<Document>{};
  return ctx.sessions->LocalSessions(
      [&](const std::string& user) { return all || users.count(user) > 0; });
}

// A database-level aggregate ({aggregate: 1}) starts from its first stage: $documents (an
// expression giving an array of documents) or $listLocalSessions. Any other needs a
// collection (73), as MongoDB answers.
StatusOr<std::vector<Document>> DatabaseLevelSource(const Value& first, CommandContext& ctx) {
  const Document* stage = first.If<Document>();
  const std::string name = stage && !stage->empty() ? stage->fields().front().key : "";
  if (name == "$listLocalSessions") return ListLocalSessions(stage->fields().front().value, ctx);
  if (name != "$documents") {
    return Status(kInvalidNamespace,
                  "{aggregate: 1} is not valid for '" + name + "'; a collection is required.");
  }
  auto expression = engine::Expression::Parse(stage->fields().front().value);
  if (!expression.ok()) return expression.status();
  auto value = (*expression)->Evaluate(Document{});
  if (!value.ok()) return value.status();
  if (!value->Is<Array>()) return Status(5858203, "an array is expected");
  std::vector<Document> docs;
  for (const Value& v : value->As<Array>().items) {
    if (!v.Is<Document>()) {
      return Status(40228,
                    "'replacement document' must evaluate to an object, but resulting "
                    "value was: " +
                        ToRelaxedJson(v));
    }
    docs.push_back(v.As<Document>());
  }
  return docs;
}

StatusOr<Document> Aggregate(const Document& cmd, CommandContext& ctx) {
  const Value& target = cmd.fields().front().value;
  const bool database_level = target.IsNumber() && target.AsExactInt64() == 1;
  if (!target.Is<std::string>() && !database_level) {
    return Status(kInvalidNamespace, "Invalid {aggregate: ...} value: must be a string or 1");
  }
  const Value* pipeline_value = cmd.Get("pipeline");
  if (!pipeline_value)
    return Status(40414, "BSON field 'aggregate.pipeline' is missing but a required field");
  if (!pipeline_value->Is<Array>())
    return TypeMismatch("aggregate", "pipeline", "array", *pipeline_value);
  // $listSearchIndexes exists in mongod 7.0 and needs Atlas Search, which devmongod lacks.
  for (const Value& stage : pipeline_value->As<Array>().items) {
    if (stage.Is<Document>() && stage.As<Document>().Has("$listSearchIndexes")) {
      return SearchNotEnabled();
    }
  }
  if (!cmd.Has("cursor") && !OptionalBool(cmd, "explain", false)) {
    return Status(
        kFailedToParse,
        "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  auto batch_size = CursorBatchSize(cmd, 101);
  if (!batch_size.ok()) return batch_size.status();
  std::vector<Document> input;
  Array stages = pipeline_value->As<Array>();
  if (database_level) {
    if (stages.items.empty()) {
      return Status(kInvalidNamespace,
                    "{aggregate: 1} is not valid for an empty pipeline; a collection is required.");
    }
    auto source = DatabaseLevelSource(stages.items.front(), ctx);
    if (!source.ok()) return source.status();
    input = std::move(source).value();
    stages.items.erase(stages.items.begin());
  }
  auto split = engine::SplitOut(stages, ctx.db);
  if (!split.ok()) return split.status();
  engine::Catalog& catalog = ctx.catalog;
  const std::string db = ctx.db;
  auto pipeline = engine::Pipeline::Parse(split->pipeline, [&catalog, db](const std::string& c) {
    return AllDocuments(catalog.Find(db, c));
  });
  if (!pipeline.ok()) return pipeline.status();
  const std::string name = database_level ? "$cmd.aggregate" : target.As<std::string>();
  if (!database_level) input = AllDocuments(ctx.catalog.Find(ctx.db, name));
  auto out = pipeline->Run(std::move(input));
  if (!out.ok()) return out.status();
  std::string ns = ctx.db + "." + name;
  std::vector<Document> docs = std::move(out).value();
  if (!split->target.empty()) {
    MM_RETURN_IF_ERROR(split->merge ? MergeInto(ctx, *split, std::move(docs))
                                    : ReplaceWith(ctx, split->target, std::move(docs)));
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
