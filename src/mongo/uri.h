// Keeping a URI's password out of every message.
#pragma once

#include <string>

namespace mm::mongo {

// `mongodb://user:****@host/db` for `mongodb://user:secret@host/db`; unchanged without one.
std::string RedactUri(const std::string& uri);
// The password found in `uri` ("" when none), as it appears in the URI text.
std::string PasswordOf(const std::string& uri);
// `text` with every occurrence of `uri`'s password (raw or percent-decoded) replaced by ****.
std::string RedactPassword(const std::string& text, const std::string& uri);

}  // namespace mm::mongo
