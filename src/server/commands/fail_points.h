// mongod's fail points that drivers' tests use (configureFailPoint, a test command), so that
// clients' error paths can be tested. Only with --setParameter enableTestCommands=1, as in
// mongod.
// - `failCommand`: the next matching commands fail with a chosen error, carry a
//   writeConcernError, or close the connection.
// - `onPrimaryTransactionalWrite`: a statement of a retryable write closes the connection after
//   it is committed (the reply is lost, the write is done), or with
//   `failBeforeCommitExceptionCode` fails before it is committed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::commands {

class FailPoints {
 public:
  // configureFailPoint: {configureFailPoint: NAME, mode: "alwaysOn"|"off"|{times: n}|{skip: n},
  // data}. failCommand's data: {failCommands: [...], errorCode, closeConnection, errorLabels,
  // writeConcernError}; onPrimaryTransactionalWrite's: {closeConnection,
  // failBeforeCommitExceptionCode}.
  Status Configure(const Document& cmd);

  struct Action {
    bool close_connection = false;
    // blockConnection: the connection waits this long before the command is answered.
    std::chrono::milliseconds block{0};
    // Only blocking was asked for: the command then runs as usual.
    bool run_command = false;
    // The error reply (when not closing). Empty with `write_concern_error`: the command runs,
    // and its reply carries that error, as mongod's failCommand does.
    Document reply;
    std::optional<Document> write_concern_error;
  };
  // What to do instead of running `command` sent on a connection whose handshake named
  // `app_name`, if the fail point is on for it (and counts it).
  std::optional<Action> Check(const std::string& command, const std::string& app_name = "");

  // onPrimaryTransactionalWrite, evaluated once per statement a retryable write executes.
  struct WriteFault {
    bool close_connection = true;
    std::optional<int32_t> fail_before_commit;  // the error code, when the write must not happen
  };
  bool TransactionalWriteArmed() const { return transactional_write_.on; }
  std::optional<WriteFault> CheckTransactionalWrite();

 private:
  // A fail point's activation mode, as mongod's FailPoint counts it: {times: n} fires n times
  // and turns off; {skip: n} lets n evaluations pass, then fires on every one.
  struct Mode {
    bool on = false;
    int64_t remaining = -1;  // -1: no limit
    int64_t skip = 0;
    bool Fire();
  };
  static Status ParseMode(const Value* mode, Mode* out);
  Status ConfigureFailCommand(const Mode& mode, const Value* data);
  Status ConfigureTransactionalWrite(const Mode& mode, const Value* data);

  Mode fail_command_;
  std::vector<std::string> commands_;
  Document data_;
  Mode transactional_write_;
  WriteFault write_fault_;
};

}  // namespace mm::commands
