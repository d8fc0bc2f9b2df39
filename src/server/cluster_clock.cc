#include "server/cluster_clock.h"

#include <ctime>

namespace mm {

Timestamp ClusterClock::Tick() {
  std::lock_guard guard(mutex_);
  auto now = static_cast<uint32_t>(std::time(nullptr));
  if (now > seconds_) {
    seconds_ = now;
    increment_ = 1;
  } else {
    ++increment_;
  }
  return Timestamp{seconds_, increment_};
}

void ClusterClock::Stamp(Document* reply) {
  Timestamp t = Tick();
  reply->Set("$clusterTime",
             Document{{"clusterTime", Value(t)},
                      {"signature", Document{{"hash", Binary{0, std::string(20, '\0')}},
                                             {"keyId", int64_t{0}}}}});
  reply->Set("operationTime", Value(t));
}

}  // namespace mm
