// listCollections and listDatabases.
#include "server/commands/handlers.h"
#include "server/engine/match.h"

namespace mm::commands {
namespace {

StatusOr<Document> ListCollections(const Document& cmd, CommandContext& ctx) {
  auto filter = OptionalDocument(cmd, "filter");
  if (!filter.ok()) return filter.status();
  auto matcher = engine::Matcher::Parse(*filter ? **filter : Document{});
  if (!matcher.ok()) return matcher.status();
  const bool name_only = OptionalBool(cmd, "nameOnly", false);
  auto batch_size = CursorBatchSize(cmd, -1);
  if (!batch_size.ok()) return batch_size.status();
  std::vector<Document> out;
  for (engine::Collection* c : ctx.catalog.Collections(ctx.db)) {
    Document entry{{"name", c->name()}, {"type", "collection"}};
    if (!name_only) {
      entry.Append("options", c->options());
      entry.Append("info", Document{{"readOnly", false}, {"uuid", c->uuid()}});
      // A clustered collection has no separate _id index (its clustered index is listed in
      // options, and by listIndexes).
      if (!c->options().Has("clusteredIndex")) {
        entry.Append("idIndex",
                     Document{{"v", 2}, {"key", Document{{"_id", 1}}}, {"name", "_id_"}});
      }
    }
    if (matcher->Matches(entry)) out.push_back(std::move(entry));
  }
  std::string ns = ctx.db + ".$cmd.listCollections";
  int64_t id = OpenIfMore(ctx.cursors, ns, &out, *batch_size);
  return CursorReply(ns, id, std::move(out), true);
}

StatusOr<Document> ListDatabases(const Document& cmd, CommandContext& ctx) {
  if (ctx.db != "admin")
    return Status(13, "listDatabases may only be run against the admin database.");
  auto filter = OptionalDocument(cmd, "filter");
  if (!filter.ok()) return filter.status();
  auto matcher = engine::Matcher::Parse(*filter ? **filter : Document{});
  if (!matcher.ok()) return matcher.status();
  const bool name_only = OptionalBool(cmd, "nameOnly", false);
  Array dbs;
  for (const std::string& name : ctx.catalog.DatabaseNames()) {
    Document entry{{"name", name}};
    if (!name_only) {
      entry.Append("sizeOnDisk", int64_t{8192});
      entry.Append("empty", false);
    }
    if (matcher->Matches(entry)) dbs.items.emplace_back(std::move(entry));
  }
  Document reply{{"databases", std::move(dbs)}};
  if (!name_only) {
    reply.Append(
        "totalSize",
        int64_t{8192} * static_cast<int64_t>(reply.Get("databases")->As<Array>().items.size()));
    reply.Append("totalSizeMb", int64_t{0});
  }
  reply.Append("ok", 1.0);
  return reply;
}

}  // namespace

CommandSpec ListCollectionsCommand() {
  return CommandSpec{"listCollections",
                     "Lists the collections of a database.",
                     {"filter", "nameOnly", "cursor", "authorizedCollections"},
                     {},
                     ListCollections};
}

CommandSpec ListDatabasesCommand() {
  return CommandSpec{"listDatabases",
                     "Lists databases (run against admin).",
                     {"filter", "nameOnly", "authorizedDatabases"},
                     {},
                     ListDatabases};
}

}  // namespace mm::commands
