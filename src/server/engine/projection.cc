#include "server/engine/projection.h"

#include <algorithm>
#include <cmath>

#include "server/engine/match.h"
#include "server/engine/path.h"

namespace mm::engine {

Projection::Node* Projection::Node::Child(const std::string& key, bool create) {
  for (auto& [k, n] : children) {
    if (k == key) return n.get();
  }
  if (!create) return nullptr;
  children.emplace_back(key, std::make_shared<Node>());
  return children.back().second.get();
}

Status Projection::Insert(const std::vector<std::string>& path, std::shared_ptr<Node> leaf) {
  Node* cur = root_.get();
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    cur = cur->Child(path[i], true);
    if (cur->leaf) {
      return Status(31249, "Path collision at " + JoinPath(path, path.size()) +
                               " remaining portion " + path[i + 1]);
    }
  }
  if (cur->Child(path.back(), false)) {
    return Status(31250, "Path collision at " + JoinPath(path, path.size()));
  }
  cur->children.emplace_back(path.back(), std::move(leaf));
  return Status::Ok();
}

StatusOr<Projection> Projection::Parse(const Document& spec) {
  Projection p;
  int mode = 0;                   // 1 inclusion, -1 exclusion, 0 undecided
  std::shared_ptr<Node> id_leaf;  // {_id: 1 | true}
  for (const Field& f : spec.fields()) {
    auto leaf = std::make_shared<Node>();
    leaf->leaf = true;
    int field_mode = 0;
    if (const Document* d = f.value.If<Document>();
        d && d->size() == 1 && (d->Has("$slice") || d->Has("$elemMatch"))) {
      if (const Value* s = d->Get("$slice")) {
        leaf->slice = *s;
      } else {
        // MongoDB's projection_parser: an object, on a top-level field.
        const Value* arg = d->Get("$elemMatch");
        if (!arg->Is<Document>()) {
          return Status(31274, "elemMatch: Invalid argument, object required, but got " +
                                   std::string(TypeAlias(arg->type())));
        }
        if (f.key.find('.') != std::string::npos) {
          return Status(31275, "Cannot use $elemMatch projection on a nested field.");
        }
        auto m = Matcher::Parse(arg->As<Document>());
        if (!m.ok()) return m.status();
        leaf->elem_match = std::make_shared<const Matcher>(std::move(m).value());
        field_mode = 1;
      }
    } else if (f.value.IsNumber() || f.value.Is<bool>()) {
      field_mode = f.value.Truthy() ? 1 : -1;
    } else {
      auto e = Expression::Parse(f.value);
      if (!e.ok()) return e.status();
      leaf->expr = *e;
      field_mode = 1;
    }
    if (f.key.find('$') != std::string::npos && !f.key.starts_with("$")) {
      return Status(kNotImplemented, "positional projection is not implemented by devmongod");
    }
    if (f.key == "_id" && field_mode == -1) {
      p.exclude_id_ = true;
      continue;
    }
    if (f.key == "_id" && field_mode == 1 && !leaf->expr) {
      id_leaf = leaf;  // placed once the projection's kind is known
      continue;
    }
    if (field_mode != 0) {
      if (mode != 0 && mode != field_mode) {
        return field_mode == -1
                   ? Status(31254,
                            "Cannot do exclusion on field " + f.key + " in inclusion projection")
                   : Status(31253,
                            "Cannot do inclusion on field " + f.key + " in exclusion projection");
      }
      mode = field_mode;
    }
    MM_RETURN_IF_ERROR(p.Insert(SplitPath(f.key), leaf));
  }
  // {_id: 1} alone includes only _id; beside exclusions ({_id: 1, x: 0}) it just keeps _id,
  // which an exclusion projection does anyway (MongoDB's projection_parser).
  if (id_leaf && mode == 0) mode = 1;
  if (id_leaf && mode == 1) MM_RETURN_IF_ERROR(p.Insert({"_id"}, id_leaf));
  p.inclusion_ = mode == 1;
  return p;
}

