// Several runners at once, a runner killed mid-migration, and the lock between them.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

// Writes NNN_step_N.json with the given `up` steps.
void WriteStep(const TempDir& dir, int version, const std::string& up_steps) {
  char name[64];
  std::snprintf(name, sizeof name, "%03d_step_%d.json", version, version);
  dir.Write(name, "{\"version\": " + std::to_string(version) + ", \"description\": \"step " +
                      std::to_string(version) + "\", \"up\": [" + up_steps + "]}");
}

TEST_F(CliTest, EightRunnersAtOnceApplyEachMigrationExactlyOnce) {
  TempDir dir;
  for (int v = 1; v <= 20; ++v) {
    WriteStep(dir, v, "{\"insert\": \"log\", \"documents\": [{\"v\": " + std::to_string(v) + "}]}");
  }
  std::vector<ProcessResult> results(8);
  std::vector<std::thread> runners;
  for (int i = 0; i < 8; ++i) {
    runners.emplace_back([&, i] {
      results[i] = Migrate({"--dir", dir.path(), "--uri", Uri(), "--lock-timeout", "60", "up"});
    });
  }
  for (auto& t : runners) t.join();
  int applied_total = 0;
  for (const ProcessResult& r : results) {
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    for (size_t pos = r.out.find("\nup   "); pos != std::string::npos;
         pos = r.out.find("\nup   ", pos + 1)) {
      ++applied_total;
    }
  }
  EXPECT_EQ(applied_total, 20) << "each migration applied by exactly one runner";
  std::string expected_log, expected_history;
  for (int v = 1; v <= 20; ++v) {
    expected_log += "{ \"v\" : " + std::to_string(v) + " }\n";
    expected_history += "{ \"version\" : " + std::to_string(v) + ", \"status\" : \"applied\" }\n";
  }
  bool ok = false;
  Document log = client_.Command(
      "neuronav",
      Json(R"({"find": "log", "projection": {"_id": 0}, "sort": {"v": 1}, "batchSize": 1000})"),
      &ok);
  std::string seen;
  for (const Value& d : log.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
    seen += ToRelaxedJson(d.As<Document>()) + "\n";
  }
  EXPECT_EQ(seen, expected_log);
  EXPECT_EQ(Documents("migrationHistory", Json(R"({"_id": 0, "version": 1, "status": 1})")),
            expected_history);
  // The lock document stays, free, with one generation per taking: the fencing token.
  EXPECT_EQ(Documents("migrationLock", Json(R"({"_id": 0, "owner": 1, "generation": 1})")),
            "{ \"owner\" : \"\", \"generation\" : 8 }\n")
      << "every runner took the lock once and released it";
}

class KilledRunner : public ::testing::Test {
 protected:
  DevmongodProcess server_{"--setParameter enableTestCommands=1"};
  MongocClient client_{server_.uri("app")};

  ProcessResult Migrate(std::vector<std::string> args) {
    args.insert(args.begin(),
                {MONGO_MIGRATE_PATH, "--dir", dir_.path(), "--uri", server_.uri("app")});
    return RunProcess(args, {"MONGODB_URI=", "NO_COLOR=1"});
  }
  std::string HistoryStatus() {
    bool ok = false;
    Document r = client_.Command(
        "app",
        Json(
            R"({"find": "migrationHistory", "projection": {"_id": 0, "version": 1, "status": 1}})"),
        &ok);
    std::string out;
    for (const Value& d : r.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      out += ToRelaxedJson(d.As<Document>()) + "\n";
    }
    return out;
  }
  TempDir dir_;
};

