#include "server/commands/fail_points.h"

#include <algorithm>

#include "server/commands/handlers.h"
#include "server/commands/sessions.h"

namespace mm::commands {

Status FailPoints::Configure(const Document& cmd) {
  const Value* name = cmd.Get("configureFailPoint");
  if (!name || !name->Is<std::string>()) {
    return Status(kTypeMismatch, "configureFailPoint must be a string");
  }
  if (name->As<std::string>() != "failCommand") {
    return Status(kNotImplemented, "devmongod implements only the failCommand fail point, not " +
                                       name->As<std::string>());
  }
  const Value* mode = cmd.Get("mode");
  if (!mode) return Status(kBadValue, "'mode' must be specified");
  if (const std::string* m = mode->If<std::string>()) {
    if (*m == "off") {
      on_ = false;
      return Status::Ok();
    }
    if (*m != "alwaysOn") return Status(kBadValue, "unknown mode: " + *m);
    remaining_ = -1;
  } else if (const Document* d = mode->If<Document>(); d && d->Has("times")) {
    auto n = d->Get("times")->AsExactInt64();
    if (!n || *n < 0) return Status(kBadValue, "'times' must be a non-negative whole number");
    remaining_ = *n;
  } else {
    return Status(kNotImplemented, "devmongod supports the modes alwaysOn, off and {times: n}");
  }
  const Value* data = cmd.Get("data");
  if (!data || !data->Is<Document>()) return Status(kBadValue, "'data' must be a document");
  commands_.clear();
  const Value* names = data->As<Document>().Get("failCommands");
  if (!names || !names->Is<Array>()) {
    return Status(kBadValue, "'failCommands' must be an array of command names");
  }
  for (const Value& v : names->As<Array>().items) {
    if (v.Is<std::string>()) commands_.push_back(v.As<std::string>());
  }
  for (const Field& f : data->As<Document>().fields()) {
    if (f.key != "failCommands" && f.key != "errorCode" && f.key != "closeConnection" &&
        f.key != "errorLabels" && f.key != "writeConcernError") {
      return Status(kNotImplemented, "devmongod's failCommand does not implement '" + f.key + "'");
    }
  }
  if (const Value* wce = data->As<Document>().Get("writeConcernError");
      wce && !wce->Is<Document>()) {
    return Status(kTypeMismatch, "'writeConcernError' must be a document");
  }
  data_ = data->As<Document>();
  on_ = remaining_ != 0;
  return Status::Ok();
}

std::optional<FailPoints::Action> FailPoints::Check(const std::string& command) {
  if (!on_ || std::find(commands_.begin(), commands_.end(), command) == commands_.end()) {
    return std::nullopt;
  }
  if (remaining_ > 0 && --remaining_ == 0) on_ = false;
  Action action;
  action.close_connection = OptionalBool(data_, "closeConnection", false);
  if (const Value* wce = data_.Get("writeConcernError"); wce && !data_.Has("errorCode")) {
    action.write_concern_error = wce->As<Document>();
    return action;
  }
  auto requested = OptionalInt(data_, "errorCode", kInternalError);
  int code = requested.ok() && *requested >= INT32_MIN && *requested <= INT32_MAX
                 ? static_cast<int>(*requested)
                 : kInternalError;
  action.reply = Document{{"ok", 0.0},
                          {"errmsg", "Failing command " + command + " via 'failCommand' failpoint"},
                          {"code", code},
                          {"codeName", CodeName(code)}};
  if (const Value* labels = data_.Get("errorLabels")) action.reply.Append("errorLabels", *labels);
  return action;
}

CommandSpec ConfigureFailPointCommand() {
  return CommandSpec{"configureFailPoint",
                     "Test command: the failCommand fail point (enableTestCommands only).",
                     {"mode", "data"},
                     {},
                     [](const Document& cmd, CommandContext& ctx) -> StatusOr<Document> {
                       if (ctx.db != "admin") {
                         return Status(kUnauthorized,
                                       "configureFailPoint may only be run against the admin "
                                       "database.");
                       }
                       if (!ctx.fail_points) return Status(kIllegalOperation, "no fail points");
                       MM_RETURN_IF_ERROR(ctx.fail_points->Configure(cmd));
                       return Document{};
                     }};
}

}  // namespace mm::commands
