// `backup`: the collections a plan touches (or all), in mongodump's layout.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "backup/dump_layout.h"
#include "backup/output_file.h"
#include "mongomigrate/backup.h"
#include "mongomigrate/mongo.h"
#include "mongomigrate/version.h"
#include "value/bson_codec.h"

namespace mm {
namespace {

// Documents per cursor batch: a batch is what is held in memory at once.
constexpr int32_t kBatch = 1000;

struct Listed {
  std::string name;
  std::string type = "collection";
  Document options;
  std::string uuid;  // hex, as mongodump writes it ("" for a view)
};

std::string Hex(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

StatusOr<std::vector<Listed>> ListCollections(mongo::Database& db, const BackupOptions& options) {
  std::vector<Listed> out;
  Status listed =
      db.ForEach(Document{{"listCollections", 1}, {"cursor", Document{}}}, [&](Document&& info) {
        Listed c;
        const Value* name = info.Get("name");
        if (!name || !name->Is<std::string>()) return Status::Ok();
        c.name = name->As<std::string>();
        const auto& wanted = options.collections;
        const auto& excluded = options.excluded;
        if (c.name.starts_with("system.") ||
            std::find(excluded.begin(), excluded.end(), c.name) != excluded.end() ||
            (!wanted.empty() && std::find(wanted.begin(), wanted.end(), c.name) == wanted.end())) {
          return Status::Ok();
        }
        if (const Value* type = info.Get("type"); type && type->Is<std::string>()) {
          c.type = type->As<std::string>();
        }
        if (const Value* o = info.Get("options"); o && o->Is<Document>()) {
          c.options = o->As<Document>();
        }
        if (const Value* i = info.Get("info"); i && i->Is<Document>()) {
          if (const Value* uuid = i->As<Document>().Get("uuid"); uuid && uuid->Is<Binary>()) {
            c.uuid = Hex(uuid->As<Binary>().bytes);
          }
        }
        out.push_back(std::move(c));
        return Status::Ok();
      });
  if (!listed.ok()) return listed;
  std::sort(out.begin(), out.end(),
            [](const Listed& a, const Listed& b) { return a.name < b.name; });
  return out;
}

// mongo-tools' metadata_dump.go: options (when any), indexes as listIndexes gives them, uuid,
// collectionName, type; canonical Extended JSON.
StatusOr<std::string> Metadata(mongo::Database& db, const Listed& c) {
  Array indexes;
  if (c.type != "view") {
    MM_RETURN_IF_ERROR(
        db.ForEach(Document{{"listIndexes", c.name}, {"cursor", Document{}}}, [&](Document&& spec) {
          indexes.items.push_back(std::move(spec));
          return Status::Ok();
        }));
  }
  Document metadata;
  if (!c.options.empty()) metadata.Append("options", c.options);
  metadata.Append("indexes", indexes);
  if (!c.uuid.empty()) metadata.Append("uuid", c.uuid);
  metadata.Append("collectionName", c.name);
  metadata.Append("type", c.type);
  return ToCanonicalJson(metadata);
}

}  // namespace

StatusOr<BackupSummary> Backup(mongo::Database& db, const std::string& dir,
                               const BackupOptions& options) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return Status(kBadValue, "the backup directory " + dir +
                                 " is not empty: a backup is never written over another; name "
                                 "a new directory");
  }
  const std::string db_dir = dir + "/" + db.name();
  MM_RETURN_IF_ERROR(backup::MakePrivateDirectory(dir));
  MM_RETURN_IF_ERROR(backup::MakePrivateDirectory(db_dir));
  auto listed = ListCollections(db, options);
  if (!listed.ok()) return listed.status();

  BackupSummary summary;
  summary.database = db.name();
  for (const Listed& c : *listed) {
    const std::string base = db_dir + "/" + backup::EscapeName(c.name);
    auto metadata = Metadata(db, c);
    if (!metadata.ok()) return metadata.status();
    auto meta_file = backup::OutputFile::Create(base + ".metadata.json");
    if (!meta_file.ok()) return meta_file.status();
    MM_RETURN_IF_ERROR(meta_file->Write(*metadata));
    MM_RETURN_IF_ERROR(meta_file->Finish());
    BackupSummary::Collection dumped{c.name, c.type, 0};
    if (c.type != "view") {
      BackupProgress progress{c.name, 0, std::nullopt};
      if (auto counted = db.RunCommand(Document{{"count", c.name}}); counted.ok()) {
        if (const Value* n = counted->Get("n"); n && n->IsNumber()) {
          progress.total = n->AsExactInt64();
        }
      }
      if (options.progress) options.progress(progress);
      auto data = backup::OutputFile::Create(base + ".bson");
      if (!data.ok()) return data.status();
      int64_t in_batch = 0;
      MM_RETURN_IF_ERROR(db.ForEach(
          Document{{"find", c.name}, {"batchSize", kBatch}},
          [&](Document&& d) {
            std::string bytes = EncodeBson(d);
            summary.bytes += static_cast<int64_t>(bytes.size());
            ++dumped.documents;
            if (++in_batch == kBatch && options.progress) {
              in_batch = 0;
              progress.done = dumped.documents;
              options.progress(progress);
            }
            return data->Write(bytes);
          },
          kBatch));
      MM_RETURN_IF_ERROR(data->Finish());
      progress.done = dumped.documents;
      if (options.progress) options.progress(progress);
    }
    summary.collections.push_back(std::move(dumped));
  }

  // Last: a backup with its manifest is a whole one.
  nlohmann::ordered_json manifest;
  manifest["database"] = summary.database;
  manifest["takenAt"] = FormatUtc(DateTime{std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count()});
  manifest["takenBefore"] = options.before_versions;
  manifest["tool"] = std::string("mongo-migrate ") + kVersion;
  manifest["layout"] = "mongodump: <database>/<collection>.bson and .metadata.json";
  nlohmann::ordered_json collections = nlohmann::ordered_json::array();
  for (const BackupSummary::Collection& c : summary.collections) {
    collections.push_back({{"name", c.name}, {"type", c.type}, {"documents", c.documents}});
  }
  manifest["collections"] = collections;
  auto manifest_file = backup::OutputFile::Create(dir + "/" + backup::kManifestName);
  if (!manifest_file.ok()) return manifest_file.status();
  MM_RETURN_IF_ERROR(manifest_file->Write(manifest.dump(2) + "\n"));
  MM_RETURN_IF_ERROR(manifest_file->Finish());
  return summary;
}

}  // namespace mm
