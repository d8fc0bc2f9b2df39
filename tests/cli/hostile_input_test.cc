// Input that once crashed mongo-migrate, now handled: history records another tool wrote,
// bytes that are not UTF-8, and JavaScript files that tamper with the globals the runtime uses.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

class HostileInput : public CliTest {
 protected:
  ProcessResult Run(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), {"--dir", dir_.path(), "--uri", Uri()});
    return Migrate(args, env);
  }
  TempDir dir_;
};

// A migration writes a history document without `version` (once: a segfault that left the
// record `running` and the lock held). The run finishes; every later command names the record.
TEST_F(HostileInput, AHistoryDocumentWithoutVersionIsNamedNotACrash) {
  dir_.Write("001_a.json", R"({"version": 1, "description": "a", "up": [{"insert":
    "migrationHistory", "documents": [{"_id": "stray", "note": "written by another tool"}]}]})");
  dir_.Write("002_b.json", R"({"version": 2, "description": "b", "up": [{"create": "b"}]})");
  auto up = Run({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(HistoryStates(),
            "{ }\n{ \"version\" : 1, \"status\" : \"applied\" }\n"
            "{ \"version\" : 2, \"status\" : \"applied\" }\n");
  EXPECT_EQ(Documents("migrationLock", Json(R"({"_id": 0, "owner": 1})")),
            "{ \"owner\" : \"\" }\n");
  auto status = Run({"status"});
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_NE(status.err.find("a document in neuronav.migrationHistory (_id \"stray\") has no "
                            "integer \"version\"; fix or remove it by hand"),
            std::string::npos)
      << status.err;
}

// --json must print JSON even when a file name or message is not UTF-8 (once: type_error 316).
TEST_F(HostileInput, JsonOutputSurvivesBytesThatAreNotUtf8) {
  dir_.Write("001_caf\xe9.json", "{}");
  auto r = Run({"--json", "up"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  auto parsed = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << r.out;
  EXPECT_NE(parsed["error"]["message"].get<std::string>().find("001_caf\xef\xbf\xbd.json"),
            std::string::npos)
      << r.out;
}

// A migration's top level may replace JSON.stringify or define Object.prototype.toJSON; the
// commands the runtime sends stay exactly what the migration asked for.
TEST_F(HostileInput, JavaScriptThatTampersWithJsonAtLoadChangesNoCommand) {
  dir_.Write("001_tamper.js", R"(
Object.prototype.toJSON = function () { return { tampered: true }; };
const original = JSON.stringify;
JSON.stringify = function () { return '{"ping": 1}'; };
module.exports = {
  version: 1,
  description: 'tamper',
  up: async (db) => { await db.collection('data').insertOne({ _id: 1, kept: 'as written' }); },
};)");
  auto up = Run({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(Documents("data"), "{ \"_id\" : 1, \"kept\" : \"as written\" }\n");
}

// One environment variable that is not UTF-8 (once: every JS migration unloadable, with a
// message naming nothing). As in Node.js, its bad bytes read as U+FFFD.
TEST_F(HostileInput, AnEnvironmentVariableThatIsNotUtf8LeavesJavaScriptWorking) {
  dir_.Write("001_env.js", R"(
module.exports = {
  up: async (db) => { await db.collection('data').insertOne({ _id: 1, v: process.env.LATIN1 }); },
};)");
  auto up = Run({"up"}, {"LATIN1=caf\xe9"});
  EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(Documents("data"), "{ \"_id\" : 1, \"v\" : \"caf\xef\xbf\xbd\" }\n");
}

}  // namespace
}  // namespace mm::testing
