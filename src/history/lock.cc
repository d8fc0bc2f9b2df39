#include "history/lock.h"

#include <unistd.h>

#include <random>

namespace mm::history {
namespace {

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
  auto str = [&](const char* k) {
    const Value* v = d.Get(k);
    return v && v->Is<std::string>() ? v->As<std::string>() : std::string();
  };
  h.owner = str("owner");
  h.host = str("host");
  h.command = str("command");
  if (const Value* pid = d.Get("pid"); pid && pid->IsNumber())
    h.pid = pid->AsExactInt64().value_or(0);
  if (const Value* at = d.Get("acquiredAt"); at && at->Is<DateTime>())
    h.acquired_at = at->As<DateTime>();
  if (const Value* at = d.Get("expiresAt"); at && at->Is<DateTime>())
    h.expires_at = at->As<DateTime>();
  if (const Value* live = d.Get("live"); live) h.live = live->Truthy();
  return h;
}

// {$expr: {$gt: ["$expiresAt", "$$NOW"]}}: true while the lease runs, by the server's clock.
Document LiveExpr() { return Document{{"$gt", Array{{Value("$expiresAt"), Value("$$NOW")}}}}; }

}  // namespace

std::string Describe(const LockHolder& h) {
  return h.host + " (pid " + std::to_string(h.pid) + ", `" + h.command + "`, since " +
         IsoTime(h.acquired_at) + ", lease until " + IsoTime(h.expires_at) + ")";
}

Lock::Lock(mongo::Database db, LockOptions options, std::string owner)
    : db_(db), options_(std::move(options)), owner_(std::move(owner)) {
  renewer_ = std::thread([this] { RenewLoop(); });
}

Lock::~Lock() { (void)Release(); }

StatusOr<std::unique_ptr<Lock>> Lock::Acquire(
    mongo::Database db, LockOptions options,
    const std::function<void(const LockHolder&)>& waiting) {
  const std::string owner = RandomToken();
  const int64_t lease_ms = options.lease.count();
  Document take{
      {"findAndModify", options.collection},
      {"query",
       Document{
           {"_id", options.key},
           {"$or",
            Array{{Value(Document{{"owner", owner}}),
                   Value(Document{{"$expr", Document{{"$lte", Array{{Value("$expiresAt"),
                                                                     Value("$$NOW")}}}}}})}}}}},
      {"update",
       Array{{Value(Document{
           {"$set", Document{{"owner", owner},
                             {"host", Hostname()},
                             {"pid", static_cast<int64_t>(getpid())},
                             {"command", options.command},
                             {"acquiredAt", "$$NOW"},
                             {"expiresAt",
                              Document{{"$add", Array{{Value("$$NOW"), Value(lease_ms)}}}}}}}})}}},
      {"upsert", true},
      {"new", true},
      {"writeConcern", Document{{"w", "majority"}}}};
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::string last_owner;
  std::mt19937 jitter(std::random_device{}());
  while (true) {
    auto reply = db.RunCommand(take);
    if (reply.ok()) return std::unique_ptr<Lock>(new Lock(db, std::move(options), owner));
    if (reply.status().code() != kDuplicateKey) return reply.status();
    auto holder = ReadLock(db, options.collection, options.key);
    if (!holder.ok()) return holder.status();
    if (*holder && (*holder)->owner != last_owner) {
      last_owner = (*holder)->owner;
      waiting(**holder);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string who = *holder ? Describe(**holder) : "another runner";
      return Status(kLockBusy, "timed out after " + std::to_string(options.timeout.count() / 1000) +
                                   " s waiting for the migration lock held by " + who +
                                   ". If that runner is gone, its lease expires by itself; "
                                   "`mongo-migrate unlock --force` removes it now.")
          .WithDetails(Document{{"lockTimeout", true}});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + jitter() % 150));
  }
}

void Lock::RenewLoop() {
  const auto period = options_.lease / 3;
  const int64_t lease_ms = options_.lease.count();
  std::unique_lock guard(mutex_);
  while (!stop_cv_.wait_for(guard, period, [this] { return stop_; })) {
    guard.unlock();
    auto reply = db_.RunCommand(Document{
        {"update", options_.collection},
        {"updates",
         Array{{Value(Document{
             {"q", Document{{"_id", options_.key}, {"owner", owner_}}},
             {"u", Array{{Value(Document{
                       {"$set", Document{{"expiresAt",
                                          Document{{"$add", Array{{Value("$$NOW"),
                                                                   Value(lease_ms)}}}}}}}})}}}})}}},
        {"writeConcern", Document{{"w", "majority"}}}});
    if (reply.ok()) {
      const Value* n = reply->Get("n");
      if (n && n->IsNumber() && n->AsDouble() == 0) lost_ = true;
    }
    guard.lock();
  }
}

Status Lock::Release() {
  if (released_) return Status::Ok();
  released_ = true;
  {
    std::lock_guard guard(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (renewer_.joinable()) renewer_.join();
  auto reply = db_.RunCommand(Document{
      {"delete", options_.collection},
      {"deletes", Array{{Value(Document{{"q", Document{{"_id", options_.key}, {"owner", owner_}}},
                                        {"limit", 1}})}}},
      {"writeConcern", Document{{"w", "majority"}}}});
  return reply.ok() ? Status::Ok() : reply.status();
}

StatusOr<std::optional<LockHolder>> ReadLock(mongo::Database db, const std::string& collection,
                                             const std::string& key) {
  auto reply = db.RunCommand(Document{
      {"aggregate", collection},
      {"pipeline", Array{{Value(Document{{"$match", Document{{"_id", key}}}}),
                          Value(Document{{"$addFields", Document{{"live", LiveExpr()}}}})}}},
      {"cursor", Document{}}});
  if (!reply.ok()) return reply.status();
  const auto& batch = reply->Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items;
  if (batch.empty()) return std::optional<LockHolder>();
  return std::optional<LockHolder>(HolderFrom(batch.front().As<Document>()));
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
  auto reply = db.RunCommand(
      Document{{"delete", collection},
               {"deletes", Array{{Value(Document{{"q", Document{{"_id", key}}}, {"limit", 1}})}}},
               {"writeConcern", Document{{"w", "majority"}}}});
  if (!reply.ok()) return reply.status();
  return holder;
}

}  // namespace mm::history
