// Atlas Search index commands, as a mongod without search (a community server, not an Atlas
// deployment) answers them: they exist, and refuse with SearchNotEnabled (31082). devmongod
// has no search either, so it gives that answer, not CommandNotFound.
#include "server/commands/handlers.h"

namespace mm::commands {

Status SearchNotEnabled() {
  return Status(kSearchNotEnabled,
                "Using Atlas Search Database Commands and the $listSearchIndexes aggregation "
                "stage requires additional configuration. Please connect to Atlas or an AtlasCLI "
                "local deployment to enable. For more information on how to connect, see "
                "https://dochub.mongodb.org/core/atlas-cli-deploy-local-reqs");
}

namespace {

CommandSpec SearchIndexCommand(std::string_view name, std::vector<std::string_view> fields) {
  return CommandSpec{
      name,
      "Atlas Search index command: SearchNotEnabled (31082) without Atlas.",
      std::move(fields),
      {},
      [](const Document&, CommandContext&) -> StatusOr<Document> { return SearchNotEnabled(); }};
}

}  // namespace

CommandSpec CreateSearchIndexesCommand() {
  return SearchIndexCommand("createSearchIndexes", {"indexes"});
}
CommandSpec UpdateSearchIndexCommand() {
  return SearchIndexCommand("updateSearchIndex", {"id", "name", "definition"});
}
CommandSpec DropSearchIndexCommand() {
  return SearchIndexCommand("dropSearchIndex", {"id", "name"});
}

}  // namespace mm::commands
