#include "server/commands/fail_points.h"

#include <algorithm>

#include "server/commands/handlers.h"
#include "server/commands/sessions.h"

namespace mm::commands {

bool FailPoints::Mode::Fire() {
  if (!on) return false;
  if (skip > 0) {
    --skip;
    return false;
  }
  if (remaining > 0 && --remaining == 0) on = false;
  return true;
}

Status FailPoints::ParseMode(const Value* mode, Mode* out) {
  if (!mode) return Status(kBadValue, "'mode' must be specified");
  *out = Mode{};
  if (const std::string* m = mode->If<std::string>()) {
    if (*m == "off") return Status::Ok();
    if (*m != "alwaysOn") return Status(kBadValue, "unknown mode: " + *m);
    out->on = true;
    return Status::Ok();
  }
  const Document* d = mode->If<Document>();
  const char* key = d && d->Has("times") ? "times" : d && d->Has("skip") ? "skip" : nullptr;
  if (!key || d->size() != 1) {
    return Status(kNotImplemented,
                  "devmongod supports the modes alwaysOn, off, {times: n} and "
                  "{skip: n}");
  }
  auto n = d->Get(key)->AsExactInt64();
  if (!n || *n < 0) {
    return Status(kBadValue, std::string("'") + key + "' must be a non-negative whole number");
  }
  if (key == std::string_view("times")) {
    out->remaining = *n;
    out->on = *n != 0;
  } else {
    out->skip = *n;
    out->on = true;
  }
  return Status::Ok();
}

Status FailPoints::Configure(const Document& cmd) {
  const Value* name = cmd.Get("configureFailPoint");
  if (!name || !name->Is<std::string>()) {
    return Status(kTypeMismatch, "configureFailPoint must be a string");
  }
  Mode mode;
  MM_RETURN_IF_ERROR(ParseMode(cmd.Get("mode"), &mode));
  const std::string& which = name->As<std::string>();
  if (which == "failCommand") return ConfigureFailCommand(mode, cmd.Get("data"));
  if (which == "onPrimaryTransactionalWrite") {
    return ConfigureTransactionalWrite(mode, cmd.Get("data"));
  }
  return Status(kNotImplemented,
                "devmongod implements the failCommand and onPrimaryTransactionalWrite fail "
                "points, not " +
                    which);
}

Status FailPoints::ConfigureFailCommand(const Mode& mode, const Value* data) {
  if (!mode.on) {
    fail_command_ = mode;
    return Status::Ok();
  }
  if (!data || !data->Is<Document>()) return Status(kBadValue, "'data' must be a document");
  std::vector<std::string> commands;
  const Value* names = data->As<Document>().Get("failCommands");
  if (!names || !names->Is<Array>()) {
    return Status(kBadValue, "'failCommands' must be an array of command names");
  }
  for (const Value& v : names->As<Array>().items) {
    if (v.Is<std::string>()) commands.push_back(v.As<std::string>());
  }
  for (const Field& f : data->As<Document>().fields()) {
    if (f.key != "failCommands" && f.key != "errorCode" && f.key != "closeConnection" &&
        f.key != "errorLabels" && f.key != "writeConcernError" && f.key != "appName" &&
        f.key != "blockConnection" && f.key != "blockTimeMS") {
      return Status(kNotImplemented, "devmongod's failCommand does not implement '" + f.key + "'");
    }
  }
  if (const Value* wce = data->As<Document>().Get("writeConcernError");
      wce && !wce->Is<Document>()) {
    return Status(kTypeMismatch, "'writeConcernError' must be a document");
  }
  if (const Value* app = data->As<Document>().Get("appName"); app && !app->Is<std::string>()) {
    return Status(kTypeMismatch, "'appName' must be a string");
  }
  if (OptionalBool(data->As<Document>(), "blockConnection", false)) {
    const Value* ms = data->As<Document>().Get("blockTimeMS");
    auto n = ms ? ms->AsExactInt64() : std::nullopt;
    if (!n || *n < 0 || *n > 3600 * 1000) {
      return Status(kBadValue, "'blockTimeMS' must be given with blockConnection, 0 to 3600000");
    }
  }
  commands_ = std::move(commands);
  data_ = data->As<Document>();
  fail_command_ = mode;
  return Status::Ok();
}

Status FailPoints::ConfigureTransactionalWrite(const Mode& mode, const Value* data) {
  WriteFault fault;
  if (data) {
    if (!data->Is<Document>()) return Status(kBadValue, "'data' must be a document");
    for (const Field& f : data->As<Document>().fields()) {
      if (f.key == "closeConnection") {
        if (!f.value.Is<bool>()) return Status(kTypeMismatch, "'closeConnection' must be a bool");
        fault.close_connection = f.value.As<bool>();
      } else if (f.key == "failBeforeCommitExceptionCode") {
        auto code = f.value.AsExactInt64();
        if (!code || *code < INT32_MIN || *code > INT32_MAX) {
          return Status(kBadValue, "'failBeforeCommitExceptionCode' must be an error code");
        }
        fault.fail_before_commit = static_cast<int32_t>(*code);
      } else {
        return Status(kNotImplemented,
                      "devmongod's onPrimaryTransactionalWrite does not implement '" + f.key + "'");
      }
    }
  }
  write_fault_ = fault;
  transactional_write_ = mode;
  return Status::Ok();
}

std::optional<FailPoints::WriteFault> FailPoints::CheckTransactionalWrite() {
  if (!transactional_write_.Fire()) return std::nullopt;
  return write_fault_;
}

std::optional<FailPoints::Action> FailPoints::Check(const std::string& command,
                                                    const std::string& app_name) {
  const Value* app = data_.Get("appName");
  if (!fail_command_.on ||
      std::find(commands_.begin(), commands_.end(), command) == commands_.end() ||
      (app && app->As<std::string>() != app_name) || !fail_command_.Fire()) {
    return std::nullopt;
  }
  Action action;
  action.close_connection = OptionalBool(data_, "closeConnection", false);
  if (OptionalBool(data_, "blockConnection", false)) {
    action.block = std::chrono::milliseconds(*data_.Get("blockTimeMS")->AsExactInt64());
    action.run_command =
        !action.close_connection && !data_.Has("errorCode") && !data_.Has("writeConcernError");
    if (action.run_command) return action;
  }
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
                     "Test command: the failCommand and onPrimaryTransactionalWrite fail points "
                     "(enableTestCommands only).",
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
