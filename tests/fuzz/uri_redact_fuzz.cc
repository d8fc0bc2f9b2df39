// libFuzzer: the redactor sees every URI a user types, valid or not; a password it finds never
// survives redaction.
#include <cstdint>
#include <string>

#include "mongo/uri.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string uri(reinterpret_cast<const char*>(data), size);
  std::string redacted = mm::mongo::RedactUri(uri);
  std::string password = mm::mongo::PasswordOf(uri);
  if (password.size() >= 8 && redacted.find(password) != std::string::npos &&
      uri.find(password) == uri.rfind(password)) {
    __builtin_trap();
  }
  return 0;
}
