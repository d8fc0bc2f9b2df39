#include "server/commands/collection_options.h"

#include "server/commands/command.h"

namespace mm::commands {
namespace {

Status MissingField(std::string_view path) {
  return Status(kIdlRequiredFieldMissing,
                "BSON field '" + std::string(path) + "' is missing but a required field");
}

Status UnknownField(std::string_view path) {
  return Status(kUnknownField, "BSON field '" + std::string(path) + "' is an unknown field.");
}

}  // namespace

StatusOr<std::optional<Document>> CanonicalClusteredIndex(const Value& option) {
  if (const bool* legacy = option.If<bool>()) {
    if (!*legacy) return std::optional<Document>();
    return Status(kNotImplemented,
                  "devmongod does not implement the legacy clusteredIndex: true form (used by "
                  "time-series buckets); give {key: {_id: 1}, unique: true}");
  }
  const Document* spec = option.If<Document>();
  if (!spec) return Status(5979702, "'clusteredIndex' has to be a boolean or object.");
  const Value* key = spec->Get("key");
  const Value* unique = spec->Get("unique");
  for (const Field& f : spec->fields()) {
    if (f.key != "key" && f.key != "unique" && f.key != "name" && f.key != "v") {
      return UnknownField("create.clusteredIndex." + f.key);
    }
  }
  if (!key) return MissingField("create.clusteredIndex.key");
  if (!unique) return MissingField("create.clusteredIndex.unique");
  if (!key->Is<Document>()) return TypeMismatch("create", "clusteredIndex.key", "object", *key);
  if (!unique->Is<bool>()) return TypeMismatch("create", "clusteredIndex.unique", "bool", *unique);
  const Value* name = spec->Get("name");
  if (name && !name->Is<std::string>()) {
    return TypeMismatch("create", "clusteredIndex.name", "string", *name);
  }
  if (const Value* v = spec->Get("v"); v && !(v->IsNumber() && v->AsExactInt64() == 2)) {
    return Status(kInvalidOptions,
                  "Invalid clusteredIndex version: the only supported version "
                  "is 2");
  }
  if (!unique->As<bool>()) {
    return Status(kInvalidOptions, "The clusteredIndex option requires unique: true");
  }
  if (!(key->As<Document>() == Document{{"_id", 1}})) {
    return Status(kInvalidOptions, "The clusteredIndex option is only supported for key: {_id: 1}");
  }
  return std::optional<Document>(Document{{"v", 2},
                                          {"key", key->As<Document>()},
                                          {"name", name ? name->As<std::string>() : "_id_"},
                                          {"unique", true}});
}

Status CheckPreAndPostImages(std::string_view command, const Value& option) {
  const std::string path = std::string(command) + ".changeStreamPreAndPostImages";
  const Document* d = option.If<Document>();
  if (!d) return TypeMismatch(command, "changeStreamPreAndPostImages", "object", option);
  for (const Field& f : d->fields()) {
    if (f.key != "enabled") return UnknownField(path + "." + f.key);
  }
  const Value* enabled = d->Get("enabled");
  if (!enabled) return MissingField(path + ".enabled");
  if (!enabled->Is<bool>()) {
    return TypeMismatch(command, "changeStreamPreAndPostImages.enabled", "bool", *enabled);
  }
  return Status::Ok();
}

}  // namespace mm::commands
