// Update specifications: operator updates ({$set: …, $inc: …}), replacements and pipelines,
// parsed once and applied to each matched document.
#pragma once

#include <memory>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::engine {

struct UpdateOp;
class Matcher;

class Update {
 public:
  enum class Kind { kOperators, kReplacement, kPipeline };

  // `update` is the `u` field of an update statement (a document or a pipeline array);
  // `array_filters` its `arrayFilters`. Fails with FailedToParse (9) for an unknown modifier,
  // ConflictingUpdateOperators (40) for overlapping paths, BadValue (2) for malformed input.
  static StatusOr<Update> Parse(const Value& update, const Array* array_filters);

  Kind kind() const { return kind_; }

  // Applies the update to `doc`. `positional` is the index the query matched for `$` (or -1);
  // `is_insert` applies $setOnInsert. Sets `*modified` when the document changed.
  // Errors carry MongoDB's codes (TypeMismatch 14, ImmutableField 66, PathNotViable 28, …).
  Status Apply(Document* doc, int positional, bool is_insert, bool* modified) const;

 private:
  Kind kind_ = Kind::kOperators;
  std::vector<std::shared_ptr<const UpdateOp>> ops_;
  Document replacement_;
  Array pipeline_;
  std::vector<std::pair<std::string, std::shared_ptr<const Matcher>>> array_filters_;
};

// The fields an upsert's new document starts from: the equality conditions of `filter`
// (`{a: 1}`, `{a: {$eq: 1}}`, inside `$and`), as MongoDB seeds an upserted document.
Status SeedUpsertDocument(const Document& filter, Document* out);

}  // namespace mm::engine
