// libFuzzer: the redactor sees every URI a user types, valid or not. A password it finds is
// replaced, whole, by ****; text is redacted without a crash or an endless loop.
#include <cstdint>
#include <string>

#include "mongo/uri.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string uri(reinterpret_cast<const char*>(data), size);
  std::string redacted = mm::mongo::RedactUri(uri);
  std::string password = mm::mongo::PasswordOf(uri);
  if (!password.empty() && redacted.size() != uri.size() - password.size() + 4) __builtin_trap();
  if (!password.empty() && redacted.find("****") == std::string::npos) __builtin_trap();
  (void)mm::mongo::RedactSecrets(uri);
  (void)mm::mongo::SecretsOf(uri);
  return 0;
}
