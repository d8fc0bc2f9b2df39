#include "mongo/uri.h"

#include "value/hex.h"

namespace mm::mongo {
namespace {

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size())) {
    s->replace(pos, from.size(), to);
  }
}

// %XX escapes decoded; a '%' without two hex digits stays as it is (the redactor never fails:
// libmongoc reports the bad escape, and this only decides what to hide).
std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigitValue(s[i + 1]) >= 0 &&
        HexDigitValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigitValue(s[i + 1]) * 16 + HexDigitValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Where the user information of the URI starting at `start` (after "://") ends: its last '@'
// within `end`, so that a password holding an unescaped '@' or '/' is still found whole. An
// '@' inside the options (after a '?' followed by name=value) does not count.
size_t UserInfoEnd(const std::string& s, size_t start, size_t end) {
  size_t at = s.rfind('@', end == 0 ? 0 : end - 1);
  while (at != std::string::npos && at >= start) {
    size_t question = s.rfind('?', at);
    if (question == std::string::npos || question < start || s.find('=', question) > at) {
      return at;
    }
    at = question == 0 ? std::string::npos : s.rfind('@', question - 1);
  }
  return std::string::npos;
}

}  // namespace

std::string PasswordOf(const std::string& uri) {
  size_t scheme = uri.find("://");
  if (scheme == std::string::npos) return "";
  size_t start = scheme + 3;
  size_t at = UserInfoEnd(uri, start, uri.size());
  if (at == std::string::npos) return "";
  size_t colon = uri.find(':', start);
  if (colon == std::string::npos || colon > at) return "";
  return uri.substr(colon + 1, at - colon - 1);
}

std::string RedactSecrets(const std::string& text) {
  std::string out;
  size_t copied = 0;
  for (size_t scheme = text.find("://"); scheme != std::string::npos;
       scheme = text.find("://", scheme + 3)) {
    size_t start = scheme + 3;
    // A URI ends at white space or a quote; its user information at its last '@'.
    size_t end = text.find_first_of(" \t\r\n\"'`<>", start);
    if (end == std::string::npos) end = text.size();
    size_t at = UserInfoEnd(text, start, end);
    if (at == std::string::npos) continue;
    size_t colon = text.find(':', start);
    if (colon == std::string::npos || colon > at || colon + 1 == at) continue;
    if (colon + 1 < copied) continue;
    out.append(text, copied, colon + 1 - copied).append("****");
    copied = at;
    scheme = at;
  }
  return out.append(text, copied, std::string::npos);
}

std::string RedactUri(const std::string& uri) {
  std::string password = PasswordOf(uri);
  if (password.empty()) return uri;
  size_t colon = uri.find(':', uri.find("://") + 3);
  return uri.substr(0, colon + 1) + "****" + uri.substr(colon + 1 + password.size());
}

std::string RedactPassword(const std::string& text, const std::string& uri) {
  std::string password = PasswordOf(uri);
  std::string out = RedactSecrets(text);
  ReplaceAll(&out, password, "****");
  std::string decoded = password.empty() ? "" : PercentDecode(password);
  if (decoded != password) ReplaceAll(&out, decoded, "****");
  return out;
}

std::vector<std::string> SecretsOf(const std::string& uri) {
  std::string password = PasswordOf(uri);
  if (password.empty()) return {};
  std::string decoded = PercentDecode(password);
  if (decoded == password || decoded.empty()) return {password};
  return {password, decoded};
}

}  // namespace mm::mongo
