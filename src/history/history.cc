#include "history/history.h"

#include <unistd.h>

#include <cstdlib>

namespace mm::history {
namespace {

const Document kMajority{{"w", "majority"}};

std::string StringField(const Document& d, const char* key) {
  const Value* v = d.Get(key);
  return v && v->Is<std::string>() ? v->As<std::string>() : std::string();
}

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
    const Value* pid = d.Get("pid");
    return (status == "running" ? "up" : "down") + std::string(" started by ") +
           (who.empty() ? "?" : who) +
           (pid && pid->IsNumber() ? " (pid " + std::to_string(*pid->AsExactInt64()) + ")" : "");
  }
  return "";
}

Document MigrationFields(const Migration& m) {
  return Document{{"description", m.description},
                  {"file", m.file.empty() ? Value(Null{}) : Value(m.file)},
                  {"checksum", m.checksum.empty() ? Value(Null{}) : Value(m.checksum)}};
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
    const Value* version = d.Get("version");
    auto v = version && version->IsNumber() ? version->AsExactInt64() : std::nullopt;
    if (!v) {
      return Status(kBadValue, "a document in " + db_.name() + "." + collection_ +
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
    out.push_back(std::move(r));
  }
  return out;
}

StatusOr<int> History::RestoreMissing(const std::vector<Document>& snapshot) {
  auto now = Snapshot();
  if (!now.ok()) return now.status();
  Array missing;
  for (const Document& d : snapshot) {
    bool present = false;
    for (const Document& n : *now)
      present = present || n.Get("version")->operator==(*d.Get("version"));
    if (!present) missing.items.emplace_back(d);
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

Status History::Write(int64_t version, Document update, bool upsert) {
  auto reply = db_.RunCommand(
      Durable(Document{{"update", collection_},
                       {"updates", Array{{Value(Document{{"q", Document{{"version", version}}},
                                                         {"u", std::move(update)},
                                                         {"upsert", upsert}})}}}}));
  return reply.ok() ? Status::Ok() : reply.status();
}

Status History::MarkStarted(const Migration& m, plan::Direction direction, const AppliedBy& by) {
  // The seed's fields first (version, status), then ours. A rollback keeps the
  // description/file/checksum of what was applied; only the state moves.
  Document set{{"status", direction == plan::Direction::kUp ? "running" : "reverting"}};
  if (direction == plan::Direction::kUp) {
    Document fields = MigrationFields(m);
    for (Field& f : fields.fields()) set.Append(f.key, std::move(f.value));
  }
  set.Append("runBy", by.user_at_host);
  set.Append("pid", static_cast<int64_t>(getpid()));
  return Write(m.version,
               Document{{"$set", std::move(set)},
                        {"$currentDate", Document{{"startedAt", true}, {"updatedAt", true}}},
                        {"$unset", Document{{"error", ""}}}},
               true);
}

Status History::MarkApplied(const Migration& m, int64_t duration_ms, const AppliedBy& by,
                            const std::string& status) {
  Document set = MigrationFields(m);
  set.Append("status", status);
  set.Append("durationMs", duration_ms);
  set.Append("appliedBy", by.user_at_host);
  set.Append("toolVersion", by.tool_version);
  Document update{
      {"$set", std::move(set)},
      {"$currentDate", Document{{"appliedAt", true}, {"updatedAt", true}}},
      {"$unset", Document{{"error", ""}, {"revertedAt", ""}, {"pid", ""}, {"runBy", ""}}}};
  return Write(m.version, std::move(update), true);
}

Status History::MarkReverted(const Migration& m, int64_t duration_ms, const AppliedBy& by) {
  Document update{{"$set", Document{{"status", "reverted"},
                                    {"revertDurationMs", duration_ms},
                                    {"revertedBy", by.user_at_host}}},
                  {"$currentDate", Document{{"revertedAt", true}, {"updatedAt", true}}},
                  {"$unset", Document{{"pid", ""}, {"runBy", ""}}}};
  return Write(m.version, std::move(update), false);
}

Status History::MarkFailed(const Migration& m, plan::Direction direction, const Status& error,
                           int64_t duration_ms) {
  Document err{{"message", error.message()},
               {"code", error.code()},
               {"direction", direction == plan::Direction::kUp ? "up" : "down"}};
  if (const Value* name = error.details().Get("codeName")) err.Append("codeName", *name);
  Document update{
      {"$set",
       Document{{"status", "failed"}, {"error", std::move(err)}, {"durationMs", duration_ms}}},
      {"$currentDate", Document{{"failedAt", true}, {"updatedAt", true}}}};
  return Write(m.version, std::move(update), false);
}

Status History::Force(int64_t version, const Migration* m, bool applied, const AppliedBy& by) {
  Document set = m ? MigrationFields(*m) : Document{};
  set.Append("status", applied ? "applied" : "reverted");
  set.Append("forcedBy", by.user_at_host);
  Document update{{"$set", std::move(set)},
                  {"$currentDate", Document{{applied ? "appliedAt" : "revertedAt", true},
                                            {"forcedAt", true},
                                            {"updatedAt", true}}},
                  {"$unset", Document{{"error", ""}, {"pid", ""}, {"runBy", ""}}}};
  return Write(version, std::move(update), true);
}

Status History::AcceptChecksum(int64_t version, const std::string& checksum, const AppliedBy& by) {
  return Write(
      version,
      Document{{"$set", Document{{"checksum", checksum}, {"checksumAcceptedBy", by.user_at_host}}},
               {"$currentDate", Document{{"updatedAt", true}}}},
      false);
}

std::string CurrentUserAtHost() {
  const char* user = std::getenv("USER");
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(user && *user ? user : "unknown") + "@" + host;
}

}  // namespace mm::history
