// The private devmongod a rehearsal runs on.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "mongomigrate/rehearsal.h"

extern char** environ;

namespace mm {
namespace {

// Closes a descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// posix_spawn's attributes, destroyed with the scope.
class SpawnAttributes {
 public:
  SpawnAttributes() { posix_spawnattr_init(&attributes_); }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attributes_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  posix_spawnattr_t* get() { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

// posix_spawn's file actions, destroyed with the scope.
class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

// SIGTERM, then SIGKILL if it has not gone within 5 s: a stopping rehearsal never hangs.
void Stop(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 500; ++i) {
    if (waitpid(pid, &status, WNOHANG) == pid) return;
    usleep(10000);
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
}

// devmongod's first line: "devmongod listening on 127.0.0.1:PORT". Waits at most 10 s.
int ReadPort(int fd) {
  std::string line;
  char c = 0;
  while (line.size() < 256) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) return 0;
    if (read(fd, &c, 1) != 1 || c == '\n') break;
    line.push_back(c);
  }
  size_t colon = line.rfind(':');
  if (colon == std::string::npos || !line.starts_with("devmongod listening on ")) return 0;
  int port = 0;
  for (char d : line.substr(colon + 1)) {
    if (d < '0' || d > '9' || port > 65535) return 0;
    port = port * 10 + (d - '0');
  }
  return port > 0 && port <= 65535 ? port : 0;
}

}  // namespace

StatusOr<std::unique_ptr<ShadowServer>> ShadowServer::Start(const std::string& devmongod) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) {
    return Status(kInternalError, std::string("cannot start devmongod: pipe: ") + strerror(errno));
  }
  Fd read_end(ends[0]), write_end(ends[1]);
  // Its stderr into an unnamed file, read back if it does not start (a bad option, no port).
  char errors_template[] = "/tmp/mongo-migrate-shadow-XXXXXX";
  Fd errors(mkstemp(errors_template));
  if (errors.get() >= 0) unlink(errors_template);
  SpawnActions actions;
  posix_spawn_file_actions_adddup2(actions.get(), write_end.get(), STDOUT_FILENO);
  if (errors.get() >= 0) {
    posix_spawn_file_actions_adddup2(actions.get(), errors.get(), STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  }
  // Its own process group, so that a Ctrl-C reaches mongo-migrate alone (which stops between
  // steps and then stops it), with the signals mongo-migrate blocks for its signal thread
  // unblocked (else SIGTERM could not stop it).
  SpawnAttributes attributes;
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(attributes.get(), &none);
  posix_spawnattr_setpgroup(attributes.get(), 0);
  posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  // Loopback only, an ephemeral port, memory only, and gone with this process however it ends:
  // nothing of it outlives the rehearsal.
  std::vector<std::string> args{devmongod, "--port",    "0",
                                "--bind",  "127.0.0.1", "--exitWithParent"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (int err = posix_spawn(&pid, devmongod.c_str(), actions.get(), attributes.get(), argv.data(),
                            environ);
      err != 0) {
    return Status(kBadValue, "cannot start the shadow devmongod " + devmongod + ": " +
                                 strerror(err) + " (give its path with --devmongod)");
  }
  close(write_end.release());  // EOF when devmongod exits
  int port = ReadPort(read_end.get());
  if (port == 0) {
    Stop(pid);
    std::string said;
    if (errors.get() >= 0 && lseek(errors.get(), 0, SEEK_SET) == 0) {
      char buffer[400];
      ssize_t n = read(errors.get(), buffer, sizeof buffer);
      if (n > 0) said.assign(buffer, static_cast<size_t>(n));
      while (!said.empty() && (said.back() == '\n' || said.back() == '\r')) said.pop_back();
    }
    return Status(kBadValue, "the shadow devmongod " + devmongod + " did not start listening" +
                                 (said.empty() ? "" : " (it said: " + said + ")") +
                                 "; is it devmongod? give its path with --devmongod");
  }
  return std::unique_ptr<ShadowServer>(new ShadowServer(pid, port));
}

ShadowServer::~ShadowServer() { Stop(pid_); }

std::string ShadowServer::uri(const std::string& database) const {
  return "mongodb://127.0.0.1:" + std::to_string(port_) + "/" + database;
}

}  // namespace mm
