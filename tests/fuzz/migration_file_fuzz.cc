// libFuzzer: a JSON migration file's bytes → Migration, or an error naming the file.
#include <cstdint>
#include <string>

#include "source/source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  auto m = mm::source::ParseJsonMigration("002_fuzz.json", bytes);
  if (m.ok() && (m->version <= 0 || !m->up)) __builtin_trap();
  if (!m.ok() && m.status().message().rfind("002_fuzz.json", 0) != 0) __builtin_trap();
  return 0;
}
