#include "server/commands/write_concern.h"

namespace mm::commands {
namespace {

const Value* W(const Document& cmd) {
  const Value* wc = cmd.Get("writeConcern");
  return wc && wc->Is<Document>() ? wc->As<Document>().Get("w") : nullptr;
}

}  // namespace

Status CheckWriteConcern(const Document& cmd, const ServerOptions& options) {
  const Value* w = W(cmd);
  if (!w || !options.repl_set.empty() || !w->IsNumber()) return Status::Ok();
  if (w->AsDouble() > 1) return Status(kBadValue, "cannot use 'w' > 1 with a standalone");
  return Status::Ok();
}

std::optional<Document> UnsatisfiedWriteConcern(const Document& cmd) {
  const Value* w = W(cmd);
  if (!w) return std::nullopt;
  const Document& given = cmd.Get("writeConcern")->As<Document>();
  if (w->IsNumber() && w->AsDouble() > 1) {
    return Document{{"code", static_cast<int32_t>(100)},
                    {"codeName", CodeName(100)},
                    {"errmsg", "Not enough data-bearing nodes"},
                    {"errInfo", Document{{"writeConcern", given}}}};
  }
  if (const std::string* tag = w->If<std::string>(); tag && *tag != "majority") {
    return Document{
        {"code", static_cast<int32_t>(79)},
        {"codeName", CodeName(79)},
        {"errmsg", "No write concern mode named '" + *tag + "' found in replica set configuration"},
        {"errInfo", Document{{"writeConcern", given}}}};
  }
  return std::nullopt;
}

}  // namespace mm::commands
