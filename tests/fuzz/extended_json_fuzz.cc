// libFuzzer: Extended JSON text → document (the migration files' parser). What parses must
// also survive BSON: encoded and decoded back, the same document.
#include <cstdint>
#include <string_view>

#include "value/bson_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = mm::ParseExtendedJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!doc.ok()) return 0;
  std::string bytes = mm::EncodeBson(*doc);
  auto back = mm::DecodeBson(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  // Compared as bytes: a NaN is not equal to itself, but encodes the same.
  if (!back.ok() || mm::EncodeBson(*back) != bytes) __builtin_trap();
  return 0;
}
