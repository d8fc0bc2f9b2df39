// Authorization under --auth: MongoDB's built-in roles, each granting classes of commands on
// a database (read, readWrite, dbAdmin, dbOwner, userAdmin) or on every database (their
// *AnyDatabase forms on admin, and root). A migration is often run by a least-privilege user;
// devmongod must refuse what MongoDB would refuse to it (13 Unauthorized), so that a migration
// that needs more than its user has fails in the tests, not in production.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "server/commands/command.h"

namespace mm::commands {

// createUser's `roles`: "readWrite" (on the user's database) or {role, db}. Unknown roles are
// refused (RoleNotFound, 31), as MongoDB refuses them.
StatusOr<std::vector<std::pair<std::string, std::string>>> ParseRoles(const Array& roles,
                                                                      const std::string& db);

// OK when the connection's users may run `cmd` on `ctx.db`; else 13 Unauthorized in MongoDB's
// words. Commands every connection may run (hello, ping, saslStart, …) always pass.
Status Authorize(const Document& cmd, const CommandContext& ctx);

}  // namespace mm::commands
