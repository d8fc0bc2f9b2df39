// Query filters: `{age: {$gt: 21}, tags: "x", $or: [...]}` compiled once, matched many times.
#pragma once

#include <memory>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::engine {

struct MatchNode;

class Matcher {
 public:
  // Fails with MongoDB's codes: BadValue (2) for unknown or malformed operators,
  // NotImplemented (238) for geo and text queries that devmongod does not serve.
  static StatusOr<Matcher> Parse(const Document& filter);

  // `positional`, when given, receives the array index the positional `$` update operator
  // refers to (the first array position that took part in the match), or -1.
  bool Matches(const Document& doc, int* positional = nullptr) const;

 private:
  explicit Matcher(std::shared_ptr<const MatchNode> root) : root_(std::move(root)) {}
  std::shared_ptr<const MatchNode> root_;
};

}  // namespace mm::engine
