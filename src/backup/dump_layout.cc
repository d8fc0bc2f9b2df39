#include "backup/dump_layout.h"

#include <openssl/sha.h>

#include <cstring>

namespace mm::backup {
namespace {

std::string Base64UrlUnpadded(const unsigned char* data, size_t size) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned v = data[i] << 16 | data[i + 1] << 8 | data[i + 2];
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (size - i == 1) {
    const unsigned v = data[i] << 16;
    for (int shift : {18, 12}) out += kAlphabet[(v >> shift) & 63];
  } else if (size - i == 2) {
    const unsigned v = data[i] << 16 | data[i + 1] << 8;
    for (int shift : {18, 12, 6}) out += kAlphabet[(v >> shift) & 63];
  }
  return out;
}

}  // namespace

std::string EscapeName(const std::string& name) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        (c != 0 && std::strchr("-_.~$&+:=@", c) != nullptr)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (out.size() > 238) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest);
    out = out.substr(0, 208) + "%24" + Base64UrlUnpadded(digest, sizeof digest);
  }
  return out;
}

std::optional<std::string> UnescapeName(const std::string& escaped) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '%') {
      if (i + 2 >= escaped.size()) return std::nullopt;
      int high = hex(escaped[i + 1]), low = hex(escaped[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += escaped[i];
    }
  }
  return out;
}

}  // namespace mm::backup
