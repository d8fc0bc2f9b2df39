#include "server/engine/expression_operators.h"

#include <random>

#include <cmath>
#include <cstdio>
#include <ctime>

#include "value/bson_codec.h"

namespace mm::engine {
namespace {

constexpr int kConversionFailure = 241;

bool Absent(const Value& v) { return v.Is<Undefined>() || v.IsNullish(); }

Status ConversionFailure(const std::string& what) {
  return Status(kConversionFailure,
                "Failed to parse number '" + what + "' in $convert with no onError value");
}

// $toInt/$toLong/$toDouble: numbers (doubles truncated toward zero), bools, dates (long),
// and base-10 strings; anything else or out of range is ConversionFailure (241).
StatusOr<Value> ToNumber(const Value& v, const std::string& to) {
  if (Absent(v)) return Value(Null{});
  double d = 0;
  if (v.Is<bool>()) {
    d = v.As<bool>() ? 1 : 0;
  } else if (v.Is<DateTime>() && to != "int") {
    d = static_cast<double>(v.As<DateTime>().millis);
  } else if (v.IsNumber()) {
    d = v.AsDouble();
  } else if (const std::string* s = v.If<std::string>()) {
    char* end = nullptr;
    errno = 0;
    if (to == "double") {
      d = std::strtod(s->c_str(), &end);
    } else {
      long long n = std::strtoll(s->c_str(), &end, 10);
      if (errno == 0 && end && *end == '\0' && !s->empty()) {
        if (to == "int" && (n < INT32_MIN || n > INT32_MAX)) return ConversionFailure(*s);
        return to == "int" ? Value(static_cast<int32_t>(n)) : Value(static_cast<int64_t>(n));
      }
      return ConversionFailure(*s);
    }
    if (errno != 0 || !end || *end != '\0' || s->empty()) return ConversionFailure(*s);
  } else {
    return Status(kConversionFailure, "Unsupported conversion from " +
                                          std::string(TypeAlias(v.type())) + " to " + to +
                                          " in $convert with no onError value");
  }
  if (to == "double") return Value(d);
  if (!std::isfinite(d)) {
    return Status(kConversionFailure, "Attempt to convert a non-finite value to " + to);
  }
  double t = std::trunc(d);
  if (to == "int") {
    if (t < INT32_MIN || t > INT32_MAX) {
      return Status(kConversionFailure,
                    "Conversion would overflow target type in $convert with "
                    "no onError value: " +
                        ToRelaxedJson(v));
    }
    return Value(static_cast<int32_t>(t));
  }
  if (t < -9.2e18 || t > 9.2e18) {
    return Status(kConversionFailure,
                  "Conversion would overflow target type in $convert with "
                  "no onError value: " +
                      ToRelaxedJson(v));
  }
  return Value(static_cast<int64_t>(t));
}

// UTF-8 code points of `s`, as byte offsets (plus the end).
std::vector<size_t> CodePointStarts(const std::string& s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(s.size());
  return starts;
}

StatusOr<int64_t> WholeNumber(const Value& v, const std::string& op, const std::string& what) {
  auto n = v.IsNumber() ? v.AsExactInt64() : std::nullopt;
  if (!n)
    return Status(kBadValue, op + ": " + what + " must be a whole number, not " + ToRelaxedJson(v));
  return *n;
}

class DateToStringExpr : public Expression {
 public:
  ExpressionPtr date;
  ExpressionPtr on_null;  // may be null
  std::string format = "%Y-%m-%dT%H:%M:%S.%LZ";

