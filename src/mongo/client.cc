#include <mongoc/mongoc.h>

#include <functional>
#include <mutex>

#include "mongo/uri.h"
#include "mongomigrate/mongo.h"
#include "value/bson_codec.h"

namespace mm::mongo {
namespace {

void InitDriverOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    mongoc_init();
    // libmongoc's default handler prints its monitors' debug lines on stderr. Every failure
    // that matters reaches us as a bson_error_t and is reported (password redacted) by the
    // caller, so the driver's own log stays quiet.
    mongoc_log_set_handler([](mongoc_log_level_t, const char*, const char*, void*) {}, nullptr);
  });
}

// How long to look for a server when the URI does not say: long enough for a real
// deployment's election, short enough that a wrong URI fails while the user still watches.
constexpr int32_t kDefaultServerSelectionTimeoutMs = 10000;

}  // namespace

StatusOr<std::unique_ptr<Client>> Client::Open(const std::string& uri_text, bool single_threaded,
                                               int32_t selection_timeout_ms) {
  InitDriverOnce();
  bson_error_t error;
  mongoc_uri_t* uri = mongoc_uri_new_with_error(uri_text.c_str(), &error);
  if (!uri) {
    return Status(kBadValue, "invalid MongoDB URI " + RedactUri(uri_text) + ": " +
                                 RedactPassword(error.message, uri_text));
  }
  if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS)) {
    mongoc_uri_set_option_as_int32(
        uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS,
        selection_timeout_ms > 0 ? selection_timeout_ms : kDefaultServerSelectionTimeoutMs);
  }
  const char* db = mongoc_uri_get_database(uri);
  std::string database = db ? db : "";  // owned by `uri`, which is destroyed below
  auto cannot_use = [&] {
    return Status(kBadValue, "cannot use MongoDB URI " + RedactUri(uri_text) + ": " +
                                 RedactPassword(error.message, uri_text));
  };
  if (single_threaded) {
    // A single-threaded client tries a server once by default; wait as the pool does.
    if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTRYONCE)) {
      mongoc_uri_set_option_as_bool(uri, MONGOC_URI_SERVERSELECTIONTRYONCE, false);
    }
    mongoc_client_t* single = mongoc_client_new_from_uri_with_error(uri, &error);
    mongoc_uri_destroy(uri);
    if (!single) return cannot_use();
    mongoc_client_set_appname(single, "mongo-migrate");
    mongoc_client_set_error_api(single, MONGOC_ERROR_API_VERSION_2);
    return std::unique_ptr<Client>(new Client(nullptr, single, std::move(database)));
  }
  mongoc_client_pool_t* pool = mongoc_client_pool_new_with_error(uri, &error);
  mongoc_uri_destroy(uri);
  if (!pool) return cannot_use();
  mongoc_client_pool_set_appname(pool, "mongo-migrate");
  mongoc_client_pool_set_error_api(pool, MONGOC_ERROR_API_VERSION_2);
  return std::unique_ptr<Client>(new Client(pool, nullptr, std::move(database)));
}

Client::Client(mongoc_client_pool_t* pool, mongoc_client_t* single, std::string default_database,
               bool owns_pool)
    : pool_(pool),
      single_(single),
      default_database_(std::move(default_database)),
      owns_pool_(owns_pool) {}

std::unique_ptr<Client> Client::FromPool(mongoc_client_pool_t* pool, std::string default_database) {
  InitDriverOnce();
  return std::unique_ptr<Client>(new Client(pool, nullptr, std::move(default_database), false));
}

Client::~Client() {
  if (pool_ && owns_pool_) mongoc_client_pool_destroy(pool_);
  if (single_) mongoc_client_destroy(single_);
}

mongoc_client_t* Client::Borrow() { return pool_ ? mongoc_client_pool_pop(pool_) : single_; }

void Client::Return(mongoc_client_t* client) {
  if (pool_) mongoc_client_pool_push(pool_, client);
}

namespace {
// A connection borrowed from the client for one command.
class PooledClient {
 public:
  PooledClient(mongoc_client_t* client, std::function<void(mongoc_client_t*)> give_back)
      : client_(client), give_back_(std::move(give_back)) {}
  ~PooledClient() { give_back_(client_); }
  PooledClient(const PooledClient&) = delete;
  PooledClient& operator=(const PooledClient&) = delete;
  mongoc_client_t* get() const { return client_; }

 private:
  mongoc_client_t* client_;
  std::function<void(mongoc_client_t*)> give_back_;
};
}  // namespace

Database Client::database(const std::string& name) { return Database(this, name); }

Status Client::Ping() {
  auto reply = database("admin").RunCommand(Document{{"ping", 1}});
  return reply.ok() ? Status::Ok() : reply.status();
}

