// mongod's TTL monitor thread: every `period` (ttlMonitorSleepSecs), the documents TTL indexes
// say have expired are removed (Service::ExpireTtlIndexes).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace mm {

class Service;

class TtlMonitor {
 public:
  TtlMonitor(Service& service, std::chrono::seconds period);
  ~TtlMonitor();  // stops and joins the thread
  TtlMonitor(const TtlMonitor&) = delete;
  TtlMonitor& operator=(const TtlMonitor&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace mm
