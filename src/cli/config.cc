#include "cli/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mm::cli {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

StatusOr<std::map<std::string, std::string>> ParseDotenv(const std::string& text,
                                                         const std::string& file) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.rfind("export ", 0) == 0) t = Trim(t.substr(7));
    size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status(kFailedToParse,
                    file + ":" + std::to_string(n) +
                        ": expected KEY=VALUE (e.g. MONGODB_URI=mongodb://localhost/app)");
    }
    std::string key = Trim(t.substr(0, eq));
    std::string value = Trim(t.substr(eq + 1));
    if (!value.empty() && (value[0] == '"' || value[0] == '\'')) {
      char quote = value[0];
      size_t close = value.find(quote, 1);
      if (close == std::string::npos) {
        return Status(kFailedToParse, file + ":" + std::to_string(n) + ": unterminated " +
                                          (quote == '"' ? "double" : "single") + " quote");
      }
      std::string inner = value.substr(1, close - 1);
      if (quote == '"') {
        std::string expanded;
        for (size_t i = 0; i < inner.size(); ++i) {
          if (inner[i] == '\\' && i + 1 < inner.size() && inner[i + 1] == 'n') {
            expanded.push_back('\n');
            ++i;
          } else {
            expanded.push_back(inner[i]);
          }
        }
        inner = expanded;
      }
      value = inner;
    } else if (size_t hash = value.find(" #"); hash != std::string::npos) {
      value = Trim(value.substr(0, hash));
    }
    out[key] = value;
  }
  return out;
}

StatusOr<ResolvedUri> ResolveUri(const UriSources& sources) {
  if (sources.flag && !sources.flag->empty()) return ResolvedUri{*sources.flag, "--uri"};
  if (sources.variables) return ResolvedUri{*sources.variables, "MONGO_MIGRATE_URI"};
  const std::string& name = sources.variable;
  if (const char* env = std::getenv(name.c_str()); env && *env) {
    return ResolvedUri{env, name + " in the environment"};
  }
  std::ifstream in(sources.env_file);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    auto vars = ParseDotenv(text.str(), sources.env_file);
    if (!vars.ok()) return vars.status();
    auto it = vars->find(name);
    if (it != vars->end() && !it->second.empty()) {
      return ResolvedUri{it->second, name + " in " + sources.env_file};
    }
  }
  if (sources.configured) return ResolvedUri{*sources.configured, sources.configured_source};
  return Status(kBadValue, "no MongoDB URI: pass --uri, set " + name +
                               " in the environment, or put " + name +
                               "=mongodb://host/dbname in " + sources.env_file);
}

}  // namespace mm::cli
