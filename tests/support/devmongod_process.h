// Starts devmongod on an ephemeral port for one test and stops it afterwards.
#pragma once

#include <sys/types.h>

#include <string>

namespace mm::testing {

class DevmongodProcess {
 public:
  // Starts `devmongod --port 0` (plus `extra_args`) and waits for its "listening" line.
  // Aborts the test binary with a message if the server does not come up.
  // `max_open_files` > 0 lowers its RLIMIT_NOFILE (to test running out of descriptors).
  explicit DevmongodProcess(const std::string& extra_args = "", int max_open_files = 0);
  ~DevmongodProcess();
  DevmongodProcess(const DevmongodProcess&) = delete;
  DevmongodProcess& operator=(const DevmongodProcess&) = delete;

  int port() const { return port_; }
  std::string uri(const std::string& db = "test") const;
  // Whether the process is still running.
  bool Alive() const;
  // Sends `signal` (SIGKILL: a crash) and waits for the process to end.
  void Kill(int signal);

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace mm::testing
