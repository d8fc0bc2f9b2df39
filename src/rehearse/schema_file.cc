// The schema snapshot's file: written indented, in a fixed key order, so that it diffs line by
// line in a pull request; read back with the project's depth-limited Extended JSON parser.
#include <nlohmann/json.hpp>

#include "mongomigrate/schema.h"
#include "value/bson_codec.h"

namespace mm {
namespace {

constexpr int kFormat = 1;

Document ToDocument(const SchemaSnapshot& snapshot) {
  Array migrations;
  for (const auto& [version, checksum] : snapshot.checksums) {
    migrations.items.push_back(Document{{"version", version}, {"checksum", checksum}});
  }
  Array collections;
  for (const CollectionSchema& c : snapshot.schema.collections) {
    Array indexes;
    for (const Document& index : c.indexes) indexes.items.push_back(index);
    collections.items.push_back(
        Document{{"name", c.name}, {"type", c.type}, {"options", c.options}, {"indexes", indexes}});
  }
  return Document{{"mongoMigrateSchema", kFormat},
                  {"version", snapshot.version},
                  {"migrations", migrations},
                  {"collections", collections}};
}

Status Bad(const std::string& file, const std::string& what) {
  return Status(kFailedToParse,
                file + ": " + what +
                    " (a schema file is written by `mongo-migrate schema --out FILE` or by "
                    "`up`/`down` when schema_file is set; regenerate it rather than edit it)");
}

}  // namespace

std::string SnapshotJson(const SchemaSnapshot& snapshot) {
  // Relaxed Extended JSON, then indented with the order kept (ordered_json: a key pattern's
  // order is its meaning).
  return nlohmann::ordered_json::parse(ToRelaxedJson(ToDocument(snapshot))).dump(2) + "\n";
}

StatusOr<SchemaSnapshot> ParseSnapshot(std::string_view json, const std::string& file) {
  auto parsed = ParseExtendedJson(json);
  if (!parsed.ok()) return Bad(file, parsed.status().message());
  const Document& d = *parsed;
  const Value* format = d.Get("mongoMigrateSchema");
  if (!format || !format->IsNumber() || format->AsExactInt64() != kFormat) {
    return Bad(file,
               "\"mongoMigrateSchema\": 1 is missing (not a schema file, or one from a "
               "newer mongo-migrate)");
  }
  SchemaSnapshot snapshot;
  const Value* version = d.Get("version");
  if (!version || !version->IsNumber() || !version->AsExactInt64() ||
      *version->AsExactInt64() < 0) {
    return Bad(file, "\"version\" must be a whole number ≥ 0");
  }
  snapshot.version = *version->AsExactInt64();
  if (const Value* migrations = d.Get("migrations")) {
    if (!migrations->Is<Array>()) return Bad(file, "\"migrations\" must be an array");
    for (const Value& m : migrations->As<Array>().items) {
      const Document* entry = m.If<Document>();
      const Value* v = entry ? entry->Get("version") : nullptr;
      const Value* sum = entry ? entry->Get("checksum") : nullptr;
      if (!v || !v->IsNumber() || !v->AsExactInt64() || !sum || !sum->Is<std::string>()) {
        return Bad(file, "each of \"migrations\" must be {\"version\": N, \"checksum\": \"…\"}");
      }
      snapshot.checksums.emplace_back(*v->AsExactInt64(), sum->As<std::string>());
    }
  }
  const Value* collections = d.Get("collections");
  if (!collections || !collections->Is<Array>()) {
    return Bad(file, "\"collections\" must be an array");
  }
  for (const Value& item : collections->As<Array>().items) {
    const Document* c = item.If<Document>();
    const Value* name = c ? c->Get("name") : nullptr;
    if (!name || !name->Is<std::string>() || name->As<std::string>().empty()) {
      return Bad(file, "each collection needs a \"name\"");
    }
    CollectionSchema schema;
    schema.name = name->As<std::string>();
    const std::string where = "collection " + schema.name + ": ";
    if (const Value* type = c->Get("type")) {
      if (!type->Is<std::string>()) return Bad(file, where + "\"type\" must be a string");
      schema.type = type->As<std::string>();
    }
    if (const Value* options = c->Get("options")) {
      if (!options->Is<Document>()) return Bad(file, where + "\"options\" must be an object");
      schema.options = options->As<Document>();
    }
    if (const Value* indexes = c->Get("indexes")) {
      if (!indexes->Is<Array>()) return Bad(file, where + "\"indexes\" must be an array");
      for (const Value& index : indexes->As<Array>().items) {
        const Document* spec = index.If<Document>();
        if (!spec || !spec->Get("key") || !spec->Get("key")->Is<Document>() || !spec->Get("name") ||
            !spec->Get("name")->Is<std::string>()) {
          return Bad(file, where + "each index needs a \"key\" object and a \"name\"");
        }
        schema.indexes.push_back(*spec);
      }
    }
    snapshot.schema.collections.push_back(std::move(schema));
  }
  return snapshot;
}

}  // namespace mm
