#include "server/ttl_monitor.h"

#include "server/service.h"

namespace mm {

TtlMonitor::TtlMonitor(Service& service, std::chrono::seconds period)
    : thread_([this, &service, period](std::stop_token stop) {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, stop, period, [] { return false; })) {
          if (stop.stop_requested()) break;
          lock.unlock();
          service.ExpireTtlIndexes();
          lock.lock();
        }
      }) {}

TtlMonitor::~TtlMonitor() {
  thread_.request_stop();
  thread_.join();
}

}  // namespace mm
