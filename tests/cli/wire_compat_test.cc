// The JS shim sends what the Node.js driver sends: tests/cli/data/driver_calls.cjs calls the
// driver methods migrations use, once through the real driver (tests/clients/node_modules) and
// once inside a migration, against one devmongod that logs every command
// (--commandLog --commandLogDetail); the two sequences must be equal, field for field and in
// order, once what differs between any two clients is set aside (session ids, cluster time,
// generated ObjectIds, cursor ids) along with the tool's own history and lock commands.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/devmongod_process.h"
#include "support/run_process.h"
#include "support/temp_dir.h"

namespace {

using Json = nlohmann::ordered_json;

Json Normalised(const Json& value) {
  if (value.is_object()) {
    if (value.contains("$oid")) return "<ObjectId>";
    Json out = Json::object();
    for (const auto& [key, item] : value.items()) {
      if (key == "lsid" || key == "$clusterTime" || key == "$db" || key == "txnNumber" ||
          key == "$readPreference" || key == "apiVersion") {
        continue;
      }
      out[key] = Normalised(item);
    }
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(Normalised(item));
    return out;
  }
  return value;
}

// The commands a client sent to `db`, in order, as compact JSON lines.
std::vector<std::string> CommandsTo(const std::string& log, const std::string& db) {
  std::vector<std::string> out;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    const size_t first = line.find(' ');
    const size_t second = line.find(' ', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string target = line.substr(0, first);
    const std::string name = line.substr(first + 1, second - first - 1);
    std::string text = line.substr(second + 1);
    // renameCollection runs on admin; it belongs to the database it renames in.
    if (target == "admin" && name == "renameCollection") {
      target = Json::parse(text)["renameCollection"].get<std::string>();
      target = target.substr(0, target.find('.'));
      for (size_t at; (at = text.find("\"" + target + ".")) != std::string::npos;) {
        text.replace(at, target.size() + 2, "\"DB.");
      }
    }
    if (target != db) continue;
    if (text.find("migrationHistory") != std::string::npos ||
        text.find("migrationLock") != std::string::npos) {
      continue;  // the tool's own bookkeeping
    }
    if (name == "hello" || name == "isMaster" || name == "ismaster" || name == "endSessions" ||
        name == "ping" || name == "buildInfo") {
      continue;  // the connection's, not the migration's
    }
    Json command = Normalised(Json::parse(text));
    if (name == "getMore") command["getMore"] = "<cursor id>";
    out.push_back(command.dump());
  }
  return out;
}

TEST(WireCompat, TheShimSendsWhatTheNodeDriverSends) {
  mm::testing::TempDir log_dir, migrations;
  const std::string log = log_dir.path() + "/commands.log";
  mm::testing::DevmongodProcess server("--commandLog " + log + " --commandLogDetail");
  const std::string calls = std::string(TESTS_DIR) + "/cli/data/driver_calls.cjs";
  auto driver = mm::testing::RunProcess(
      {"/usr/bin/env", "node", "-e",
       "const { MongoClient } = require('mongodb');\n"
       "(async () => {\n"
       "  const client = await MongoClient.connect(process.argv[1]);\n"
       "  await require(process.argv[2]).run(client.db('driver'), client);\n"
       "  await client.close();\n"
       "})().catch((e) => { console.error(e); process.exit(1); });",
       server.uri(""), calls},
      {}, std::string(TESTS_DIR) + "/clients");
  ASSERT_EQ(driver.exit_code, 0) << "the Node.js driver (scripts/install-deps.sh installs it)\n"
                                 << driver.err;
  migrations.Write("001_calls.js", "const calls = require('" + calls +
                                       "');\nmodule.exports = { up: (db, client) => "
                                       "calls.run(db, client) };\n");
  auto shim = mm::testing::RunProcess(
      {MONGO_MIGRATE_PATH, "--dir", migrations.path(), "--uri", server.uri("shim"), "up"},
      {"MONGODB_URI=", "NO_COLOR=1"});
  ASSERT_EQ(shim.exit_code, 0) << shim.out << shim.err;

  const std::vector<std::string> expected = CommandsTo(log, "driver");
  const std::vector<std::string> got = CommandsTo(log, "shim");
  ASSERT_GE(expected.size(), 55u) << "the driver's commands did not reach the log";
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(got[i], expected[i]) << "command " << i;
}

}  // namespace
