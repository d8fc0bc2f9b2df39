#include "cli/project_file.h"

#include <toml++/toml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <variant>

namespace mm::cli {
namespace {

using TextMember = std::optional<std::string> Settings::*;
using SecondsMember = std::optional<double> Settings::*;
using FlagMember = std::optional<bool> Settings::*;

enum class TextKind { kPath, kCollection, kVariableName, kUri, kChoice };

struct TextKey {
  TextMember member;
  TextKind kind;
  std::vector<std::string> choices = {};  // kChoice
};
struct SecondsKey {
  SecondsMember member;
  double min;
  double max;
};
struct FlagKey {
  FlagMember member;
};

struct KeySpec {
  const char* name;
  std::variant<TextKey, SecondsKey, FlagKey> kind;
};

// One table for the file and the variables, so that a key is never known to one and not the
// other. The bounds are the flags' own.
const std::vector<KeySpec>& Keys() {
  static const std::vector<KeySpec> keys = {
      {"dir", TextKey{&Settings::dir, TextKind::kPath}},
      {"history_collection", TextKey{&Settings::history_collection, TextKind::kCollection}},
      {"lock_collection", TextKey{&Settings::lock_collection, TextKind::kCollection}},
      {"env_file", TextKey{&Settings::env_file, TextKind::kPath}},
      {"uri", TextKey{&Settings::uri, TextKind::kUri}},
      {"uri_env", TextKey{&Settings::uri_env, TextKind::kVariableName}},
      {"scheme", TextKey{&Settings::scheme, TextKind::kChoice, {"sequential", "timestamp"}}},
      {"format", TextKey{&Settings::format, TextKind::kChoice, {"json", "js"}}},
      {"lock_timeout", SecondsKey{&Settings::lock_timeout, 0, 86400}},
      {"lock_lease", SecondsKey{&Settings::lock_lease, 1, 86400}},
      {"allow_out_of_order", FlagKey{&Settings::allow_out_of_order}},
      {"transactions", FlagKey{&Settings::transactions}},
      {"schema_file", TextKey{&Settings::schema_file, TextKind::kPath}},
  };
  return keys;
}

const KeySpec* FindKey(std::string_view name) {
  for (const KeySpec& k : Keys()) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

// "dir, history_collection, …": every key, for an error.
std::string KeyList() {
  std::string out;
  for (const KeySpec& k : Keys()) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

// The known key with the longest common prefix or suffix with `typed`, for "did you mean".
std::string NearestKey(std::string_view typed) {
  std::string best;
  size_t best_score = 2;
  for (const KeySpec& k : Keys()) {
    std::string_view name = k.name;
    size_t prefix = 0, suffix = 0;
    while (prefix < name.size() && prefix < typed.size() && name[prefix] == typed[prefix]) {
      ++prefix;
    }
    while (suffix < name.size() && suffix < typed.size() &&
           name[name.size() - 1 - suffix] == typed[typed.size() - 1 - suffix]) {
      ++suffix;
    }
    size_t score = std::max(prefix, suffix);
    if (score > best_score) {
      best_score = score;
      best = k.name;
    }
  }
  return best;
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 60)) out += (static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  return out + (s.size() > 60 ? "…\"" : "\"");
}

// Empty when `value` is acceptable for a text key, else what is wrong with it.
std::string CheckText(const TextKey& key, const std::string& value) {
  if (value.empty()) return "must not be empty";
  if (value.find('\0') != std::string::npos) return "must not contain a NUL byte";
  switch (key.kind) {
    case TextKind::kPath:
      return "";
    case TextKind::kCollection:
      if (value.find('$') != std::string::npos || value.starts_with("system.") ||
          value.starts_with(".") || value.size() > 200) {
        return "must be a collection name (no '$', not system.*, at most 200 bytes), not " +
               Quoted(value);
      }
      return "";
    case TextKind::kVariableName: {
      bool ok = !(value[0] >= '0' && value[0] <= '9');
      for (char c : value) {
        ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_');
      }
      return ok ? ""
                : "must be an environment variable's name (e.g. DATABASE_URL), not " +
                      Quoted(value);
    }
    case TextKind::kUri:
      return value.starts_with("mongodb://") || value.starts_with("mongodb+srv://")
                 ? ""
                 : "must be a mongodb:// or mongodb+srv:// connection string";
    case TextKind::kChoice: {
      std::string list;
      for (const std::string& c : key.choices) {
        if (c == value) return "";
        list += (list.empty() ? "" : " or ") + c;
      }
      return "must be " + list + ", not " + Quoted(value);
    }
  }
  return "";
}

std::string SecondsRange(const SecondsKey& key) {
  char text[96];
  std::snprintf(text, sizeof text, "a number of seconds between %g and %g", key.min, key.max);
  return text;
}

// Sets `key` in `out` from a TOML value; returns what is wrong, or "".
std::string SetFromToml(const KeySpec& key, const toml::node& node,
                        const std::filesystem::path& base, Settings* out) {
  if (const auto* text = std::get_if<TextKey>(&key.kind)) {
    const auto* s = node.as_string();
    if (!s) return "must be a string";
    std::string value = s->get();
    if (std::string why = CheckText(*text, value); !why.empty()) return why;
    // Paths in the file are relative to the file, wherever the tool is run from.
    if (text->kind == TextKind::kPath && std::filesystem::path(value).is_relative()) {
      value = (base / value).lexically_normal().string();
    }
    out->*(text->member) = value;
    return "";
  }
  if (const auto* seconds = std::get_if<SecondsKey>(&key.kind)) {
    std::optional<double> value;
    if (const auto* i = node.as_integer()) value = static_cast<double>(i->get());
    if (const auto* f = node.as_floating_point()) value = f->get();
    if (!value || !std::isfinite(*value) || *value < seconds->min || *value > seconds->max) {
      return "must be " + SecondsRange(*seconds);
    }
    out->*(seconds->member) = *value;
    return "";
  }
  const auto& flag = std::get<FlagKey>(key.kind);
  const auto* b = node.as_boolean();
  if (!b) return "must be true or false";
  out->*(flag.member) = b->get();
  return "";
}

std::string Where(const std::filesystem::path& path, const toml::source_region& region) {
  const auto& begin = region.begin;
  return path.string() + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column);
}
std::string Where(const std::filesystem::path& path, const toml::node& node) {
  return Where(path, node.source());
}

// Reads a table of keys (the top level, or one environment) into `out`.
Status ReadTable(const toml::table& table, const std::filesystem::path& path,
                 const std::string& section, Settings* out, std::vector<std::string>* secrets) {
  const std::filesystem::path base = path.parent_path();
  for (const auto& [name, node] : table) {
    const std::string key(name.str());
    if (section.empty() && key == "environments") continue;  // read by the caller
    const KeySpec* spec = FindKey(key);
    if (!spec) {
      std::string nearest = NearestKey(key);
      return Status(kBadValue, Where(path, name.source()) + ": unknown key " + Quoted(key) +
                                   (section.empty() ? "" : " in [" + section + "]") +
                                   (nearest.empty() ? "" : "; did you mean " + nearest + "?") +
                                   " (keys: " + KeyList() + ")");
    }
    if (std::string why = SetFromToml(*spec, node, base, out); !why.empty()) {
      return Status(kBadValue, Where(path, node) + ": " + key +
                                   (section.empty() ? "" : " in [" + section + "]") + " " + why);
    }
    if (key == "uri") secrets->push_back(section.empty() ? "uri" : section + ".uri");
  }
  return Status::Ok();
}

bool ParseFlagText(std::string_view text, bool* value) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") {
    *value = true;
    return true;
  }
  if (text == "false" || text == "0" || text == "no" || text == "off") {
    *value = false;
    return true;
  }
  return false;
}

}  // namespace

