#include "history/changelog.h"

#include <chrono>

namespace mm::history {
namespace {

DateTime Now() {
  return DateTime{std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()};
}

}  // namespace

// As the Node.js driver sends migrate-mongo's lockTtl: an int32 when it fits.
Value Changelog::LockTtl() const {
  const int64_t ttl = options_.lock_ttl_seconds;
  return ttl <= INT32_MAX ? Value(static_cast<int32_t>(ttl)) : Value(ttl);
}

namespace {

bool CountsAsApplied(const plan::AppliedRecord& r) {
  return r.status == "applied" || r.status == "baseline";
}

}  // namespace

StatusOr<std::vector<ChangelogDifference>> Changelog::Differences(
    const std::vector<Migration>& migrations, const std::vector<plan::AppliedRecord>& records) {
  auto entries = db_.Find(options_.collection, Document{});
  if (!entries.ok()) return entries.status();
  std::vector<ChangelogDifference> out;
  for (const Migration& m : migrations) {
    if (m.file.empty()) continue;
    // As migrate-mongo matches: by file name, and by the raw bytes' hash with useFileHash.
    const Document* entry = nullptr;
    for (const Document& e : *entries) {
      const Value* name = e.Get("fileName");
      if (!name || !name->Is<std::string>() || name->As<std::string>() != m.file) continue;
      const Value* hash = e.Get("fileHash");
      if (options_.use_file_hash &&
          !(hash && hash->Is<std::string>() && hash->As<std::string>() == m.raw_checksum)) {
        continue;
      }
      entry = &e;
      break;
    }
    const plan::AppliedRecord* record = nullptr;
    for (const plan::AppliedRecord& r : records) {
      if (r.version == m.version) record = &r;
    }
    const bool applied = record && CountsAsApplied(*record);
    if (entry && !applied && !(record && record->status == "reverting")) {
      const Value* at = entry->Get("appliedAt");
      out.push_back(ChangelogDifference{
          m.version, true, &m,
          at && at->Is<DateTime>() ? std::optional<DateTime>(at->As<DateTime>()) : std::nullopt});
    } else if (!entry && applied) {
      out.push_back(ChangelogDifference{m.version, false, &m, std::nullopt});
    }
  }
  return out;
}

void Changelog::Apply(const std::vector<ChangelogDifference>& differences,
                      std::vector<plan::AppliedRecord>* records) {
  for (const ChangelogDifference& d : differences) {
    plan::AppliedRecord* record = nullptr;
    for (plan::AppliedRecord& r : *records) {
      if (r.version == d.version) record = &r;
    }
    if (!record) {
      records->push_back(plan::AppliedRecord{});
      record = &records->back();
      record->version = d.version;
      record->file = d.migration->file;
      record->description = d.migration->description;
    }
    record->status = d.applied ? "applied" : "reverted";
    record->detail.clear();
    if (d.applied) {
      record->applied_at = d.applied_at;
      record->checksum.clear();  // migrate-mongo applied it: no checksum of ours to compare
    }
  }
  std::sort(records->begin(), records->end(),
            [](const plan::AppliedRecord& a, const plan::AppliedRecord& b) {
              return a.version < b.version;
            });
}

Status Changelog::Applied(const Migration& m, int64_t migration_block) {
  // Field for field what migrate-mongo inserts; its Date.now() reaches the server as a double.
  Document entry{{"fileName", m.file}};
  if (options_.use_file_hash) entry.Append("fileHash", m.raw_checksum);
  entry.Append("appliedAt", Now());
  entry.Append("migrationBlock", static_cast<double>(migration_block));
  auto reply = db_.RunCommand(
      Document{{"insert", options_.collection}, {"documents", Array{{Value(std::move(entry))}}}});
  if (!reply.ok()) {
    return reply.status().Reworded("could not update migrate-mongo's changelog: " +
                                   reply.status().message());
  }
  return Status::Ok();
}

Status Changelog::Reverted(const Migration& m) {
  auto reply = db_.RunCommand(Document{
      {"delete", options_.collection},
      {"deletes", Array{{Value(Document{{"q", Document{{"fileName", m.file}}}, {"limit", 1}})}}}});
  if (!reply.ok()) {
    return reply.status().Reworded("could not update migrate-mongo's changelog: " +
                                   reply.status().message());
  }
  return Status::Ok();
}

Status Changelog::TakeLock() {
  if (options_.lock_ttl_seconds <= 0) return Status::Ok();
  // As migrate-mongo: a TTL index expires a dead run's lock after lockTtl seconds.
  auto indexed = db_.RunCommand(
      Document{{"createIndexes", options_.lock_collection},
               {"indexes", Array{{Value(Document{{"key", Document{{"createdAt", 1}}},
                                                 {"name", "createdAt_1"},
                                                 {"expireAfterSeconds", LockTtl()}})}}}});
  if (!indexed.ok()) return indexed.status();
  auto held = db_.Find(options_.lock_collection, Document{});
  if (!held.ok()) return held.status();
  if (!held->empty()) {
    return Status(kBadValue, "migrate-mongo's lock is in place (a document in " +
                                 options_.lock_collection +
                                 "): a migrate-mongo run is going on, or one died and its lock "
                                 "expires within lockTtl (" +
                                 std::to_string(options_.lock_ttl_seconds) + " s)");
  }
  auto taken =
      db_.RunCommand(Document{{"insert", options_.lock_collection},
                              {"documents", Array{{Value(Document{{"createdAt", Now()}})}}}});
  return taken.ok() ? Status::Ok() : taken.status();
}

Status Changelog::ReleaseLock() {
  if (options_.lock_ttl_seconds <= 0) return Status::Ok();
  auto cleared = db_.RunCommand(
      Document{{"delete", options_.lock_collection},
               {"deletes", Array{{Value(Document{{"q", Document{}}, {"limit", 0}})}}}});
  return cleared.ok() ? Status::Ok() : cleared.status();
}

}  // namespace mm::history
