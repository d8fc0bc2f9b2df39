#include "history/history.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace mm::history {
namespace {

const Document kMajority{{"w", "majority"}};

std::string StringField(const Document& d, const char* key) {
  const Value* v = d.Get(key);
  return v && v->Is<std::string>() ? v->As<std::string>() : std::string();
}

}  // namespace

StatusOr<std::vector<plan::AppliedRecord>> History::Load() {
  auto docs = db_.Find(collection_, Document{}, Document{{"version", 1}});
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
    r.status = StringField(d, "status");
    if (const Value* at = d.Get("appliedAt"); at && at->Is<DateTime>())
      r.applied_at = at->As<DateTime>();
    r.description = StringField(d, "description");
    r.file = StringField(d, "file");
    r.checksum = StringField(d, "checksum");
    out.push_back(std::move(r));
  }
  return out;
}

Status History::EnsureIndex() {
  auto reply = db_.RunCommand(
      Document{{"createIndexes", collection_},
               {"indexes",
                Array{{Value(Document{
                    {"key", Document{{"version", 1}}}, {"name", "version_1"}, {"unique", true}})}}},
               {"writeConcern", kMajority}});
  return reply.ok() ? Status::Ok() : reply.status();
}

Status History::RecordApplied(const Migration& m, int64_t duration_ms, const AppliedBy& by) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  Document record{
      {"version", m.version},
      {"appliedAt", DateTime{std::chrono::duration_cast<std::chrono::milliseconds>(now).count()}},
      {"status", "applied"},
      {"description", m.description},
      {"file", m.file.empty() ? Value(Null{}) : Value(m.file)},
      {"checksum", m.checksum.empty() ? Value(Null{}) : Value(m.checksum)},
      {"durationMs", duration_ms},
      {"appliedBy", by.user_at_host},
      {"toolVersion", by.tool_version}};
  auto reply = db_.RunCommand(Document{{"insert", collection_},
                                       {"documents", Array{{Value(std::move(record))}}},
                                       {"writeConcern", kMajority}});
  return reply.ok() ? Status::Ok() : reply.status();
}

Status History::RemoveRecord(int64_t version) {
  auto reply = db_.RunCommand(Document{
      {"delete", collection_},
      {"deletes", Array{{Value(Document{{"q", Document{{"version", version}}}, {"limit", 1}})}}},
      {"writeConcern", kMajority}});
  return reply.ok() ? Status::Ok() : reply.status();
}

std::string CurrentUserAtHost() {
  const char* user = std::getenv("USER");
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(user && *user ? user : "unknown") + "@" + host;
}

}  // namespace mm::history
