#include "server/commands/authorization.h"

#include <algorithm>
#include <set>

#include "value/bson_codec.h"

namespace mm::commands {
namespace {

// What a command needs, as a class of MongoDB's privilege actions.
enum class Need { kNothing, kRead, kWrite, kCollectionAdmin, kDbAdmin, kUserAdmin };

bool WritesThroughPipeline(const Document& cmd) {
  const Value* pipeline = cmd.Get("pipeline");
  if (!pipeline || !pipeline->Is<Array>()) return false;
  for (const Value& stage : pipeline->As<Array>().items) {
    if (stage.Is<Document>() &&
        (stage.As<Document>().Has("$out") || stage.As<Document>().Has("$merge")))
      return true;
  }
  return false;
}

Need NeedOf(const Document& cmd) {
  const std::string& name = cmd.fields().front().key;
  static const std::set<std::string, std::less<>> kRead = {
      "find", "count", "distinct", "getMore", "killCursors", "listCollections", "listIndexes"};
  static const std::set<std::string, std::less<>> kWrite = {"insert", "update", "delete",
                                                            "findAndModify"};
  // readWrite holds these too (createCollection, dropCollection, createIndex, dropIndex,
  // renameCollectionSameDB); dbAdmin as well.
  static const std::set<std::string, std::less<>> kCollectionAdmin = {
      "create", "drop", "createIndexes", "dropIndexes", "renameCollection"};
  static const std::set<std::string, std::less<>> kDbAdmin = {"collMod", "dropDatabase"};
  if (name == "aggregate") return WritesThroughPipeline(cmd) ? Need::kWrite : Need::kRead;
  if (kRead.count(name)) return Need::kRead;
  if (kWrite.count(name)) return Need::kWrite;
  if (kCollectionAdmin.count(name)) return Need::kCollectionAdmin;
  if (kDbAdmin.count(name)) return Need::kDbAdmin;
  if (name == "createUser") return Need::kUserAdmin;
  return Need::kNothing;
}

// Whether `role` (granted on `role_db`) covers `need` on `db`.
bool Grants(const std::string& role, const std::string& role_db, Need need, const std::string& db) {
  if (role == "root" && role_db == "admin") return true;
  const bool any = role_db == "admin" && role.ends_with("AnyDatabase");
  if (!any && role_db != db) return false;
  const std::string base =
      any ? role.substr(0, role.size() - std::string("AnyDatabase").size()) : role;
  switch (need) {
    case Need::kNothing:
      return true;
    case Need::kRead:
      return base == "read" || base == "readWrite" || base == "dbOwner";
    case Need::kWrite:
      return base == "readWrite" || base == "dbOwner";
    case Need::kCollectionAdmin:
      return base == "readWrite" || base == "dbAdmin" || base == "dbOwner";
    case Need::kDbAdmin:
      return base == "dbAdmin" || base == "dbOwner";
    case Need::kUserAdmin:
      return base == "userAdmin" || base == "dbOwner";
  }
  return false;
}

}  // namespace

StatusOr<std::vector<std::pair<std::string, std::string>>> ParseRoles(const Array& roles,
                                                                      const std::string& db) {
  static const std::set<std::string, std::less<>> kBuiltIn = {"read",
                                                              "readWrite",
                                                              "dbAdmin",
                                                              "dbOwner",
                                                              "userAdmin",
                                                              "root",
                                                              "readAnyDatabase",
                                                              "readWriteAnyDatabase",
                                                              "dbAdminAnyDatabase",
                                                              "userAdminAnyDatabase"};
  std::vector<std::pair<std::string, std::string>> out;
  for (const Value& r : roles.items) {
    std::string role, role_db = db;
    if (const std::string* s = r.If<std::string>()) {
      role = *s;
    } else if (const Document* d = r.If<Document>();
               d && d->Get("role") && d->Get("role")->Is<std::string>() && d->Get("db") &&
               d->Get("db")->Is<std::string>()) {
      role = d->Get("role")->As<std::string>();
      role_db = d->Get("db")->As<std::string>();
    } else {
      return Status(kBadValue, "a role is a name or {role: NAME, db: DATABASE}");
    }
    const bool cluster_wide = role == "root" || role.ends_with("AnyDatabase");
    if (!kBuiltIn.count(role) || (cluster_wide && role_db != "admin")) {
      return Status(31, "Could not find role: " + role + "@" + role_db);
    }
    out.emplace_back(role, role_db);
  }
  return out;
}

Status Authorize(const Document& cmd, const CommandContext& ctx) {
  if (!ctx.options.auth || !ctx.connection || !ctx.users || cmd.empty()) return Status::Ok();
  const Need need = NeedOf(cmd);
  if (need == Need::kNothing) return Status::Ok();
  // The localhost exception: with no user yet, the first may be created (createUser checks
  // the rest).
  if (need == Need::kUserAdmin && ctx.users->empty()) return Status::Ok();
  for (const std::string& user : ctx.connection->authenticated) {
    auto it = ctx.users->find(user);
    if (it == ctx.users->end()) continue;
    for (const auto& [role, role_db] : it->second.roles) {
      if (Grants(role, role_db, need, ctx.db)) return Status::Ok();
    }
  }
  const Field& first = cmd.fields().front();
  return Status(kUnauthorized, "not authorized on " + ctx.db + " to execute command { " +
                                   first.key + ": " + ToRelaxedJson(first.value) + " }");
}

}  // namespace mm::commands
