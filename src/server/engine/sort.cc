#include "server/engine/sort.h"

#include "server/engine/path.h"
#include "value/compare.h"

namespace mm::engine {
namespace {

Status BadDirection() {
  return Status(15975, "$sort key ordering must be 1 (for ascending) or -1 (for descending)");
}

// The value a document contributes to one sort key.
Value SortKey(const Document& doc, const std::vector<std::string>& path, int direction) {
  std::vector<PathValue> values;
  bool missing = false;
  CollectPathValues(doc, path, &values, &missing);
  std::optional<Value> best;
  auto consider = [&](const Value& v) {
    if (!best ||
        (direction > 0 ? mm::CompareValues(v, *best) < 0 : mm::CompareValues(v, *best) > 0)) {
      best = v;
    }
  };
  for (const PathValue& pv : values) {
    if (const Array* a = pv.value->If<Array>()) {
      if (a->items.empty()) consider(Value(Undefined{}));
      for (const Value& e : a->items) consider(e);
    } else {
      consider(*pv.value);
    }
  }
  if (missing || !best) consider(Value(Null{}));
  return *best;
}

}  // namespace

StatusOr<SortOrder> SortOrder::Parse(const Document& spec) {
  SortOrder order;
  for (const Field& f : spec.fields()) {
    if (const Document* meta = f.value.If<Document>(); meta && meta->Has("$meta")) {
      return Status(kNotImplemented, "$meta sort is not implemented by devmongod");
    }
    if (!f.value.IsNumber()) return BadDirection();
    double d = f.value.AsDouble();
    if (d != 1 && d != -1) return BadDirection();
    order.keys_.push_back(Key{SplitPath(f.key), d > 0 ? 1 : -1});
  }
  return order;
}

StatusOr<SortOrder> SortOrder::ParseForPush(const Value& spec) {
  if (spec.IsNumber()) {
    double d = spec.AsDouble();
    if (d != 1 && d != -1)
      return Status(kBadValue, "The $sort element value must be either 1 or -1");
    SortOrder order;
    order.whole_value_direction_ = d > 0 ? 1 : -1;
    return order;
  }
  if (const Document* d = spec.If<Document>()) {
    if (d->empty())
      return Status(kBadValue, "The $sort pattern is empty when it should be a set of fields.");
    auto order = Parse(*d);
    if (!order.ok()) return Status(kBadValue, "The $sort element value must be either 1 or -1");
    return order;
  }
  return Status(kBadValue,
                "The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort "
                "embedded fields");
}

int SortOrder::CompareDocs(const Document& a, const Document& b) const {
  for (const Key& k : keys_) {
    int c = mm::CompareValues(SortKey(a, k.path, k.direction), SortKey(b, k.path, k.direction));
    if (c) return c * k.direction;
  }
  return 0;
}

int SortOrder::CompareValues(const Value& a, const Value& b) const {
  if (whole_value_direction_) return mm::CompareValues(a, b) * whole_value_direction_;
  const Document* da = a.If<Document>();
  const Document* db = b.If<Document>();
  if (da && db) return CompareDocs(*da, *db);
  return mm::CompareValues(a, b);
}

}  // namespace mm::engine
