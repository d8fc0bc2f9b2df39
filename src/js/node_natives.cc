// The natives behind node_builtins.js's crypto: digests, HMACs and random bytes from OpenSSL,
// so that a migration's createHash('sha256') agrees with Node's and its randomBytes are
// unpredictable (Node uses OpenSSL for both).
#include <jsapi.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <string>
#include <vector>

#include "js/state.h"

namespace mm::js {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHexDigits[bytes[i] >> 4];
    out += kHexDigits[bytes[i] & 15];
  }
  return out;
}

// node_builtins.js passes bytes as lowercase hex pairs it wrote itself.
std::vector<unsigned char> Bytes(const std::string& hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::vector<unsigned char> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<unsigned char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return out;
}

bool ReturnText(JSContext* cx, JS::CallArgs& args, const std::string& text) {
  JSString* s = JS_NewStringCopyN(cx, text.data(), text.size());
  if (!s) return false;
  args.rval().setString(s);
  return true;
}

// native.hash(algorithm, dataHex, keyHex | null) → the digest (an HMAC with a key) in hex, or
// null when OpenSSL knows no such digest.
bool Hash(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  const std::string algorithm = ToUtf8(cx, args.get(0));
  const std::vector<unsigned char> data = Bytes(ToUtf8(cx, args.get(1)));
  const EVP_MD* md = EVP_get_digestbyname(algorithm.c_str());
  if (!md) {
    args.rval().setNull();
    return true;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  bool ok = false;
  if (args.get(2).isString()) {
    const std::vector<unsigned char> key = Bytes(ToUtf8(cx, args.get(2)));
    static const unsigned char kNoBytes = 0;  // HMAC wants a pointer even for an empty key
    ok = HMAC(md, key.empty() ? &kNoBytes : key.data(), static_cast<int>(key.size()), data.data(),
              data.size(), digest, &size) != nullptr;
  } else {
    ok = EVP_Digest(data.data(), data.size(), digest, &size, md, nullptr) == 1;
  }
  if (!ok) {
    JS_ReportErrorUTF8(cx, "OpenSSL could not compute the %s digest", algorithm.c_str());
    return false;
  }
  return ReturnText(cx, args, Hex(digest, size));
}

// native.secureRandomHex(n) → n bytes from OpenSSL's CSPRNG, in hex.
bool SecureRandomHex(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  const double n = args.get(0).isNumber() ? args.get(0).toNumber() : -1;
  if (!(n >= 0 && n <= 64 * 1024 * 1024)) {
    JS_ReportErrorUTF8(cx, "randomBytes: at most 64 MiB at a time");
    return false;
  }
  std::vector<unsigned char> bytes(static_cast<size_t>(n));
  if (!bytes.empty() && RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    JS_ReportErrorUTF8(cx, "OpenSSL's random generator failed");
    return false;
  }
  return ReturnText(cx, args, Hex(bytes.data(), bytes.size()));
}

constexpr JSFunctionSpec kNodeNatives[] = {
    JS_FN("hash", Hash, 3, 0), JS_FN("secureRandomHex", SecureRandomHex, 1, 0), JS_FS_END};

}  // namespace

bool DefineNodeNatives(JSContext* cx, JS::HandleObject natives) {
  return JS_DefineFunctions(cx, natives, kNodeNatives);
}

}  // namespace mm::js
