#include "cli/create.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "source/source.h"

namespace mm::cli {

namespace {

void WriteJsonTemplate(std::ostream& out, int64_t version, const std::string& description) {
  out << "{\n"
      << "  \"version\": " << version << ",\n"
      << "  \"description\": \"" << description << "\",\n"
      << "  \"comment\": \"Each step is a database command, run in order with runCommand. Wrap a "
         "step as {\\\"command\\\": {...}, \\\"tolerate\\\": [\\\"IndexNotFound\\\"]} to go on "
         "past "
         "a named error. Without \\\"down\\\", this version cannot be rolled back.\",\n"
      << "  \"up\": [\n"
      << "    {\"update\": \"" << source::kTemplateCollection
      << "\", \"updates\": [{\"q\": {}, \"u\": {\"$set\": "
         "{\"field\": \"value\"}}, \"multi\": true}]}\n"
      << "  ],\n"
      << "  \"down\": [\n"
      << "    {\"update\": \"" << source::kTemplateCollection
      << "\", \"updates\": [{\"q\": {}, \"u\": {\"$unset\": "
         "{\"field\": \"\"}}, \"multi\": true}]}\n"
      << "  ]\n"
      << "}\n";
}

// The seed guide's migration template.
void WriteJsTemplate(std::ostream& out, const std::string& padded, int64_t version,
                     const std::string& description) {
  out << "module.exports = {\n"
      << "  version: " << version << ",\n"
      << "  description: '" << description << "',\n"
      << "  \n"
      << "  up: async (db) => {\n"
      << "    console.log('⬆️  Running migration " << padded << ": " << description << "');\n"
      << "    \n"
      << "    // await db.collection('users').updateMany({}, { $set: { field: 'value' } });\n"
      << "    \n"
      << "    console.log('✅ Migration " << padded << " completed');\n"
      << "  },\n"
      << "  \n"
      << "  down: async (db) => {\n"
      << "    console.log('⬇️  Rolling back migration " << padded << "');\n"
      << "    \n"
      << "    // await db.collection('users').updateMany({}, { $unset: { field: '' } });\n"
      << "    \n"
      << "    console.log('✅ Rollback " << padded << " completed');\n"
      << "  }\n"
      << "};\n";
}

}  // namespace

std::string SnakeCaseName(const std::string& typed) {
  std::string out;
  bool boundary = false;  // a separator or a camelCase step since the last character kept
  for (size_t i = 0; i < typed.size(); ++i) {
    const auto c = static_cast<unsigned char>(typed[i]);
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!upper && !lower_or_digit) {
      boundary = true;  // space, '-', '_', '.', anything else
      continue;
    }
    // addEmail → add_email; HTTPServer → http_server (an upper before a lower starts a word).
    const auto prev = i > 0 ? static_cast<unsigned char>(typed[i - 1]) : 0;
    const auto next = i + 1 < typed.size() ? static_cast<unsigned char>(typed[i + 1]) : 0;
    if (upper && i > 0 &&
        ((prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9') ||
         (prev >= 'A' && prev <= 'Z' && next >= 'a' && next <= 'z'))) {
      boundary = true;
    }
    if (boundary && !out.empty()) out.push_back('_');
    boundary = false;
    out.push_back(static_cast<char>(upper ? c - 'A' + 'a' : c));
  }
  // A name starts with a letter: leading digits go.
  size_t first_letter = out.find_first_not_of("0123456789_");
  return first_letter == std::string::npos ? "" : out.substr(first_letter);
}

StatusOr<CreatedFile> CreateMigration(const std::filesystem::path& dir,
                                      const std::string& typed_name, const CreateOptions& options) {
  const std::string& format = options.format;
  const bool dry_run = options.dry_run;
  if (format != "json" && format != "js") {
    return Status(kBadValue, "--format must be json or js, not \"" + format + "\"");
  }
  // As migrate-mongo: "Add Email Index", add-email-index and AddEmailIndex are all
  // add_email_index; refused only when nothing usable is left.
  const std::string name = SnakeCaseName(typed_name);
  if (!source::IsSnakeCase(name)) {
    return Status(kBadValue, "migration name \"" + typed_name +
                                 "\" has no letters to name a file with: use words, e.g. "
                                 "add_new_field_to_users or \"Add new field to users\"");
  }
  std::error_code ec;
  if (!dry_run) std::filesystem::create_directories(dir, ec);
  if (ec) return Status(kBadValue, "cannot create " + dir.string() + ": " + ec.message());
  if (options.scheme != "sequential" && options.scheme != "timestamp") {
    return Status(kBadValue,
                  "scheme must be sequential or timestamp, not \"" + options.scheme + "\"");
  }
  int64_t highest = std::max<int64_t>(options.history_highest, 0);
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {  // none: version 1
    auto parts = source::ParseFileName(entry.path().filename().string());
    if (parts.ok()) highest = std::max(highest, parts->version);
  }
  if (highest == INT64_MAX) {
    return Status(kBadValue, "no version is left above " + std::to_string(highest));
  }
  int64_t version = highest + 1;
  if (options.scheme == "timestamp") {
    const std::time_t now = options.now ? options.now : std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &utc);
    version = std::max<int64_t>(version, std::strtoll(stamp, nullptr, 10));
  }
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%03lld", static_cast<long long>(version));
  std::filesystem::path path = dir / (std::string(prefix) + "_" + name + "." + format);
  if (std::filesystem::exists(path)) return Status(kBadValue, path.string() + " already exists");
  std::string description = name;
  std::replace(description.begin(), description.end(), '_', ' ');
  if (dry_run) return CreatedFile{path.string(), version};
  std::ofstream out(path);
  if (format == "js") {
    WriteJsTemplate(out, prefix, version, description);
  } else {
    WriteJsonTemplate(out, version, description);
  }
  if (!out) return Status(kBadValue, "cannot write " + path.string());
  return CreatedFile{path.string(), version};
}

}  // namespace mm::cli
