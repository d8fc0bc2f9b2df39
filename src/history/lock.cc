#include "history/lock.h"

#include <unistd.h>

#include <random>

#include "history/fields.h"

namespace mm::history {
namespace {

using Clock = std::chrono::steady_clock;

std::string RandomToken() {
  std::random_device rd;
  std::mt19937_64 rng((static_cast<uint64_t>(rd()) << 32) ^ rd() ^ static_cast<uint64_t>(getpid()));
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

std::string Hostname() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return host;
}

std::string IsoTime(const std::optional<DateTime>& t) { return t ? FormatUtc(*t) : "?"; }

LockHolder HolderFrom(const Document& d) {
  LockHolder h;
  h.owner = StringField(d, "owner");
  h.host = StringField(d, "host");
  h.command = StringField(d, "command");
  h.pid = IntField(d, "pid").value_or(0);
  h.generation = IntField(d, "generation").value_or(0);
  h.format_version = IntField(d, "formatVersion").value_or(1);
  if (const Value* at = d.Get("acquiredAt"); at && at->Is<DateTime>())
    h.acquired_at = at->As<DateTime>();
  if (const Value* at = d.Get("expiresAt"); at && at->Is<DateTime>())
    h.expires_at = at->As<DateTime>();
  if (const Value* live = d.Get("live"); live) h.live = live->Truthy();
  return h;
}

// {$add: ["$$NOW", lease]}: the lease's end by the server's clock.
Document LeaseEnd(std::chrono::milliseconds lease) {
  return Document{{"$add", Array{{Value("$$NOW"), Value(static_cast<int64_t>(lease.count()))}}}};
}

// {$expr: {$gt: ["$expiresAt", "$$NOW"]}}: true while the lease runs, by the server's clock.
Document LiveExpr() { return Document{{"$gt", Array{{Value("$expiresAt"), Value("$$NOW")}}}}; }

const Document kMajority{{"w", "majority"}};

// Marks the lock of `key` free if it is still held by `owner` at `generation`; the document
// stays, so the next taking continues the generation. Returns how many documents matched.
StatusOr<int64_t> MarkFree(mongo::Database db, const std::string& collection,
                           const std::string& key, const std::string& owner, int64_t generation,
                           bool revoke = false) {
  Document set{{"owner", ""}};
  // Removed from a live holder (`unlock --force`): its lease end is kept as revokedUntil (the
  // latest of them). That runner may, by its own clock, still run the version it claimed until
  // then, and `force` waits for it (RevokedLeaseEnd).
  if (revoke) {
    set.Append("revokedUntil",
               Document{{"$max", Array{{Value("$revokedUntil"), Value("$expiresAt")}}}});
  }
  set.Append("expiresAt", "$$NOW");
  auto reply = db.RunCommand(Document{
      {"update", collection},
      {"updates",
       Array{{Value(Document{
           // A lock of an older release has no generation: null matches the missing field.
           {"q", Document{{"_id", key},
                          {"owner", owner},
                          {"generation", generation > 0 ? Value(generation) : Value(Null{})}}},
           {"u", Array{{Value(Document{{"$set", std::move(set)}})}}}})}}},
      {"writeConcern", kMajority}});
  if (!reply.ok()) return reply.status();
  return IntField(*reply, "n").value_or(0);
}

Status Lost(const std::string& why) {
  return Status(kLockBusy,
                "stopped: the migration lock is no longer ours (" + why +
                    "); another runner may be migrating. Nothing more was run; run `mongo-migrate "
                    "status` to see where things stand.")
      .WithKind(FailureKind::kLockLost);
}

}  // namespace

std::string Describe(const LockHolder& h) {
  return h.host + " (pid " + std::to_string(h.pid) + ", `" + h.command + "`, since " +
         IsoTime(h.acquired_at) + ", lease until " + IsoTime(h.expires_at) + ")";
}

Lock::Lock(mongo::Database db, LockOptions options, std::string owner, int64_t generation)
    : db_(db),
      options_(std::move(options)),
      owner_(std::move(owner)),
      generation_(generation),
      last_confirmed_(Clock::now()) {
  renewer_ = std::thread([this] { RenewLoop(); });
}

Lock::~Lock() { (void)Release(); }

StatusOr<std::unique_ptr<Lock>> Lock::Acquire(
    mongo::Database db, LockOptions options,
    const std::function<void(const LockHolder&)>& waiting) {
  const std::string owner = RandomToken();
  Document take{
      {"findAndModify", options.collection},
      {"query",
       Document{
           {"_id", options.key},
           {"formatVersion", Document{{"$not", Document{{"$gt", kLockFormatVersion}}}}},
           {"$or",
            Array{{Value(Document{{"owner", owner}}),
                   Value(Document{{"$expr", Document{{"$lte", Array{{Value("$expiresAt"),
                                                                     Value("$$NOW")}}}}}})}}}}},
      {"update",
       Array{{Value(Document{
           {"$set",
            Document{
                {"formatVersion", kLockFormatVersion},
                {"owner", owner},
                {"generation",
                 Document{{"$add", Array{{Value(Document{{"$ifNull", Array{{Value("$generation"),
                                                                            Value(int64_t{0})}}}}),
                                          Value(int64_t{1})}}}}},
                {"host", Hostname()},
                {"pid", static_cast<int64_t>(getpid())},
                {"command", options.command},
                {"acquiredAt", "$$NOW"},
                {"expiresAt", LeaseEnd(options.lease)}}}})}}},
      {"upsert", true},
      {"new", true},
      {"writeConcern", kMajority}};
  const auto deadline = Clock::now() + options.timeout;
  std::string last_owner;
  std::mt19937 jitter(std::random_device{}());
  while (true) {
    auto reply = db.RunCommand(take);
    if (reply.ok()) {
      const Value* value = reply->Get("value");
      int64_t generation = value && value->Is<Document>()
                               ? IntField(value->As<Document>(), "generation").value_or(0)
                               : 0;
      if (generation <= 0) {
        return Status(kInternalError,
                      "the server took the migration lock but returned no "
                      "generation for it");
      }
      return std::unique_ptr<Lock>(new Lock(db, std::move(options), owner, generation));
    }
    if (reply.status().code() != kDuplicateKey) return reply.status();
    auto holder = ReadLock(db, options.collection, options.key);
    if (!holder.ok()) return holder.status();
    if (*holder && (*holder)->format_version > kLockFormatVersion) {
      return Status(kBadValue, "the migration lock in " + options.collection +
                                   " was written by a newer mongo-migrate (lock format " +
                                   std::to_string((*holder)->format_version) +
                                   ", this release knows " + std::to_string(kLockFormatVersion) +
                                   "); upgrade mongo-migrate before running it here");
    }
    if (int signal = options.cancelled ? options.cancelled() : 0) {
      return Status(kInterrupted, "interrupted while waiting for the migration lock; nothing ran")
          .Interrupted(signal);
    }
    if (*holder && (*holder)->owner != last_owner) {
      last_owner = (*holder)->owner;
      waiting(**holder);
    }
    if (Clock::now() >= deadline) {
      std::string who = *holder ? Describe(**holder) : "another runner";
      return Status(kLockBusy, "timed out after " + std::to_string(options.timeout.count() / 1000) +
                                   " s waiting for the migration lock held by " + who +
                                   ". If that runner is gone, its lease expires by itself; "
                                   "`mongo-migrate unlock --force` removes it now.")
          .WithKind(FailureKind::kLockTimeout);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + jitter() % 150));
  }
}

