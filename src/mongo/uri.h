// Keeping a URI's password out of every message.
#pragma once

#include <string>
#include <vector>

namespace mm::mongo {

// `mongodb://user:****@host/db` for `mongodb://user:secret@host/db`; unchanged without one.
std::string RedactUri(const std::string& uri);
// The password found in `uri` ("" when none), as it appears in the URI text.
std::string PasswordOf(const std::string& uri);
// `text` with every occurrence of `uri`'s password (raw or percent-decoded) replaced by ****,
// and every other URI-shaped secret too (RedactSecrets).
std::string RedactPassword(const std::string& text, const std::string& uri);
// `text` with the password of every `scheme://user:password@…` in it replaced by ****: for
// text about to be stored or shown whose URIs are not known in advance (a migration's error).
std::string RedactSecrets(const std::string& text);
// The password of `uri` as written and percent-decoded (one entry when they are the same;
// none without a password): what output must never contain.
std::vector<std::string> SecretsOf(const std::string& uri);

}  // namespace mm::mongo
