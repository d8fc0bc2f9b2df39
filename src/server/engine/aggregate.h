// Aggregation pipelines over documents already read from a collection.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::engine {

struct Stage;

// Every document of a collection of the pipeline's database ($lookup's `from`); empty when
// the collection does not exist.
using CollectionReader = std::function<std::vector<Document>(const std::string& collection)>;

class Pipeline {
 public:
  // Unknown stages fail with 40324 (as MongoDB); stages devmongod knows of but does not
  // implement ($merge, $facet, …) with NotImplemented (238). `read` serves $lookup (without
  // it, $lookup is refused). $out is the aggregate command's (see SplitOut).
  static StatusOr<Pipeline> Parse(const Array& stages, CollectionReader read = nullptr);
  StatusOr<std::vector<Document>> Run(std::vector<Document> input) const;

 private:
  std::vector<std::shared_ptr<const Stage>> stages_;
};

// A final {$out: "name"} / {$out: {db, coll}} or {$merge: …}: the pipeline without it, and
// where its results go. Fails for $out/$merge elsewhere than last (40601) or a target in
// another database (238).
struct OutStage {
  Array pipeline;
  std::string target;  // empty: neither $out nor $merge
  bool merge = false;
  std::vector<std::string> on{"_id"};       // $merge
  std::string when_matched = "merge";       // replace | keepExisting | merge | fail
  std::string when_not_matched = "insert";  // insert | discard | fail
};
StatusOr<OutStage> SplitOut(const Array& stages, const std::string& db);

// Update pipelines accept only $addFields/$set, $project, $unset, $replaceRoot/$replaceWith.
Status ValidateUpdatePipeline(const Array& stages);
StatusOr<Document> ApplyUpdatePipeline(const Array& stages, const Document& doc);

}  // namespace mm::engine
