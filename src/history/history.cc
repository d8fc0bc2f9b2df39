#include "history/history.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>

#include "history/fields.h"
#include "mongo/uri.h"
#include "value/bson_codec.h"

namespace mm::history {
namespace {

const Document kMajority{{"w", "majority"}};

// What `status` shows for an unfinished or failed record.
std::string DetailOf(const Document& d, const std::string& status) {
  if (status == "failed") {
    const Value* error = d.Get("error");
    if (error && error->Is<Document>()) {
      return StringField(error->As<Document>(), "message");
    }
    return "no error recorded";
  }
  if (status == "running" || status == "reverting") {
    std::string who = StringField(d, "runBy");
    auto pid = IntField(d, "pid");
    return (status == "running" ? "up" : "down") + std::string(" started by ") +
           (who.empty() ? "?" : who) + (pid ? " (pid " + std::to_string(*pid) + ")" : "");
  }
  return "";
}

Document MigrationFields(const Migration& m) {
  return Document{{"description", m.description},
                  {"file", m.file.empty() ? Value(Null{}) : Value(m.file)},
                  {"checksum", m.checksum.empty() ? Value(Null{}) : Value(m.checksum)}};
}

void AppendAll(Document& to, Document from) {
  for (Field& f : from.fields()) to.Append(f.key, std::move(f.value));
}

// The record's identity for restoring: its version, or the whole document when it has none.
std::string RestoreKey(const Document& d) {
  if (auto v = IntField(d, "version")) return std::to_string(*v);
  return "doc:" + ToRelaxedJson(d);
}

}  // namespace

StatusOr<std::vector<Document>> History::Snapshot() {
  return db_.Find(collection_, Document{}, Document{{"version", 1}});
}

StatusOr<std::vector<plan::AppliedRecord>> History::Load() {
  auto docs = Snapshot();
  if (!docs.ok()) return docs.status();
  std::vector<plan::AppliedRecord> out;
  for (const Document& d : *docs) {
    auto v = IntField(d, "version");
    if (!v) {
      const Value* id = d.Get("_id");
      return Status(kBadValue, "a document in " + db_.name() + "." + collection_ +
                                   (id ? " (_id " + ToRelaxedJson(*id) + ")" : std::string()) +
                                   " has no integer \"version\"; fix or remove it by hand");
    }
    plan::AppliedRecord r;
    r.version = *v;
    // Records written by hand, as the seed's guide suggests, may lack a status: applied.
    r.status = d.Has("status") ? StringField(d, "status") : "applied";
    if (const Value* at = d.Get("appliedAt"); at && at->Is<DateTime>()) {
      r.applied_at = at->As<DateTime>();
    }
    r.description = StringField(d, "description");
    r.file = StringField(d, "file");
    r.checksum = StringField(d, "checksum");
    r.detail = DetailOf(d, r.status);
    r.revision = IntField(d, "revision").value_or(0);
    if (const Value* p = d.Get("progress"); p && p->Is<Document>() && !p->As<Document>().empty()) {
      r.progress = p->As<Document>();
    }
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<std::vector<plan::HistoryEntry>> History::Entries() {
  auto docs = Snapshot();
  if (!docs.ok()) return docs.status();
  auto date = [](const Document& d, const char* key) -> std::optional<DateTime> {
    const Value* v = d.Get(key);
    if (v && v->Is<DateTime>()) return v->As<DateTime>();
    return std::nullopt;
  };
  std::vector<plan::HistoryEntry> out;
  for (const Document& d : *docs) {
    plan::HistoryEntry e;
    e.version = IntField(d, "version").value_or(0);
    // Records written by hand, as the seed's guide suggests, may lack a status: applied.
    e.status = d.Has("status") ? StringField(d, "status") : "applied";
    e.description = StringField(d, "description");
    const bool reverted = e.status == "reverted";
    const bool running = e.status == "running" || e.status == "reverting";
    e.when = date(d, "updatedAt");
    for (const char* key : {"revertedAt", "failedAt", "appliedAt", "startedAt", "forcedAt"}) {
      if (!e.when) e.when = date(d, key);
    }
    e.by = StringField(d, !StringField(d, "forcedBy").empty() ? "forcedBy"
                          : reverted                          ? "revertedBy"
                          : running                           ? "runBy"
                                                              : "appliedBy");
    if (!running) e.duration_ms = IntField(d, reverted ? "revertDurationMs" : "durationMs");
    e.tool_version = StringField(d, "toolVersion");
    if (const Value* error = d.Get("error"); error && error->Is<Document>()) {
      e.error = StringField(error->As<Document>(), "message");
    }
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const plan::HistoryEntry& a, const plan::HistoryEntry& b) {
                     const int64_t ta = a.when ? a.when->millis : INT64_MIN;
                     const int64_t tb = b.when ? b.when->millis : INT64_MIN;
                     return ta != tb ? ta < tb : a.version < b.version;
                   });
  return out;
}

StatusOr<std::vector<plan::AppliedRecord>> History::LoadForWrite() {
  auto docs = Snapshot();
  if (!docs.ok()) return docs.status();
  bool legacy = false;
  for (const Document& d : *docs) {
    auto format = IntField(d, "formatVersion");
    if (format && *format > kHistoryFormatVersion) {
      return Status(kBadValue,
                    db_.name() + "." + collection_ + " holds records written by a newer " +
                        "mongo-migrate (history format " + std::to_string(*format) +
                        ", this release knows " + std::to_string(kHistoryFormatVersion) +
                        "); upgrade mongo-migrate before changing anything with it (`status` "
                        "still reads them)");
    }
    legacy = legacy || !format;
  }
  if (legacy) {
    auto reply = db_.RunCommand(Durable(Document{
        {"update", collection_},
        {"updates",
         Array{{Value(Document{
             {"q", Document{{"formatVersion", Document{{"$exists", false}}}}},
             // A revision the record may already have is kept: claims read it.
             {"u", Array{{Value(Document{
                       {"$set", Document{{"formatVersion", kHistoryFormatVersion},
                                         {"revision",
                                          Document{{"$ifNull", Array{{Value("$revision"),
                                                                      Value(int64_t{0})}}}}}}}})}}},
             {"multi", true}})}}}}));
    if (!reply.ok()) return reply.status();
  }
  return Load();
}

Status History::Guard() {
  if (!kept_) {
    auto all = Snapshot();
    if (!all.ok()) return all.status();
    kept_.emplace();
    for (Document& d : *all) (*kept_)[RestoreKey(d)] = std::move(d);
    written_.clear();
    return Status::Ok();
  }
  if (written_.empty()) return Status::Ok();
  Array versions;
  for (int64_t v : written_) {
    versions.items.emplace_back(v);
    kept_->erase(std::to_string(v));
  }
  auto fresh = db_.Find(collection_, Document{{"version", Document{{"$in", std::move(versions)}}}});
  if (!fresh.ok()) return fresh.status();
  for (Document& d : *fresh) (*kept_)[RestoreKey(d)] = std::move(d);
  written_.clear();
  return Status::Ok();
}

StatusOr<int> History::RestoreMissing() {
  if (!kept_) return 0;
  // One count first: when every kept record is still there (the usual case), nothing is read.
  Array ids;
  for (const auto& [key, d] : *kept_) {
    if (const Value* id = d.Get("_id")) ids.items.push_back(*id);
  }
  if (ids.items.size() == kept_->size()) {
    auto counted = db_.RunCommand(Document{
        {"count", collection_}, {"query", Document{{"_id", Document{{"$in", std::move(ids)}}}}}});
    if (!counted.ok()) return counted.status();
    const Value* n = counted->Get("n");
    auto present = n ? n->AsExactInt64() : std::nullopt;
    if (present && *present == static_cast<int64_t>(kept_->size())) return 0;
  }
  auto now = Snapshot();
  if (!now.ok()) return now.status();
  std::set<std::string> present;
  for (const Document& n : *now) present.insert(RestoreKey(n));
  Array missing;
  for (const auto& [key, d] : *kept_) {
    if (!present.count(key)) missing.items.emplace_back(d);
  }
  if (missing.items.empty()) return 0;
  MM_RETURN_IF_ERROR(EnsureIndex());
  int n = static_cast<int>(missing.items.size());
  auto reply = db_.RunCommand(Durable(
      Document{{"insert", collection_}, {"documents", std::move(missing)}, {"ordered", false}}));
  if (!reply.ok()) return reply.status();
  return n;
}

Document History::Durable(Document command) const {
  // Inside a transaction the write concern belongs to the commit; MongoDB refuses it on a
  // statement (InvalidOptions).
  if (!db_.session()) command.Append("writeConcern", kMajority);
  return command;
}

Status History::EnsureIndex() {
  auto reply = db_.RunCommand(
      Durable(Document{{"createIndexes", collection_},
                       {"indexes", Array{{Value(Document{{"key", Document{{"version", 1}}},
                                                         {"name", "version_1"},
                                                         {"unique", true}})}}}}));
  return reply.ok() ? Status::Ok() : reply.status();
}

Status History::Refused(int64_t version) {
  std::string now = "no record";
  auto docs = db_.Find(collection_, Document{{"version", version}});
  if (docs.ok() && !docs->empty()) {
    std::string status = StringField(docs->front(), "status");
    // Appended, not `"\"" + std::string`: GCC 12 at -O3 warns -Wrestrict on that (a false
    // positive, GCC bug 105651).
    now = std::string("\"").append(status.empty() ? "applied" : status).append("\"");
    if (std::string by = StringField(docs->front(), "runBy"); !by.empty()) now += " by " + by;
  }
  return Status(kWriteConflict,
                "the history record of version " + std::to_string(version) +
                    " changed after this runner read it (now " + now +
                    "): another runner or a person acted on it, so this runner stopped without "
                    "running it again. Run `mongo-migrate status` to see where things stand.")
      .WithKind(FailureKind::kLockLost);
}

Document History::Statement(int64_t version, std::optional<int64_t> expected_revision,
                            Document filter_extra, Document update) {
  // Without a record to expect, the filter matches nothing (no revision is negative), so the
  // upsert inserts one, and meets the unique index on `version` if another runner did first.
  Document filter{{"version", version},
                  {"revision", expected_revision ? Value(*expected_revision)
                                                 : Value(Document{{"$lt", int64_t{0}}})}};
  AppendAll(filter, std::move(filter_extra));
  Document set{{"formatVersion", kHistoryFormatVersion}};
  if (Value* s = update.Get("$set")) AppendAll(set, std::move(s->As<Document>()));
  update.Set("$set", std::move(set));
  update.Set("$inc", Document{{"revision", int64_t{1}}});
  written_.insert(version);
  return Document{
      {"q", std::move(filter)}, {"u", std::move(update)}, {"upsert", !expected_revision}};
}

Status History::WriteIf(int64_t version, std::optional<int64_t> expected_revision,
                        Document filter_extra, Document update) {
  auto reply = db_.RunCommand(Durable(Document{
      {"update", collection_},
      {"updates", Array{{Value(Statement(version, expected_revision, std::move(filter_extra),
                                         std::move(update)))}}}}));
  if (!reply.ok()) {
    return reply.status().code() == kDuplicateKey ? Refused(version) : reply.status();
  }
  if (IntField(*reply, "n").value_or(0) < 1) return Refused(version);
  return Status::Ok();
}

Document History::ClaimUpdate(const Migration& m, plan::Direction direction,
                              const ClaimToken& token, const AppliedBy& by) {
  // The seed's fields first (version, status), then ours. A rollback keeps the
  // description/file/checksum of what was applied; only the state moves.
  Document set{{"status", direction == plan::Direction::kUp ? "running" : "reverting"}};
  if (direction == plan::Direction::kUp) AppendAll(set, MigrationFields(m));
  set.Append("runBy", by.user_at_host);
  set.Append("pid", static_cast<int64_t>(getpid()));
  set.Append("claim", Document{{"owner", token.owner}, {"generation", token.generation}});
  set.Append("lockGeneration", token.generation);
  return Document{{"$set", std::move(set)},
                  {"$currentDate", Document{{"startedAt", true}, {"updatedAt", true}}},
                  {"$unset", Document{{"error", ""}}}};
}

namespace {

Claim ClaimOf(const Migration& m, const plan::AppliedRecord* read, const ClaimToken& token) {
  Claim claim;
  claim.version = m.version;
  claim.existed = read != nullptr;
  claim.prior_status = read ? read->status : "";
  claim.revision = (read ? read->revision : 0) + 1;
  claim.token = token;
  return claim;
}

Document ClaimFilter(const Claim& claim) { return Document{{"claim.owner", claim.token.owner}}; }

Document AppliedUpdate(const Migration& m, int64_t duration_ms, const AppliedBy& by) {
  Document set = MigrationFields(m);
  set.Append("status", "applied");
  set.Append("durationMs", duration_ms);
  set.Append("appliedBy", by.user_at_host);
  set.Append("toolVersion", by.tool_version);
  return Document{{"$set", std::move(set)},
                  {"$currentDate", Document{{"appliedAt", true}, {"updatedAt", true}}},
                  {"$unset", Document{{"error", ""},
                                      {"revertedAt", ""},
                                      {"pid", ""},
                                      {"runBy", ""},
                                      {"claim", ""},
                                      {"progress", ""}}}};
}

Document RevertedUpdate(int64_t duration_ms, const AppliedBy& by) {
  return Document{
      {"$set", Document{{"status", "reverted"},
                        {"revertDurationMs", duration_ms},
                        {"revertedBy", by.user_at_host}}},
      {"$currentDate", Document{{"revertedAt", true}, {"updatedAt", true}}},
      {"$unset", Document{{"pid", ""}, {"runBy", ""}, {"claim", ""}, {"progress", ""}}}};
}

}  // namespace

StatusOr<Claim> History::ClaimVersion(const Migration& m, plan::Direction direction,
                                      const plan::AppliedRecord* read, const ClaimToken& token,
                                      const AppliedBy& by) {
  MM_RETURN_IF_ERROR(WriteIf(m.version,
                             read ? std::optional<int64_t>(read->revision) : std::nullopt,
                             Document{}, ClaimUpdate(m, direction, token, by)));
  return ClaimOf(m, read, token);
}

Status History::MarkApplied(const Claim& claim, const Migration& m, int64_t duration_ms,
                            const AppliedBy& by) {
  return WriteIf(claim.version, claim.revision, ClaimFilter(claim),
                 AppliedUpdate(m, duration_ms, by));
}

Status History::MarkReverted(const Claim& claim, int64_t duration_ms, const AppliedBy& by) {
  return WriteIf(claim.version, claim.revision, ClaimFilter(claim),
                 RevertedUpdate(duration_ms, by));
}

RecordedAndClaimed History::RecordAndClaim(const Claim& done, const Migration& done_m,
                                           int64_t duration_ms, const Migration& next,
                                           plan::Direction direction,
                                           const plan::AppliedRecord* next_read,
                                           const ClaimToken& token, const AppliedBy& by) {
  const bool up = direction == plan::Direction::kUp;
  const std::optional<int64_t> next_expected =
      next_read ? std::optional<int64_t>(next_read->revision) : std::nullopt;
  Array statements;
  statements.items.emplace_back(
      Statement(done.version, done.revision, ClaimFilter(done),
                up ? AppliedUpdate(done_m, duration_ms, by) : RevertedUpdate(duration_ms, by)));
  statements.items.emplace_back(
      Statement(next.version, next_expected, Document{}, ClaimUpdate(next, direction, token, by)));
  // Ordered: a statement that fails stops the rest, but one that matches nothing does not, so
  // which of the two was made is worked out below from `n`, `upserted` and the errors.
  auto reply = db_.RunCommandKeepingWriteErrors(Durable(
      Document{{"update", collection_}, {"updates", std::move(statements)}, {"ordered", true}}));
  RecordedAndClaimed out{Status::Ok(), Status(kInternalError, "not claimed")};
  if (!reply.ok()) {
    out.recorded = reply.status();
    out.claimed = Status(reply.status().code(), "not claimed: the record of version " +
                                                    std::to_string(done.version) + " failed");
    return out;
  }
  Status failure = mongo::WriteFailureOf(*reply);
  if (failure.details().Has("writeConcernError")) {
    out.recorded = failure;  // neither counts as durable: the next run will see both
    out.claimed = failure;
    return out;
  }
  const Value* index = failure.details().Get("index");
  const int64_t failed_at = !failure.ok() && index ? index->AsExactInt64().value_or(0) : -1;
  int64_t n = IntField(*reply, "n").value_or(0);
  if (failed_at == 0) {
    out.recorded = failure.code() == kDuplicateKey ? Refused(done.version) : failure;
    out.claimed = Status(failure.code(), "not claimed");
    return out;
  }
  bool claimed = false;
  if (failed_at == 1) {
    claimed = false;
  } else if (!next_expected) {
    claimed = reply->Has("upserted");  // the only upsert is the claim
  } else if (n == 2 || n == 0) {
    claimed = n == 2;
  } else {
    // One of the two matched. Only this runner writes its owner token into a claim.
    auto record = db_.Find(collection_, Document{{"version", next.version},
                                                 {"revision", *next_expected + 1},
                                                 {"claim.owner", token.owner}});
    if (!record.ok()) {
      out.recorded = record.status();
      out.claimed = record.status();
      return out;
    }
    claimed = !record->empty();
  }
  const int64_t recorded_n = n - (claimed ? 1 : 0);
  out.recorded = recorded_n >= 1 ? Status::Ok() : Refused(done.version);
  if (claimed && !out.recorded.ok()) {
    // The claim of `next` was made by a runner whose claim of `done` no longer stood: give it
    // back before stopping, so that nothing is left `running` for it.
    (void)ResetClaim(ClaimOf(next, next_read, token));
    out.claimed = Status(kWriteConflict, "not claimed");
    return out;
  }
  if (claimed) {
    out.claimed = ClaimOf(next, next_read, token);
  } else if (failed_at == 1 && failure.code() != kDuplicateKey) {
    out.claimed = failure;
  } else {
    out.claimed = Refused(next.version);
  }
  return out;
}

Status History::SaveProgress(const Claim& claim, const Document& progress) {
  // Not a change of state: the revision stays, so the claim still stands for the record.
  Document filter{
      {"version", claim.version}, {"revision", claim.revision}, {"claim.owner", claim.token.owner}};
  Document update;
  if (progress.empty()) {
    update.Append("$unset", Document{{"progress", ""}});
  } else {
    update.Append("$set", Document{{"progress", progress}});
    update.Append("$currentDate", Document{{"updatedAt", true}});
  }
  auto reply = db_.RunCommand(Durable(Document{
      {"update", collection_},
      {"updates", Array{{Value(Document{{"q", std::move(filter)}, {"u", std::move(update)}})}}}}));
  if (!reply.ok()) return reply.status();
  if (IntField(*reply, "n").value_or(0) < 1) return Refused(claim.version);
  return Status::Ok();
}

Status History::MarkFailed(const Claim& claim, plan::Direction direction, const Status& error,
                           int64_t duration_ms) {
  // The error is shown to whoever runs `status` next, with any URI: no password goes in.
  Document err{{"message", mongo::RedactSecrets(error.message())},
               {"code", error.code()},
               {"direction", direction == plan::Direction::kUp ? "up" : "down"}};
  if (const Value* name = error.details().Get("codeName")) err.Append("codeName", *name);
  return WriteIf(claim.version, claim.revision, ClaimFilter(claim),
                 Document{{"$set", Document{{"status", "failed"},
                                            {"error", std::move(err)},
                                            {"durationMs", duration_ms}}},
                          {"$currentDate", Document{{"failedAt", true}, {"updatedAt", true}}},
                          {"$unset", Document{{"claim", ""}}}});
}

Status History::ResetClaim(const Claim& claim) {
  if (!claim.existed) {
    auto reply = db_.RunCommand(Durable(Document{
        {"delete", collection_},
        {"deletes", Array{{Value(Document{{"q", Document{{"version", claim.version},
                                                         {"revision", claim.revision},
                                                         {"claim.owner", claim.token.owner}}},
                                          {"limit", 1}})}}}}));
    if (!reply.ok()) return reply.status();
    if (IntField(*reply, "n").value_or(0) < 1) return Refused(claim.version);
    return Status::Ok();
  }
  return WriteIf(claim.version, claim.revision, ClaimFilter(claim),
                 Document{{"$set", Document{{"status", claim.prior_status}}},
                          {"$currentDate", Document{{"updatedAt", true}}},
                          {"$unset", Document{{"pid", ""}, {"runBy", ""}, {"claim", ""}}}});
}

Status History::MarkBaseline(const Migration& m, const plan::AppliedRecord* read,
                             const AppliedBy& by) {
  Document set = MigrationFields(m);
  set.Append("status", "baseline");
  set.Append("durationMs", int64_t{0});
  set.Append("appliedBy", by.user_at_host);
  set.Append("toolVersion", by.tool_version);
  return WriteIf(m.version, read ? std::optional<int64_t>(read->revision) : std::nullopt,
                 Document{},
                 Document{{"$set", std::move(set)},
                          {"$currentDate", Document{{"appliedAt", true}, {"updatedAt", true}}},
                          {"$unset", Document{{"error", ""}, {"revertedAt", ""}}}});
}

Status History::Force(int64_t version, const Migration* m, const plan::AppliedRecord* read,
                      bool applied, const AppliedBy& by, std::optional<DateTime> at) {
  Document set = m ? MigrationFields(*m) : Document{};
  set.Append("status", applied ? "applied" : "reverted");
  set.Append("forcedBy", by.user_at_host);
  Document now{{"forcedAt", true}, {"updatedAt", true}};
  if (at && applied) {
    set.Append("appliedAt", *at);
  } else {
    now.Append(applied ? "appliedAt" : "revertedAt", true);
  }
  return WriteIf(
      version, read ? std::optional<int64_t>(read->revision) : std::nullopt, Document{},
      Document{{"$set", std::move(set)},
               {"$currentDate", std::move(now)},
               {"$unset", Document{{"error", ""}, {"pid", ""}, {"runBy", ""}, {"claim", ""}}}});
}

Status History::AcceptChecksum(const plan::AppliedRecord& read, const std::string& checksum,
                               const AppliedBy& by) {
  return WriteIf(
      read.version, read.revision, Document{},
      Document{{"$set", Document{{"checksum", checksum}, {"checksumAcceptedBy", by.user_at_host}}},
               {"$currentDate", Document{{"updatedAt", true}}}});
}

std::string CurrentUserAtHost() {
  const char* user = std::getenv("USER");
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(user && *user ? user : "unknown") + "@" + host;
}

}  // namespace mm::history
