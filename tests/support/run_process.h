// Runs a program to completion and captures what it printed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace mm::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` in `cwd` (when not empty) with `env` added to (or, for "NAME=", removed from)
// this process's environment.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {}, const std::string& cwd = "");

// Starts `argv` in the background (output discarded) and returns its pid.
pid_t SpawnProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

// Starts `argv` in the background with its stdout on a pipe (stderr discarded): the pid, and
// the pipe's read end, which the caller closes.
struct PipedProcess {
  pid_t pid = -1;
  int stdout_fd = -1;
};
PipedProcess SpawnPiped(const std::vector<std::string>& argv,
                        const std::vector<std::string>& env = {});

// Reads `fd` until `text` has arrived (true) or the writer closed it (false); `*seen` holds
// everything read.
bool ReadUntil(int fd, const std::string& text, std::string* seen);

// Waits for a spawned process; its exit code, or 128 + the signal that ended it (as a shell).
int WaitForExit(pid_t pid);

}  // namespace mm::testing
