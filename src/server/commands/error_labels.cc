#include "server/commands/error_labels.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace mm::commands {
namespace {

// ErrorCodes::isRetriableError: the server stepped down, shut down, or the network failed.
bool IsRetriable(int64_t code) {
  static constexpr int64_t kRetriable[] = {6,   7,    89,    91,    133,   134,   189,   234,
                                           262, 9001, 10107, 11600, 11602, 13435, 13436, 50915};
  return std::find(std::begin(kRetriable), std::end(kRetriable), code) != std::end(kRetriable);
}

bool IsTransient(int64_t code, bool has_write_concern_error, bool commit_or_abort) {
  // WriteConflict, LockTimeout, PreparedTransactionInProgress; snapshot errors.
  bool transient = code == 112 || code == 24 || code == 267 || code == 239 || code == 246;
  if (commit_or_abort) return transient || (code == 251 && !has_write_concern_error);
  return transient || IsRetriable(code) || code == 251;
}

bool IsWriteCommand(std::string_view name) {
  return name == "insert" || name == "update" || name == "delete" || name == "findAndModify";
}

std::optional<int64_t> CodeOf(const Document& d) {
  const Value* code = d.Get("code");
  return code && code->IsNumber() ? code->AsExactInt64() : std::nullopt;
}

}  // namespace

Array ErrorLabelsFor(const Document& cmd, const Document& reply) {
  Array labels;
  if (cmd.empty()) return labels;
  const std::string& name = cmd.fields().front().key;
  const Value* ok = reply.Get("ok");
  const bool failed = ok && ok->IsNumber() && ok->AsDouble() == 0;
  const Value* wce = reply.Get("writeConcernError");
  std::optional<int64_t> code, wce_code;
  if (failed) code = CodeOf(reply);
  if (wce && wce->Is<Document>()) wce_code = CodeOf(wce->As<Document>());
  if (!code && !wce_code) return labels;
  const Value* autocommit = cmd.Get("autocommit");
  const bool in_transaction = autocommit && autocommit->Is<bool>() && !autocommit->As<bool>();
  const bool commit_or_abort = name == "commitTransaction" || name == "abortTransaction";
  if (in_transaction && code && IsTransient(*code, wce_code.has_value(), commit_or_abort)) {
    labels.items.emplace_back("TransientTransactionError");
  }
  const bool retryable_write =
      (cmd.Has("txnNumber") && !in_transaction && IsWriteCommand(name)) || commit_or_abort;
  if (retryable_write && ((code && IsRetriable(*code)) || (wce_code && IsRetriable(*wce_code)))) {
    labels.items.emplace_back("RetryableWriteError");
  }
  return labels;
}

}  // namespace mm::commands
