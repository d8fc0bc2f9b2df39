#include "server/engine/path.h"

#include "value/bson_codec.h"

namespace mm::engine {

namespace {
// mongod's limit on the nulls one write may pad an array with.
constexpr size_t kMaxBackfill = 1500000;
}  // namespace

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    parts.emplace_back(path.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::string JoinPath(const std::vector<std::string>& path, size_t end) {
  std::string out;
  for (size_t i = 0; i < end && i < path.size(); ++i) {
    if (i) out += '.';
    out += path[i];
  }
  return out;
}

bool IsArrayIndex(std::string_view part, size_t* index) {
  if (part.empty() || part.size() > 9) return false;
  if (part.size() > 1 && part[0] == '0') return false;
  size_t n = 0;
  for (char c : part) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  *index = n;
  return true;
}

namespace {

void Walk(const Value& cur, const std::vector<std::string>& path, size_t i, int position,
          std::vector<PathValue>* out, bool* missing) {
  if (i == path.size()) {
    out->push_back(PathValue{&cur, position});
    return;
  }
  if (const Document* d = cur.If<Document>()) {
    const Value* next = d->Get(path[i]);
    if (!next) {
      *missing = true;
      return;
    }
    Walk(*next, path, i + 1, position, out, missing);
    return;
  }
  if (const Array* a = cur.If<Array>()) {
    size_t index;
    if (IsArrayIndex(path[i], &index) && index < a->items.size()) {
      Walk(a->items[index], path, i + 1, position < 0 ? static_cast<int>(index) : position, out,
           missing);
    }
    for (size_t k = 0; k < a->items.size(); ++k) {
      if (a->items[k].Is<Document>()) {
        Walk(a->items[k], path, i, position < 0 ? static_cast<int>(k) : position, out, missing);
      }
    }
    return;
  }
  *missing = true;
}

}  // namespace

void CollectPathValues(const Document& doc, const std::vector<std::string>& path,
                       std::vector<PathValue>* out, bool* missing) {
  const Value* first = doc.Get(path[0]);
  if (!first) {
    *missing = true;
    return;
  }
  Walk(*first, path, 1, -1, out, missing);
}

const Value* GetExact(const Document& doc, const std::vector<std::string>& path) {
  const Value* cur = doc.Get(path[0]);
  for (size_t i = 1; cur && i < path.size(); ++i) {
    size_t index;
    if (const Document* d = cur->If<Document>()) {
      cur = d->Get(path[i]);
    } else if (const Array* a = cur->If<Array>(); a && IsArrayIndex(path[i], &index)) {
      cur = index < a->items.size() ? &a->items[index] : nullptr;
    } else {
      cur = nullptr;
    }
  }
  return cur;
}

StatusOr<Value*> CreatePath(Document* doc, const std::vector<std::string>& path) {
  // A path this long can only build a document deeper than one may be stored; refused before
  // it is built (and before anything recurses into it).
  if (path.size() > static_cast<size_t>(kMaxStoredDepth)) {
    return Status(kOverflow,
                  "Document exceeds maximum nesting depth of " + std::to_string(kMaxStoredDepth));
  }
  Value* cur = doc->Get(path[0]);
  if (!cur) {
    doc->Append(path[0], path.size() == 1 ? Value() : Value(Document{}));
    cur = &doc->fields().back().value;
  }
  for (size_t i = 1; i < path.size(); ++i) {
    const bool last = i + 1 == path.size();
    if (Document* d = cur->If<Document>()) {
      Value* next = d->Get(path[i]);
      if (!next) {
        d->Append(path[i], last ? Value() : Value(Document{}));
        next = &d->fields().back().value;
      }
      cur = next;
    } else if (Array* a = cur->If<Array>()) {
      size_t index;
      if (!IsArrayIndex(path[i], &index)) {
        return Status(kPathNotViable, "Cannot create field '" + path[i] + "' in element {" +
                                          path[i - 1] + ": " + ToRelaxedJson(*cur) + "}");
      }
      // MongoDB pads with nulls up to the position being written, within reason.
      if (index > a->items.size() + kMaxBackfill) {
        return Status(kCannotBackfillArray,
                      "can't backfill more than " + std::to_string(kMaxBackfill) + " elements");
      }
      while (a->items.size() <= index) a->items.emplace_back(Null{});
      if (!last && a->items[index].IsNullish()) a->items[index] = Document{};
      cur = &a->items[index];
    } else {
      return Status(kPathNotViable, "Cannot create field '" + path[i] + "' in element {" +
                                        path[i - 1] + ": " + ToRelaxedJson(*cur) + "}");
    }
  }
  return cur;
}

void RemoveExact(Document* doc, const std::vector<std::string>& path) {
  if (path.size() == 1) {
    doc->Remove(path[0]);
    return;
  }
  Value* parent = const_cast<Value*>(GetExact(*doc, {path.begin(), path.end() - 1}));
  if (!parent) return;
  if (Document* d = parent->If<Document>()) {
    d->Remove(path.back());
  } else if (Array* a = parent->If<Array>()) {
    size_t index;
    if (IsArrayIndex(path.back(), &index) && index < a->items.size()) a->items[index] = Null{};
  }
}

}  // namespace mm::engine
