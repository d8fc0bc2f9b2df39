#include "server/engine/regex.h"

namespace mm::engine {

namespace {
struct MatchDataDeleter {
  void operator()(pcre2_match_data* m) const noexcept { pcre2_match_data_free(m); }
};
}  // namespace

StatusOr<std::shared_ptr<const CompiledRegex>> CompiledRegex::Compile(const std::string& pattern,
                                                                      const std::string& options) {
  uint32_t flags = PCRE2_UTF;
  for (char c : options) {
    switch (c) {
      case 'i':
        flags |= PCRE2_CASELESS;
        break;
      case 'm':
        flags |= PCRE2_MULTILINE;
        break;
      case 's':
        flags |= PCRE2_DOTALL;
        break;
      case 'x':
        flags |= PCRE2_EXTENDED;
        break;
      case 'u':
        break;
      default:
        return Status(51108, std::string("invalid flag in regex options: ") + c);
    }
  }
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   flags, &error_code, &error_offset, nullptr);
  if (!code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error_code, message, sizeof message);
    return Status(51091, "Regular expression is invalid: " +
                             std::string(reinterpret_cast<const char*>(message)));
  }
  return std::shared_ptr<const CompiledRegex>(new CompiledRegex(code));
}

CompiledRegex::~CompiledRegex() { pcre2_code_free(code_); }

bool CompiledRegex::Matches(std::string_view subject) const {
  std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
      pcre2_match_data_create_from_pattern(code_, nullptr));
  int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0,
                       data.get(), nullptr);
  return rc >= 0;
}

}  // namespace mm::engine
