// mongodump's directory layout: how a collection's name becomes a file name, and the files a
// dump holds (mongo-tools' mongodump/prepare.go outputPath and common/util: Go's url.PathEscape,
// and a long name truncated with a hash of the whole).
#pragma once

#include <optional>
#include <string>

namespace mm::backup {

inline constexpr const char* kManifestName = "mongo-migrate-backup.json";

// url.PathEscape: letters, digits, "-_.~" and "$&+:=@" as they are, other bytes %XX (a space
// too); an escaped name longer than 238 bytes becomes its first 208 bytes, "%24" and the
// unpadded base64url SHA-1 of the name, so that NAME.metadata.json.gz fits in 255 bytes.
std::string EscapeName(const std::string& name);
// url.PathUnescape; nullopt for a malformed escape. (A truncated name does not unescape to the
// collection's: its metadata's collectionName says it.)
std::optional<std::string> UnescapeName(const std::string& escaped);

}  // namespace mm::backup
