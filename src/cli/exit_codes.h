// mongo-migrate's exit codes (kExitCodes in app.cc says what each means to a user).
#pragma once

#include "mongomigrate/status.h"

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

// The exit code for a failure of `s`'s kind.
inline int ExitFor(const Status& s) {
  switch (s.kind()) {
    case FailureKind::kLockLost:
      return kLockLost;
    case FailureKind::kInterrupted:
      return 128 + (s.signal() > 0 ? s.signal() : 2);
    case FailureKind::kConnection:
      return kNoConnection;
    case FailureKind::kMigrationFailed:
      return kMigrationFailed;
    case FailureKind::kLockTimeout:
      return kLockTimeout;
    case FailureKind::kConfiguration:
      return kUsage;
  }
  return kUsage;
}

}  // namespace mm::cli
