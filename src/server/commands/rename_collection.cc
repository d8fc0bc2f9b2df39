#include "server/commands/handlers.h"

namespace mm::commands {
namespace {

bool SplitNamespace(const std::string& ns, std::string* db, std::string* coll) {
  size_t dot = ns.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == ns.size()) return false;
  *db = ns.substr(0, dot);
  *coll = ns.substr(dot + 1);
  return true;
}

StatusOr<Document> Rename(const Document& cmd, CommandContext& ctx) {
  if (ctx.db != "admin") {
    return Status(13, "renameCollection may only be run against the admin database.");
  }
  const Value& from = cmd.fields().front().value;
  const Value* to = cmd.Get("to");
  if (!from.Is<std::string>())
    return TypeMismatch("renameCollection", "renameCollection", "string", from);
  if (!to) return Status(40414, "BSON field 'renameCollection.to' is missing but a required field");
  if (!to->Is<std::string>()) return TypeMismatch("renameCollection", "to", "string", *to);
  std::string from_db, from_coll, to_db, to_coll;
  if (!SplitNamespace(from.As<std::string>(), &from_db, &from_coll)) {
    return Status(kInvalidNamespace, "Invalid source namespace: " + from.As<std::string>());
  }
  if (!SplitNamespace(to->As<std::string>(), &to_db, &to_coll)) {
    return Status(kInvalidNamespace, "Invalid target namespace: " + to->As<std::string>());
  }
  MM_RETURN_IF_ERROR(ctx.catalog.Rename(from_db, from_coll, to_db, to_coll,
                                        OptionalBool(cmd, "dropTarget", false)));
  return Document{{"ok", 1.0}};
}

}  // namespace

CommandSpec RenameCollectionCommand() {
  return CommandSpec{"renameCollection",
                     "Renames a collection (run against admin).",
                     {"to", "dropTarget", "stayTemp"},
                     {},
                     Rename};
}

}  // namespace mm::commands
