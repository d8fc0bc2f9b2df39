// Durable storage in SQLite (WAL): one row per collection (its metadata as BSON) and one per
// document (BSON), written through as the engine changes them and committed once per command,
// so the disk holds what memory held at the end of a command, never half of one.
#include <bson/bson.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <utility>
#include <vector>

#include "server/storage/storage.h"
#include "value/bson_codec.h"

namespace mm::storage {
namespace {

// A statement prepared once and reset after each use.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
      stmt_ = nullptr;
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteStorage : public Storage {
 public:
  SqliteStorage(sqlite3* db, int lock_fd) : db_(db), lock_fd_(lock_fd) {}
  ~SqliteStorage() override {
    if (in_batch_) Exec("COMMIT");
    statements_.clear();
    sqlite3_close(db_);
    close(lock_fd_);  // releases the flock
  }

  bool Prepare() {
    const char* sql[] = {
        "INSERT OR REPLACE INTO collections (ns, metadata) VALUES (?1, ?2)",
        "DELETE FROM collections WHERE ns = ?1",
        "DELETE FROM documents WHERE ns = ?1",
        "UPDATE collections SET ns = ?2 WHERE ns = ?1",
        "UPDATE documents SET ns = ?2 WHERE ns = ?1",
        "INSERT OR REPLACE INTO documents (ns, id, doc) VALUES (?1, ?2, ?3)",
        "DELETE FROM documents WHERE ns = ?1 AND id = ?2",
    };
    for (const char* s : sql) {
      statements_.push_back(std::make_unique<Statement>(db_, s));
      if (!statements_.back()->get()) return false;
    }
    return true;
  }

  void PutCollection(const std::string& ns, const Document& metadata) override {
    Run(kPutCollection, ns, nullptr, &metadata);
  }
  void DropCollection(const std::string& ns) override {
    Run(kDeleteCollection, ns);
    Run(kDeleteDocuments, ns);
  }
  void RenameCollection(const std::string& from, const std::string& to) override {
    Run(kRenameCollection, from, &to);
    Run(kRenameDocuments, from, &to);
  }
  void PutDocument(const std::string& ns, RecordId id, const Document& doc) override {
    Run(kPutDocument, ns, nullptr, &doc, id);
  }
  void DeleteDocument(const std::string& ns, RecordId id) override {
    Run(kDeleteDocument, ns, nullptr, nullptr, id);
  }

  void Begin() override {
    if (in_batch_) return;
    Exec("BEGIN");
    in_batch_ = true;
  }
  void Commit() override {
    if (!in_batch_) return;
    Exec("COMMIT");
    in_batch_ = false;
  }

  void Load(
      const std::function<void(const std::string& ns, const Document& metadata)>& on_collection,
      const std::function<void(const std::string& ns, RecordId, Document)>& on_document) override {
    // Read every collection before handing any out: rebuilding one rewrites its row, which
    // a still-open SELECT over the table would meet again.
    std::vector<std::pair<std::string, Document>> metadata;
    {
      Statement collections(db_, "SELECT ns, metadata FROM collections ORDER BY ns");
      while (sqlite3_step(collections.get()) == SQLITE_ROW) {
        metadata.emplace_back(Text(collections.get(), 0), Bson(collections.get(), 1));
      }
    }
    for (const auto& [ns, meta] : metadata) on_collection(ns, meta);
    Statement documents(db_, "SELECT ns, id, doc FROM documents ORDER BY ns, id");
    while (sqlite3_step(documents.get()) == SQLITE_ROW) {
      on_document(Text(documents.get(), 0), sqlite3_column_int64(documents.get(), 1),
                  Bson(documents.get(), 2));
    }
  }

 private:
  enum Index {
    kPutCollection,
    kDeleteCollection,
    kDeleteDocuments,
    kRenameCollection,
    kRenameDocuments,
    kPutDocument,
    kDeleteDocument
  };

  // mongod stops on a storage failure rather than acknowledge writes it could not keep.
  [[noreturn]] void Fatal(const char* what) {
    std::fprintf(stderr, "devmongod: storage failure (%s): %s; stopping\n", what,
                 sqlite3_errmsg(db_));
    std::abort();
  }

  void Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Fatal(sql);
  }

  void Run(Index which, const std::string& ns, const std::string* text2 = nullptr,
           const Document* doc = nullptr, RecordId id = 0) {
    sqlite3_stmt* s = statements_[which]->get();
    sqlite3_bind_text(s, 1, ns.data(), static_cast<int>(ns.size()), SQLITE_STATIC);
    if (text2)
      sqlite3_bind_text(s, 2, text2->data(), static_cast<int>(text2->size()), SQLITE_STATIC);
    BsonPtr bson;
    if (which == kPutDocument || which == kDeleteDocument) sqlite3_bind_int64(s, 2, id);
    if (doc) {
      bson = ToBsonT(*doc);
      sqlite3_bind_blob(s, which == kPutDocument ? 3 : 2, bson_get_data(bson.get()),
                        static_cast<int>(bson->len), SQLITE_STATIC);
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) Fatal("write");
  }

  static std::string Text(sqlite3_stmt* s, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
    return text ? std::string(text, sqlite3_column_bytes(s, column)) : std::string();
  }
  Document Bson(sqlite3_stmt* s, int column) {
    bson_t b;
    const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(s, column));
    if (!data || !bson_init_static(&b, data, sqlite3_column_bytes(s, column))) Fatal("read");
    auto doc = DecodeBson(&b);
    if (!doc.ok()) Fatal("read: a stored document is not valid BSON");
    return std::move(doc).value();
  }

  sqlite3* db_;
  int lock_fd_;
  bool in_batch_ = false;
  std::vector<std::unique_ptr<Statement>> statements_;
};

}  // namespace

StatusOr<std::unique_ptr<Storage>> OpenSqliteStorage(const std::string& dbpath) {
  std::error_code ec;
  std::filesystem::create_directories(dbpath, ec);
  if (ec) return Status(kBadValue, "cannot create --dbpath " + dbpath + ": " + ec.message());
  const std::string lock_path = dbpath + "/mongod.lock";
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status(kBadValue, "cannot open " + lock_path);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return Status(kConflictingOperationInProgress,
                  "another devmongod is using --dbpath " + dbpath + " (it holds " + lock_path +
                      "); stop it, or give this one another directory");
  }
  if (ftruncate(fd, 0) == 0) {
    std::string pid = std::to_string(getpid()) + "\n";
    (void)!write(fd, pid.data(), pid.size());
  }
  sqlite3* db = nullptr;
  const std::string file = dbpath + "/devmongod.sqlite";
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    close(fd);
    return Status(kBadValue, "cannot open " + file + ": " + why);
  }
  auto storage = std::make_unique<SqliteStorage>(db, fd);
  // WAL with synchronous=NORMAL: a committed command survives the process being killed (the
  // WAL is written before the reply); surviving a power cut as well would need FULL.
  const char* setup =
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
      "CREATE TABLE IF NOT EXISTS collections (ns TEXT PRIMARY KEY, metadata BLOB NOT NULL);"
      "CREATE TABLE IF NOT EXISTS documents (ns TEXT NOT NULL, id INTEGER NOT NULL, "
      "doc BLOB NOT NULL, PRIMARY KEY (ns, id)) WITHOUT ROWID;";
  char* error = nullptr;
  if (sqlite3_exec(db, setup, nullptr, nullptr, &error) != SQLITE_OK || !storage->Prepare()) {
    std::string why = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    return Status(kBadValue, file + " is not a devmongod database: " + why);
  }
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace mm::storage
