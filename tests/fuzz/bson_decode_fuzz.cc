// libFuzzer: raw bytes → BSON document (what devmongod decodes from every client, before
// authentication). What decodes re-encodes to the same document.
#include <cstdint>

#include "value/bson_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = mm::DecodeBson(data, size);
  if (!doc.ok()) return 0;
  std::string bytes = mm::EncodeBson(*doc);
  if (mm::BsonSize(*doc) != bytes.size()) __builtin_trap();  // the size is known without encoding
  auto back = mm::DecodeBson(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  // Compared as bytes: a NaN is not equal to itself, but encodes the same.
  if (!back.ok() || mm::EncodeBson(*back) != bytes) __builtin_trap();
  return 0;
}
