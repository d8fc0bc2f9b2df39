#include "server/commands/collection_options.h"
#include "server/commands/handlers.h"

namespace mm::commands {
namespace {

StatusOr<Document> CollMod(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  engine::Collection* coll = ctx.catalog.Find(ctx.db, *name);
  if (!coll) return Status(kNamespaceNotFound, "ns does not exist: " + ctx.db + "." + *name);
  Document reply;
  Document validation;
  for (const char* field : {"validator", "validationLevel", "validationAction"}) {
    if (const Value* v = cmd.Get(field)) validation.Append(field, *v);
  }
  if (!validation.empty()) {
    if (const Value* v = validation.Get("validator"); v && !v->Is<Document>()) {
      return TypeMismatch("collMod", "validator", "object", *v);
    }
    MM_RETURN_IF_ERROR(coll->SetValidation(validation));
    Document options = coll->options();
    for (const Field& f : validation.fields()) options.Set(f.key, f.value);
    coll->set_options(std::move(options));
    coll->Persist();
  }
  if (const Value* images = cmd.Get("changeStreamPreAndPostImages")) {
    MM_RETURN_IF_ERROR(CheckPreAndPostImages("collMod", *images));
    Document options = coll->options();
    options.Set("changeStreamPreAndPostImages", *images);
    coll->set_options(std::move(options));
    coll->Persist();
  }
  if (const Value* index = cmd.Get("index")) {
    if (!index->Is<Document>()) return TypeMismatch("collMod", "index", "object", *index);
    const Document& change = index->As<Document>();
    if (!change.Has("name") && !change.Has("keyPattern")) {
      return Status(kInvalidOptions, "must specify either index name or key pattern");
    }
    MM_RETURN_IF_ERROR(coll->ModifyIndex(change, &reply));
  }
  reply.Append("ok", 1.0);
  return reply;
}

}  // namespace

CommandSpec CollModCommand() {
  return CommandSpec{
      "collMod",
      "Changes a collection's validator or an index's hidden/TTL option.",
      {"validator", "validationLevel", "validationAction", "index", "changeStreamPreAndPostImages"},
      {"viewOn", "pipeline", "expireAfterSeconds", "timeseries", "cappedSize", "cappedMax"},
      CollMod};
}

}  // namespace mm::commands
