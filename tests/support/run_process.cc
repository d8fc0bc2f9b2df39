#include "run_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mm::testing {
namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

// In a forked child: applies `env` ("NAME=" removes NAME) and execs `argv`.
[[noreturn]] void ExecWithEnv(const std::vector<std::string>& argv,
                              const std::vector<std::string>& env) {
  for (const std::string& e : env) {
    size_t eq = e.find('=');
    std::string name = e.substr(0, eq);
    std::string value = e.substr(eq + 1);
    if (value.empty()) {
      unsetenv(name.c_str());
    } else {
      setenv(name.c_str(), value.c_str(), 1);
    }
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  std::perror("execv");
  _exit(127);
}

}  // namespace

pid_t SpawnProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    ExecWithEnv(argv, env);
  }
  return pid;
}

PipedProcess SpawnPiped(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    ExecWithEnv(argv, env);
  }
  close(out_pipe[1]);
  return PipedProcess{pid, out_pipe[0]};
}

bool ReadUntil(int fd, const std::string& text, std::string* seen) {
  char buf[4096];
  while (seen->find(text) == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    seen->append(buf, static_cast<size_t>(n));
  }
  return true;
}

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         const std::string& cwd) {
  // stderr goes to a temporary file so that neither pipe can fill while we drain the other.
  char err_path[] = "/tmp/mm-run-XXXXXX";
  int err_fd = mkstemp(err_path);
  int out_pipe[2];
  if (err_fd < 0 || pipe(out_pipe) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    ExecWithEnv(argv, env);
  }
  close(out_pipe[1]);
  ProcessResult result;
  result.out = ReadAll(out_pipe[0]);
  result.exit_code = WaitForExit(pid);
  lseek(err_fd, 0, SEEK_SET);
  result.err = ReadAll(err_fd);
  unlink(err_path);
  return result;
}

int WaitForExit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  // libmongoc keeps its counters in /dev/shm/mongoc-<pid> and removes it at exit; a killed
  // process leaves it, and a later process given the same pid then prints "Falling back to
  // malloc for counters" on stderr. Clean up what the kill left, as a fresh container would.
  unlink(("/dev/shm/mongoc-" + std::to_string(pid)).c_str());
  return 128 + WTERMSIG(status);
}

}  // namespace mm::testing
