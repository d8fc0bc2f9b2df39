// The MongoDB types a migration written in C++ works with: a thin RAII layer over the
// official C driver. Only src/mongo/ sees libmongoc; these declarations do not.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

struct _bson_t;
struct _bson_error_t;
struct _mongoc_client_pool_t;
struct _mongoc_client_t;
struct _mongoc_client_session_t;

namespace mm::mongo {

class Database;
class Session;

// A client over libmongoc's connection pool: safe to use from several threads (the lock's
// lease is renewed from a background thread while a migration runs). Closed on destruction.
class Client {
 public:
  // Parses `uri` and prepares the client; no network traffic until the first command.
  // Fails with BadValue (2) on a malformed URI. The message never contains the password.
  // `single_threaded`: one connection that also monitors the server (no background thread, one
  // handshake), for a command that never uses the client from two threads (status, validate).
  // `selection_timeout_ms`: how long to look for a server when the URI does not say (0: ten
  // seconds), shorter for a command that only glances at the server (create).
  static StatusOr<std::unique_ptr<Client>> Open(const std::string& uri,
                                                bool single_threaded = false,
                                                int32_t selection_timeout_ms = 0);
  // Over a pool the application already has (mongoc_client_pool_new, configured as it wants:
  // TLS, credentials, its appname). The pool is not owned: it must outlive this Client, which
  // pushes back every connection it popped. `default_database` is what database() defaults to.
  static std::unique_ptr<Client> FromPool(_mongoc_client_pool_t* pool,
                                          std::string default_database);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The database named in the URI path ("" when none), as the Node.js driver's client.db().
  const std::string& default_database() const { return default_database_; }
  Database database(const std::string& name);
  // Runs `ping` on admin: confirms a server can be reached and selected.
  Status Ping();
  // Whether the deployment runs multi-document transactions: a replica set member or a mongos
  // answers `hello` with setName or msg "isdbgrid"; a standalone does not.
  StatusOr<bool> SupportsTransactions();

 private:
  Client(_mongoc_client_pool_t* pool, _mongoc_client_t* single, std::string default_database,
         bool owns_pool = true);
  // A connection for one command or session: the pool's, or the single one.
  _mongoc_client_t* Borrow();
  void Return(_mongoc_client_t* client);
  _mongoc_client_pool_t* pool_;  // null when single-threaded
  _mongoc_client_t* single_;     // null when pooled
  std::string default_database_;
  bool owns_pool_ = true;  // false for the application's pool (FromPool)
  friend class Database;
  friend class Session;
};

// A logical session on one pooled connection, with at most one transaction at a time.
// Destroying it ends the session; the server aborts a transaction left open.
class Session {
 public:
  static StatusOr<std::unique_ptr<Session>> Start(Client& client);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Status StartTransaction();
  // Commits; a failure (WriteConflict, a lost connection) means nothing was committed
  // unless the error says otherwise (UnknownTransactionCommitResult).
  Status CommitTransaction();
  Status AbortTransaction();

 private:
  Session(Client* owner, _mongoc_client_t* client, _mongoc_client_session_t* s)
      : owner_(owner), client_(client), session_(s) {}
  Client* owner_;
  _mongoc_client_t* client_;
  _mongoc_client_session_t* session_;
  friend class Database;
};

// A database handle; cheap to copy, valid while its Client lives.
class Database {
 public:
  Database(Client* client, std::string name) : client_(client), name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  // The same database with every command sent in `session` (inside its open transaction).
  Database InSession(Session* session) const {
    Database copy = *this;
    copy.session_ = session;
    return copy;
  }
  Session* session() const { return session_; }
  Client* client() const { return client_; }

  // Runs one command and returns the server's reply. A reply with ok: 0 (or a network
  // failure) becomes a Status with the server's code; its codeName is kept in the details.
  StatusOr<Document> RunCommand(const Document& command);
  // As RunCommand, but a reply with ok: 1 and writeErrors is returned as the server sent it
  // (a driver reports each write error itself).
  StatusOr<Document> RunCommandKeepingWriteErrors(const Document& command);
  // As RunCommandKeepingWriteErrors, BSON bytes in and out (the JavaScript bridge builds and
  // reads them itself, with no Document in between).
  StatusOr<std::string> RunCommandBson(std::string_view command);

  // Every document of `collection` matching `filter`, sorted by `sort` (reads from primary).
  StatusOr<std::vector<Document>> Find(const std::string& collection, const Document& filter,
                                       const Document& sort = {});
  // Runs a command that opens a cursor (find, aggregate, listCollections, listIndexes) and hands
  // each document to `each`, one batch in memory at a time, getMore by getMore (each asking for
  // `get_more_batch` documents when > 0); stops at the first error `each` returns.
  Status ForEach(const Document& command, const std::function<Status(Document&&)>& each,
                 int32_t get_more_batch = 0);

 private:
  bool Send(const _bson_t* cmd, _bson_t* reply, _bson_error_t* error);
  Client* client_;
  std::string name_;
  Session* session_ = nullptr;
};

// The documents of a cursor reply's first batch (find, aggregate, listIndexes…); a reply without
// one, or with a batch holding something else, is an error naming `command`.
StatusOr<std::vector<Document>> FirstBatch(const Document& reply, const std::string& command);

// The failure a write command's reply reports with ok: 1 — its first writeError (details name
// its statement's "index"), else its writeConcernError — or Ok.
Status WriteFailureOf(const Document& reply);

// The codeName a failed command carried ("IndexNotFound"), or "" if none was sent.
std::string ErrorCodeName(const Status& status);

}  // namespace mm::mongo
