// Collection options that create (and collMod) check and keep as MongoDB 7.0 does, though
// devmongod has nothing more to do with them than keep and list them.
#pragma once

#include <optional>
#include <string_view>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::commands {

// create's `clusteredIndex`, in the canonical form MongoDB keeps and lists:
// {v: 2, key: {_id: 1}, name (default "_id_"), unique: true}. Nothing for `false`. The legacy
// `true` form (time-series buckets only) is 238; like MongoDB 7.0 for a user collection, the
// key must be {_id: 1}.
StatusOr<std::optional<Document>> CanonicalClusteredIndex(const Value& option);

// `changeStreamPreAndPostImages: {enabled: bool}` on create or collMod. devmongod has no
// change streams (a `$changeStream` is 238), so the option changes nothing anyone can observe
// except listCollections, which shows it as MongoDB does.
Status CheckPreAndPostImages(std::string_view command, const Value& option);

}  // namespace mm::commands
