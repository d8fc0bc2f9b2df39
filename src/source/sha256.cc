#include <openssl/evp.h>

#include <memory>

#include "source/source.h"

namespace mm::source {
namespace {

// OpenSSL 3 looks the algorithm up in its providers on every EVP_Digest(…, EVP_sha256(), …);
// fetched once, the digest of a small file costs a fraction of that.
const EVP_MD* Sha256() {
  static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(
      EVP_MD_fetch(nullptr, "SHA256", nullptr), &EVP_MD_free);
  return md ? md.get() : EVP_sha256();
}

}  // namespace

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, Sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

std::string FileChecksum(const std::string& bytes) {
  if (bytes.find("\r\n") == std::string::npos) return Sha256Hex(bytes);
  std::string normalized;
  normalized.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') continue;
    normalized.push_back(bytes[i]);
  }
  return Sha256Hex(normalized);
}

}  // namespace mm::source
