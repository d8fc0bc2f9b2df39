#include <algorithm>
#include <typeinfo>

#include "server/commands/authorization.h"
#include "server/commands/handlers.h"
#include "server/commands/read_concern.h"
#include "server/commands/retryable_writes.h"
#include "server/commands/snapshot_reads.h"
#include "server/commands/write_concern.h"
#include "server/engine/collection.h"
#include "server/engine/variables.h"
#include "value/bson_codec.h"

namespace mm::commands {
namespace {

// Fields every command accepts (drivers add them to any command).
constexpr std::string_view kGenericFields[] = {
    "$db",         "lsid",         "txnNumber",  "$clusterTime",    "$readPreference",
    "readConcern", "writeConcern", "apiVersion", "apiStrict",       "apiDeprecationErrors",
    "comment",     "maxTimeMS",    "autocommit", "startTransaction"};

bool Contains(const auto& list, std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

Document ErrorReply(const Status& s) {
  Document reply{
      {"ok", 0.0}, {"errmsg", s.message()}, {"code", s.code()}, {"codeName", s.code_name()}};
  for (const Field& f : s.details().fields()) reply.Append(f.key, f.value);
  return reply;
}

}  // namespace

bool IsGenericField(std::string_view field) { return Contains(kGenericFields, field); }

const std::vector<CommandSpec>& CommandTable() {
  static const std::vector<CommandSpec>* table = [] {
    auto* t = new std::vector<CommandSpec>{
        AbortTransactionCommand(),
        AggregateCommand(),
        BuildInfoCommand(),
        CollModCommand(),
        CommitTransactionCommand(),
        ConfigureFailPointCommand(),
        CountCommand(),
        CreateCommand(),
        CreateIndexesCommand(),
        CreateSearchIndexesCommand(),
        DeleteCommand(),
        DistinctCommand(),
        DropCommand(),
        DropDatabaseCommand(),
        DropIndexesCommand(),
        DropSearchIndexCommand(),
        EndSessionsCommand(),
        FindAndModifyCommand(),
        FindCommand(),
        GetMoreCommand(),
        GetParameterCommand(),
        HelloCommand("hello"),
        HelloCommand("isMaster"),
        HelloCommand("ismaster"),
        InsertCommand(),
        KillCursorsCommand(),
        ListCollectionsCommand(),
        ListDatabasesCommand(),
        ListIndexesCommand(),
        PingCommand(),
        RenameCollectionCommand(),
        SleepCommand(),
        SaslStartCommand(),
        SaslContinueCommand(),
        CreateUserCommand(),
        UpdateCommand(),
        UpdateSearchIndexCommand(),
    };
    std::sort(t->begin(), t->end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    // What a client may run before authenticating under --auth, as in mongod (createUser
    // checks the localhost exception itself).
    constexpr std::string_view kOpen[] = {"hello",     "isMaster",     "ismaster",
                                          "ping",      "buildInfo",    "endSessions",
                                          "saslStart", "saslContinue", "createUser"};
    for (CommandSpec& spec : *t) spec.requires_auth = !Contains(kOpen, spec.name);
    return t;
  }();
  return *table;
}

const CommandSpec* FindCommand(std::string_view name) {
  const auto& table = CommandTable();
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const CommandSpec& s, std::string_view n) { return s.name < n; });
  return it == table.end() || it->name != name ? nullptr : &*it;
}

Document RunCommand(const Document& cmd, CommandContext& ctx) {
  if (cmd.empty()) return ErrorReply(Status(kFailedToParse, "Command document is empty"));
  const std::string& name = cmd.fields().front().key;
  const CommandSpec* it = FindCommand(name);
  // Test-only commands do not exist unless enabled, exactly as in mongod.
  const bool test_only = it && (it->name == "sleep" || it->name == "configureFailPoint");
  if (!it || (test_only && !ctx.options.test_commands)) {
    return ErrorReply(Status(kCommandNotFound, "no such command: '" + name + "'"));
  }
  if (ctx.options.auth && it->requires_auth && ctx.connection &&
      ctx.connection->authenticated.empty()) {
    return ErrorReply(Status(kUnauthorized, "Command " + name + " requires authentication"));
  }
  if (Status allowed = Authorize(cmd, ctx); !allowed.ok()) return ErrorReply(allowed);
  for (size_t i = 1; i < cmd.fields().size(); ++i) {
    const std::string& field = cmd.fields()[i].key;
    if (Contains(kGenericFields, field) || Contains(it->fields, field)) continue;
    if (!it->strict) continue;
    if (Contains(it->unimplemented, field)) {
      return ErrorReply(Status(kNotImplemented, "BSON field '" + name + "." + field +
                                                    "' is not implemented by devmongod"));
    }
    return ErrorReply(
        Status(kUnknownField, "BSON field '" + name + "." + field + "' is an unknown field."));
  }
  if (UsesSessionTransactionFields(cmd) && ctx.options.repl_set.empty()) {
    return ErrorReply(Status(kIllegalOperation,
                             "Transaction numbers are only allowed on a replica set member or "
                             "mongos"));
  }
  // Command-level `let`: constants for everything the command parses (find, aggregate,
  // update, delete and findAndModify list the field; others refuse it above).
  std::optional<engine::VariablesScope> let_scope;
  if (const Value* let = cmd.Get("let")) {
    auto variables = engine::EvaluateLet(*let);
    if (!variables.ok()) return ErrorReply(variables.status());
    let_scope.emplace(std::move(variables).value());
  }
  // Only the commands that list bypassDocumentValidation get here with it (strictness above).
  const Value* bypass = cmd.Get("bypassDocumentValidation");
  engine::BypassValidationScope bypass_scope(bypass && bypass->Truthy());
  const bool retryable = !ctx.options.repl_set.empty() && IsRetryableWrite(cmd);
  auto read_concern = ParseReadConcern(cmd);
  if (!read_concern.ok()) return ErrorReply(read_concern.status());
  const bool in_transaction = IsTransactionStatement(cmd);
  if (!in_transaction) {
    Status supported = CheckReadConcernSupported(cmd, *read_concern, ctx.options);
    if (!supported.ok()) return ErrorReply(supported);
    if (Status w = CheckWriteConcern(cmd, ctx.options); !w.ok()) return ErrorReply(w);
  }
  StatusOr<Document> reply = Status::Ok();
  // The safety net, not the design: handlers return errors as values. Should one throw, this
  // client gets an error reply (as mongod's exceptionToStatus words it) and everyone else is
  // served on.
  try {
    reply = in_transaction             ? RunInTransaction(*it, cmd, ctx)
            : retryable                ? RunRetryableWrite(*it, cmd, ctx)
            : read_concern->snapshot() ? RunAtSnapshot(*it, cmd, ctx, *read_concern)
                                       : it->handler(cmd, ctx);
  } catch (const std::bad_alloc&) {
    reply = Status(kExceededMemoryLimit, "Out of memory running command " + name);
  } catch (const std::exception& e) {
    reply = Status(kUnknownError, std::string("Caught std::exception of type ") + typeid(e).name() +
                                      ": " + e.what());
  }
  if (!reply.ok()) return ErrorReply(reply.status());
  Document out = std::move(reply).value();
  if (!out.Has("ok")) out.Append("ok", 1.0);
  if (!in_transaction) {
    if (auto unsatisfied = UnsatisfiedWriteConcern(cmd)) out.Set("writeConcernError", *unsatisfied);
  }
  return out;
}

Status CheckStatements(const Array& statements, const StatementShape& shape) {
  auto has = [](const std::vector<std::string_view>& list, std::string_view x) {
    return std::find(list.begin(), list.end(), x) != list.end();
  };
  const std::string array(shape.array);
  for (const Value& stmt : statements.items) {
    const Document* d = stmt.If<Document>();
    if (!d) return TypeMismatch(array, "0", "object", stmt);
    for (const Field& f : d->fields()) {
      if (!has(shape.known, f.key)) {
        return Status(kUnknownField,
                      "BSON field '" + array + "." + f.key + "' is an unknown field.");
      }
      if (has(shape.unimplemented, f.key)) {
        return Status(kNotImplemented,
                      "BSON field '" + array + "." + f.key + "' is not implemented by devmongod");
      }
    }
    for (std::string_view r : shape.required) {
      if (!d->Has(r)) {
        return Status(40414, "BSON field '" + array + "." + std::string(r) +
                                 "' is missing but a required field");
      }
    }
  }
  return Status::Ok();
}

CommandContext OnCatalog(const CommandContext& ctx, engine::Catalog& catalog) {
  return CommandContext{catalog,      ctx.cursors,       ctx.options,    ctx.client,
                        ctx.db,       ctx.shutting_down, ctx.connection, ctx.users,
                        ctx.sessions, ctx.fail_points};
}

Status TypeMismatch(std::string_view command, std::string_view field, std::string_view expected,
                    const Value& got) {
  return Status(kTypeMismatch, "BSON field '" + std::string(command) + "." + std::string(field) +
                                   "' is the wrong type '" + std::string(TypeAlias(got.type())) +
                                   "', expected type '" + std::string(expected) + "'");
}

StatusOr<std::string> CollectionName(const Document& cmd) {
  const Field& first = cmd.fields().front();
  if (!first.value.Is<std::string>()) {
    return Status(kInvalidNamespace,
                  "collection name has invalid type " + std::string(TypeAlias(first.value.type())));
  }
  const std::string& name = first.value.As<std::string>();
  if (name.empty()) return Status(kInvalidNamespace, "Invalid namespace specified");
  return name;
}

StatusOr<const Document*> OptionalDocument(const Document& cmd, std::string_view field) {
  const Value* v = cmd.Get(field);
  if (!v) return static_cast<const Document*>(nullptr);
  if (!v->Is<Document>()) return TypeMismatch(cmd.fields().front().key, field, "object", *v);
  return &v->As<Document>();
}

StatusOr<int64_t> OptionalInt(const Document& cmd, std::string_view field, int64_t fallback) {
  const Value* v = cmd.Get(field);
  if (!v || v->IsNullish()) return fallback;
  if (!v->IsNumber()) return TypeMismatch(cmd.fields().front().key, field, "long", *v);
  auto n = v->AsExactInt64();
  if (!n) {
    return Status(kBadValue, "BSON field '" + cmd.fields().front().key + "." + std::string(field) +
                                 "' must be a whole number");
  }
  return *n;
}

bool OptionalBool(const Document& cmd, std::string_view field, bool fallback) {
  const Value* v = cmd.Get(field);
  return v ? v->Truthy() : fallback;
}

StatusOr<int64_t> CursorBatchSize(const Document& cmd, int64_t fallback) {
  auto cursor = OptionalDocument(cmd, "cursor");
  if (!cursor.ok()) return cursor.status();
  if (!*cursor) return fallback;
  auto n = OptionalInt(**cursor, "batchSize", fallback);
  if (n.ok() && *n < 0 && (*cursor)->Has("batchSize")) {
    return Status(51024, "BSON field 'batchSize' value must be >= 0, actual value '" +
                             std::to_string(*n) + "'");
  }
  return n;
}

Document CursorReply(const std::string& ns, int64_t id, std::vector<Document> batch, bool first) {
  Array items;
  items.items.reserve(batch.size());
  for (Document& d : batch) items.items.emplace_back(std::move(d));
  Document cursor{{first ? "firstBatch" : "nextBatch", std::move(items)}, {"id", id}, {"ns", ns}};
  return Document{{"cursor", std::move(cursor)}, {"ok", 1.0}};
}

}  // namespace mm::commands
