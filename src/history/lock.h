// The migration lock: one document in `migrationLock` per history collection, taken before a
// command that writes reads its plan, and released at the end (also on failure).
//
// Taken atomically with one findAndModify that matches only an expired lock or our own and
// upserts otherwise, so two runners racing both reach the server and exactly one wins (the
// other's upsert meets the unique _id: 11000). The lease's expiry is computed by the server
// ($$NOW), never from this machine's clock, and renewed from a background thread while a long
// migration runs; a runner that dies stops renewing and its lock expires.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "mongomigrate/mongo.h"

namespace mm::history {

struct LockHolder {
  std::string owner;  // a random token per run
  std::string host;
  int64_t pid = 0;
  std::string command;
  std::optional<DateTime> acquired_at;
  std::optional<DateTime> expires_at;
  bool live = false;  // the lease had not expired when read
};
std::string Describe(const LockHolder& h);

struct LockOptions {
  std::string collection = "migrationLock";
  std::string key = "migrationHistory";  // one lock per history collection
  std::chrono::milliseconds lease{30000};
  std::chrono::milliseconds timeout{60000};
  std::string command;  // "up", "down 2", … stored for whoever waits
};

class Lock {
 public:
  // Waits up to options.timeout while another runner holds a live lease; `waiting` is told
  // who holds it (once per holder). Fails with details {lockTimeout: true} on timeout.
  static StatusOr<std::unique_ptr<Lock>> Acquire(
      mongo::Database db, LockOptions options,
      const std::function<void(const LockHolder&)>& waiting);
  ~Lock();
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  // Whether a renewal found the lock taken from us (after a lease expired while we stalled).
  bool lost() const { return lost_; }
  Status Release();

 private:
  Lock(mongo::Database db, LockOptions options, std::string owner);
  void RenewLoop();

  mongo::Database db_;
  LockOptions options_;
  std::string owner_;
  std::atomic<bool> lost_{false};
  bool released_ = false;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread renewer_;
};

// The lock document for `key`, live or expired, if any.
StatusOr<std::optional<LockHolder>> ReadLock(mongo::Database db, const std::string& collection,
                                             const std::string& key);
// Removes the lock for `key` and returns whose it was. Refuses (BadValue) while its lease is
// live unless `force`.
StatusOr<std::optional<LockHolder>> RemoveLock(mongo::Database db, const std::string& collection,
                                               const std::string& key, bool force);

}  // namespace mm::history
