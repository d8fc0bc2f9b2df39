// Reading and writing a collection the way the find/update/delete commands do.
#pragma once

#include <optional>
#include <vector>

#include "server/engine/collection.h"
#include "server/engine/match.h"
#include "server/engine/sort.h"
#include "server/engine/update.h"

namespace mm::engine {

struct QueryOptions {
  Document filter;
  std::optional<SortOrder> sort;
  int64_t skip = 0;
  int64_t limit = 0;  // 0: no limit
};

// The records matching `options.filter`, sorted, skipped and limited; natural order otherwise.
StatusOr<std::vector<RecordId>> FindRecords(const Collection& coll, const QueryOptions& options);

// Updates one record in place. `*modified` tells whether its content changed.
Status UpdateRecord(Collection* coll, RecordId id, const Update& update, int positional,
                    bool* modified);

// Builds and inserts the document an upsert creates; returns it.
StatusOr<Document> UpsertDocument(Collection* coll, const Document& filter, const Update& update);

}  // namespace mm::engine
