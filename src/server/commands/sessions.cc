#include "server/commands/sessions.h"

#include "server/auth/scram.h"
#include "value/bson_codec.h"

namespace mm::commands {
namespace {

// The session's identity: its id (and uid, when a mongos sends one), as canonical text.
std::string SessionKey(const Document& lsid) { return ToRelaxedJson(Value(lsid)); }

}  // namespace

Transaction& SessionStore::For(const Document& lsid) { return sessions_[SessionKey(lsid)]; }

std::string SessionUserName(const std::string& user_key) {
  const size_t dot = user_key.find('.');
  return dot == std::string::npos ? user_key
                                  : user_key.substr(dot + 1) + "@" + user_key.substr(0, dot);
}

void SessionStore::Touch(const Document& lsid, const std::string& user) {
  Transaction& session = For(lsid);
  if (session.lsid.empty()) session.lsid = lsid;
  session.user = user;
  session.last_use_millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
}

std::vector<Document> SessionStore::LocalSessions(
    const std::function<bool(const std::string&)>& include) const {
  std::vector<Document> out;
  for (const auto& [key, session] : sessions_) {
    const Value* id = session.lsid.Get("id");
    if (!id || !include(session.user)) continue;
    // mongod's uid: the SHA-256 of the user's name ("" for an unauthenticated client).
    Document entry{{"_id", Document{{"id", *id}, {"uid", Binary{0, auth::Sha256(session.user)}}}},
                   {"lastUse", DateTime{session.last_use_millis}}};
    if (!session.user.empty()) entry.Append("user", Document{{"name", session.user}});
    out.push_back(std::move(entry));
  }
  return out;
}

void SessionStore::End(const Document& lsid) { sessions_.erase(SessionKey(lsid)); }

void SessionStore::AbortExpired(std::chrono::milliseconds lifetime) {
  const auto now = std::chrono::steady_clock::now();
  for (auto& [key, txn] : sessions_) {
    if (txn.state == Transaction::State::kInProgress && now - txn.started > lifetime) txn.Abort();
  }
}

}  // namespace mm::commands
