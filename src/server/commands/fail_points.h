// mongod's `failCommand` fail point (configureFailPoint, a test command): makes the next
// matching commands fail with a chosen error or close the connection, so that clients' error
// paths can be tested. Only with --setParameter enableTestCommands=1, as in mongod.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "value/status.h"
#include "value/value.h"

namespace mm::commands {

class FailPoints {
 public:
  // configureFailPoint: {configureFailPoint: "failCommand", mode: "alwaysOn"|"off"|{times: n},
  // data: {failCommands: [...], errorCode, closeConnection, errorLabels, writeConcernError}}.
  Status Configure(const Document& cmd);

  struct Action {
    bool close_connection = false;
    // The error reply (when not closing). Empty with `write_concern_error`: the command runs,
    // and its reply carries that error, as mongod's failCommand does.
    Document reply;
    std::optional<Document> write_concern_error;
  };
  // What to do instead of running `command`, if the fail point is on for it (and counts it).
  std::optional<Action> Check(const std::string& command);

 private:
  bool on_ = false;
  int64_t remaining_ = -1;  // -1: always
  std::vector<std::string> commands_;
  Document data_;
};

}  // namespace mm::commands
