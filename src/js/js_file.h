// What a JavaScript migration's file name says (its version, its words), without the engine:
// shared by the loader in the core library and the engine's module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "mongomigrate/status.h"

namespace mm::js {

// The version the file name starts with (at most 18 digits: always fits int64_t); `*digits`
// is how many digits it has.
StatusOr<int64_t> NameVersion(const std::filesystem::path& path, size_t* digits);

// "add-profile_picture" → "add profile picture"
std::string Words(std::string name);
// The words of a migration file's name: between its `digits` and its extension.
std::string NameWords(const std::string& file, size_t digits);

}  // namespace mm::js
