// A replica set member's logical clock: every reply of a replica-set devmongod carries
// `operationTime` and `$clusterTime`, as mongod's do, so that drivers can gossip the cluster
// time and give causally consistent sessions their `afterClusterTime`.
#pragma once

#include <cstdint>
#include <mutex>

#include "mongomigrate/value.h"

namespace mm {

class ClusterClock {
 public:
  // A time later than any handed out before: the wall clock's seconds, and a counter within a
  // second (never going back even if the wall clock does).
  Timestamp Tick();
  // Adds `operationTime` and `$clusterTime` (with the zero signature of a deployment that has
  // no keys, as mongod without auth) to `reply`.
  void Stamp(Document* reply);

 private:
  std::mutex mutex_;
  uint32_t seconds_ = 0;
  uint32_t increment_ = 0;
};

}  // namespace mm
