// A BSON value tree that can be read, compared and edited in place.
//
// libbson's bson_t is an append-only byte buffer: fine for the wire, awkward for an engine that
// applies `$set` on a nested path. Value is the editable form; bson_codec.h converts both ways.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mm {

struct Value;
struct Field;

struct MinKey {
  bool operator==(const MinKey&) const = default;
};
struct MaxKey {
  bool operator==(const MaxKey&) const = default;
};
struct Null {
  bool operator==(const Null&) const = default;
};
struct Undefined {
  bool operator==(const Undefined&) const = default;
};
struct Decimal128 {
  uint64_t high = 0;
  uint64_t low = 0;
  bool operator==(const Decimal128&) const = default;
};
struct ObjectId {
  std::array<uint8_t, 12> bytes{};
  bool operator==(const ObjectId&) const = default;
  std::string Hex() const;
};
struct DateTime {
  int64_t millis = 0;
  bool operator==(const DateTime&) const = default;
};
struct Timestamp {
  uint32_t t = 0;
  uint32_t i = 0;
  bool operator==(const Timestamp&) const = default;
};
struct Binary {
  uint8_t subtype = 0;
  std::string bytes;
  bool operator==(const Binary&) const = default;
};
struct Regex {
  std::string pattern;
  std::string options;
  bool operator==(const Regex&) const = default;
};
struct JavaScript {
  std::string code;
  bool operator==(const JavaScript&) const = default;
};
struct Symbol {
  std::string name;
  bool operator==(const Symbol&) const = default;
};

// A value on the heap with value semantics (deep copy, deep equality). The variant below keeps
// its widest, rarest alternatives (a regex is two strings, 64 bytes) boxed so that every Value,
// and so every field of every stored document, is 40 bytes instead of 72: devmongod holds
// millions of them. A moved-from box is empty; like any moved-from Value it may only be
// assigned or destroyed.
template <typename T>
class Boxed {
 public:
  Boxed(T x) : p_(std::make_unique<T>(std::move(x))) {}  // NOLINT: implicit, as T itself
  Boxed(const Boxed& other) : p_(std::make_unique<T>(*other.p_)) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) p_ = std::make_unique<T>(*other.p_);
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  ~Boxed() = default;
  const T& get() const { return *p_; }
  T& get() { return *p_; }
  bool operator==(const Boxed& other) const { return *p_ == *other.p_; }

 private:
  std::unique_ptr<T> p_;
};

// An ordered document. Field order is significant, as in BSON; duplicate keys are kept as
// they arrived (MongoDB does not reject them on the wire either).
class Document {
 public:
  Document() = default;
  Document(std::initializer_list<Field> fields);
  // Special members are defaulted below Field: std::vector<Field>'s members may be used only
  // once Field is complete (clang instantiates vector's constexpr members where they are used).
  Document(const Document&);
  Document(Document&&) noexcept;
  Document& operator=(const Document&);
  Document& operator=(Document&&) noexcept;
  ~Document();

  const std::vector<Field>& fields() const { return fields_; }
  std::vector<Field>& fields() { return fields_; }
  bool empty() const;  // defined below, once Field is complete
  size_t size() const;

  // The first field named `key`, or nullptr.
  const Value* Get(std::string_view key) const;
  Value* Get(std::string_view key);
  bool Has(std::string_view key) const { return Get(key) != nullptr; }

  // Replaces the first field named `key`, or appends it.
  void Set(std::string_view key, Value value);
  // Appends without looking for an existing field.
  void Append(std::string_view key, Value value);
  // Removes every field named `key`; returns whether one existed.
  bool Remove(std::string_view key);

  bool operator==(const Document& other) const;

 private:
  std::vector<Field> fields_;
};

struct Array {
  std::vector<Value> items;
  bool operator==(const Array& other) const;
};

using ValueVariant = std::variant<Null, Undefined, MinKey, MaxKey, bool, int32_t, int64_t, double,
                                  Decimal128, std::string, Document, Array, ObjectId, DateTime,
                                  Timestamp, Boxed<Binary>, Boxed<Regex>, JavaScript, Symbol>;

