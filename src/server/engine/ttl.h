// MongoDB's TTL monitor: documents whose TTL-indexed date is older than the index's
// expireAfterSeconds are removed. mongod runs it every ttlMonitorSleepSecs (60 s); devmongod
// runs RemoveExpired on the same schedule, settable with --setParameter so tests can shorten it.
#pragma once

#include <cstddef>

#include "mongomigrate/value.h"
#include "server/engine/catalog.h"

namespace mm::engine {

// Removes, from every collection, the documents a TTL index (a single-field index with
// expireAfterSeconds) says have expired at `now`: the indexed field is a date, or an array
// whose earliest date counts, and `date + expireAfterSeconds <= now`. Documents outside a
// partial index's filter, or without a date there, never expire. Returns how many went.
size_t RemoveExpired(Catalog& catalog, DateTime now);

}  // namespace mm::engine
