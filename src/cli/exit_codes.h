// mongo-migrate's exit codes (kExitCodes in app.cc says what each means to a user).
#pragma once

namespace mm::cli {

enum ExitCode {
  kSuccess = 0,
  kMigrationFailed = 1,  // also: validate, diff or verify found a problem
  kUsage = 2,
  kPending = 3,
  kNoConnection = 4,
  kLockTimeout = 5,
  kLockLost = 6,
  kNeedsAttention = 7,
};

}  // namespace mm::cli
