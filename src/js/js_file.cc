#include "js/js_file.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "js/js_migration.h"

namespace mm::js {

std::string Words(std::string name) {
  std::replace_if(
      name.begin(), name.end(), [](char c) { return c == '_' || c == '-'; }, ' ');
  return name;
}

std::string NameWords(const std::string& file, size_t digits) {
  const size_t dot = file.rfind('.');
  return Words(file.substr(digits + 1, dot - digits - 1));
}

bool IsJsMigrationName(const std::string& file) {
  // .cjs is CommonJS by name, .mjs an ES module; a .js file is either (prelude.js tells).
  if (!file.ends_with(".js") && !file.ends_with(".cjs") && !file.ends_with(".mjs")) return false;
  size_t digits = 0;
  while (digits < file.size() && std::isdigit(static_cast<unsigned char>(file[digits]))) ++digits;
  const size_t dot = file.rfind('.');
  return digits > 0 && digits < file.size() && (file[digits] == '_' || file[digits] == '-') &&
         dot > digits + 1;
}

StatusOr<int64_t> NameVersion(const std::filesystem::path& path, size_t* digits) {
  const std::string file = path.filename().string();
  *digits = 0;
  while (*digits < file.size() && std::isdigit(static_cast<unsigned char>(file[*digits]))) {
    ++*digits;
  }
  if (*digits > 18) {
    return Status(kFailedToParse, path.string() +
                                      ": the number the name starts with is too long for a "
                                      "version (at most 18 digits)");
  }
  int64_t version = 0;
  std::from_chars(file.data(), file.data() + *digits, version);
  return version;
}

}  // namespace mm::js
