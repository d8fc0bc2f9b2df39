#include "mongomigrate/value.h"

#include <bson/bson.h>

#include <cmath>
#include <cstdlib>
#include <ctime>

namespace mm {

std::string ObjectId::Hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(24);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

Document::Document(std::initializer_list<Field> fields) : fields_(fields) {}

const Value* Document::Get(std::string_view key) const {
  for (const Field& f : fields_) {
    if (f.key == key) return &f.value;
  }
  return nullptr;
}

Value* Document::Get(std::string_view key) {
  for (Field& f : fields_) {
    if (f.key == key) return &f.value;
  }
  return nullptr;
}

void Document::Set(std::string_view key, Value value) {
  if (Value* existing = Get(key)) {
    *existing = std::move(value);
    return;
  }
  Append(key, std::move(value));
}

void Document::Append(std::string_view key, Value value) {
  fields_.push_back(Field{std::string(key), std::move(value)});
}

bool Document::Remove(std::string_view key) {
  auto before = fields_.size();
  std::erase_if(fields_, [&](const Field& f) { return f.key == key; });
  return fields_.size() != before;
}

bool Document::operator==(const Document& other) const { return fields_ == other.fields_; }

bool Array::operator==(const Array& other) const { return items == other.items; }

BsonType Value::type() const {
  struct Visitor {
    BsonType operator()(const Null&) const { return BsonType::kNull; }
    BsonType operator()(const Undefined&) const { return BsonType::kUndefined; }
    BsonType operator()(const MinKey&) const { return BsonType::kMinKey; }
    BsonType operator()(const MaxKey&) const { return BsonType::kMaxKey; }
    BsonType operator()(bool) const { return BsonType::kBool; }
    BsonType operator()(int32_t) const { return BsonType::kInt; }
    BsonType operator()(int64_t) const { return BsonType::kLong; }
    BsonType operator()(double) const { return BsonType::kDouble; }
    BsonType operator()(const Decimal128&) const { return BsonType::kDecimal; }
    BsonType operator()(const std::string&) const { return BsonType::kString; }
    BsonType operator()(const Document&) const { return BsonType::kObject; }
    BsonType operator()(const Array&) const { return BsonType::kArray; }
    BsonType operator()(const ObjectId&) const { return BsonType::kObjectId; }
    BsonType operator()(const DateTime&) const { return BsonType::kDate; }
    BsonType operator()(const Timestamp&) const { return BsonType::kTimestamp; }
    BsonType operator()(const Boxed<Binary>&) const { return BsonType::kBinData; }
    BsonType operator()(const Boxed<Regex>&) const { return BsonType::kRegex; }
    BsonType operator()(const JavaScript&) const { return BsonType::kJavaScript; }
    BsonType operator()(const Symbol&) const { return BsonType::kSymbol; }
  };
  return std::visit(Visitor{}, v);
}

bool Value::IsNumber() const {
  return Is<int32_t>() || Is<int64_t>() || Is<double>() || Is<Decimal128>();
}

bool Value::Truthy() const {
  if (IsNullish()) return false;
  if (auto b = If<bool>()) return *b;
  if (IsNumber()) return AsDouble() != 0.0;
  return true;
}

long double DecimalToLongDouble(const Decimal128& d) {
  bson_decimal128_t raw{d.low, d.high};
  char text[BSON_DECIMAL128_STRING];
  bson_decimal128_to_string(&raw, text);
  std::string_view s(text);
  if (s == "NaN") return NAN;
  if (s == "Infinity") return INFINITY;
  if (s == "-Infinity") return -INFINITY;
  return std::strtold(text, nullptr);
}

std::string FormatUtc(const DateTime& t) {
  std::time_t secs = static_cast<std::time_t>(t.millis / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

double Value::AsDouble() const {
  if (auto i = If<int32_t>()) return *i;
  if (auto l = If<int64_t>()) return static_cast<double>(*l);
  if (auto d = If<double>()) return *d;
  if (auto dec = If<Decimal128>()) return static_cast<double>(DecimalToLongDouble(*dec));
  return 0.0;
}

std::optional<int64_t> Value::AsExactInt64() const {
  if (auto i = If<int32_t>()) return *i;
  if (auto l = If<int64_t>()) return *l;
  if (IsNumber()) {
    double d = AsDouble();
    if (std::isfinite(d) && std::trunc(d) == d && d >= -9.2233720368547758e18 &&
        d < 9.2233720368547758e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

namespace {
struct AliasEntry {
  BsonType type;
  std::string_view alias;
};
constexpr AliasEntry kAliases[] = {
    {BsonType::kDouble, "double"},       {BsonType::kString, "string"},
    {BsonType::kObject, "object"},       {BsonType::kArray, "array"},
    {BsonType::kBinData, "binData"},     {BsonType::kUndefined, "undefined"},
    {BsonType::kObjectId, "objectId"},   {BsonType::kBool, "bool"},
    {BsonType::kDate, "date"},           {BsonType::kNull, "null"},
    {BsonType::kRegex, "regex"},         {BsonType::kJavaScript, "javascript"},
    {BsonType::kSymbol, "symbol"},       {BsonType::kInt, "int"},
    {BsonType::kTimestamp, "timestamp"}, {BsonType::kLong, "long"},
    {BsonType::kDecimal, "decimal"},     {BsonType::kMinKey, "minKey"},
    {BsonType::kMaxKey, "maxKey"},
};
}  // namespace

std::string_view TypeAlias(BsonType type) {
  for (const auto& e : kAliases) {
    if (e.type == type) return e.alias;
  }
  return "unknown";
}

std::optional<BsonType> TypeFromAlias(std::string_view alias) {
  for (const auto& e : kAliases) {
    if (e.alias == alias) return e.type;
  }
  return std::nullopt;
}

}  // namespace mm
