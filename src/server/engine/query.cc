#include "server/engine/query.h"

#include <algorithm>

namespace mm::engine {

StatusOr<std::vector<RecordId>> FindRecords(const Collection& coll, const QueryOptions& options) {
  auto matcher = Matcher::Parse(options.filter);
  if (!matcher.ok()) return matcher.status();
  std::vector<RecordId> out;
  const bool by_id = options.sort && options.sort->IsAscendingOn("_id");
  const bool unsorted = !options.sort || options.sort->empty();
  // Unsigned: skip + limit near INT64_MAX must not overflow (mongod adds them as size_t).
  const uint64_t wanted =
      options.limit > 0 ? static_cast<uint64_t>(options.skip) + static_cast<uint64_t>(options.limit)
                        : UINT64_MAX;
  // Sorted by _id, the candidates come in _id order (an _id range, or the _id index walked)
  // and need no sort: the limit stops the walk, as an index scan does in mongod.
  bool in_id_order = false;
  coll.VisitCandidates(
      options.filter, by_id,
      [&](RecordId id) {
        const Document* doc = coll.Get(id);
        if (!doc || !matcher->Matches(*doc)) return true;
        out.push_back(id);
        return !((unsorted || (by_id && in_id_order)) && out.size() >= wanted);
      },
      &in_id_order);
  const bool early_limit = unsorted || (by_id && in_id_order);
  if (!early_limit) {
    const SortOrder& order = *options.sort;
    std::stable_sort(out.begin(), out.end(), [&](RecordId a, RecordId b) {
      return order.CompareDocs(*coll.Get(a), *coll.Get(b)) < 0;
    });
  }
  size_t skip = std::min<size_t>(static_cast<size_t>(options.skip), out.size());
  out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(skip));
  if (options.limit > 0 && static_cast<int64_t>(out.size()) > options.limit) {
    out.resize(static_cast<size_t>(options.limit));
  }
  return out;
}

Status UpdateRecord(Collection* coll, RecordId id, const Update& update, int positional,
                    bool* modified) {
  Document doc = *coll->Get(id);
  MM_RETURN_IF_ERROR(update.Apply(&doc, positional, false, modified));
  if (!*modified) return Status::Ok();
  return coll->Replace(id, std::move(doc));
}

StatusOr<Document> UpsertDocument(Collection* coll, const Document& filter, const Update& update) {
  Document doc;
  if (update.kind() != Update::Kind::kReplacement) {
    MM_RETURN_IF_ERROR(SeedUpsertDocument(filter, &doc));
  } else if (const Value* id = filter.Get("_id"); id && !id->Is<Document>()) {
    doc.Append("_id", *id);
  }
  bool modified = false;
  MM_RETURN_IF_ERROR(update.Apply(&doc, -1, true, &modified));
  Document stored;
  MM_RETURN_IF_ERROR(coll->Insert(std::move(doc), &stored));
  return stored;
}

}  // namespace mm::engine
