// Aggregation pipelines over documents already read from a collection.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "value/status.h"
#include "value/value.h"

namespace mm::engine {

struct Stage;

class Pipeline {
 public:
  // Unknown stages fail with 40324 (as MongoDB); stages devmongod knows of but does not
  // implement ($lookup, $out, $merge, …) with NotImplemented (238).
  static StatusOr<Pipeline> Parse(const Array& stages);
  StatusOr<std::vector<Document>> Run(std::vector<Document> input) const;

 private:
  std::vector<std::shared_ptr<const Stage>> stages_;
};

// Update pipelines accept only $addFields/$set, $project, $unset, $replaceRoot/$replaceWith.
Status ValidateUpdatePipeline(const Array& stages);
StatusOr<Document> ApplyUpdatePipeline(const Array& stages, const Document& doc);

}  // namespace mm::engine
