#include "cli/migrate_mongo_config.h"

#include <cmath>

#include "js/js_migration.h"
#include "value/bson_codec.h"

namespace mm::cli {
namespace {

// A string key of `doc`, if set; an error naming the key when it is set to something else.
Status ReadText(const Document& doc, const std::string& key, const std::string& shown,
                const std::string& where, std::optional<std::string>* out) {
  const Value* v = doc.Get(key);
  if (!v || v->IsNullish()) return Status::Ok();
  if (!v->Is<std::string>()) {
    return Status(kBadValue, where + ": " + shown + " must be a string");
  }
  *out = v->As<std::string>();
  return Status::Ok();
}

}  // namespace

StatusOr<MigrateMongoConfig> LoadMigrateMongoConfig(const std::filesystem::path& path) {
  auto exported = js::ReadJsExports(path);
  if (!exported.ok()) return exported.status();
  auto parsed = ParseExtendedJson(*exported);
  const std::string where = path.string();
  if (!parsed.ok()) {
    return Status(kBadValue, where +
                                 ": it must export the configuration object "
                                 "(module.exports = { mongodb: { url, databaseName }, … })");
  }
  const Document& config = *parsed;
  MigrateMongoConfig out;
  out.path = path;
  const Value* mongodb = config.Get("mongodb");
  if (!mongodb || !mongodb->Is<Document>()) {
    return Status(kBadValue, where + ": mongodb must be an object with url and databaseName");
  }
  std::optional<std::string> url;
  MM_RETURN_IF_ERROR(ReadText(mongodb->As<Document>(), "url", "mongodb.url", where, &url));
  if (!url || url->empty()) {
    return Status(kBadValue, where + ": no `url` defined in mongodb (as migrate-mongo says)");
  }
  out.url = *url;
  MM_RETURN_IF_ERROR(ReadText(mongodb->As<Document>(), "databaseName", "mongodb.databaseName",
                              where, &out.database));
  std::optional<std::string> text;
  MM_RETURN_IF_ERROR(ReadText(config, "migrationsDir", "migrationsDir", where, &text));
  if (text && !text->empty()) out.migrations_dir = *text;
  text.reset();
  MM_RETURN_IF_ERROR(
      ReadText(config, "changelogCollectionName", "changelogCollectionName", where, &text));
  if (text && !text->empty()) out.changelog.collection = *text;
  text.reset();
  MM_RETURN_IF_ERROR(ReadText(config, "lockCollectionName", "lockCollectionName", where, &text));
  if (text && !text->empty()) out.changelog.lock_collection = *text;
  text.reset();
  MM_RETURN_IF_ERROR(
      ReadText(config, "migrationFileExtension", "migrationFileExtension", where, &text));
  if (text && !text->empty()) {
    if (!text->starts_with(".")) {
      return Status(kBadValue, where + ": migrationFileExtension must start with dot");
    }
    out.extension = *text;
  }
  if (const Value* ttl = config.Get("lockTtl"); ttl && !ttl->IsNullish()) {
    if (!ttl->IsNumber() || !std::isfinite(ttl->AsDouble()) || ttl->AsDouble() > 31536000) {
      return Status(kBadValue, where + ": lockTtl must be a number of seconds");
    }
    out.changelog.lock_ttl_seconds = static_cast<int64_t>(ttl->AsDouble());
  }
  if (const Value* hash = config.Get("useFileHash"); hash && !hash->IsNullish()) {
    out.changelog.use_file_hash = hash->Is<bool>() && hash->As<bool>();
  }
  return out;
}

}  // namespace mm::cli
