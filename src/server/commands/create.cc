#include "server/commands/collection_options.h"
#include "server/commands/handlers.h"
#include "value/bson_codec.h"

namespace mm::commands {
namespace {

StatusOr<Document> Create(const Document& cmd, CommandContext& ctx) {
  auto name = CollectionName(cmd);
  if (!name.ok()) return name.status();
  Document options;
  for (size_t i = 1; i < cmd.fields().size(); ++i) {
    const Field& f = cmd.fields()[i];
    if (f.key.starts_with('$') || IsGenericField(f.key)) continue;
    if (f.key == "validator" && !f.value.Is<Document>()) {
      return TypeMismatch("create", "validator", "object", f.value);
    }
    if (f.key == "clusteredIndex") {
      auto clustered = CanonicalClusteredIndex(f.value);
      if (!clustered.ok()) return clustered.status();
      if (*clustered) options.Append(f.key, **clustered);
      continue;
    }
    if (f.key == "changeStreamPreAndPostImages") {
      MM_RETURN_IF_ERROR(CheckPreAndPostImages("create", f.value));
    }
    options.Append(f.key, f.value);
  }
  if (options.Has("size") && !OptionalBool(options, "capped", false)) {
    return Status(kInvalidOptions, "the 'size' field is only allowed with 'capped: true'");
  }
  if (OptionalBool(options, "capped", false) && !options.Has("size")) {
    return Status(kInvalidOptions, "the 'size' field is required when 'capped' is true");
  }
  if (engine::Collection* existing = ctx.catalog.Find(ctx.db, *name)) {
    // MongoDB 7.0: creating an existing collection with identical options succeeds.
    if (existing->options() == options) return Document{{"ok", 1.0}};
    return Status(kNamespaceExists, "Collection " + ctx.db + "." + *name + " already exists.");
  }
  MM_RETURN_IF_ERROR(engine::Catalog::ValidateCollectionName(ctx.db, *name));
  if (options.Has("validator")) {
    // Validate the filter before creating anything.
    auto probe = engine::Matcher::Parse(options.Get("validator")->As<Document>());
    if (!probe.ok()) return probe.status();
  }
  for (const char* level : {"validationLevel", "validationAction"}) {
    if (const Value* v = options.Get(level); v && !v->Is<std::string>()) {
      return TypeMismatch("create", level, "string", *v);
    }
  }
  auto coll = ctx.catalog.Create(ctx.db, *name, options);
  if (!coll.ok()) return coll.status();
  Status validation = (*coll)->SetValidation(options);
  if (!validation.ok()) {
    ctx.catalog.Drop(ctx.db, *name);
    return validation;
  }
  return Document{{"ok", 1.0}};
}

}  // namespace

CommandSpec CreateCommand() {
  return CommandSpec{
      "create",
      "Creates a collection with options (validator, capped).",
      {"capped", "size", "max", "validator", "validationLevel", "validationAction", "storageEngine",
       "indexOptionDefaults", "idIndex", "autoIndexId", "clusteredIndex",
       "changeStreamPreAndPostImages"},
      {"collation", "timeseries", "viewOn", "pipeline", "expireAfterSeconds", "encryptedFields"},
      Create};
}

}  // namespace mm::commands
