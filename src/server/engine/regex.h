// A compiled PCRE2 pattern with MongoDB's option letters (i, m, s, x, u).
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <memory>
#include <string>
#include <string_view>

#include "mongomigrate/status.h"

namespace mm::engine {

class CompiledRegex {
 public:
  // Fails with BadValue (code 51091 in MongoDB: "Regular expression is invalid") on a bad
  // pattern or an unknown option letter.
  static StatusOr<std::shared_ptr<const CompiledRegex>> Compile(const std::string& pattern,
                                                                const std::string& options);
  bool Matches(std::string_view subject) const;

  ~CompiledRegex();
  CompiledRegex(const CompiledRegex&) = delete;
  CompiledRegex& operator=(const CompiledRegex&) = delete;

 private:
  explicit CompiledRegex(pcre2_code* code) : code_(code) {}
  pcre2_code* code_;
};

}  // namespace mm::engine