namespace {

// A driver error as a Status: the server's code, its codeName and the fields MongoDB adds
// beside errmsg; network and server-selection failures are marked `connection`.
Status DriverError(const bson_error_t& error, const StatusOr<Document>& reply) {
  Document details;
  if (reply.ok()) {
    if (const Value* name = reply->Get("codeName")) details.Append("codeName", *name);
    for (const char* k : {"keyPattern", "keyValue", "errInfo", "writeErrors", "errorLabels"}) {
      if (const Value* v = reply->Get(k)) details.Append(k, *v);
    }
  }
  Status failure =
      Status(static_cast<int>(error.code), error.message).WithDetails(std::move(details));
  if (error.domain == MONGOC_ERROR_STREAM || error.domain == MONGOC_ERROR_SERVER_SELECTION) {
    return std::move(failure).WithKind(FailureKind::kConnection);
  }
  return failure;
}

}  // namespace

Status WriteFailureOf(const Document& reply) {
  // Write commands report per-document failures with ok: 1; the first is the error.
  if (const Value* errors = reply.Get("writeErrors");
      errors && errors->Is<Array>() && !errors->As<Array>().items.empty() &&
      errors->As<Array>().items.front().Is<Document>()) {
    const Document& first = errors->As<Array>().items.front().As<Document>();
    const Value* code = first.Get("code");
    const Value* msg = first.Get("errmsg");
    int c = code && code->IsNumber() ? static_cast<int>(code->AsDouble()) : kInternalError;
    Document details{{"codeName", CodeName(c)}};
    for (const char* k : {"index", "keyPattern", "keyValue", "errInfo"}) {
      if (const Value* v = first.Get(k)) details.Append(k, *v);
    }
    return Status(c, msg && msg->Is<std::string>() ? msg->As<std::string>() : "write error")
        .WithDetails(std::move(details));
  }
  // The write was made but not as durably as asked (w: majority during a failover): it may be
  // rolled back, so it does not count as done — not for a history record, not for a step.
  if (const Value* wce = reply.Get("writeConcernError"); wce && wce->Is<Document>()) {
    const Document& e = wce->As<Document>();
    const Value* code = e.Get("code");
    const Value* msg = e.Get("errmsg");
    std::optional<int64_t> c64 = code && code->IsNumber() ? code->AsExactInt64() : std::nullopt;
    int c = c64 && *c64 > 0 && *c64 <= INT32_MAX ? static_cast<int>(*c64) : kInternalError;
    return Status(c, "write concern error: " + (msg && msg->Is<std::string>()
                                                    ? msg->As<std::string>()
                                                    : std::string("(no message)")))
        .WithDetails(Document{{"codeName", CodeName(c)}, {"writeConcernError", e}});
  }
  return Status::Ok();
}

StatusOr<Document> Database::RunCommand(const Document& command) {
  auto decoded = RunCommandKeepingWriteErrors(command);
  if (!decoded.ok()) return decoded;
  if (Status failed = WriteFailureOf(*decoded); !failed.ok()) return failed;
  return decoded;
}

// Sends `cmd` (in this database's session and transaction, if any); `reply` is always
// initialised and must be destroyed.
bool Database::Send(const bson_t* cmd, bson_t* reply, bson_error_t* error) {
  if (session_) {
    // In a session, libmongoc adds lsid and, inside a transaction, txnNumber/autocommit.
    bson_t opts = BSON_INITIALIZER;
    bool ok = mongoc_client_session_append(session_->session_, &opts, error);
    if (ok) {
      ok = mongoc_client_command_with_opts(session_->client_, name_.c_str(), cmd, nullptr, &opts,
                                           reply, error);
    } else {
      bson_init(reply);
    }
    bson_destroy(&opts);
    return ok;
  }
  PooledClient client(client_->Borrow(), [this](mongoc_client_t* c) { client_->Return(c); });
  return mongoc_client_command_simple(client.get(), name_.c_str(), cmd, nullptr, reply, error);
}

StatusOr<Document> Database::RunCommandKeepingWriteErrors(const Document& command) {
  BsonPtr cmd = ToBsonT(command);
  bson_t reply;
  bson_error_t error;
  bool ok = Send(cmd.get(), &reply, &error);
  auto decoded = DecodeBson(&reply);
  bson_destroy(&reply);
  if (!ok) return DriverError(error, decoded);
  return decoded;
}

StatusOr<std::string> Database::RunCommandBson(std::string_view command) {
  bson_t cmd;
  if (!bson_init_static(&cmd, reinterpret_cast<const uint8_t*>(command.data()), command.size())) {
    return Status(kInvalidBson, "the command is not a BSON document");
  }
  bson_t reply;
  bson_error_t error;
  bool ok = Send(&cmd, &reply, &error);
  std::string bytes(reinterpret_cast<const char*>(bson_get_data(&reply)), reply.len);
  if (!ok) {
    auto decoded = DecodeBson(&reply);
    bson_destroy(&reply);
    return DriverError(error, decoded);
  }
  bson_destroy(&reply);
  return bytes;
}

StatusOr<bool> Client::SupportsTransactions() {
  auto hello = database("admin").RunCommand(Document{{"hello", 1}});
  if (!hello.ok()) return hello.status();
  const Value* msg = hello->Get("msg");
  return hello->Has("setName") ||
         (msg && msg->Is<std::string>() && msg->As<std::string>() == "isdbgrid");
}

