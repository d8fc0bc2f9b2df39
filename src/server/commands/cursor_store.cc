#include "server/commands/cursor_store.h"

namespace mm::commands {

int64_t CursorStore::Open(std::string ns, std::deque<Document> rest) {
  int64_t id = next_id_++;
  cursors_.emplace(id, Cursor{std::move(ns), std::move(rest), std::chrono::steady_clock::now()});
  return id;
}

std::optional<std::vector<Document>> CursorStore::Next(int64_t id, const std::string& ns,
                                                       int64_t batch_size, bool* exhausted) {
  auto it = cursors_.find(id);
  if (it == cursors_.end() || it->second.ns != ns) return std::nullopt;
  it->second.last_used = std::chrono::steady_clock::now();
  std::vector<Document> batch;
  auto& rest = it->second.rest;
  while (!rest.empty() && (batch_size <= 0 || static_cast<int64_t>(batch.size()) < batch_size)) {
    batch.push_back(std::move(rest.front()));
    rest.pop_front();
  }
  *exhausted = rest.empty();
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
                   int64_t batch_size) {
  if (batch_size < 0 || static_cast<int64_t>(docs->size()) <= batch_size) return 0;
  std::deque<Document> rest(std::make_move_iterator(docs->begin() + batch_size),
                            std::make_move_iterator(docs->end()));
  docs->resize(static_cast<size_t>(batch_size));
  return store.Open(ns, std::move(rest));
}

}  // namespace mm::commands
