// The migration lock: one document in `migrationLock` per history collection, taken before a
// command that writes reads its plan, and released at the end (also on failure).
//
// Taken atomically with one findAndModify that matches only an expired (or released) lock or
// our own and upserts otherwise, so two runners racing both reach the server and exactly one
// wins (the other's upsert meets the unique _id: 11000). The lease's expiry is computed by the
// server ($$NOW), never from this machine's clock, and renewed from a background thread while
// a long migration runs; a runner that dies stops renewing and its lock expires.
//
// The lock is a courtesy, not the guarantee: a runner can stall past its lease. Every taking
// increments the document's `generation` (a fencing token, kept across releases because a
// release only marks the document free), and the history's claims carry it. Confirm() tells a
// runner, before each migration, whether the lock is still its own.
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
#include <vector>

#include "mongomigrate/mongo.h"

namespace mm::history {

// The lock document's layout. A runner that finds a newer one refuses to take the lock: an old
// pod in a rolling deploy must not act on a lock it does not understand.
constexpr int64_t kLockFormatVersion = 2;

struct LockHolder {
  std::string owner;  // a random token per run
  std::string host;
  int64_t pid = 0;
  std::string command;
  int64_t generation = 0;
  int64_t format_version = 1;
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
  // Polled while waiting for another runner: a signal number stops waiting (details
  // {interrupted: signal}); 0 goes on.
  std::function<int()> cancelled;
};

// The range --lock-lease accepts: shorter cannot be renewed reliably across one round trip,
// longer keeps a dead runner's lock for more than a day.
constexpr std::chrono::milliseconds kMinLease{1000};
constexpr std::chrono::milliseconds kMaxLease{86400000};

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

  const std::string& owner() const { return owner_; }
  int64_t generation() const { return generation_; }

  // OK while the lock is still ours: renews it once, synchronously. Fails with details
  // {lockLost: true} when another runner took the lock, someone removed it, or renewals have
  // failed for longer than the lease (the server may have expired it). A failed renewal within
  // the lease is OK, and reported through TakeRenewalErrors.
  Status Confirm();
  // As Confirm, without asking the server while less than half the lease has passed since a
  // renewal was sent (the lease cannot have expired; a forced unlock is caught by the next
  // Confirm). Used before a claim, which its own revision check keeps safe; the Confirm just
  // before a migration runs always asks.
  Status ConfirmUnlessFresh();
  // Renewal failures seen by the background thread since the last call ("" entries never).
  std::vector<std::string> TakeRenewalErrors();
  // Marks the lock free, only if it is still ours (same owner and generation).
  Status Release();
  // As Release, callable from another thread while the run goes on: stops renewing and frees
  // the lock without waiting for the renewer (the process is about to exit).
  Status Abandon();

 private:
  Lock(mongo::Database db, LockOptions options, std::string owner, int64_t generation);
  void RenewLoop();
  // One conditional renewal; records the time of success, or the failure.
  Status RenewOnce();

  mongo::Database db_;
  LockOptions options_;
  std::string owner_;
  int64_t generation_ = 0;
  std::atomic<bool> lost_{false};
  bool released_ = false;

  std::mutex state_mutex_;  // guards the two fields below
  std::chrono::steady_clock::time_point last_confirmed_;
  std::vector<std::string> renewal_errors_;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread renewer_;
};

// The lock document for `key`, if it is held (live or expired); nullopt when there is none or
// it was released.
StatusOr<std::optional<LockHolder>> ReadLock(mongo::Database db, const std::string& collection,
                                             const std::string& key);
// Removes the lock for `key` and returns whose it was: compare-and-release, so it frees only
// the holder it read (a runner that took the lock meanwhile keeps it). Refuses (BadValue)
// while the lease is live unless `force`.
// When a lock removed from a live holder (`unlock --force`) had its lease run out, if that is
// still to come by the server's clock: until then the holder may still run the version it had
// claimed (it confirms its lock with the server only once its last renewal is older than half
// the lease), so `force` must not make that version runnable by another.
StatusOr<std::optional<DateTime>> RevokedLeaseEnd(mongo::Database db, const std::string& collection,
                                                  const std::string& key);

StatusOr<std::optional<LockHolder>> RemoveLock(mongo::Database db, const std::string& collection,
                                               const std::string& key, bool force);

}  // namespace mm::history
