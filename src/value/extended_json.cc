// Extended JSON (canonical and relaxed, MongoDB's extended-json spec) into Value trees.
//
// Parsed with nlohmann::ordered_json rather than libbson's parser for two reasons: syntax
// errors come with a line and column, and libbson reads `{"$type": "string"}` (a query
// operator) as the legacy binary form, which breaks filters in migration files.
#include <bson/bson.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "value/bson_codec.h"
#include "value/hex.h"

namespace mm {
namespace {

using Json = nlohmann::ordered_json;

Status Bad(const std::string& where, const std::string& what) {
  return Status(kFailedToParse, "invalid Extended JSON at " + where + ": " + what);
}

StatusOr<Value> Convert(const Json& j, const std::string& where, int depth);

// "2024-01-31T12:00:00Z", "2024-01-31T12:00:00.123+02:00"
std::optional<int64_t> ParseIsoDate(const std::string& s) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &consumed) <
      6) {
    return std::nullopt;
  }
  size_t i = static_cast<size_t>(consumed);
  int64_t millis = 0;
  if (i < s.size() && s[i] == '.') {
    int64_t scale = 100;
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
      millis += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  int64_t offset_minutes = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) < 1) return std::nullopt;
    offset_minutes = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
  } else if (i >= s.size() || s[i] != 'Z') {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  int64_t seconds = timegm(&tm) - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::optional<std::string> Base64Decode(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int bits = 0, acc = 0;
  for (char c : in) {
    if (c == '=') break;
    int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::optional<int64_t> ParseInt64(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return v;
}

// `v[name]` as a string, or why not ("$binary.base64 must be a string").
StatusOr<std::string> StringMember(const Json& v, const char* name, const std::string& wrapper,
                                   const std::string& where) {
  auto it = v.find(name);
  if (it == v.end() || !it->is_string()) {
    return Bad(where, wrapper + "." + name + " must be a string");
  }
  return it->get<std::string>();
}

// `v[name]` as an unsigned 32-bit integer ($timestamp's t and i).
StatusOr<uint32_t> Uint32Member(const Json& v, const char* name, const std::string& wrapper,
                                const std::string& where) {
  auto it = v.find(name);
  if (it == v.end() ||
      !(it->is_number_unsigned() || (it->is_number_integer() && it->get<int64_t>() >= 0)) ||
      it->get<uint64_t>() > UINT32_MAX) {
    return Bad(where, wrapper + "." + name + " must be an integer from 0 to 4294967295");
  }
  return static_cast<uint32_t>(it->get<uint64_t>());
}

// A binary subtype: one or two hex digits ("00", "4", "80").
std::optional<uint8_t> ParseSubtype(const std::string& s) {
  if (s.empty() || s.size() > 2) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (HexDigitValue(c) < 0) return std::nullopt;
    v = v * 16 + HexDigitValue(c);
  }
  return static_cast<uint8_t>(v);
}

// A document whose single key (or key pair) is one of the spec's type wrappers.
std::optional<StatusOr<Value>> ConvertWrapper(const Json& j, const std::string& where) {
  if (j.empty() || !j.begin().key().starts_with("$")) return std::nullopt;
  const std::string key = j.begin().key();
  const Json& v = j.begin().value();
  auto string_arg = [&]() -> const std::string* {
    return v.is_string() ? v.get_ptr<const std::string*>() : nullptr;
  };
  if (j.size() == 1) {
    if (key == "$oid") {
      const std::string* s = string_arg();
      if (!s || !bson_oid_is_valid(s->c_str(), s->size()) || s->size() != 24) {
        return Bad(where, "$oid must be a 24-character hex string");
      }
      bson_oid_t oid;
      bson_oid_init_from_string(&oid, s->c_str());
      ObjectId o;
      std::copy(std::begin(oid.bytes), std::end(oid.bytes), o.bytes.begin());
      return StatusOr<Value>(Value(o));
    }
    if (key == "$numberInt" || key == "$numberLong") {
      const std::string* s = string_arg();
      auto n = s ? ParseInt64(*s) : std::nullopt;
      if (!n) return Bad(where, key + " must be a string holding an integer");
      if (key == "$numberInt") {
        if (*n < INT32_MIN || *n > INT32_MAX) return Bad(where, "$numberInt out of range");
        return StatusOr<Value>(Value(static_cast<int32_t>(*n)));
      }
      return StatusOr<Value>(Value(*n));
    }
    if (key == "$numberDouble") {
      const std::string* s = string_arg();
      if (!s) return Bad(where, "$numberDouble must be a string");
      if (*s == "NaN") return StatusOr<Value>(Value(std::nan("")));
      if (*s == "Infinity") return StatusOr<Value>(Value(INFINITY));
      if (*s == "-Infinity") return StatusOr<Value>(Value(-INFINITY));
      char* end = nullptr;
      double d = std::strtod(s->c_str(), &end);
      if (s->empty() || *end != '\0') return Bad(where, "$numberDouble must hold a number");
      return StatusOr<Value>(Value(d));
    }
    if (key == "$numberDecimal") {
      const std::string* s = string_arg();
      bson_decimal128_t d;
      if (!s || !bson_decimal128_from_string(s->c_str(), &d)) {
        return Bad(where, "$numberDecimal must be a string holding a decimal");
      }
      return StatusOr<Value>(Value(Decimal128{d.high, d.low}));
    }
    if (key == "$date") {
      if (const std::string* s = string_arg()) {
        auto millis = ParseIsoDate(*s);
        if (!millis) return Bad(where, "$date string must be ISO-8601, e.g. 2024-01-31T12:00:00Z");
        return StatusOr<Value>(Value(DateTime{*millis}));
      }
      if (v.is_number_integer() &&
          !(v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))) {
        return StatusOr<Value>(Value(DateTime{v.get<int64_t>()}));
      }
      if (v.is_object() && v.size() == 1 && v.contains("$numberLong")) {
        auto n = v["$numberLong"].is_string() ? ParseInt64(v["$numberLong"].get<std::string>())
                                              : std::nullopt;
        if (!n) return Bad(where, "$date.$numberLong must be a string holding an integer");
        return StatusOr<Value>(Value(DateTime{*n}));
      }
      return Bad(where, "$date must be an ISO-8601 string or {\"$numberLong\": …}");
    }
    if (key == "$timestamp") {
      if (!v.is_object()) return Bad(where, "$timestamp must be {\"t\": …, \"i\": …}");
      auto t = Uint32Member(v, "t", key, where);
      if (!t.ok()) return t.status();
      auto i = Uint32Member(v, "i", key, where);
      if (!i.ok()) return i.status();
      return StatusOr<Value>(Value(Timestamp{*t, *i}));
    }
    if (key == "$regularExpression") {
      if (!v.is_object()) return Bad(where, "$regularExpression needs pattern and options");
      auto pattern = StringMember(v, "pattern", key, where);
      if (!pattern.ok()) return pattern.status();
      auto options = StringMember(v, "options", key, where);
      if (!options.ok()) return options.status();
      return StatusOr<Value>(Value(Regex{*pattern, *options}));
    }
    if (key == "$binary" && v.is_object()) {
      auto base64 = StringMember(v, "base64", key, where);
      if (!base64.ok()) return base64.status();
      auto sub_text = StringMember(v, "subType", key, where);
      if (!sub_text.ok()) return sub_text.status();
      auto bytes = Base64Decode(*base64);
      if (!bytes) return Bad(where, "$binary.base64 is not base64");
      auto sub = ParseSubtype(*sub_text);
      if (!sub) return Bad(where, "$binary.subType must be one or two hex digits, e.g. \"00\"");
      return StatusOr<Value>(Value(Binary{*sub, *bytes}));
    }
    if (key == "$uuid") {
      const std::string* s = string_arg();
      std::string hex;
      for (char c : s ? *s : std::string()) {
        if (c != '-') hex.push_back(c);
      }
      if (hex.size() != 32 ||
          !std::all_of(hex.begin(), hex.end(), [](char c) { return HexDigitValue(c) >= 0; })) {
        return Bad(where,
                   "$uuid must be a UUID string of 32 hex digits, e.g. "
                   "\"00112233-4455-6677-8899-aabbccddeeff\"");
      }
      std::string bytes;
      for (size_t i = 0; i < 32; i += 2)
        bytes.push_back(static_cast<char>(HexDigitValue(hex[i]) * 16 + HexDigitValue(hex[i + 1])));
      return StatusOr<Value>(Value(Binary{4, bytes}));
    }
    if (key == "$minKey") return StatusOr<Value>(Value(MinKey{}));
    if (key == "$maxKey") return StatusOr<Value>(Value(MaxKey{}));
    if (key == "$undefined") return StatusOr<Value>(Value(Undefined{}));
    if (key == "$symbol" && string_arg()) return StatusOr<Value>(Value(Symbol{*string_arg()}));
    if (key == "$code" && string_arg()) return StatusOr<Value>(Value(JavaScript{*string_arg()}));
  }
  // The legacy binary form {"$binary": "<base64>", "$type": "<hex>"}; a lone "$type" is the
  // query operator and stays a document.
  if (j.size() == 2 && j.contains("$binary") && j.contains("$type") && j["$binary"].is_string() &&
      j["$type"].is_string()) {
    auto bytes = Base64Decode(j["$binary"].get<std::string>());
    if (!bytes) return Bad(where, "$binary is not base64");
    auto sub = ParseSubtype(j["$type"].get<std::string>());
    if (!sub) return Bad(where, "$type must be one or two hex digits, e.g. \"00\"");
    return StatusOr<Value>(Value(Binary{*sub, *bytes}));
  }
  return std::nullopt;
}

StatusOr<Value> Convert(const Json& j, const std::string& where, int depth) {
  if ((j.is_array() || j.is_object()) && depth >= kMaxBsonDepth) {
    return Bad(where.substr(0, 80) + (where.size() > 80 ? "…" : ""),
               "nested deeper than " + std::to_string(kMaxBsonDepth) +
                   " levels (MongoDB's limit); flatten this value");
  }
  switch (j.type()) {
    case Json::value_t::null:
      return Value(Null{});
    case Json::value_t::boolean:
      return Value(j.get<bool>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: {
      if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
        return Bad(where, "integer out of range");
      }
      int64_t n = j.get<int64_t>();
      if (n >= INT32_MIN && n <= INT32_MAX) return Value(static_cast<int32_t>(n));
      return Value(n);
    }
    case Json::value_t::number_float:
      return Value(j.get<double>());
    case Json::value_t::string:
      return Value(j.get<std::string>());
    case Json::value_t::array: {
      Array a;
      size_t i = 0;
      for (const Json& e : j) {
        auto v = Convert(e, where + "[" + std::to_string(i++) + "]", depth + 1);
        if (!v.ok()) return v;
        a.items.push_back(std::move(v).value());
      }
      return Value(std::move(a));
    }
    case Json::value_t::object: {
      if (auto wrapped = ConvertWrapper(j, where)) return std::move(*wrapped);
      Document d;
      for (auto it = j.begin(); it != j.end(); ++it) {
        auto v = Convert(it.value(), where.empty() ? it.key() : where + "." + it.key(), depth + 1);
        if (!v.ok()) return v;
        d.Append(it.key(), std::move(v).value());
      }
      return Value(std::move(d));
    }
    default:
      return Bad(where, "unsupported JSON value");
  }
}

// 1-based line and column of byte `offset` in `text`.
std::string LineColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

StatusOr<Document> ParseExtendedJson(std::string_view text) {
  Json j;
  try {
    j = Json::parse(text.begin(), text.end());
  } catch (const Json::out_of_range& e) {
    // 406: a number beyond double's range (1e400); nlohmann gives no position for it.
    std::string what = e.what();
    size_t quote = what.find('\'');
    return Status(kFailedToParse,
                  "invalid JSON: number " +
                      (quote == std::string::npos ? std::string() : what.substr(quote) + " ") +
                      "is out of range for a double (at most ±1.7976931348623157e308); for a "
                      "larger number write {\"$numberDecimal\": \"…\"}");
  } catch (const Json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    std::string what = e.what();
    size_t colon = what.rfind(": ");
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return Status(kFailedToParse,
                  "invalid JSON at " + LineColumn(text, e.byte ? e.byte - 1 : 0) + ": " + reason);
  }
  if (!j.is_object())
    return Status(kFailedToParse, "invalid JSON: the top level must be an object");
  auto v = Convert(j, "", 0);
  if (!v.ok()) return v.status();
  if (!v->Is<Document>())
    return Status(kFailedToParse, "invalid JSON: the top level must be a document");
  return std::move(v).value().As<Document>();
}

}  // namespace mm