Status Lock::RenewOnce() {
  // The server starts the new lease when it runs the update, after this moment: measuring from
  // here never overestimates how long the lease has left.
  const auto sent = Clock::now();
  auto reply = db_.RunCommand(Document{
      {"update", options_.collection},
      {"updates",
       Array{{Value(Document{
           {"q", Document{{"_id", options_.key}, {"owner", owner_}, {"generation", generation_}}},
           {"u", Array{{Value(
                     Document{{"$set", Document{{"expiresAt", LeaseEnd(options_.lease)}}}})}}}})}}},
      {"writeConcern", kMajority}});
  std::lock_guard guard(state_mutex_);
  if (!reply.ok()) {
    renewal_errors_.push_back("renewing the migration lock failed: " + reply.status().message());
    return reply.status();
  }
  if (IntField(*reply, "n").value_or(0) == 0) {
    lost_ = true;
    return Lost("another runner took it over, or it was removed with `unlock --force`");
  }
  last_confirmed_ = sent;
  return Status::Ok();
}

void Lock::RenewLoop() {
  const auto period = options_.lease / 3;
  std::unique_lock guard(stop_mutex_);
  while (!stop_cv_.wait_for(guard, period, [this] { return stop_; })) {
    guard.unlock();
    if (!lost_) (void)RenewOnce();
    guard.lock();
  }
}