namespace {

// A $slice count as an array position: NaN and values beyond the array clamp to its size.
int64_t SliceCount(const Value& v, int64_t n) {
  double d = v.AsDouble();
  if (std::isnan(d)) return 0;
  return static_cast<int64_t>(std::clamp(d, -static_cast<double>(n), static_cast<double>(n)));
}

Value Slice(const Value& v, const Value& spec) {
  const Array* a = v.If<Array>();
  if (!a) return v;
  int64_t n = a->items.size();
  int64_t skip = 0, limit = n;
  if (const Array* s = spec.If<Array>(); s && s->items.size() == 2) {
    skip = SliceCount(s->items[0], n);
    limit = SliceCount(s->items[1], n);
    if (skip < 0) skip = std::max<int64_t>(0, n + skip);
  } else {
    int64_t k = SliceCount(spec, n);
    if (k >= 0) {
      limit = k;
    } else {
      skip = std::max<int64_t>(0, n + k);
    }
  }
  Array out;
  for (int64_t i = skip; i < n && i - skip < limit; ++i) out.items.push_back(a->items[i]);
  return out;
}

}  // namespace

Status Projection::ApplySpecials(const Node& node, Document* doc) const {
  for (const auto& [key, child] : node.children) {
    Value* v = doc->Get(key);
    if (!v) continue;
    if (child->leaf) {
      if (!child->slice.Is<Null>()) *v = Slice(*v, child->slice);
      if (child->elem_match) {
        const Array* a = v->If<Array>();
        std::optional<Value> first;
        for (const Value& e : a ? a->items : std::vector<Value>{}) {
          if (const Document* d = e.If<Document>(); d && child->elem_match->Matches(*d)) {
            first = e;
            break;
          }
        }
        if (first) {
          *v = Array{{*first}};
        } else {
          doc->Remove(key);
        }
      }
    } else if (Document* d = v->If<Document>()) {
      MM_RETURN_IF_ERROR(ApplySpecials(*child, d));
    }
  }
  return Status::Ok();
}

void Projection::Exclude(const Node& node, Document* doc) const {
  for (const auto& [key, child] : node.children) {
    if (child->leaf) {
      if (child->slice.Is<Null>() && !child->elem_match) doc->Remove(key);
      continue;
    }
    Value* v = doc->Get(key);
    if (!v) continue;
    if (Document* d = v->If<Document>()) {
      Exclude(*child, d);
    } else if (Array* a = v->If<Array>()) {
      for (Value& e : a->items) {
        if (Document* ed = e.If<Document>()) Exclude(*child, ed);
      }
    }
  }
}

StatusOr<Document> Projection::Include(const Node& node, const Document& doc,
                                       const Document& root) const {
  Document out;
  for (const Field& f : doc.fields()) {
    Node* child = const_cast<Node&>(node).Child(f.key, false);
    if (!child || child->expr) continue;
    if (child->leaf) {
      out.Append(f.key, f.value);
    } else if (const Document* d = f.value.If<Document>()) {
      auto sub = Include(*child, *d, root);
      if (!sub.ok()) return sub;
      out.Append(f.key, std::move(sub).value());
    } else if (const Array* a = f.value.If<Array>()) {
      Array kept;
      for (const Value& e : a->items) {
        if (const Document* ed = e.If<Document>()) {
          auto sub = Include(*child, *ed, root);
          if (!sub.ok()) return sub.status();
          kept.items.emplace_back(std::move(sub).value());
        }
      }
      out.Append(f.key, std::move(kept));
    }
  }
  for (const auto& [key, child] : node.children) {
    if (child->expr) {
      auto v = child->expr->Evaluate(root);
      if (!v.ok()) return v.status();
      if (!v->Is<Undefined>()) out.Set(key, std::move(v).value());
    } else if (!child->leaf && !out.Has(key)) {
      bool computed_below = false;
      for (const auto& [k, grandchild] : child->children)
        computed_below |= grandchild->expr != nullptr;
      if (computed_below) {
        auto sub = Include(*child, Document{}, root);
        if (!sub.ok()) return sub;
        out.Append(key, std::move(sub).value());
      }
    }
  }
  return out;
}

StatusOr<Document> Projection::Apply(const Document& doc) const {
  Document out;
  if (inclusion_) {
    auto included = Include(*root_, doc, doc);
    if (!included.ok()) return included;
    out = std::move(included).value();
    if (!exclude_id_ && !root_->Child("_id", false)) {
      if (const Value* id = doc.Get("_id")) {
        out.fields().insert(out.fields().begin(), Field{"_id", *id});
      }
    }
  } else {
    out = doc;
    Exclude(*root_, &out);
    if (exclude_id_) out.Remove("_id");
  }
  MM_RETURN_IF_ERROR(ApplySpecials(*root_, &out));
  return out;
}

}  // namespace mm::engine
