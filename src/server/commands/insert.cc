#include "server/commands/handlers.h"
#include "server/commands/write_errors.h"

namespace mm::commands {
namespace {

StatusOr<Document> Insert(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  const Value* documents = cmd.Get("documents");
  if (!documents)
    return Status(40414, "BSON field 'insert.documents' is missing but a required field");
  if (!documents->Is<Array>()) return TypeMismatch("insert", "documents", "array", *documents);
  const auto& docs = documents->As<Array>().items;
  if (docs.empty())
    return Status(kInvalidLength,
                  "Write batch sizes must be between 1 and 100000. Got 0 operations.");
  const bool ordered = OptionalBool(cmd, "ordered", true);
  auto coll = ctx.catalog.GetOrCreate(ctx.db, *name);
  if (!coll.ok()) return coll.status();
  int32_t n = 0;
  Array errors;
  for (size_t i = 0; i < docs.size(); ++i) {
    Status s = docs[i].Is<Document>() ? (*coll)->Insert(docs[i].As<Document>())
                                      : TypeMismatch("insert", "documents", "object", docs[i]);
    if (s.ok()) {
      ++n;
      continue;
    }
    errors.items.push_back(WriteError(i, s));
    if (ordered) break;
  }
  Document reply{{"n", n}};
  if (!errors.items.empty()) reply.Append("writeErrors", std::move(errors));
  reply.Append("ok", 1.0);
  return reply;
}

}  // namespace

CommandSpec InsertCommand() {
  return CommandSpec{"insert",
                     "Inserts documents; per-document errors in writeErrors.",
                     {"documents", "ordered", "bypassDocumentValidation"},
                     {},
                     Insert};
}

}  // namespace mm::commands