  StatusOr<Value> Evaluate(const Document& root) const override {
    auto v = date->Evaluate(root);
    if (!v.ok()) return v;
    if (Absent(*v)) return on_null ? on_null->Evaluate(root) : Value(Null{});
    if (!v->Is<DateTime>()) {
      return Status(
          16006, "can't convert from BSON type " + std::string(TypeAlias(v->type())) + " to Date");
    }
    int64_t millis = v->As<DateTime>().millis;
    int64_t secs = millis >= 0 ? millis / 1000 : (millis - 999) / 1000;
    std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::string out;
    char buf[16];
    for (size_t i = 0; i < format.size(); ++i) {
      if (format[i] != '%' || i + 1 == format.size()) {
        out += format[i];
        continue;
      }
      switch (format[++i]) {
        case 'Y':
          std::snprintf(buf, sizeof buf, "%04d", tm.tm_year + 1900);
          break;
        case 'm':
          std::snprintf(buf, sizeof buf, "%02d", tm.tm_mon + 1);
          break;
        case 'd':
          std::snprintf(buf, sizeof buf, "%02d", tm.tm_mday);
          break;
        case 'H':
          std::snprintf(buf, sizeof buf, "%02d", tm.tm_hour);
          break;
        case 'M':
          std::snprintf(buf, sizeof buf, "%02d", tm.tm_min);
          break;
        case 'S':
          std::snprintf(buf, sizeof buf, "%02d", tm.tm_sec);
          break;
        case 'L':
          std::snprintf(buf, sizeof buf, "%03d", static_cast<int>(millis - secs * 1000));
          break;
        case 'j':
          std::snprintf(buf, sizeof buf, "%03d", tm.tm_yday + 1);
          break;
        case 'u':
          std::snprintf(buf, sizeof buf, "%d", tm.tm_wday == 0 ? 7 : tm.tm_wday);
          break;
        case 'w':
          std::snprintf(buf, sizeof buf, "%d", tm.tm_wday + 1);
          break;
        case 'z':
          std::snprintf(buf, sizeof buf, "+0000");
          break;
        case 'Z':
          std::snprintf(buf, sizeof buf, "0");
          break;
        case '%':
          std::snprintf(buf, sizeof buf, "%%");
          break;
        default:
          return Status(
              18536, std::string("Invalid format character '%") + format[i] + "' in format string");
      }
      out += buf;
    }
    return Value(out);
  }
};

}  // namespace

StatusOr<ExpressionPtr> ParseDateToString(const Value& arg) {
  const Document* d = arg.If<Document>();
  if (!d) return Status(18629, "$dateToString only supports an object as its argument");
  auto node = std::make_shared<DateToStringExpr>();
  for (const Field& f : d->fields()) {
    if (f.key == "date") {
      auto e = Expression::Parse(f.value);
      if (!e.ok()) return e.status();
      node->date = *e;
    } else if (f.key == "format") {
      if (!f.value.Is<std::string>())
        return Status(18533, "$dateToString requires that 'format' be a string");
      node->format = f.value.As<std::string>();
    } else if (f.key == "onNull") {
      auto e = Expression::Parse(f.value);
      if (!e.ok()) return e.status();
      node->on_null = *e;
    } else if (f.key == "timezone") {
      const std::string* tz = f.value.If<std::string>();
      if (!tz ||
          (*tz != "UTC" && *tz != "GMT" && *tz != "Z" && *tz != "+00:00" && *tz != "+0000")) {
        return Status(kNotImplemented, "$dateToString: devmongod supports only the UTC timezone");
      }
    } else {
      return Status(18534, "Unrecognized argument to $dateToString: " + f.key);
    }
  }
  if (!node->date) return Status(18628, "Missing 'date' parameter to $dateToString");
  return ExpressionPtr(node);
}

void AddConversionArrayStringOperators(OperatorTable& table) {
  table["$toInt"] = [](const OperatorArgs& a) { return ToNumber(a[0], "int"); };
  table["$toLong"] = [](const OperatorArgs& a) { return ToNumber(a[0], "long"); };
  table["$toDouble"] = [](const OperatorArgs& a) { return ToNumber(a[0], "double"); };
  table["$toBool"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    if (Absent(a[0])) return Value(Null{});
    return Value(a[0].Truthy());
  };
  // {$rand: {}}: a double in [0, 1) per evaluation (MongoDB 4.4.2+).
  table["$rand"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    if (a.size() != 1 || !a[0].Is<Document>() || !a[0].As<Document>().empty()) {
      return Status(3040501, "$rand does not currently accept arguments");
    }
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return Value(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
  };
  table["$abs"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    if (Absent(a[0])) return Value(Null{});
    if (!a[0].IsNumber())
      return Status(28765,
                    "$abs only supports numeric types, not " + std::string(TypeAlias(a[0].type())));
    if (auto i = a[0].If<int32_t>())
      return *i == INT32_MIN ? Value(-static_cast<int64_t>(*i)) : Value(std::abs(*i));
    if (auto l = a[0].If<int64_t>()) return Value(std::llabs(*l));
    return Value(std::fabs(a[0].AsDouble()));
  };
  table["$isArray"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    return Value(a[0].Is<Array>());
  };
  table["$arrayElemAt"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    if (Absent(a[0]) || Absent(a[1])) return Value(Null{});
    if (!a[0].Is<Array>())
      return Status(28689, "$arrayElemAt's first argument must be an array, but is " +
                               std::string(TypeAlias(a[0].type())));
    auto idx = WholeNumber(a[1], "$arrayElemAt", "the index");
    if (!idx.ok())
      return Status(28691, "$arrayElemAt's second argument must be a numeric value, but is " +
                               std::string(TypeAlias(a[1].type())));
    const auto& items = a[0].As<Array>().items;
    int64_t i = *idx < 0 ? static_cast<int64_t>(items.size()) + *idx : *idx;
    if (i < 0 || i >= static_cast<int64_t>(items.size())) return Value(Undefined{});
    return items[i];
  };
  table["$concatArrays"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    Array out;
    for (const Value& v : a) {
      if (Absent(v)) return Value(Null{});
      if (!v.Is<Array>())
        return Status(
            28664, "$concatArrays only supports arrays, not " + std::string(TypeAlias(v.type())));
      for (const Value& e : v.As<Array>().items) out.items.push_back(e);
    }
    return Value(std::move(out));
  };
  table["$split"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    if (Absent(a[0])) return Value(Null{});
    if (!a[0].Is<std::string>())
      return Status(
          40085,
          "$split requires an expression that evaluates to a string as a first argument, found: " +
              std::string(TypeAlias(a[0].type())));
    if (!a[1].Is<std::string>())
      return Status(
          40086,
          "$split requires an expression that evaluates to a string as a second argument, found: " +
              std::string(TypeAlias(a[1].type())));
    const std::string& s = a[0].As<std::string>();
    const std::string& sep = a[1].As<std::string>();
    if (sep.empty()) return Status(40087, "$split requires a non-empty separator");
    Array out;
    size_t start = 0;
    for (size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + sep.size()) {
      out.items.emplace_back(s.substr(start, pos - start));
    }
    out.items.emplace_back(s.substr(start));
    return Value(std::move(out));
  };
  table["$strLenCP"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    if (!a[0].Is<std::string>())
      return Status(34471, "$strLenCP requires a string argument, found: " +
                               std::string(Absent(a[0]) ? "missing" : TypeAlias(a[0].type())));
    return Value(static_cast<int32_t>(CodePointStarts(a[0].As<std::string>()).size() - 1));
  };
  table["$substrCP"] = [](const OperatorArgs& a) -> StatusOr<Value> {
    if (Absent(a[0])) return Value(std::string());
    auto start = WholeNumber(a[1], "$substrCP", "the starting index");
    auto count = WholeNumber(a[2], "$substrCP", "the length");
    if (!start.ok()) return start.status();
    if (!count.ok()) return count.status();
    if (*start < 0 || *count < 0) return Status(34455, "$substrCP: indexes must be non-negative");
    const std::string s = a[0].Is<std::string>() ? a[0].As<std::string>() : ToRelaxedJson(a[0]);
    auto cps = CodePointStarts(s);
    size_t n = cps.size() - 1;
    size_t from = std::min<size_t>(*start, n), to = std::min<size_t>(from + *count, n);
    return Value(s.substr(cps[from], cps[to] - cps[from]));
  };
}

}  // namespace mm::engine
