#include "value/status.h"

#include <string>

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
      return "Location" + std::to_string(code);
  }
}

}  // namespace mm
