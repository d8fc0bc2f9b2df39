// mongodump's directory layout: how a collection's name becomes a file name, and the files a
// dump holds (mongo-tools' mongodump/prepare.go escapes names with Go's url.QueryEscape).
#pragma once

#include <optional>
#include <string>

namespace mm::backup {

inline constexpr const char* kManifestName = "mongo-migrate-backup.json";

// url.QueryEscape: letters, digits and "-_.~" as they are, space as "+", other bytes %XX.
std::string EscapeName(const std::string& name);
// The inverse; nullopt for a malformed escape.
std::optional<std::string> UnescapeName(const std::string& escaped);

}  // namespace mm::backup
