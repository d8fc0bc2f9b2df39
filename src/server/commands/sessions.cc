#include "server/commands/sessions.h"

#include "value/bson_codec.h"

namespace mm::commands {
namespace {

// The session's identity: its id (and uid, when a mongos sends one), as canonical text.
std::string SessionKey(const Document& lsid) { return ToRelaxedJson(Value(lsid)); }

}  // namespace

Transaction& SessionStore::For(const Document& lsid) { return sessions_[SessionKey(lsid)]; }

void SessionStore::End(const Document& lsid) { sessions_.erase(SessionKey(lsid)); }

void SessionStore::AbortExpired(std::chrono::milliseconds lifetime) {
  const auto now = std::chrono::steady_clock::now();
  for (auto& [key, txn] : sessions_) {
    if (txn.state == Transaction::State::kInProgress && now - txn.started > lifetime) txn.Abort();
  }
}

}  // namespace mm::commands
