// One hexadecimal digit's value, for the parsers that read hex from input (Extended JSON's
// $uuid/$binary, a URI's %XX escapes).
#pragma once

namespace mm {

// 0..15 for [0-9a-fA-F], -1 for anything else (so a caller checks before it shifts).
inline int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace mm
