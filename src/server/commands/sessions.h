// Logical sessions and their transactions (replica-set mode only, as in mongod).
//
// A transaction works on a private snapshot of the whole catalog taken at its first statement;
// commit adopts the collections it changed unless another writer changed one of them meanwhile
// (WriteConflict 112). devmongod's engine is small and single-locked, so a full copy is the
// obviously-correct way to get snapshot isolation; conflicts are per collection, not per
// document (KNOWN_DIFFERENCES.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/value.h"
#include "server/engine/catalog.h"

namespace mm::commands {

struct Transaction {
  enum class State { kNone, kInProgress, kCommitted, kAborted };
  int64_t number = -1;  // the session's highest txnNumber seen
  State state = State::kNone;
  std::unique_ptr<engine::Catalog> snapshot;      // while kInProgress
  std::chrono::steady_clock::time_point started;  // when kInProgress began
  // A retryable write (txnNumber without autocommit) that ran at `number`: its reply, replayed
  // to a retry with the same txnNumber instead of writing again.
  std::optional<Document> retryable_reply;
  // A retryable write that ran statement by statement (retryable_writes.h): the result of each
  // statement it executed at `number`, by index.
  std::map<size_t, Document> retryable_statements;
  // For $listLocalSessions: the lsid as sent, who used it last ("name@db", "" without auth)
  // and when (wall clock).
  Document lsid;
  std::string user;
  int64_t last_use_millis = 0;

  void Abort() {
    state = State::kAborted;
    snapshot.reset();
  }
};

// A user key of the user store and of ConnectionState::authenticated ("db.name") as mongod
// names users in session records ("name@db").
std::string SessionUserName(const std::string& user_key);

class SessionStore {
 public:
  // The transaction state of the session `lsid` ({id: UUID}), created on first use.
  Transaction& For(const Document& lsid);
  // Records a use of `lsid` by `user` now: every command that carries an lsid, as mongod's
  // logical session cache does.
  void Touch(const Document& lsid, const std::string& user);
  // $listLocalSessions' documents, {_id: {id, uid}, lastUse, user}, for the sessions whose
  // user `include` accepts.
  std::vector<Document> LocalSessions(const std::function<bool(const std::string&)>& include) const;
  // Calls `fn` for every transaction in progress.
  void ForEachInProgress(const std::function<void(const Transaction&)>& fn) const {
    for (const auto& [key, txn] : sessions_) {
      if (txn.state == Transaction::State::kInProgress && txn.snapshot) fn(txn);
    }
  }
  // endSessions: forgets the sessions, aborting their open transactions.
  void End(const Document& lsid);
  // Aborts the transactions open for longer than `lifetime` (mongod's transaction reaper,
  // transactionLifetimeLimitSeconds): a client that died mid-transaction leaves nothing held.
  void AbortExpired(std::chrono::milliseconds lifetime);

 private:
  std::map<std::string, Transaction> sessions_;
};

}  // namespace mm::commands
