// libFuzzer: a file name → its version and name, or a refusal.
#include <cstdint>
#include <string>

#include "source/source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = mm::source::ParseFileName(std::string(reinterpret_cast<const char*>(data), size));
  if (parsed.ok() && parsed->version < 0) __builtin_trap();
  return 0;
}
