#include "runner/fault_point.h"

#include <signal.h>

#include <charconv>
#include <cstdlib>
#include <string>

namespace mm::runner {
namespace {

struct Fault {
  int signal = 0;
  std::string point;
  int64_t version = 0;  // 0: any
};

Fault ParseFault() {
  const char* spec = std::getenv("MONGO_MIGRATE_TEST_FAULT");
  if (!spec) return {};
  std::string_view s(spec);
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return {};
  Fault f;
  std::string_view action = s.substr(0, colon);
  f.signal = action == "pause" ? SIGSTOP : action == "kill" ? SIGKILL : 0;
  std::string_view rest = s.substr(colon + 1);
  size_t at = rest.find('@');
  f.point = std::string(rest.substr(0, at));
  if (at != std::string_view::npos) {
    std::string_view v = rest.substr(at + 1);
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), f.version);
    if (ec != std::errc() || end != v.data() + v.size()) f.signal = 0;
  }
  return f;
}

}  // namespace

void FaultPoint(std::string_view point, int64_t version) {
  static const Fault fault = ParseFault();
  if (fault.signal == 0 || fault.point != point) return;
  if (fault.version != 0 && fault.version != version) return;
  raise(fault.signal);
}

}  // namespace mm::runner