void Settings::OverrideWith(const Settings& over) {
  for (const KeySpec& k : Keys()) {
    std::visit(
        [&](const auto& key) {
          if (over.*(key.member)) this->*(key.member) = over.*(key.member);
        },
        k.kind);
  }
}

std::optional<std::filesystem::path> FindProjectFile(const std::filesystem::path& start) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(start, ec);
  if (ec) return std::nullopt;
  while (true) {
    std::filesystem::path candidate = dir / kProjectFileName;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

StatusOr<ProjectFile> ParseProjectFile(std::string_view text, const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse(text, path.string());
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return Status(kFailedToParse, path.string() + ":" + std::to_string(begin.line) + ":" +
                                      std::to_string(begin.column) + ": " +
                                      std::string(e.description()) + " (TOML syntax)");
  }
  ProjectFile file;
  file.path = path;
  MM_RETURN_IF_ERROR(ReadTable(root, path, "", &file.defaults, &file.secret_keys));
  if (const toml::node* environments = root.get("environments")) {
    const toml::table* table = environments->as_table();
    if (!table) {
      return Status(kBadValue, Where(path, *environments) +
                                   ": environments must be a table of [environments.NAME] "
                                   "sections");
    }
    for (const auto& [name, node] : *table) {
      const std::string env(name.str());
      const toml::table* section = node.as_table();
      if (!section) {
        return Status(kBadValue, Where(path, node) + ": environments." + env +
                                     " must be a section, e.g. [environments." + env + "]");
      }
      Settings settings;
      MM_RETURN_IF_ERROR(
          ReadTable(*section, path, "environments." + env, &settings, &file.secret_keys));
      file.environments.emplace(env, std::move(settings));
    }
  }
  return file;
}

StatusOr<ProjectFile> LoadProjectFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(kBadValue, "cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return ParseProjectFile(text.str(), path);
}

StatusOr<Settings> SettingsFromVariables() {
  Settings out;
  for (const KeySpec& key : Keys()) {
    std::string variable = "MONGO_MIGRATE_";
    for (const char* c = key.name; *c; ++c) {
      variable += static_cast<char>(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
    }
    const char* raw = std::getenv(variable.c_str());
    if (!raw || !*raw) continue;
    const std::string value = raw;
    std::string why;
    if (const auto* text = std::get_if<TextKey>(&key.kind)) {
      why = CheckText(*text, value);
      if (why.empty()) out.*(text->member) = value;
    } else if (const auto* seconds = std::get_if<SecondsKey>(&key.kind)) {
      double number = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(number) ||
          number < seconds->min || number > seconds->max) {
        why = "must be " + SecondsRange(*seconds) + ", not " + Quoted(value);
      } else {
        out.*(seconds->member) = number;
      }
    } else {
      bool flag = false;
      if (ParseFlagText(value, &flag)) {
        out.*(std::get<FlagKey>(key.kind).member) = flag;
      } else {
        why = "must be true or false, not " + Quoted(value);
      }
    }
    if (!why.empty()) return Status(kBadValue, "environment variable " + variable + " " + why);
  }
  return out;
}

}  // namespace mm::cli
