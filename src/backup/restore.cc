// `restore`: a backup in mongodump's layout put back, collection by collection.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backup/dump_layout.h"
#include "backup/dump_reader.h"
#include "mongomigrate/backup.h"
#include "mongomigrate/mongo.h"
#include "value/bson_codec.h"

namespace mm {
namespace {

namespace fs = std::filesystem;

// An insert holds at most this many documents or bytes (MongoDB takes 100,000 and 16 MiB in
// one message section; smaller batches keep memory flat).
constexpr size_t kBatchDocuments = 1000;
constexpr size_t kBatchBytes = 8 * 1024 * 1024;
// Where a collection is rebuilt before it is renamed over its own: one at a time (restore holds
// the migration lock), and short, so that a long collection name still fits MongoDB's limit.
constexpr const char* kBuilding = "mongo_migrate_restoring";

struct Dumped {
  std::string name;
  std::string type = "collection";
  Document options;
  std::vector<Document> indexes;
  std::string bson_path;  // "" for a view
};

StatusOr<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(kBadValue, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The database directory of the dump: the manifest's, else the only one there is. A manifest
// that says the backup never finished is refused.
StatusOr<fs::path> DatabaseDirectory(const std::string& dir) {
  const fs::path manifest = fs::path(dir) / backup::kManifestName;
  std::error_code ec;
  if (fs::exists(manifest, ec)) {
    auto text = ReadText(manifest);
    if (!text.ok()) return text.status();
    auto parsed = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object() || !parsed.contains("database") || !parsed["database"].is_string()) {
      return Status(kFailedToParse, manifest.string() + ": no \"database\" in it");
    }
    if (parsed.contains("complete") && parsed["complete"] == false) {
      return Status(kBadValue, dir +
                                   " is an unfinished backup (the run that took it stopped "
                                   "before the end): it cannot be restored");
    }
    const std::string database = parsed["database"].get<std::string>();
    if (database.empty() || database.find_first_of("/\\") != std::string::npos || database == "." ||
        database == "..") {
      return Status(kFailedToParse, manifest.string() + ": \"database\" is not a database name");
    }
    return fs::path(dir) / database;
  }
  std::vector<fs::path> subdirectories;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory()) subdirectories.push_back(it->path());
  }
  if (ec) return Status(kBadValue, "cannot read the backup directory " + dir + ": " + ec.message());
  if (subdirectories.size() != 1) {
    return Status(kBadValue, dir + " is not a backup: it has no " + backup::kManifestName +
                                 " and not exactly one database directory");
  }
  return subdirectories.front();
}

StatusOr<Dumped> ReadMetadata(const fs::path& db_dir, const fs::path& path,
                              const std::string& escaped) {
  auto name = backup::UnescapeName(escaped);
  if (!name) return Status(kFailedToParse, path.string() + ": a malformed file name");
  auto text = ReadText(path);
  if (!text.ok()) return text.status();
  auto metadata = ParseExtendedJson(*text);
  if (!metadata.ok()) {
    return Status(kFailedToParse, path.string() + ": " + metadata.status().message());
  }
  Dumped d;
  d.name = *name;
  if (const Value* n = metadata->Get("collectionName"); n && n->Is<std::string>()) {
    d.name = n->As<std::string>();
  }
  if (const Value* t = metadata->Get("type"); t && t->Is<std::string>()) {
    d.type = t->As<std::string>();
  }
  if (d.type != "collection" && d.type != "view") {
    return Status(kBadValue, path.string() + ": a " + d.type +
                                 " collection, which mongo-migrate does not restore (MongoDB "
                                 "cannot rename it into place); use mongorestore");
  }
  if (const Value* o = metadata->Get("options"); o && o->Is<Document>()) {
    d.options = o->As<Document>();
  }
  if (const Value* i = metadata->Get("indexes"); i && i->Is<Array>()) {
    for (const Value& spec : i->As<Array>().items) {
      if (!spec.Is<Document>()) {
        return Status(kFailedToParse, path.string() + ": an index is not an object");
      }
      d.indexes.push_back(spec.As<Document>());
    }
  }
  if (d.type != "view") {
    const fs::path bson = db_dir / (escaped + ".bson");
    std::error_code ec;
    if (!fs::exists(bson, ec)) {
      return Status(kBadValue, bson.string() + " is missing (its metadata is there)");
    }
    d.bson_path = bson.string();
  }
  return d;
}