TEST_F(KilledRunner, LeavesRunningWhichStopsEveryoneUntilForced) {
  WriteStep(dir_, 1, R"({"create": "slow"}, {"sleep": 1, "millis": 60000})");
  WriteStep(dir_, 2, R"({"create": "after"})");
  pid_t runner = SpawnProcess({MONGO_MIGRATE_PATH, "--dir", dir_.path(), "--uri",
                               server_.uri("app"), "--lock-lease", "2", "up"},
                              {"MONGODB_URI="});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (HistoryStatus() != "{ \"version\" : 1, \"status\" : \"running\" }\n") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the runner never started 001";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // While it runs: a second runner waits, then gives up with exit 5, naming the holder.
  auto waiting = Migrate({"--lock-timeout", "1", "up"});
  EXPECT_EQ(waiting.exit_code, 5) << waiting.out << waiting.err;
  EXPECT_NE(waiting.out.find("note: waiting for the migration lock held by"), std::string::npos)
      << waiting.out;
  EXPECT_NE(waiting.err.find("timed out after 1 s waiting for the migration lock held by"),
            std::string::npos)
      << waiting.err;
  EXPECT_NE(waiting.err.find("pid " + std::to_string(runner) + ", `up`"), std::string::npos)
      << waiting.err;
  auto status = Migrate({"status"});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find("Locked by"), std::string::npos) << status.out;
  auto unlock = Migrate({"unlock"});
  EXPECT_EQ(unlock.exit_code, 2);
  EXPECT_NE(unlock.err.find("its lease is still live"), std::string::npos) << unlock.err;

  kill(runner, SIGKILL);
  WaitForExit(runner);

  // The dead runner's lease expires by itself; the next run then refuses to guess.
  auto refused = Migrate({"--lock-timeout", "20", "up"});
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find(
                "refusing to run: version 1 (001_step_1.json) was left running: up started by"),
            std::string::npos)
      << refused.err;
  status = Migrate({"status"});
  EXPECT_NE(status.out.find("001      RUNNING (unfinished): up started by"), std::string::npos)
      << status.out;
  EXPECT_EQ(HistoryStatus(), "{ \"version\" : 1, \"status\" : \"running\" }\n");

  // A person checks that 001's changes are in place and records it.
  auto force = Migrate({"force", "1", "--state", "applied"});
  EXPECT_EQ(force.exit_code, 0) << force.err;
  EXPECT_NE(force.out.find("recorded version 1 as applied (without running it)"),
            std::string::npos);
  auto up = Migrate({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(HistoryStatus(),
            "{ \"version\" : 1, \"status\" : \"applied\" }\n{ \"version\" : 2, \"status\" : "
            "\"applied\" }\n");
  auto validate = Migrate({"validate"});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_NE(validate.out.find("2 applied migration(s) match their files"), std::string::npos);
}

TEST_F(KilledRunner, AMigrationThatDropsTheHistoryCannotEraseIt) {
  WriteStep(dir_, 1, R"({"create": "a"})");
  // What the seed's own 002 `down` does: drop the tool's history collection.
  WriteStep(dir_, 2, R"({"drop": "migrationHistory"}, {"create": "b"})");
  auto up = Migrate({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(
      up.err.find("warning: migration 2 removed 2 record(s) from migrationHistory; restored them"),
      std::string::npos)
      << up.err;
  EXPECT_EQ(HistoryStatus(),
            "{ \"version\" : 1, \"status\" : \"applied\" }\n{ \"version\" : 2, \"status\" : "
            "\"applied\" }\n");
}

TEST_F(KilledRunner, ValidateRepairAndBaseline) {
  WriteStep(dir_, 1, R"({"create": "a"})");
  WriteStep(dir_, 2, R"({"create": "b"})");
  WriteStep(dir_, 3, R"({"create": "c"})");
  auto baseline = Migrate({"baseline", "2"});
  ASSERT_EQ(baseline.exit_code, 0) << baseline.err;
  EXPECT_NE(baseline.out.find("recorded as baseline (not run): 1, 2"), std::string::npos)
      << baseline.out;
  EXPECT_EQ(HistoryStatus(),
            "{ \"version\" : 1, \"status\" : \"baseline\" }\n{ \"version\" : 2, \"status\" : "
            "\"baseline\" }\n");
  ASSERT_EQ(Migrate({"up"}).exit_code, 0);
  // Only 3 ran: collections a and b were never created.
  bool ok = false;
  Document colls = client_.Command(
      "app",
      Json(
          R"({"listCollections": 1, "nameOnly": true, "filter": {"name": {"$in": ["a", "b", "c"]}}})"),
      &ok);
  EXPECT_EQ(ToRelaxedJson(colls.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>()),
            R"([ { "name" : "c", "type" : "collection" } ])");

  WriteStep(dir_, 2, R"({"create": "b2"})");  // edited after it was applied
  auto validate = Migrate({"validate"});
  EXPECT_EQ(validate.exit_code, 1);
  EXPECT_NE(validate.err.find("2 (002_step_2.json): changed"), std::string::npos) << validate.err;
  auto up = Migrate({"up"});
  EXPECT_EQ(up.exit_code, 2);
  EXPECT_NE(up.err.find("version 2 (002_step_2.json) changed after it was applied"),
            std::string::npos)
      << up.err;
  auto repair = Migrate({"repair", "--accept-checksum", "2"});
  EXPECT_EQ(repair.exit_code, 0) << repair.err;
  EXPECT_EQ(Migrate({"validate"}).exit_code, 0);
}

}  // namespace
}  // namespace mm::testing
