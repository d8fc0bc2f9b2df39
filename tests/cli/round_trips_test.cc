// What applying a migration costs in round trips, counted by the server (devmongod
// --commandLog): the migration's own steps, then one write of the tool's that records the
// previous migration and claims this one, and no read of the history per migration (it is read
// once, at planning). The lock is confirmed with the server only when its last renewal is
// older than half its lease. A regression
// here is what made applying 500 migrations slower than migrate-mongo (issue 13).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/devmongod_process.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace mm {
namespace {

using mm::testing::TempDir;

// Commands by name in a --commandLog file ("db command" lines).
std::map<std::string, int> CountCommands(const std::string& path) {
  std::map<std::string, int> counts;
  std::ifstream in(path);
  std::string db, command;
  while (in >> db >> command) ++counts[command];
  return counts;
}

TEST(RoundTrips, APlainMigrationCostsItsStepsAndOneWrite) {
  TempDir log_dir, migrations;
  const std::string log = log_dir.path() + "/commands.log";
  mm::testing::DevmongodProcess server("--commandLog " + log);
  constexpr int kMigrations = 30;
  for (int v = 1; v <= kMigrations; ++v) {
    char name[32];
    std::snprintf(name, sizeof name, "%03d_add_%d.json", v, v);
    migrations.Write(name, R"({"version": )" + std::to_string(v) + R"(, "description": "add")" +
                               R"(, "up": [{"insert": "items", "documents": [{"n": )" +
                               std::to_string(v) + R"(}]}], "down": [{"delete": "items",
                               "deletes": [{"q": {"n": )" +
                               std::to_string(v) + R"(}, "limit": 0}]}]})");
  }
  auto result = mm::testing::RunProcess(
      {MONGO_MIGRATE_PATH, "--dir", migrations.path(), "--uri", server.uri("rt"), "up"},
      {"MONGODB_URI=", "NO_COLOR=1"});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  auto counts = CountCommands(log);
  EXPECT_EQ(counts["insert"], kMigrations) << "one step each";
  EXPECT_LE(counts["find"], 2) << "the history and the lock are read at planning, not per "
                                  "migration";
  EXPECT_LE(counts["update"], kMigrations + 4)
      << "record-and-claim per migration, the last record, the lock's release, a renewal or two";
  int total = 0;
  for (const auto& [command, n] : counts) total += n;
  EXPECT_LE(total - kMigrations, kMigrations + 12) << "beyond the steps: one a migration "
                                                      "plus the run's fixed cost";
}

}  // namespace
}  // namespace mm
