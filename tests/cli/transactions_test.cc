// On a replica set, each migration and its history record commit in one transaction; a step
// MongoDB refuses in a transaction runs outside one, and says so.
#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

class ReplicaSetCli : public CliTest {
 protected:
  ReplicaSetCli() : CliTest("--replSet rs0", "?replicaSet=rs0") {}
};

constexpr const char* kFailsAtSecondStep = R"({"version": 1, "description": "two steps",
  "up": [{"insert": "log", "documents": [{"_id": 1, "step": 1}]},
         {"update": "log", "updates": [{"q": {}, "u": {"$frobnicate": {"a": 1}}}]}]})";

TEST_F(ReplicaSetCli, SecondStepFailureLeavesNeitherWritesNorHistory) {
  TempDir dir;
  dir.Write("001_two_steps.json", kFailsAtSecondStep);
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("up[1] (update) failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the transaction was rolled back: no writes and no history record"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Indexes("log"), "(no collection)") << "the first step's insert was rolled back";
  EXPECT_EQ(HistoryStates(), "") << "no running/failed record: nothing happened";

  ProcessResult status = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("pending"), std::string::npos) << status.out;
}

TEST_F(ReplicaSetCli, WithoutTransactionsTheSameFailureLeavesTheFirstStepAndAFailedRecord) {
  TempDir dir;
  dir.Write("001_two_steps.json", kFailsAtSecondStep);
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "--no-transaction", "up"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(Documents("log"), "{ \"_id\" : 1, \"step\" : 1 }\n");
  EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"failed\" }\n");
}

TEST_F(ReplicaSetCli, SuccessfulMigrationCommitsItsWritesAndItsRecordTogether) {
  TempDir dir;
  dir.Write("001_seed.json", R"({"version": 1, "description": "seed",
    "up": [{"insert": "log", "documents": [{"_id": 1}]}, {"insert": "log", "documents": [{"_id": 2}]}],
    "down": [{"delete": "log", "deletes": [{"q": {}, "limit": 0}]}]})");
  ProcessResult up = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(up.out.find("outside a transaction"), std::string::npos) << up.out;
  EXPECT_EQ(Documents("log"), "{ \"_id\" : 1 }\n{ \"_id\" : 2 }\n");
  EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"applied\" }\n");
  ProcessResult down = Migrate({"--dir", dir.path(), "--uri", Uri(), "down"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(Documents("log"), "");
  EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"reverted\" }\n");
}

TEST_F(ReplicaSetCli, StepsRefusedInATransactionRunOutsideOneAndSaySo) {
  TempDir dir;
  dir.Write("001_users.json", R"({"version": 1, "description": "users",
    "up": [{"insert": "users", "documents": [{"_id": 1, "email": "a@x"}]}]})");
  dir.Write("002_index.json", R"({"version": 2, "description": "index an existing collection",
    "up": [{"createIndexes": "users", "indexes": [{"key": {"email": 1}, "name": "email_1"}]}]})");
  dir.Write("003_opt_out.json", R"({"version": 3, "description": "opted out",
    "transaction": false, "up": [{"insert": "log", "documents": [{"_id": 3}]}]})");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("runs outside a transaction: up[0] (createIndexes) cannot run in a "
                       "transaction"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("runs outside a transaction: the file says \"transaction\": false"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Indexes("users"), "_id_ { \"_id\" : 1 }\nemail_1 { \"email\" : 1 }\n");
  EXPECT_EQ(HistoryStates(),
            "{ \"version\" : 1, \"status\" : \"applied\" }\n"
            "{ \"version\" : 2, \"status\" : \"applied\" }\n"
            "{ \"version\" : 3, \"status\" : \"applied\" }\n");
}

TEST_F(ReplicaSetCli, NeuroNavExamplesApplyAndRollBackOnAReplicaSet) {
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  ProcessResult up = Migrate({"--dir", dir, "--uri", Uri(), "up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  const std::string before =
      "_id_ { \"_id\" : 1 }\nemail_1 { \"email\" : 1 } unique\nphone_1 { \"phone\" : 1 }\n";
  EXPECT_EQ(Indexes("users"),
            before + "sensoryPreferences.noise_1 { \"sensoryPreferences.noise\" : 1 }\n");
  ProcessResult down = Migrate({"--dir", dir, "--uri", Uri(), "down", "1"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(Indexes("users"), before);
  ProcessResult status = Migrate({"--dir", dir, "--uri", Uri(), "status"});
  EXPECT_NE(status.out.find("Applied: 4/5"), std::string::npos) << status.out;
}

TEST_F(ReplicaSetCli, MalformedTransactionFlagIsRefusedNamingTheFile) {
  TempDir dir;
  dir.Write("001_bad.json", R"({"version": 1, "description": "bad", "transaction": "no",
    "up": [{"insert": "log", "documents": [{}]}]})");
  ProcessResult r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("001_bad.json: \"transaction\" must be true or false"), std::string::npos)
      << r.err;
  EXPECT_EQ(Indexes("log"), "(no collection)");
}

}  // namespace
}  // namespace mm::testing
