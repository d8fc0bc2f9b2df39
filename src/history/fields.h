// Typed reads of history and lock documents. Anyone with write access may have written them
// (the seed's guide has people insert records by hand), so a missing or mistyped field reads as
// absent, never as a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mongomigrate/value.h"

namespace mm::history {

inline std::string StringField(const Document& d, const char* key) {
  const Value* v = d.Get(key);
  return v && v->Is<std::string>() ? v->As<std::string>() : std::string();
}

// An integral number (of any BSON number type), or nothing.
inline std::optional<int64_t> IntField(const Document& d, const char* key) {
  const Value* v = d.Get(key);
  return v && v->IsNumber() ? v->AsExactInt64() : std::nullopt;
}

}  // namespace mm::history
