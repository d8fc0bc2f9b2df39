// Errors as values, carrying MongoDB's numeric code and code name.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "mongomigrate/value.h"

namespace mm {

// MongoDB error codes used across the project (src/mongo/base/error_codes.yml upstream).
enum ErrorCode : int {
  kOk = 0,
  kInternalError = 1,
  kBadValue = 2,
  kNoSuchKey = 4,
  kFailedToParse = 9,
  kTypeMismatch = 14,
  kInvalidLength = 16,
  kIllegalOperation = 20,
  kIndexNotFound = 27,
  kPathNotViable = 28,
  kConflictingUpdateOperators = 40,
  kCursorNotFound = 43,
  kNamespaceExists = 48,
  kDollarPrefixedFieldName = 52,
  kInvalidIdField = 53,
  kNotSingleValueField = 54,
  kCommandNotFound = 59,
  kImmutableField = 66,
  kCannotCreateIndex = 67,
  kIndexAlreadyExists = 68,
  kInvalidOptions = 72,
  kInvalidNamespace = 73,
  kIndexOptionsConflict = 85,
  kIndexKeySpecsConflict = 86,
  kAmbiguousIndexKeyPattern = 181,
  kNamespaceNotFound = 26,
  kDocumentValidationFailure = 121,
  kNotImplemented = 238,
  kNoSuchTransaction = 251,
  kWriteConflict = 112,
  kConflictingOperationInProgress = 117,
  kTransactionTooOld = 225,
  kTransactionCommitted = 256,
  kOperationNotSupportedInTransaction = 263,
  kUnsupportedOpQueryCommand = 352,
  kLockBusy = 46,
  kUnauthorized = 13,
  kAuthenticationFailed = 18,
  kMechanismUnavailable = 334,
  kOpQueryRemoved = 5739101,
  kInterrupted = 11601,
  kUnknownError = 8,
  kOverflow = 15,
  kCannotBackfillArray = 34,
  kExceededMemoryLimit = 146,
  kCannotConvertIndexToUnique = 359,
  kSearchNotEnabled = 31082,
  kInvalidBson = 22,
  kUnknownField = 40415,
  kIdlRequiredFieldMissing = 40414,
  kNotAReplicaSet = 123,
  kQueryPlanKilled = 175,
  kSnapshotTooOld = 239,
  kDuplicateKey = 11000,
  kQueryFeatureNotAllowed = 224,
  kInvalidPipelineOperator = 168,
};

// The codeName MongoDB sends for `code`; "Location<code>" for codes without a name.
std::string CodeName(int code);

// Why a migration run stopped, as a typed field of its Status (the CLI maps each to an exit
// code). A Status nobody classified is a configuration failure: a bad file, a refused plan, a
// bad URI, a server's refusal outside a migration.
enum class FailureKind : unsigned char {
  kConfiguration,    // exit 2
  kConnection,       // no server could be reached, or the connection dropped (exit 4)
  kMigrationFailed,  // a step failed; it is recorded `failed`, earlier ones `applied` (exit 1)
  kLockTimeout,      // another runner held the lock for longer than lock_timeout (exit 5)
  kLockLost,         // the lock was lost or a claim refused: another runner acted (exit 6)
  kInterrupted,      // a signal stopped the run between steps (exit 128 + signal())
};

class Status {
 public:
  Status() = default;
  Status(int code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == kOk; }
  int code() const { return code_; }
  std::string code_name() const { return CodeName(code_); }
  const std::string& message() const { return message_; }

  // Fields MongoDB adds beside errmsg for this error (keyPattern/keyValue for 11000,
  // errInfo for 121).
  const Document& details() const { return details_; }
  Status&& WithDetails(Document details) && {
    details_ = std::move(details);
    return std::move(*this);
  }

  FailureKind kind() const { return kind_; }
  // The signal that stopped the run, for kInterrupted (0 otherwise).
  int signal() const { return signal_; }
  Status&& WithKind(FailureKind kind) && {
    kind_ = kind;
    return std::move(*this);
  }
  Status&& Interrupted(int signal) && {
    kind_ = FailureKind::kInterrupted;
    signal_ = signal;
    return std::move(*this);
  }
  // The same failure (code, details, kind) told with another message.
  Status Reworded(std::string message) const {
    Status s = *this;
    s.message_ = std::move(message);
    return s;
  }

 private:
  int code_ = kOk;
  std::string message_;
  Document details_;
  FailureKind kind_ = FailureKind::kConfiguration;
  int signal_ = 0;
};

// Either a T or the Status that explains why there is none.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}
  StatusOr(Status status) : v_(std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace mm

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define MM_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::mm::Status mm_status_ = (expr);        \
    if (!mm_status_.ok()) return mm_status_; \
  } while (0)
