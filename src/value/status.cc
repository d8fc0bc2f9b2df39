#include "mongomigrate/status.h"

#include <map>
#include <string>
#include <string_view>

namespace mm {

std::string CodeName(int code) {
  switch (code) {
    case kOk:
      return "OK";
    case kInternalError:
      return "InternalError";
    case kUnknownError:
      return "UnknownError";
    case kOverflow:
      return "Overflow";
    case kCannotBackfillArray:
      return "CannotBackfillArray";
    case kExceededMemoryLimit:
      return "ExceededMemoryLimit";
    case kCannotConvertIndexToUnique:
      return "CannotConvertIndexToUnique";
    case kSearchNotEnabled:
      return "SearchNotEnabled";
    case kInterrupted:
      return "Interrupted";
    case kBadValue:
      return "BadValue";
    case kNoSuchKey:
      return "NoSuchKey";
    case kFailedToParse:
      return "FailedToParse";
    case kTypeMismatch:
      return "TypeMismatch";
    case kInvalidLength:
      return "InvalidLength";
    case kIllegalOperation:
      return "IllegalOperation";
    case kNamespaceNotFound:
      return "NamespaceNotFound";
    case kIndexNotFound:
      return "IndexNotFound";
    case kPathNotViable:
      return "PathNotViable";
    case kConflictingUpdateOperators:
      return "ConflictingUpdateOperators";
    case kCursorNotFound:
      return "CursorNotFound";
    case kNamespaceExists:
      return "NamespaceExists";
    case kDollarPrefixedFieldName:
      return "DollarPrefixedFieldName";
    case kInvalidIdField:
      return "InvalidIdField";
    case kNotSingleValueField:
      return "NotSingleValueField";
    case kCommandNotFound:
      return "CommandNotFound";
    case kImmutableField:
      return "ImmutableField";
    case kCannotCreateIndex:
      return "CannotCreateIndex";
    case kIndexAlreadyExists:
      return "IndexAlreadyExists";
    case kInvalidOptions:
      return "InvalidOptions";
    case kInvalidNamespace:
      return "InvalidNamespace";
    case kIndexOptionsConflict:
      return "IndexOptionsConflict";
    case kIndexKeySpecsConflict:
      return "IndexKeySpecsConflict";
    case kAmbiguousIndexKeyPattern:
      return "AmbiguousIndexKeyPattern";
    case kDocumentValidationFailure:
      return "DocumentValidationFailure";
    case kInvalidPipelineOperator:
      return "InvalidPipelineOperator";
    case kQueryFeatureNotAllowed:
      return "QueryFeatureNotAllowed";
    case kNotImplemented:
      return "NotImplemented";
    case kNoSuchTransaction:
      return "NoSuchTransaction";
    case kWriteConflict:
      return "WriteConflict";
    case kConflictingOperationInProgress:
      return "ConflictingOperationInProgress";
    case kTransactionTooOld:
      return "TransactionTooOld";
    case kTransactionCommitted:
      return "TransactionCommitted";
    case kOperationNotSupportedInTransaction:
      return "OperationNotSupportedInTransaction";
    case kDuplicateKey:
      return "DuplicateKey";
    case kUnsupportedOpQueryCommand:
      return "UnsupportedOpQueryCommand";
    case kLockBusy:
      return "LockBusy";
    case kUnauthorized:
      return "Unauthorized";
    case kAuthenticationFailed:
      return "AuthenticationFailed";
    case kMechanismUnavailable:
      return "MechanismUnavailable";
    case kInvalidBson:
      return "InvalidBSON";
    default:
      break;
  }
  // Codes devmongod does not raise itself but passes on (failCommand's errorCode) or meets in
  // replies; named as MongoDB's error_codes.yml names them.
  static const std::map<int, std::string_view> kOthers = {
      {6, "HostUnreachable"},
      {7, "HostNotFound"},
      {24, "LockTimeout"},
      {31, "RoleNotFound"},
      {50, "MaxTimeMSExpired"},
      {64, "WriteConcernFailed"},
      {79, "UnknownReplWriteConcern"},
      {89, "NetworkTimeout"},
      {91, "ShutdownInProgress"},
      {100, "UnsatisfiableWriteConcern"},
      {123, "NotAReplicaSet"},
      {175, "QueryPlanKilled"},
      {189, "PrimarySteppedDown"},
      {239, "SnapshotTooOld"},
      {246, "SnapshotUnavailable"},
      {262, "ExceededTimeLimit"},
      {267, "PreparedTransactionInProgress"},
      {9001, "SocketException"},
      {10107, "NotWritablePrimary"},
      {11600, "InterruptedAtShutdown"},
      {11602, "InterruptedDueToReplStateChange"},
      {13435, "NotPrimaryNoSecondaryOk"},
      {13436, "NotPrimaryOrSecondary"}};
  if (auto it = kOthers.find(code); it != kOthers.end()) return std::string(it->second);
  // MongoDB's assertion codes without a name are reported as "Location<code>".
  return "Location" + std::to_string(code);
}

}  // namespace mm
