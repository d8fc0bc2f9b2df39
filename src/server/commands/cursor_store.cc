#include "server/commands/cursor_store.h"

#include "value/bson_codec.h"

namespace mm::commands {
namespace {

// MongoDB's FindCommon::haveSpaceForNext: a batch takes documents while they fit in 16 MiB
// together; the first always goes (a single document is at most that size).
bool HaveSpaceForNext(size_t docs_in_batch, size_t bytes_in_batch, const Document& next) {
  return docs_in_batch == 0 || bytes_in_batch + BsonSize(next) <= kMaxUserDocumentSize;
}

}  // namespace

int64_t CursorStore::Open(std::string ns, std::deque<Document> rest, std::optional<Tail> tail) {
  int64_t id = next_id_++;
  cursors_.emplace(id, Cursor{std::move(ns), std::move(rest), std::chrono::steady_clock::now(),
                              std::move(tail)});
  return id;
}

CursorStore::Tail* CursorStore::TailOf(int64_t id) {
  auto it = cursors_.find(id);
  return it == cursors_.end() || !it->second.tail ? nullptr : &*it->second.tail;
}

void CursorStore::Append(int64_t id, std::vector<Document> docs) {
  auto it = cursors_.find(id);
  if (it == cursors_.end()) return;
  for (Document& d : docs) it->second.rest.push_back(std::move(d));
}

std::optional<std::vector<Document>> CursorStore::Next(int64_t id, const std::string& ns,
                                                       int64_t batch_size, bool* exhausted) {
  auto it = cursors_.find(id);
  if (it == cursors_.end() || it->second.ns != ns) return std::nullopt;
  it->second.last_used = std::chrono::steady_clock::now();
  std::vector<Document> batch;
  auto& rest = it->second.rest;
  size_t bytes = 0;
  while (!rest.empty() && (batch_size <= 0 || static_cast<int64_t>(batch.size()) < batch_size) &&
         HaveSpaceForNext(batch.size(), bytes, rest.front())) {
    bytes += BsonSize(rest.front());
    batch.push_back(std::move(rest.front()));
    rest.pop_front();
  }
  *exhausted = rest.empty() && !it->second.tail;
  if (*exhausted) cursors_.erase(it);
  return batch;
}

bool CursorStore::Kill(int64_t id) { return cursors_.erase(id) > 0; }

void CursorStore::ExpireIdle(std::chrono::milliseconds timeout) {
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(cursors_,
                [&](const auto& entry) { return now - entry.second.last_used > timeout; });
}

int64_t OpenIfMore(CursorStore& store, const std::string& ns, std::vector<Document>* docs,
                   int64_t batch_size, std::optional<CursorStore::Tail> tail) {
  size_t fits = 0, bytes = 0;
  const size_t wanted = batch_size < 0 ? docs->size() : static_cast<size_t>(batch_size);
  while (fits < docs->size() && fits < wanted && HaveSpaceForNext(fits, bytes, (*docs)[fits])) {
    bytes += BsonSize((*docs)[fits]);
    ++fits;
  }
  batch_size = static_cast<int64_t>(fits);
  if (static_cast<int64_t>(docs->size()) <= batch_size && !tail) return 0;
  std::deque<Document> rest(std::make_move_iterator(docs->begin() + batch_size),
                            std::make_move_iterator(docs->end()));
  docs->resize(static_cast<size_t>(batch_size));
  return store.Open(ns, std::move(rest), std::move(tail));
}

}  // namespace mm::commands
