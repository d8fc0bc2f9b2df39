// What every command handler sees, and how handlers are described in the command table.
#pragma once

#include <chrono>

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <map>
#include <optional>
#include <set>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"
#include "server/auth/scram.h"
#include "server/commands/cursor_store.h"
#include "server/engine/catalog.h"

namespace mm {
class ClusterClock;
}

namespace mm::commands {

class SessionStore;
class FailPoints;
class SnapshotHistory;

struct ServerOptions {
  std::string repl_set;  // empty: standalone
  std::string bind_ip = "127.0.0.1";
  uint16_t port = 0;
  // --setParameter enableTestCommands=1, as mongod: enables `sleep`.
  bool test_commands = false;
  // --auth: commands need an authenticated connection (SCRAM-SHA-256 users).
  bool auth = false;
  // --setParameter cursorTimeoutMillis / transactionLifetimeLimitSeconds, as mongod's: an idle
  // cursor is closed, and a transaction open longer is aborted (its snapshot released).
  std::chrono::milliseconds cursor_timeout{600000};
  std::chrono::milliseconds transaction_lifetime{60000};
  // --setParameter minSnapshotHistoryWindowInSeconds: how long snapshot reads' copies are kept.
  std::chrono::seconds snapshot_history_window{300};
  // --setParameter ttlMonitorSleepSecs: how often expired documents are removed (mongod: 60).
  std::chrono::seconds ttl_monitor_period{60};
  // --commandLog FILE (devmongod's own): one line per command received, "db command", so a
  // test can count a client's round trips.
  std::string command_log;
  // --commandLogDetail: each line of the command log also holds the command itself (canonical
  // Extended JSON), to compare what two clients send.
  bool command_log_detail = false;
};

// A user: SCRAM credentials (never a password) and built-in roles, each as (role, database).
struct User {
  auth::ScramCredentials credentials;
  std::vector<std::pair<std::string, std::string>> roles;
};
// Users, keyed "db.name".
using UserStore = std::map<std::string, User>;

// What one connection has established: its authenticated users and a SCRAM exchange.
struct ConnectionState {
  std::set<std::string> authenticated;
  struct Scram {
    auth::ScramConversation conversation;
    std::string user;
    bool proof_checked = false;  // waiting only for the client's empty final message
  };
  std::optional<Scram> scram;
  // The application name the client's handshake gave (client.application.name), for
  // failCommand's appName.
  std::string app_name;
};

struct ClientInfo {
  int32_t connection_id = 0;
  std::string local_address;  // the address the client dialled, for hello's `me`
};

struct CommandContext {
  engine::Catalog& catalog;
  CursorStore& cursors;
  const ServerOptions& options;
  const ClientInfo& client;
  std::string db;
  const std::atomic<bool>* shutting_down = nullptr;  // set while the server stops
  ConnectionState* connection = nullptr;
  UserStore* users = nullptr;
  SessionStore* sessions = nullptr;
  FailPoints* fail_points = nullptr;
  // Set while a statement runs on a transaction's snapshot (`catalog` is then the snapshot).
  bool in_transaction = false;
  // Set by a command whose reply must not be sent (a fail point): the connection is closed
  // after the command has run.
  bool close_connection = false;
  // Replica-set mode: the copies snapshot reads read from, and the clock that times them.
  SnapshotHistory* snapshots = nullptr;
  ClusterClock* clock = nullptr;
};

// The same context on another catalog (a transaction's or a snapshot read's copy), without the
// replica-set-mode extras (snapshot history, clock) that only the outer command uses.
CommandContext OnCatalog(const CommandContext& ctx, engine::Catalog& catalog);

using Handler = std::function<StatusOr<Document>(const Document& cmd, CommandContext& ctx)>;

struct CommandSpec {
  std::string_view name;
  std::string_view help;
  // Fields the handler reads, besides the command name and the generic fields every command
  // tolerates. Anything else is refused with 40415.
  std::vector<std::string_view> fields;
  // Fields MongoDB knows for this command that devmongod does not implement: refused with 238.
  std::vector<std::string_view> unimplemented;
  Handler handler;
  // MongoDB's IDL marks a few commands (the handshake) non-strict: unknown fields are ignored,
  // so that newer drivers can send newer options to older servers.
  bool strict = true;
  // Whether the handler runs under the engine lock. Only commands that touch no data (and may
  // take long, like `sleep`) run without it.
  bool takes_engine_lock = true;
  // With --auth, whether an unauthenticated connection is refused (13 Unauthorized).
  bool requires_auth = true;
};

// The table row for `name`, or nullptr.
const CommandSpec* FindCommand(std::string_view name);

// The command table, sorted by name.
const std::vector<CommandSpec>& CommandTable();

// Runs `cmd` (its first field names the command) and returns MongoDB's reply document,
// `{ok: 0, errmsg, code, codeName}` on failure, never throwing.
Document RunCommand(const Document& cmd, CommandContext& ctx);

// Transactions (transactions.cc). Whether `cmd` carries txnNumber/autocommit/startTransaction,
// which only a replica set accepts; whether it is a statement of a transaction; and running it
// on its session's snapshot.
bool UsesSessionTransactionFields(const Document& cmd);
bool IsTransactionStatement(const Document& cmd);
StatusOr<Document> RunInTransaction(const CommandSpec& spec, const Document& cmd,
                                    CommandContext& ctx);

// Whether every command accepts `field` (lsid, writeConcern, comment, …).
bool IsGenericField(std::string_view field);

// Shared argument readers; each fails with MongoDB's code and message for a wrong type.
StatusOr<std::string> CollectionName(const Document& cmd);
StatusOr<const Document*> OptionalDocument(const Document& cmd, std::string_view field);
StatusOr<int64_t> OptionalInt(const Document& cmd, std::string_view field, int64_t fallback);
bool OptionalBool(const Document& cmd, std::string_view field, bool fallback);
Status TypeMismatch(std::string_view command, std::string_view field, std::string_view expected,
                    const Value& got);

// The shape of a write command's statements (`update.updates`, `delete.deletes`), checked for
// every statement before any runs, as MongoDB parses the whole command first: a field not in
// `known` is 40415, one in `unimplemented` 238, a missing `required` one 40414 — each fails the
// command (ok: 0), never one statement.
struct StatementShape {
  std::string_view array;  // "update.updates"
  std::vector<std::string_view> known;
  std::vector<std::string_view> unimplemented;
  std::vector<std::string_view> required;
};
Status CheckStatements(const Array& statements, const StatementShape& shape);

// `cursor.batchSize` of a command; `fallback` when the command has no cursor document or it
// names no batch size.
StatusOr<int64_t> CursorBatchSize(const Document& cmd, int64_t fallback);

// {cursor: {firstBatch|nextBatch, id, ns}, ok: 1}
Document CursorReply(const std::string& ns, int64_t id, std::vector<Document> batch, bool first);

}  // namespace mm::commands
