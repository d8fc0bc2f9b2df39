#include "server/engine/ttl.h"

#include <optional>

#include "server/engine/path.h"

namespace mm::engine {
namespace {

// The date a TTL index reads from `doc` at `path`: a date, or the earliest date in an array.
std::optional<int64_t> ExpiryBase(const Document& doc, const std::vector<std::string>& path) {
  const Value* v = GetExact(doc, path);
  if (!v) return std::nullopt;
  if (const DateTime* d = v->If<DateTime>()) return d->millis;
  std::optional<int64_t> earliest;
  if (const Array* a = v->If<Array>()) {
    for (const Value& e : a->items) {
      if (const DateTime* d = e.If<DateTime>(); d && (!earliest || d->millis < *earliest)) {
        earliest = d->millis;
      }
    }
  }
  return earliest;
}

}  // namespace

size_t RemoveExpired(Catalog& catalog, DateTime now) {
  size_t removed = 0;
  for (const std::string& db : catalog.DatabaseNames()) {
    for (Collection* coll : catalog.Collections(db)) {
      for (const auto& index : coll->indexes()) {
        const IndexSpec& spec = index->spec();
        const Value* ttl = spec.listed.Get("expireAfterSeconds");
        auto seconds = ttl && ttl->IsNumber() ? ttl->AsExactInt64() : std::nullopt;
        if (!seconds || spec.key.size() != 1 || spec.special) continue;
        const auto path = SplitPath(spec.key.fields().front().key);
        std::vector<RecordId> expired;
        for (RecordId id : coll->Candidates(Document{})) {
          const Document* doc = coll->Get(id);
          if (!doc || (spec.partial && !spec.partial->Matches(*doc))) continue;
          auto base = ExpiryBase(*doc, path);
          if (base && *base + *seconds * 1000 <= now.millis) expired.push_back(id);
        }
        for (RecordId id : expired) coll->Remove(id);
        removed += expired.size();
      }
    }
  }
  return removed;
}

}  // namespace mm::engine
