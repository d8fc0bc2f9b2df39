// Extended JSON literals for test tables.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "value/bson_codec.h"

namespace mm::testing {

inline Document Json(const std::string& text) {
  auto doc = ParseExtendedJson(text);
  if (!doc.ok()) {
    ADD_FAILURE() << "bad JSON in test: " << text << ": " << doc.status().message();
    return Document{};
  }
  return *doc;
}

// The value of {"v": …} — for literals that are not documents.
inline Value JsonValue(const std::string& text) { return *Json("{\"v\": " + text + "}").Get("v"); }

}  // namespace mm::testing
