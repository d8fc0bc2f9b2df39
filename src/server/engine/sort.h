// Sort specifications ({a: 1, "b.c": -1}) with MongoDB's array semantics: an array sorts by
// its smallest element ascending and its largest descending; a missing field sorts as null.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::engine {

class SortOrder {
 public:
  // Fails with code 15975 for a direction other than 1 or -1.
  static StatusOr<SortOrder> Parse(const Document& spec);
  // $push's $sort: 1 / -1 over whole values, or a document spec over element fields.
  static StatusOr<SortOrder> ParseForPush(const Value& spec);

  int CompareDocs(const Document& a, const Document& b) const;
  int CompareValues(const Value& a, const Value& b) const;
  bool empty() const { return keys_.empty() && whole_value_direction_ == 0; }
  // Whether this is exactly {<path>: 1}.
  bool IsAscendingOn(std::string_view path) const {
    return whole_value_direction_ == 0 && keys_.size() == 1 && keys_[0].direction == 1 &&
           keys_[0].path.size() == 1 && keys_[0].path[0] == path;
  }

 private:
  struct Key {
    std::vector<std::string> path;
    int direction;
  };
  std::vector<Key> keys_;
  int whole_value_direction_ = 0;
};

}  // namespace mm::engine
