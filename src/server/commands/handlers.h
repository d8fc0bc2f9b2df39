// One function per command file, each describing its command for the table in registry.cc.
#pragma once

#include "server/commands/command.h"

namespace mm::commands {

CommandSpec AbortTransactionCommand();
CommandSpec AggregateCommand();
CommandSpec BuildInfoCommand();
CommandSpec CollModCommand();
CommandSpec CommitTransactionCommand();
CommandSpec ConfigureFailPointCommand();
CommandSpec CountCommand();
CommandSpec CreateCommand();
CommandSpec CreateIndexesCommand();
CommandSpec DeleteCommand();
CommandSpec DistinctCommand();
CommandSpec DropCommand();
CommandSpec DropDatabaseCommand();
CommandSpec DropIndexesCommand();
CommandSpec EndSessionsCommand();
CommandSpec FindAndModifyCommand();
CommandSpec FindCommand();
CommandSpec GetMoreCommand();
CommandSpec GetParameterCommand();
CommandSpec HelloCommand(std::string_view name);
CommandSpec InsertCommand();
CommandSpec KillCursorsCommand();
CommandSpec ListCollectionsCommand();
CommandSpec ListDatabasesCommand();
CommandSpec ListIndexesCommand();
CommandSpec PingCommand();
// Atlas Search index commands (search_indexes.cc): SearchNotEnabled, as a mongod without Atlas.
CommandSpec CreateSearchIndexesCommand();
CommandSpec UpdateSearchIndexCommand();
CommandSpec DropSearchIndexCommand();
Status SearchNotEnabled();
CommandSpec RenameCollectionCommand();
CommandSpec SleepCommand();
CommandSpec SaslStartCommand();
CommandSpec SaslContinueCommand();
CommandSpec CreateUserCommand();
CommandSpec UpdateCommand();

}  // namespace mm::commands
