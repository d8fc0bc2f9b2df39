// Open cursors: the results a find or aggregate has not returned yet.
#pragma once

#include <chrono>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/value.h"

namespace mm::commands {

class CursorStore {
 public:
  // A tailable cursor's place in its capped collection: getMore adds the documents inserted
  // after `last` that match `filter` (projected) before answering, and the cursor stays open
  // when it runs dry.
  struct Tail {
    std::string db, collection;
    Binary uuid;  // the collection it follows (a dropped and re-created one is another)
    Document filter, projection;
    int64_t last = 0;  // the highest record id seen
    bool await_data = false;
  };

  // Keeps `rest` under a new cursor id and returns it (never 0).
  int64_t Open(std::string ns, std::deque<Document> rest, std::optional<Tail> tail = {});
  // The tail of a tailable cursor `id` (nullptr otherwise), and a way to extend it.
  Tail* TailOf(int64_t id);
  void Append(int64_t id, std::vector<Document> docs);
  // Takes up to `batch_size` documents (all when 0); closes the cursor when it runs dry.
  // nullopt when `id` is unknown or belongs to another namespace.
  std::optional<std::vector<Document>> Next(int64_t id, const std::string& ns, int64_t batch_size,
                                            bool* exhausted);
  bool Kill(int64_t id);
  // Closes the cursors nobody has used for `timeout` (mongod's cursorTimeoutMillis).
  void ExpireIdle(std::chrono::milliseconds timeout);

 private:
  struct Cursor {
    std::string ns;
    std::deque<Document> rest;
    std::chrono::steady_clock::time_point last_used;
    std::optional<Tail> tail;
  };
  std::map<int64_t, Cursor> cursors_;
  int64_t next_id_ = 1000;
};

// Keeps the first `batch_size` of `docs` (all when negative, none when 0, as `batchSize: 0`
// asks) and opens a cursor for the rest; returns its id, or 0 when nothing is left (a
// tailable cursor, with `tail`, is opened even then).
int64_t OpenIfMore(CursorStore& store, const std::string& ns, std::vector<Document>* docs,
                   int64_t batch_size, std::optional<CursorStore::Tail> tail = {});

}  // namespace mm::commands