StatusOr<std::vector<Dumped>> ReadDump(const fs::path& db_dir) {
  std::vector<Dumped> out;
  std::error_code ec;
  const std::string suffix = ".metadata.json";
  for (fs::directory_iterator it(db_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = it->path().filename().string();
    if (!file.ends_with(suffix)) continue;
    auto d = ReadMetadata(db_dir, it->path(), file.substr(0, file.size() - suffix.size()));
    if (!d.ok()) return d.status();
    out.push_back(std::move(d).value());
  }
  if (ec) return Status(kBadValue, "cannot read " + db_dir.string() + ": " + ec.message());
  // Collections before views (a view needs what it is defined on), each group by name.
  std::sort(out.begin(), out.end(), [](const Dumped& a, const Dumped& b) {
    return std::make_pair(a.type == "view", a.name) < std::make_pair(b.type == "view", b.name);
  });
  return out;
}

Status ForEachDumped(const std::string& path,
                     const std::function<Status(Document&&, size_t)>& each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(kBadValue, "cannot read " + path);
  return backup::ReadDocuments(in, path, each);
}

Status Interrupted(const RestoreOptions& options) {
  int signal = options.interrupted ? options.interrupted() : 0;
  return signal ? Status(kInterrupted, "interrupted").Interrupted(signal) : Status::Ok();
}

// Streams the .bson file into `into` in inserts of a bounded size (past the validator, as
// mongorestore: the documents were valid where they came from).
Status LoadDocuments(mongo::Database& db, const Dumped& d, const std::string& into,
                     const RestoreOptions& options, int64_t& loaded) {
  BackupProgress progress{d.name, 0, std::nullopt};
  Array batch;
  size_t batch_bytes = 0;
  auto flush = [&]() -> Status {
    if (batch.items.empty()) return Status::Ok();
    MM_RETURN_IF_ERROR(Interrupted(options));
    auto inserted = db.RunCommand(Document{{"insert", into},
                                           {"documents", std::move(batch)},
                                           {"ordered", true},
                                           {"bypassDocumentValidation", true}});
    batch = Array{};
    batch_bytes = 0;
    if (!inserted.ok()) return inserted.status();
    progress.done = loaded;
    if (options.progress) options.progress(progress);
    return Status::Ok();
  };
  MM_RETURN_IF_ERROR(ForEachDumped(d.bson_path, [&](Document&& doc, size_t size) {
    // Flushed first: a batch never outgrows one message however large the next document is.
    if (batch.items.size() >= kBatchDocuments || batch_bytes + size > kBatchBytes) {
      MM_RETURN_IF_ERROR(flush());
    }
    batch.items.push_back(std::move(doc));
    batch_bytes += size;
    ++loaded;
    return Status::Ok();
  }));
  return flush();
}

// One collection, built whole under a temporary name and then renamed over its own (dropping
// it with --drop): a failure half-way leaves the collection as it was, and no half of it. A view
// holds no data: it is created in place.
StatusOr<BackupSummary::Collection> RestoreOne(mongo::Database& db, const Dumped& d,
                                               const RestoreOptions& options) {
  BackupSummary::Collection restored{d.name, d.type, 0};
  const bool view = d.type == "view";
  const std::string building = view ? d.name : kBuilding;
  auto cleanup = [&](const Status& result) {
    if (!result.ok() && !view) (void)db.RunCommand(Document{{"drop", building}});
    return result;
  };
  if (!view) (void)db.RunCommand(Document{{"drop", building}});  // an earlier crash's
  Document create{{"create", building}};
  for (const Field& f : d.options.fields()) create.Append(f.key, f.value);
  if (view && options.drop) {
    // A view cannot be renamed into place: it is tried under the temporary name first, so that
    // one MongoDB refuses never costs the collection or view it was to replace.
    Document trial{{"create", kBuilding}};
    for (const Field& f : d.options.fields()) trial.Append(f.key, f.value);
    (void)db.RunCommand(Document{{"drop", kBuilding}});
    auto tried = db.RunCommand(trial);
    (void)db.RunCommand(Document{{"drop", kBuilding}});
    if (!tried.ok()) return tried.status();
    auto dropped = db.RunCommand(Document{{"drop", d.name}});
    if (!dropped.ok() && dropped.status().code() != kNamespaceNotFound) return dropped.status();
  }
  auto created = db.RunCommand(create);
  if (!created.ok()) return cleanup(created.status());
  if (view) return restored;
  MM_RETURN_IF_ERROR(cleanup(LoadDocuments(db, d, building, options, restored.documents)));
  Array indexes;
  for (const Document& spec : d.indexes) {
    const Value* name = spec.Get("name");
    if (name && name->Is<std::string>() && name->As<std::string>() == "_id_") continue;
    Document index;
    for (const Field& f : spec.fields()) {
      if (f.key != "ns") index.Append(f.key, f.value);
    }
    indexes.items.push_back(std::move(index));
  }
  if (!indexes.items.empty()) {
    auto built = db.RunCommand(Document{{"createIndexes", building}, {"indexes", indexes}});
    if (!built.ok()) return cleanup(built.status());
  }
  MM_RETURN_IF_ERROR(cleanup(Interrupted(options)));
  mongo::Database admin(db.client(), "admin");  // where MongoDB takes renameCollection
  auto renamed = admin.RunCommand(Document{{"renameCollection", db.name() + "." + building},
                                           {"to", db.name() + "." + d.name},
                                           {"dropTarget", options.drop}});
  if (!renamed.ok()) return cleanup(renamed.status());
  return restored;
}

}  // namespace

