// Reading a schema from a database and creating one in another (a shadow devmongod).
#include <algorithm>

#include "mongomigrate/mongo.h"
#include "mongomigrate/schema.h"

namespace mm {
namespace {

Document SortedByKey(Document d) {
  std::stable_sort(d.fields().begin(), d.fields().end(),
                   [](const Field& a, const Field& b) { return a.key < b.key; });
  return d;
}

// {key, name, then the options by name}: what MongoDB reports, minus the index version (`v`:
// it follows the server's release, not the migration) and `ns` (older servers add it).
Document NormalizedIndex(const Document& spec) {
  Document out;
  if (const Value* key = spec.Get("key")) out.Append("key", *key);
  if (const Value* name = spec.Get("name")) out.Append("name", *name);
  Document rest;
  for (const Field& f : spec.fields()) {
    if (f.key == "key" || f.key == "name" || f.key == "v" || f.key == "ns" ||
        f.key == "background") {
      continue;
    }
    rest.Append(f.key, f.value);
  }
  Document sorted = SortedByKey(std::move(rest));
  for (Field& f : sorted.fields()) out.Append(f.key, std::move(f.value));
  return out;
}

std::string NameOf(const Document& d) {
  const Value* name = d.Get("name");
  return name && name->Is<std::string>() ? name->As<std::string>() : "";
}

}  // namespace

StatusOr<Schema> ReadSchema(mongo::Database& db, const std::vector<std::string>& excluded) {
  Schema schema;
  Status listed =
      db.ForEach(Document{{"listCollections", 1}, {"cursor", Document{}}}, [&](Document&& info) {
        CollectionSchema c;
        c.name = NameOf(info);
        if (c.name.empty()) {
          return Status(kFailedToParse, "listCollections answered a collection without a name");
        }
        if (c.name.starts_with("system.") ||
            std::find(excluded.begin(), excluded.end(), c.name) != excluded.end()) {
          return Status::Ok();
        }
        if (const Value* type = info.Get("type"); type && type->Is<std::string>()) {
          c.type = type->As<std::string>();
        }
        if (const Value* options = info.Get("options"); options && options->Is<Document>()) {
          c.options = SortedByKey(options->As<Document>());
        }
        schema.collections.push_back(std::move(c));
        return Status::Ok();
      });
  if (!listed.ok()) return listed;
  std::sort(schema.collections.begin(), schema.collections.end(),
            [](const CollectionSchema& a, const CollectionSchema& b) { return a.name < b.name; });
  for (CollectionSchema& c : schema.collections) {
    if (c.type == "view") continue;  // a view has no indexes of its own
    Status read =
        db.ForEach(Document{{"listIndexes", c.name}, {"cursor", Document{}}}, [&](Document&& spec) {
          c.indexes.push_back(NormalizedIndex(spec));
          return Status::Ok();
        });
    if (!read.ok())
      return read.Reworded("reading the indexes of " + c.name + ": " + read.message());
    std::sort(c.indexes.begin(), c.indexes.end(),
              [](const Document& a, const Document& b) { return NameOf(a) < NameOf(b); });
  }
  return schema;
}

Status CreateSchema(mongo::Database& db, const Schema& schema) {
  // Collections first: a view may be defined on any of them.
  for (bool views : {false, true}) {
    for (const CollectionSchema& c : schema.collections) {
      if ((c.type == "view") != views) continue;
      Document create{{"create", c.name}};
      for (const Field& f : c.options.fields()) create.Append(f.key, f.value);
      auto created = db.RunCommand(create);
      if (!created.ok()) {
        return created.status().Reworded("creating " + c.name + ": " + created.status().message());
      }
      Array indexes;
      for (const Document& index : c.indexes) {
        if (NameOf(index) != "_id_") indexes.items.push_back(index);
      }
      if (indexes.items.empty()) continue;
      auto built = db.RunCommand(Document{{"createIndexes", c.name}, {"indexes", indexes}});
      if (!built.ok()) {
        return built.status().Reworded("creating the indexes of " + c.name + ": " +
                                       built.status().message());
      }
    }
  }
  return Status::Ok();
}

}  // namespace mm
