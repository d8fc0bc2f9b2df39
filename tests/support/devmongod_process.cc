#include "devmongod_process.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

namespace mm::testing {

DevmongodProcess::DevmongodProcess(const std::string& extra_args, int max_open_files) {
  int out[2];
  if (pipe(out) != 0) {
    std::perror("pipe");
    std::abort();
  }
  std::vector<std::string> args{DEVMONGOD_PATH, "--port", "0"};
  std::istringstream extra(extra_args);
  for (std::string a; extra >> a;) args.push_back(a);
  pid_ = fork();
  if (pid_ == 0) {
    if (max_open_files > 0) {
      rlimit limit{static_cast<rlim_t>(max_open_files), static_cast<rlim_t>(max_open_files)};
      setrlimit(RLIMIT_NOFILE, &limit);
    }
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    std::perror("execv devmongod");
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[256] = {0};
  if (!f || !std::fgets(line, sizeof line, f)) {
    std::fprintf(stderr, "devmongod did not start (%s)\n", DEVMONGOD_PATH);
    std::abort();
  }
  // "devmongod listening on 127.0.0.1:PORT"
  const char* colon = std::strrchr(line, ':');
  port_ = colon ? std::atoi(colon + 1) : 0;
  if (port_ <= 0) {
    std::fprintf(stderr, "unexpected devmongod banner: %s\n", line);
    std::abort();
  }
  // devmongod writes nothing to stdout after its banner, so the pipe can close now.
  std::fclose(f);
}

DevmongodProcess::~DevmongodProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void DevmongodProcess::Kill(int signal) {
  if (pid_ <= 0) return;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool DevmongodProcess::Alive() const {
  return pid_ > 0 && kill(pid_, 0) == 0 && waitpid(pid_, nullptr, WNOHANG) == 0;
}

std::string DevmongodProcess::uri(const std::string& db) const {
  return "mongodb://127.0.0.1:" + std::to_string(port_) + "/" + db;
}

}  // namespace mm::testing