StatusOr<std::unique_ptr<Session>> Session::Start(Client& client) {
  mongoc_client_t* c = client.Borrow();
  bson_error_t error;
  mongoc_client_session_t* s = mongoc_client_start_session(c, nullptr, &error);
  if (!s) {
    client.Return(c);
    return DriverError(error, Document{});
  }
  return std::unique_ptr<Session>(new Session(&client, c, s));
}

Session::~Session() {
  mongoc_client_session_destroy(session_);
  owner_->Return(client_);
}

Status Session::StartTransaction() {
  bson_error_t error;
  if (!mongoc_client_session_start_transaction(session_, nullptr, &error)) {
    return DriverError(error, Document{});
  }
  return Status::Ok();
}

Status Session::CommitTransaction() {
  bson_t reply;
  bson_error_t error;
  bool ok = mongoc_client_session_commit_transaction(session_, &reply, &error);
  auto decoded = DecodeBson(&reply);
  bson_destroy(&reply);
  return ok ? Status::Ok() : DriverError(error, decoded);
}

Status Session::AbortTransaction() {
  bson_error_t error;
  if (!mongoc_client_session_abort_transaction(session_, &error)) {
    return DriverError(error, Document{});
  }
  return Status::Ok();
}

StatusOr<std::vector<Document>> Database::Find(const std::string& collection,
                                               const Document& filter, const Document& sort) {
  // Every document is wanted: a first batch of up to 100,000 (the server still stops a batch
  // at 16 MiB) saves the getMore that the default of 101 would cost a history of 200 records.
  Document cmd{{"find", collection}, {"filter", filter}, {"batchSize", int32_t{100000}}};
  if (!sort.empty()) cmd.Append("sort", sort);
  std::vector<Document> out;
  MM_RETURN_IF_ERROR(ForEach(cmd, [&](Document&& d) {
    out.push_back(std::move(d));
    return Status::Ok();
  }));
  return out;
}

Status Database::ForEach(const Document& command, const std::function<Status(Document&&)>& each,
                         int32_t get_more_batch) {
  const std::string what = command.empty() ? "a command" : command.fields().front().key;
  auto malformed = [&] {
    return Status(kFailedToParse,
                  "the server's reply to " + what + " has no cursor batch of documents");
  };
  auto reply = RunCommand(command);
  if (!reply.ok()) return reply.status();
  Document current = std::move(reply).value();
  const char* batch_name = "firstBatch";
  std::string collection;  // getMore's, from the cursor's namespace ("db.$cmd.listIndexes")
  while (true) {
    Value* cursor = current.Get("cursor");
    if (!cursor || !cursor->Is<Document>()) return malformed();
    Value* batch = cursor->As<Document>().Get(batch_name);
    if (!batch || !batch->Is<Array>()) return malformed();
    const Value* id = cursor->As<Document>().Get("id");
    const bool open = id && id->IsNumber() && id->AsDouble() != 0;
    if (open && collection.empty()) {
      const Value* ns = cursor->As<Document>().Get("ns");
      if (!ns || !ns->Is<std::string>() || !ns->As<std::string>().starts_with(name_ + ".")) {
        return malformed();
      }
      collection = ns->As<std::string>().substr(name_.size() + 1);
    }
    for (Value& v : batch->As<Array>().items) {
      Status taken = v.Is<Document>() ? each(std::move(v.As<Document>())) : malformed();
      if (!taken.ok()) {
        // Stopped early: the server's cursor is closed now rather than when it times out.
        if (open) {
          (void)RunCommand(Document{{"killCursors", collection}, {"cursors", Array{{*id}}}});
        }
        return taken;
      }
    }
    if (!open) break;
    Document more{{"getMore", *id}, {"collection", collection}};
    if (get_more_batch > 0) more.Append("batchSize", get_more_batch);
    auto next = RunCommand(more);
    if (!next.ok()) return next.status();
    current = std::move(next).value();
    batch_name = "nextBatch";
  }
  return Status::Ok();
}

StatusOr<std::vector<Document>> FirstBatch(const Document& reply, const std::string& command) {
  const Value* cursor = reply.Get("cursor");
  const Value* batch =
      cursor && cursor->Is<Document>() ? cursor->As<Document>().Get("firstBatch") : nullptr;
  auto malformed = [&] {
    return Status(kInternalError,
                  "the server's reply to " + command + " has no cursor.firstBatch of documents");
  };
  if (!batch || !batch->Is<Array>()) return malformed();
  std::vector<Document> out;
  for (const Value& v : batch->As<Array>().items) {
    if (!v.Is<Document>()) return malformed();
    out.push_back(v.As<Document>());
  }
  return out;
}

std::string ErrorCodeName(const Status& status) {
  const Value* name = status.details().Get("codeName");
  if (name && name->Is<std::string>()) return name->As<std::string>();
  return "";
}

}  // namespace mm::mongo
