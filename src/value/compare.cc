#include "value/compare.h"

#include <bson/bson.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace mm {
namespace {

template <typename T>
int Three(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

long double NumberAsLongDouble(const Value& v) {
  if (auto i = v.If<int32_t>()) return *i;
  if (auto l = v.If<int64_t>()) return static_cast<long double>(*l);
  if (auto d = v.If<double>()) return *d;
  return DecimalToLongDouble(v.As<Decimal128>());
}

int CompareNumbers(const Value& a, const Value& b) {
  auto ai = a.If<int64_t>();
  auto bi = b.If<int64_t>();
  if (ai && bi) return Three(*ai, *bi);
  long double x = NumberAsLongDouble(a);
  long double y = NumberAsLongDouble(b);
  // MongoDB sorts NaN below every other number and equal to itself.
  bool xn = std::isnan(x), yn = std::isnan(y);
  if (xn || yn) return xn && yn ? 0 : (xn ? -1 : 1);
  return Three(x, y);
}

const std::string& StringOf(const Value& v) {
  if (auto s = v.If<std::string>()) return *s;
  return v.As<Symbol>().name;
}

}  // namespace

int CanonicalTypeRank(const Value& v) {
  switch (v.type()) {
    case BsonType::kMinKey:
      return 1;
    case BsonType::kUndefined:
    case BsonType::kNull:
      return 2;
    case BsonType::kInt:
    case BsonType::kLong:
    case BsonType::kDouble:
    case BsonType::kDecimal:
      return 3;
    case BsonType::kString:
    case BsonType::kSymbol:
      return 4;
    case BsonType::kObject:
      return 5;
    case BsonType::kArray:
      return 6;
    case BsonType::kBinData:
      return 7;
    case BsonType::kObjectId:
      return 8;
    case BsonType::kBool:
      return 9;
    case BsonType::kDate:
      return 10;
    case BsonType::kTimestamp:
      return 11;
    case BsonType::kRegex:
      return 12;
    case BsonType::kJavaScript:
      return 13;
    case BsonType::kMaxKey:
      return 14;
  }
  return 0;
}

int CompareDocuments(const Document& a, const Document& b) {
  const auto& fa = a.fields();
  const auto& fb = b.fields();
  for (size_t i = 0; i < fa.size() && i < fb.size(); ++i) {
    int r = Three(CanonicalTypeRank(fa[i].value), CanonicalTypeRank(fb[i].value));
    if (r) return r;
    r = fa[i].key.compare(fb[i].key);
    if (r) return r < 0 ? -1 : 1;
    r = CompareValues(fa[i].value, fb[i].value);
    if (r) return r;
  }
  return Three(fa.size(), fb.size());
}

int CompareValues(const Value& a, const Value& b) {
  int ra = CanonicalTypeRank(a), rb = CanonicalTypeRank(b);
  if (ra != rb) return Three(ra, rb);
  switch (ra) {
    case 1:
    case 2:
    case 14:
      return 0;
    case 3:
      return CompareNumbers(a, b);
    case 4: {
      int r = StringOf(a).compare(StringOf(b));
      return r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
    case 5:
      return CompareDocuments(a.As<Document>(), b.As<Document>());
    case 6: {
      const auto& x = a.As<Array>().items;
      const auto& y = b.As<Array>().items;
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int r = CompareValues(x[i], y[i]);
        if (r) return r;
      }
      return Three(x.size(), y.size());
    }
    case 7: {
      const Binary& x = a.As<Binary>();
      const Binary& y = b.As<Binary>();
      // BinData orders by length, then subtype, then bytes.
      if (int r = Three(x.bytes.size(), y.bytes.size())) return r;
      if (int r = Three(x.subtype, y.subtype)) return r;
      int r = x.bytes.compare(y.bytes);
      return r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
    case 8:
      return Three(a.As<ObjectId>().bytes, b.As<ObjectId>().bytes);
    case 9:
      return Three(a.As<bool>(), b.As<bool>());
    case 10:
      return Three(a.As<DateTime>().millis, b.As<DateTime>().millis);
    case 11: {
      const Timestamp& x = a.As<Timestamp>();
      const Timestamp& y = b.As<Timestamp>();
      if (int r = Three(x.t, y.t)) return r;
      return Three(x.i, y.i);
    }
    case 12: {
      const Regex& x = a.As<Regex>();
      const Regex& y = b.As<Regex>();
      if (int r = x.pattern.compare(y.pattern)) return r < 0 ? -1 : 1;
      int r = x.options.compare(y.options);
      return r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
    case 13: {
      int r = a.As<JavaScript>().code.compare(b.As<JavaScript>().code);
      return r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
  }
  return 0;
}

}  // namespace mm
