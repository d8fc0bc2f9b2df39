// Find projections and $project stages: inclusion ({a: 1}), exclusion ({a: 0}), computed
// fields ({total: {$add: [...]}}), and `$slice` / `$elemMatch` on arrays.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"
#include "server/engine/expression.h"

namespace mm::engine {

class Projection {
 public:
  // Fails with 31253/31254 when inclusion and exclusion are mixed, as MongoDB does.
  static StatusOr<Projection> Parse(const Document& spec);
  StatusOr<Document> Apply(const Document& doc) const;

 private:
  // A tree over path parts; a leaf is included/excluded or computed.
  struct Node {
    bool leaf = false;
    ExpressionPtr expr;  // computed field (inclusion mode only)
    Value slice;         // {$slice: n} or {$slice: [skip, n]}
    std::shared_ptr<const class Matcher> elem_match;
    std::vector<std::pair<std::string, std::shared_ptr<Node>>> children;
    Node* Child(const std::string& key, bool create);
  };

  Status Insert(const std::vector<std::string>& path, std::shared_ptr<Node> leaf);
  StatusOr<Document> Include(const Node& node, const Document& doc, const Document& root) const;
  void Exclude(const Node& node, Document* doc) const;
  Status ApplySpecials(const Node& node, Document* doc) const;

  bool inclusion_ = false;
  bool exclude_id_ = false;
  std::shared_ptr<Node> root_ = std::make_shared<Node>();
};

}  // namespace mm::engine