StatusOr<BackupSummary> Restore(mongo::Database& db, const std::string& dir,
                                const RestoreOptions& options) {
  auto db_dir = DatabaseDirectory(dir);
  if (!db_dir.ok()) return db_dir.status();
  auto read = ReadDump(*db_dir);
  if (!read.ok()) return read.status();
  BackupSummary summary;
  summary.database = db.name();
  std::vector<Dumped> dumped;
  for (Dumped& d : *read) {
    // The tool's own collections (a plain mongodump has them): what the history says is the
    // person restoring's to settle, and the lock is the one this restore holds.
    if (std::find(options.excluded.begin(), options.excluded.end(), d.name) !=
        options.excluded.end()) {
      summary.skipped.push_back(d.name);
    } else {
      dumped.push_back(std::move(d));
    }
  }
  if (dumped.empty())
    return Status(kBadValue, db_dir->string() + " holds no collection to restore");

  // Nothing is written before every collection is known to be free (or --drop was given) and
  // every file reads to its end.
  std::vector<std::string> existing;
  MM_RETURN_IF_ERROR(
      db.ForEach(Document{{"listCollections", 1}, {"nameOnly", true}, {"cursor", Document{}}},
                 [&](Document&& info) {
                   if (const Value* n = info.Get("name"); n && n->Is<std::string>()) {
                     existing.push_back(n->As<std::string>());
                   }
                   return Status::Ok();
                 }));
  std::string clashing;
  for (const Dumped& d : dumped) {
    if (std::find(existing.begin(), existing.end(), d.name) != existing.end()) {
      clashing += (clashing.empty() ? "" : ", ") + d.name;
    }
  }
  if (!clashing.empty() && !options.drop) {
    return Status(kBadValue, "restore would overwrite " + clashing + " in " + db.name() +
                                 ", which exist: nothing was restored. Pass --drop to replace "
                                 "them with the backup's");
  }
  for (const Dumped& d : dumped) {
    if (d.bson_path.empty()) continue;
    MM_RETURN_IF_ERROR(ForEachDumped(d.bson_path, [](Document&&, size_t) { return Status::Ok(); }));
  }

  std::string done;
  for (size_t i = 0; i < dumped.size(); ++i) {
    auto restored = RestoreOne(db, dumped[i], options);
    if (!restored.ok()) {
      if (i == 0) return restored.status();
      std::string untouched;
      for (size_t j = i + 1; j < dumped.size(); ++j) {
        untouched += (untouched.empty() ? "" : ", ") + dumped[j].name;
      }
      // Some collections are replaced already: say which, and which are not.
      return restored.status()
          .Reworded("restoring " + dumped[i].name + " failed: " + restored.status().message() +
                    ". Already restored: " + done + "; " + dumped[i].name + " is as it was" +
                    (untouched.empty() ? "" : "; not restored: " + untouched))
          .WithKind(restored.status().kind() == FailureKind::kConfiguration
                        ? FailureKind::kMigrationFailed
                        : restored.status().kind());
    }
    done += (done.empty() ? "" : ", ") + dumped[i].name;
    summary.collections.push_back(std::move(restored).value());
  }
  return summary;
}

}  // namespace mm