Status Lock::Confirm() {
  if (lost_) return Lost("another runner took it over, or it was removed with `unlock --force`");
  // Always asks the server (one conditional renewal): only it knows whether `unlock --force`
  // or an expiry handed the lock to someone else while this process stalled.
  Status renewed = RenewOnce();
  if (renewed.ok() || lost_) return renewed;
  std::lock_guard guard(state_mutex_);
  if (Clock::now() - last_confirmed_ >= options_.lease) {
    lost_ = true;
    return Lost("it could not be renewed for longer than its lease: " + renewed.message());
  }
  return Status::Ok();  // a failed renewal within the lease: reported as a warning
}

Status Lock::ConfirmUnlessFresh() {
  if (lost_) return Lost("another runner took it over, or it was removed with `unlock --force`");
  {
    std::lock_guard guard(state_mutex_);
    if (Clock::now() - last_confirmed_ < options_.lease / 2) return Status::Ok();
  }
  return Confirm();
}

std::vector<std::string> Lock::TakeRenewalErrors() {
  std::lock_guard guard(state_mutex_);
  return std::exchange(renewal_errors_, {});
}

Status Lock::Release() {
  if (released_) return Status::Ok();
  released_ = true;
  {
    std::lock_guard guard(stop_mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (renewer_.joinable()) renewer_.join();
  auto n = MarkFree(db_, options_.collection, options_.key, owner_, generation_);
  return n.ok() ? Status::Ok() : n.status();
}

Status Lock::Abandon() {
  lost_ = true;  // the renewer stops renewing
  auto n = MarkFree(db_, options_.collection, options_.key, owner_, generation_);
  return n.ok() ? Status::Ok() : n.status();
}

StatusOr<std::optional<LockHolder>> ReadLock(mongo::Database db, const std::string& collection,
                                             const std::string& key) {
  auto reply = db.RunCommand(Document{
      {"aggregate", collection},
      {"pipeline", Array{{Value(Document{{"$match", Document{{"_id", key}}}}),
                          Value(Document{{"$addFields", Document{{"live", LiveExpr()}}}})}}},
      {"cursor", Document{}}});
  if (!reply.ok()) return reply.status();
  auto batch = mongo::FirstBatch(*reply, "aggregate");
  if (!batch.ok()) return batch.status();
  for (const Document& d : *batch) {
    LockHolder holder = HolderFrom(d);
    // A released lock keeps its document (and generation) with no owner. A lock of a newer
    // format is reported whatever it holds, so that the caller can refuse it.
    if (holder.owner.empty() && holder.format_version <= kLockFormatVersion) break;
    return std::optional<LockHolder>(std::move(holder));
  }
  return std::optional<LockHolder>();
}

StatusOr<std::optional<DateTime>> RevokedLeaseEnd(mongo::Database db, const std::string& collection,
                                                  const std::string& key) {
  auto reply = db.RunCommand(Document{
      {"aggregate", collection},
      {"pipeline",
       Array{{Value(Document{{"$match", Document{{"_id", key}}}}),
              Value(Document{
                  {"$project", Document{{"until", "$revokedUntil"},
                                        {"live", Document{{"$gt", Array{{Value("$revokedUntil"),
                                                                         Value("$$NOW")}}}}}}}})}}},
      {"cursor", Document{}}});
  if (!reply.ok()) return reply.status();
  auto batch = mongo::FirstBatch(*reply, "aggregate");
  if (!batch.ok()) return batch.status();
  for (const Document& d : *batch) {
    const Value* live = d.Get("live");
    const Value* until = d.Get("until");
    if (live && live->Is<bool>() && live->As<bool>() && until && until->Is<DateTime>()) {
      return std::optional<DateTime>(until->As<DateTime>());
    }
  }
  return std::optional<DateTime>();
}

StatusOr<std::optional<LockHolder>> RemoveLock(mongo::Database db, const std::string& collection,
                                               const std::string& key, bool force) {
  auto holder = ReadLock(db, collection, key);
  if (!holder.ok() || !*holder) return holder;
  if ((*holder)->live && !force) {
    return Status(kBadValue, "the migration lock is held by " + Describe(**holder) +
                                 " and its lease is still live; if that runner is really gone, "
                                 "run `mongo-migrate unlock --force`");
  }
  auto n = MarkFree(db, collection, key, (*holder)->owner, (*holder)->generation,
                    /*revoke=*/(*holder)->live);
  if (!n.ok()) return n.status();
  if (*n == 0) {
    return Status(
        kLockBusy, "the migration lock changed hands while `unlock` read it (now: " + [&] {
          auto now = ReadLock(db, collection, key);
          return now.ok() && *now ? Describe(**now) : std::string("free");
        }() + "); nothing was removed. Run `unlock` again if you still mean it.");
  }
  return holder;
}

}  // namespace mm::history
