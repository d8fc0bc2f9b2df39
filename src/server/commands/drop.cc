// drop and dropDatabase.
#include "server/commands/handlers.h"

namespace mm::commands {

CommandSpec DropCommand() {
  return CommandSpec{"drop",
                     "Drops a collection and its indexes; a missing collection is not an error.",
                     {},
                     {},
                     [](const Document& cmd, CommandContext& ctx) -> StatusOr<Document> {
                       auto name = CollectionName(cmd);
                       if (!name.ok()) return name.status();
                       engine::Collection* coll = ctx.catalog.Find(ctx.db, *name);
                       if (!coll)
                         return Document{{"ok", 1.0}};  // MongoDB 7.0 answers ok for a missing one
                       auto n_indexes = static_cast<int32_t>(coll->indexes().size());
                       std::string ns = coll->ns();
                       ctx.catalog.Drop(ctx.db, *name);
                       return Document{{"nIndexesWas", n_indexes}, {"ns", ns}, {"ok", 1.0}};
                     }};
}

CommandSpec DropDatabaseCommand() {
  return CommandSpec{"dropDatabase",
                     "Drops the database named by $db.",
                     {},
                     {},
                     [](const Document&, CommandContext& ctx) -> StatusOr<Document> {
                       ctx.catalog.DropDatabase(ctx.db);
                       return Document{{"ok", 1.0}};
                     }};
}

}  // namespace mm::commands
