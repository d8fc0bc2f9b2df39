#include "mongo/uri.h"

namespace mm::mongo {
namespace {

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size())) {
    s->replace(pos, from.size(), to);
  }
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::string PasswordOf(const std::string& uri) {
  size_t scheme = uri.find("://");
  if (scheme == std::string::npos) return "";
  size_t start = scheme + 3;
  size_t at = uri.rfind('@', uri.find('/', start));
  if (at == std::string::npos || at < start) return "";
  size_t colon = uri.find(':', start);
  if (colon == std::string::npos || colon > at) return "";
  return uri.substr(colon + 1, at - colon - 1);
}

std::string RedactUri(const std::string& uri) {
  std::string password = PasswordOf(uri);
  if (password.empty()) return uri;
  size_t colon = uri.find(':', uri.find("://") + 3);
  return uri.substr(0, colon + 1) + "****" + uri.substr(colon + 1 + password.size());
}

std::string RedactPassword(const std::string& text, const std::string& uri) {
  std::string password = PasswordOf(uri);
  std::string out = text;
  ReplaceAll(&out, password, "****");
  std::string decoded = password.empty() ? "" : PercentDecode(password);
  if (decoded != password) ReplaceAll(&out, decoded, "****");
  return out;
}

}  // namespace mm::mongo
