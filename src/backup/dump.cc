// `backup`: the collections a plan touches (or all), in mongodump's layout.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
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
  std::string json = ToCanonicalJson(metadata);
  // libbson gives "{}" for what it cannot write as JSON (a string that is not UTF-8): such a
  // file would restore without its indexes.
  if (json.find("collectionName") == std::string::npos) {
    return Status(kBadValue, "the options or indexes of " + c.name +
                                 " cannot be written as JSON (a string that is not UTF-8?)");
  }
  return json;
}

// The manifest: written first saying the backup is unfinished, replaced at the end.
Status WriteManifest(const std::string& dir, const BackupSummary& summary,
                     const BackupOptions& options, bool complete) {
  nlohmann::ordered_json manifest;
  manifest["database"] = summary.database;
  manifest["complete"] = complete;
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
  const std::string path = dir + "/" + backup::kManifestName;
  const std::string temp = path + ".tmp";
  auto file = backup::OutputFile::Create(complete ? temp : path);
  if (!file.ok()) return file.status();
  MM_RETURN_IF_ERROR(file->Write(manifest.dump(2) + "\n"));
  MM_RETURN_IF_ERROR(file->Finish());
  if (complete && std::rename(temp.c_str(), path.c_str()) != 0) {
    return Status(kBadValue, "cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
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
  if (options.require_named) {
    for (const std::string& name : options.collections) {
      if (std::none_of(listed->begin(), listed->end(),
                       [&](const Listed& c) { return c.name == name; })) {
        return Status(kBadValue, "no collection " + name + " in " + db.name() + " to back up");
      }
    }
  }
  for (const Listed& c : *listed) {
    if (c.type != "collection" && c.type != "view") {
      return Status(kBadValue, c.name + " is a " + c.type +
                                   " collection, which mongo-migrate does not back up; use "
                                   "mongodump (or leave it out with --collections)");
    }
  }

  BackupSummary summary;
  summary.database = db.name();
  MM_RETURN_IF_ERROR(WriteManifest(dir, summary, options, /*complete=*/false));
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
            if (++in_batch == kBatch) {
              in_batch = 0;
              if (int signal = options.interrupted ? options.interrupted() : 0) {
                return Status(kInterrupted, "interrupted: the backup in " + dir +
                                                " is unfinished and cannot be restored")
                    .Interrupted(signal);
              }
              progress.done = dumped.documents;
              if (options.progress) options.progress(progress);
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

  // Last: a backup whose manifest says complete is a whole one.
  MM_RETURN_IF_ERROR(WriteManifest(dir, summary, options, /*complete=*/true));
  return summary;
}

}  // namespace mm