// How a type is held in ValueVariant: itself, or boxed.
template <typename T>
struct HeldAs {
  using type = T;
};
template <>
struct HeldAs<Binary> {
  using type = Boxed<Binary>;
};
template <>
struct HeldAs<Regex> {
  using type = Boxed<Regex>;
};
template <typename T>
inline constexpr bool kIsBoxed = !std::is_same_v<typename HeldAs<T>::type, T>;

// BSON element type numbers, as in the BSON spec; used for `$type` and error messages.
enum class BsonType : int {
  kDouble = 1,
  kString = 2,
  kObject = 3,
  kArray = 4,
  kBinData = 5,
  kUndefined = 6,
  kObjectId = 7,
  kBool = 8,
  kDate = 9,
  kNull = 10,
  kRegex = 11,
  kJavaScript = 13,
  kSymbol = 14,
  kInt = 16,
  kTimestamp = 17,
  kLong = 18,
  kDecimal = 19,
  kMinKey = -1,
  kMaxKey = 127,
};

struct Value {
  ValueVariant v;

  Value() : v(Null{}) {}
  template <typename T>
  requires std::is_constructible_v<ValueVariant, T&&> &&
      (!std::is_same_v<std::decay_t<T>, Value>)&&(!std::is_same_v<std::decay_t<T>, int>)Value(T&& x)
      : v(std::forward<T>(x)) {}
  Value(int x) : v(static_cast<int32_t>(x)) {}
  Value(const char* s) : v(std::string(s)) {}

  template <typename T>
  bool Is() const {
    return std::holds_alternative<typename HeldAs<T>::type>(v);
  }
  template <typename T>
  const T& As() const {
    if constexpr (kIsBoxed<T>) {
      return std::get<Boxed<T>>(v).get();
    } else {
      return std::get<T>(v);
    }
  }
  template <typename T>
  T& As() {
    if constexpr (kIsBoxed<T>) {
      return std::get<Boxed<T>>(v).get();
    } else {
      return std::get<T>(v);
    }
  }
  template <typename T>
  const T* If() const {
    if constexpr (kIsBoxed<T>) {
      const auto* box = std::get_if<Boxed<T>>(&v);
      return box ? &box->get() : nullptr;
    } else {
      return std::get_if<T>(&v);
    }
  }
  template <typename T>
  T* If() {
    if constexpr (kIsBoxed<T>) {
      auto* box = std::get_if<Boxed<T>>(&v);
      return box ? &box->get() : nullptr;
    } else {
      return std::get_if<T>(&v);
    }
  }

  BsonType type() const;
  bool IsNumber() const;
  // Null or undefined: the values that `{field: null}` matches besides a missing field.
  bool IsNullish() const { return Is<Null>() || Is<Undefined>(); }
  // Truthiness as the aggregation language defines it.
  bool Truthy() const;

  // Numeric views; only meaningful when IsNumber().
  double AsDouble() const;
  // The value as an int64 when it is an integral number that fits; otherwise nullopt.
  std::optional<int64_t> AsExactInt64() const;

  // Deep, type-sensitive equality (1 != 1.0 here; use Compare for MongoDB equality).
  bool operator==(const Value& other) const { return v == other.v; }
};

struct Field {
  std::string key;
  Value value;
  bool operator==(const Field& other) const = default;
};

static_assert(sizeof(Value) <= 40, "a Value is held per field of every stored document");

// Here, not in the class: std::vector<Field>'s members may be used only once Field is complete
// (clang instantiates constexpr vector members at their first use).
inline Document::Document(const Document&) = default;
inline Document::Document(Document&&) noexcept = default;
inline Document& Document::operator=(const Document&) = default;
inline Document& Document::operator=(Document&&) noexcept = default;
inline Document::~Document() = default;
inline bool Document::empty() const { return fields_.empty(); }
inline size_t Document::size() const { return fields_.size(); }

// A decimal128's value as a long double (NaN and ±Infinity included).
long double DecimalToLongDouble(const Decimal128& d);

// "2026-11-25T12:00:00Z": a date as mongo-migrate prints it.
std::string FormatUtc(const DateTime& t);

// The MongoDB alias of a type ("double", "string", "object", …) as `$type` accepts it.
std::string_view TypeAlias(BsonType type);
std::optional<BsonType> TypeFromAlias(std::string_view alias);

}  // namespace mm
