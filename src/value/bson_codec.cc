#include "value/bson_codec.h"

#include <cstring>

namespace mm {
namespace {

struct JsonDeleter {
  void operator()(char* s) const noexcept { bson_free(s); }
};
using BsonString = std::unique_ptr<char, JsonDeleter>;

void AppendValue(bson_t* out, std::string_view key, const Value& value);

void AppendDocumentFields(bson_t* out, const Document& doc) {
  for (const Field& f : doc.fields()) AppendValue(out, f.key, f.value);
}

void AppendValue(bson_t* out, std::string_view key, const Value& value) {
  const char* k = key.data();
  const int klen = static_cast<int>(key.size());
  struct Visitor {
    bson_t* out;
    const char* k;
    int klen;
    void operator()(const Null&) const { bson_append_null(out, k, klen); }
    void operator()(const Undefined&) const { bson_append_undefined(out, k, klen); }
    void operator()(const MinKey&) const { bson_append_minkey(out, k, klen); }
    void operator()(const MaxKey&) const { bson_append_maxkey(out, k, klen); }
    void operator()(bool b) const { bson_append_bool(out, k, klen, b); }
    void operator()(int32_t i) const { bson_append_int32(out, k, klen, i); }
    void operator()(int64_t l) const { bson_append_int64(out, k, klen, l); }
    void operator()(double d) const { bson_append_double(out, k, klen, d); }
    void operator()(const Decimal128& d) const {
      bson_decimal128_t raw{d.low, d.high};
      bson_append_decimal128(out, k, klen, &raw);
    }
    void operator()(const std::string& s) const {
      bson_append_utf8(out, k, klen, s.data(), static_cast<int>(s.size()));
    }
    void operator()(const Document& d) const {
      bson_t child;
      bson_append_document_begin(out, k, klen, &child);
      AppendDocumentFields(&child, d);
      bson_append_document_end(out, &child);
    }
    void operator()(const Array& a) const {
      bson_t child;
      bson_append_array_begin(out, k, klen, &child);
      char buf[16];
      for (size_t i = 0; i < a.items.size(); ++i) {
        const char* idx;
        size_t n = bson_uint32_to_string(static_cast<uint32_t>(i), &idx, buf, sizeof buf);
        AppendValue(&child, std::string_view(idx, n), a.items[i]);
      }
      bson_append_array_end(out, &child);
    }
    void operator()(const ObjectId& o) const {
      bson_oid_t oid;
      std::memcpy(oid.bytes, o.bytes.data(), 12);
      bson_append_oid(out, k, klen, &oid);
    }
    void operator()(const DateTime& d) const { bson_append_date_time(out, k, klen, d.millis); }
    void operator()(const Timestamp& t) const { bson_append_timestamp(out, k, klen, t.t, t.i); }
    void operator()(const Boxed<Binary>& boxed) const {
      const Binary& b = boxed.get();
      bson_append_binary(out, k, klen, static_cast<bson_subtype_t>(b.subtype),
                         reinterpret_cast<const uint8_t*>(b.bytes.data()),
                         static_cast<uint32_t>(b.bytes.size()));
    }
    void operator()(const Boxed<Regex>& boxed) const {
      const Regex& r = boxed.get();
      bson_append_regex_w_len(out, k, klen, r.pattern.c_str(), static_cast<int>(r.pattern.size()),
                              r.options.c_str());
    }
    void operator()(const JavaScript& j) const { bson_append_code(out, k, klen, j.code.c_str()); }
    void operator()(const Symbol& s) const {
      bson_append_symbol(out, k, klen, s.name.data(), static_cast<int>(s.name.size()));
    }
  };
  std::visit(Visitor{out, k, klen}, value.v);
}

StatusOr<Value> ReadValue(const bson_iter_t* it);

StatusOr<Document> ReadDocument(bson_iter_t* it) {
  Document doc;
  while (bson_iter_next(it)) {
    auto v = ReadValue(it);
    if (!v.ok()) return v.status();
    doc.fields().push_back(
        Field{std::string(bson_iter_key(it), bson_iter_key_len(it)), std::move(v).value()});
  }
  // bson_iter_next also stops at a corrupt element (an unknown type, a length past its
  // parent), which libbson's validation does not always catch in a nested document.
  if (it->err_off != 0) {
    return Status(kInvalidBson, "corrupt BSON element at byte " + std::to_string(it->err_off));
  }
  return doc;
}

StatusOr<Value> ReadValue(const bson_iter_t* it) {
  switch (bson_iter_type(it)) {
    case BSON_TYPE_DOUBLE:
      return Value(bson_iter_double(it));
    case BSON_TYPE_UTF8: {
      uint32_t len = 0;
      const char* s = bson_iter_utf8(it, &len);
      return Value(std::string(s, len));
    }
    case BSON_TYPE_DOCUMENT:
    case BSON_TYPE_ARRAY: {
      bson_iter_t child;
      if (!bson_iter_recurse(it, &child))
        return Status(kFailedToParse, "corrupt BSON sub-document");
      auto doc = ReadDocument(&child);
      if (!doc.ok()) return doc.status();
      if (bson_iter_type(it) == BSON_TYPE_DOCUMENT) return Value(std::move(doc).value());
      Array arr;
      arr.items.reserve(doc->size());
      for (Field& f : doc->fields()) arr.items.push_back(std::move(f.value));
      return Value(std::move(arr));
    }
    case BSON_TYPE_BINARY: {
      bson_subtype_t sub;
      uint32_t len = 0;
      const uint8_t* data = nullptr;
      bson_iter_binary(it, &sub, &len, &data);
      return Value(
          Binary{static_cast<uint8_t>(sub), std::string(reinterpret_cast<const char*>(data), len)});
    }
    case BSON_TYPE_UNDEFINED:
      return Value(Undefined{});
    case BSON_TYPE_OID: {
      ObjectId o;
      std::memcpy(o.bytes.data(), bson_iter_oid(it)->bytes, 12);
      return Value(o);
    }
    case BSON_TYPE_BOOL:
      return Value(bson_iter_bool(it));
    case BSON_TYPE_DATE_TIME:
      return Value(DateTime{bson_iter_date_time(it)});
    case BSON_TYPE_NULL:
      return Value(Null{});
    case BSON_TYPE_REGEX: {
      const char* options = nullptr;
      const char* pattern = bson_iter_regex(it, &options);
      return Value(Regex{pattern, options ? options : ""});
    }
    case BSON_TYPE_CODE: {
      uint32_t len = 0;
      const char* code = bson_iter_code(it, &len);
      // libbson can only write code as a C string: one with a NUL inside could not be sent on.
      if (std::memchr(code, 0, len) != nullptr) {
        return Status(kInvalidBson, std::string("JavaScript code in field '") + bson_iter_key(it) +
                                        "' holds a NUL byte");
      }
      return Value(JavaScript{std::string(code, len)});
    }
    case BSON_TYPE_SYMBOL: {
      uint32_t len = 0;
      const char* s = bson_iter_symbol(it, &len);
      return Value(Symbol{std::string(s, len)});
    }
    case BSON_TYPE_INT32:
      return Value(bson_iter_int32(it));
    case BSON_TYPE_TIMESTAMP: {
      uint32_t t = 0, i = 0;
      bson_iter_timestamp(it, &t, &i);
      return Value(Timestamp{t, i});
    }
    case BSON_TYPE_INT64:
      return Value(bson_iter_int64(it));
    case BSON_TYPE_DECIMAL128: {
      bson_decimal128_t d;
      bson_iter_decimal128(it, &d);
      return Value(Decimal128{d.high, d.low});
    }
    case BSON_TYPE_MINKEY:
      return Value(MinKey{});
    case BSON_TYPE_MAXKEY:
      return Value(MaxKey{});
    default:
      return Status(kNotImplemented, std::string("BSON type of field '") + bson_iter_key(it) +
                                         "' (DBPointer or code with scope) is not supported");
  }
}

}  // namespace

BsonPtr ToBsonT(const Document& doc) {
  BsonPtr out(bson_new());
  AppendDocumentFields(out.get(), doc);
  return out;
}

namespace {

size_t ArrayBsonSize(const Array& a);

// The bytes of one element's value (not its type byte or key).
size_t ValueBsonSize(const Value& v) {
  struct Visitor {
    size_t operator()(const Null&) const { return 0; }
    size_t operator()(const Undefined&) const { return 0; }
    size_t operator()(const MinKey&) const { return 0; }
    size_t operator()(const MaxKey&) const { return 0; }
    size_t operator()(bool) const { return 1; }
    size_t operator()(int32_t) const { return 4; }
    size_t operator()(int64_t) const { return 8; }
    size_t operator()(double) const { return 8; }
    size_t operator()(const Decimal128&) const { return 16; }
    size_t operator()(const std::string& s) const { return 4 + s.size() + 1; }
    size_t operator()(const Document& d) const { return BsonSize(d); }
    size_t operator()(const Array& a) const { return ArrayBsonSize(a); }
    size_t operator()(const ObjectId&) const { return 12; }
    size_t operator()(const DateTime&) const { return 8; }
    size_t operator()(const Timestamp&) const { return 8; }
    size_t operator()(const Boxed<Binary>& boxed) const { return 4 + 1 + boxed.get().bytes.size(); }
    size_t operator()(const Boxed<Regex>& boxed) const {
      const Regex& r = boxed.get();
      // libbson writes each valid flag once, sorted ("ilmsux"), and drops the rest.
      size_t flags = 0;
      for (char c : std::string_view("ilmsux")) flags += r.options.find(c) != std::string::npos;
      return r.pattern.size() + 1 + flags + 1;
    }
    size_t operator()(const JavaScript& j) const { return 4 + j.code.size() + 1; }
    size_t operator()(const Symbol& s) const { return 4 + s.name.size() + 1; }
  };
  return std::visit(Visitor{}, v.v);
}

size_t ArrayBsonSize(const Array& a) {
  size_t size = 4 + 1;
  for (size_t i = 0; i < a.items.size(); ++i) {
    size += 1 + std::to_string(i).size() + 1 + ValueBsonSize(a.items[i]);
  }
  return size;
}

}  // namespace

size_t BsonSize(const Document& doc) {
  size_t size = 4 + 1;
  for (const Field& f : doc.fields()) size += 1 + f.key.size() + 1 + ValueBsonSize(f.value);
  return size;
}

std::string EncodeBson(const Document& doc) {
  BsonPtr b = ToBsonT(doc);
  return std::string(reinterpret_cast<const char*>(bson_get_data(b.get())), b->len);
}

namespace {

// Checks what libbson's validation lets through, before anything recurses: that documents and
// arrays nest at most kMaxBsonDepth levels (else `*too_deep` and the dotted `*path` to the
// first one too deep), and that each one ends with its 0 byte (libbson's iterator and
// validation stop early on one that does not, leaving the rest unchecked). Recurses at most
// kMaxBsonDepth deep.
bool CheckNesting(bson_iter_t* it, int depth, bool* too_deep, std::string* path) {
  while (bson_iter_next(it)) {
    if (!BSON_ITER_HOLDS_DOCUMENT(it) && !BSON_ITER_HOLDS_ARRAY(it)) continue;
    if (depth == kMaxBsonDepth) {
      *too_deep = true;
      *path = bson_iter_key(it);
      return false;
    }
    uint32_t len = 0;
    const uint8_t* data = nullptr;
    if (BSON_ITER_HOLDS_DOCUMENT(it)) {
      bson_iter_document(it, &len, &data);
    } else {
      bson_iter_array(it, &len, &data);
    }
    bson_iter_t child;
    if (!data || len < 5 || data[len - 1] != 0 || !bson_iter_recurse(it, &child)) return false;
    if (!CheckNesting(&child, depth + 1, too_deep, path)) {
      if (*too_deep) *path = std::string(bson_iter_key(it)) + "." + *path;
      return false;
    }
  }
  return it->err_off == 0;
}

}  // namespace

StatusOr<Document> DecodeBson(const bson_t* b) {
  bson_iter_t scan;
  std::string path;
  bool too_deep = false;
  if (b->len < 5 || bson_get_data(b)[b->len - 1] != 0 || !bson_iter_init(&scan, b)) {
    return Status(kInvalidBson, "invalid BSON document: not terminated");
  }
  if (!CheckNesting(&scan, 0, &too_deep, &path)) {
    if (!too_deep) return Status(kInvalidBson, "invalid BSON: a nested document is corrupt");
    // MongoDB's own words (BSONDepth), so that a driver's error matches.
    return Status(kOverflow,
                  "BSONObj exceeds maximum nested object depth in element with field name '" +
                      path + "' in object with unknown _id");
  }
  size_t offset = 0;
  if (!bson_validate(b, BSON_VALIDATE_NONE, &offset)) {
    return Status(kFailedToParse, "invalid BSON at byte " + std::to_string(offset));
  }
  bson_iter_t it;
  if (!bson_iter_init(&it, b)) return Status(kFailedToParse, "invalid BSON document");
  return ReadDocument(&it);
}

StatusOr<Document> DecodeBson(const uint8_t* data, size_t len) {
  bson_t b;
  if (len < 5 || !bson_init_static(&b, data, len)) {
    return Status(kFailedToParse, "invalid BSON document length");
  }
  return DecodeBson(&b);
}

std::string ToRelaxedJson(const Document& doc) {
  BsonPtr b = ToBsonT(doc);
  BsonString s(bson_as_relaxed_extended_json(b.get(), nullptr));
  return s ? std::string(s.get()) : std::string("{}");
}

std::string ToCanonicalJson(const Document& doc) {
  BsonPtr b = ToBsonT(doc);
  BsonString s(bson_as_canonical_extended_json(b.get(), nullptr));
  return s ? std::string(s.get()) : std::string("{}");
}

std::string ToRelaxedJson(const Value& value) {
  std::string wrapped = ToRelaxedJson(Document{{"v", value}});
  // `{ "v" : X }` → `X`
  constexpr std::string_view kPrefix = "{ \"v\" : ";
  constexpr std::string_view kSuffix = " }";
  return wrapped.substr(kPrefix.size(), wrapped.size() - kPrefix.size() - kSuffix.size());
}

}  // namespace mm
