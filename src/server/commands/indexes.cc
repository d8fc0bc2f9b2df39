// createIndexes, listIndexes and dropIndexes.
#include "server/commands/handlers.h"
#include "server/engine/index.h"
#include "value/bson_codec.h"

namespace mm::commands {
namespace {

StatusOr<Document> CreateIndexes(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  const Value* indexes = cmd.Get("indexes");
  if (!indexes)
    return Status(40414, "BSON field 'createIndexes.indexes' is missing but a required field");
  if (!indexes->Is<Array>()) return TypeMismatch("createIndexes", "indexes", "array", *indexes);
  if (indexes->As<Array>().items.empty())
    return Status(kBadValue, "Must specify at least one index to create");
  std::vector<engine::IndexSpec> specs;
  for (const Value& v : indexes->As<Array>().items) {
    if (!v.Is<Document>()) return TypeMismatch("createIndexes", "indexes", "object", v);
    auto spec = engine::ParseIndexSpec(v.As<Document>());
    if (!spec.ok()) return spec.status();
    specs.push_back(std::move(spec).value());
  }
  MM_RETURN_IF_ERROR(engine::Catalog::ValidateCollectionName(ctx.db, *name));
  if (ctx.in_transaction && ctx.catalog.ExistedAtSnapshot(ctx.db, *name)) {
    return Status(kOperationNotSupportedInTransaction,
                  "Cannot create new indexes on existing collection " + ctx.db + "." + *name +
                      " in a multi-document transaction.");
  }
  bool created_collection = false;
  auto coll = ctx.catalog.GetOrCreate(ctx.db, *name, &created_collection);
  if (!coll.ok()) return coll.status();
  auto before = static_cast<int32_t>((*coll)->indexes().size());
  for (auto& spec : specs) {
    bool created = false;
    Status s = (*coll)->CreateIndex(std::move(spec), &created);
    if (!s.ok()) {
      if (created_collection) ctx.catalog.Drop(ctx.db, *name);
      return s;
    }
  }
  auto after = static_cast<int32_t>((*coll)->indexes().size());
  Document reply{{"numIndexesBefore", before}, {"numIndexesAfter", after}};
  if (before == after) reply.Append("note", "all indexes already exist");
  reply.Append("createdCollectionAutomatically", created_collection);
  reply.Append("ok", 1.0);
  return reply;
}

StatusOr<Document> ListIndexes(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  engine::Collection* coll = ctx.catalog.Find(ctx.db, *name);
  if (!coll) return Status(kNamespaceNotFound, "ns does not exist: " + ctx.db + "." + *name);
  auto batch_size = CursorBatchSize(cmd, -1);
  if (!batch_size.ok()) return batch_size.status();
  std::vector<Document> out;
  for (const auto& index : coll->indexes()) out.push_back(index->spec().listed);
  std::string ns = coll->ns();
  int64_t id = OpenIfMore(ctx.cursors, ns, &out, *batch_size);
  return CursorReply(ns, id, std::move(out), true);
}

StatusOr<Document> DropIndexes(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  engine::Collection* coll = ctx.catalog.Find(ctx.db, *name);
  if (!coll) return Status(kNamespaceNotFound, "ns not found " + ctx.db + "." + *name);
  const Value* index = cmd.Get("index");
  if (!index)
    return Status(40414, "BSON field 'dropIndexes.index' is missing but a required field");
  auto was = static_cast<int32_t>(coll->indexes().size());
  std::vector<std::string> names;
  if (*index == Value("*")) {
    for (const auto& i : coll->indexes()) {
      if (!i->spec().is_id) names.push_back(i->spec().name);
    }
  } else if (const std::string* n = index->If<std::string>()) {
    names.push_back(*n);
  } else if (const Array* a = index->If<Array>()) {
    for (const Value& v : a->items) {
      if (!v.Is<std::string>()) return TypeMismatch("dropIndexes", "index", "string", v);
      names.push_back(v.As<std::string>());
    }
  } else if (const Document* key = index->If<Document>()) {
    std::vector<std::string> matching;
    for (const auto& i : coll->indexes()) {
      if (i->spec().key == *key) matching.push_back(i->spec().name);
    }
    if (matching.empty()) {
      return Status(kIndexNotFound, "can't find index with key: " + ToRelaxedJson(*key));
    }
    if (matching.size() > 1) {
      return Status(kAmbiguousIndexKeyPattern,
                    "Ambiguous index key pattern: " + ToRelaxedJson(*key));
    }
    names = matching;
  } else {
    return TypeMismatch("dropIndexes", "index", "string or object", *index);
  }
  // Check every name first so that a bad one drops nothing.
  for (const std::string& n : names) {
    bool found = false;
    for (const auto& i : coll->indexes()) {
      if (i->spec().name != n) continue;
      if (i->spec().is_id) return Status(kInvalidOptions, "cannot drop _id index");
      found = true;
    }
    if (!found) return Status(kIndexNotFound, "index not found with name [" + n + "]");
  }
  for (const std::string& n : names) MM_RETURN_IF_ERROR(coll->DropIndex(n));
  return Document{{"nIndexesWas", was}, {"ok", 1.0}};
}

}  // namespace

CommandSpec CreateIndexesCommand() {
  return CommandSpec{"createIndexes",
                     "Builds indexes, creating the collection when missing.",
                     {"indexes", "commitQuorum"},
                     {},
                     CreateIndexes};
}

CommandSpec ListIndexesCommand() {
  return CommandSpec{
      "listIndexes", "Lists a collection's index specifications.", {"cursor"}, {}, ListIndexes};
}

CommandSpec DropIndexesCommand() {
  return CommandSpec{"dropIndexes",
                     "Drops indexes by name, names, key pattern or \"*\".",
                     {"index"},
                     {},
                     DropIndexes};
}

}  // namespace mm::commands
