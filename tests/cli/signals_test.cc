// Ctrl-C and SIGTERM: the first stops the run before its next step, records what happened,
// releases the lock and exits 130 / 143; a second aborts at once, still freeing the lock.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

class Signals : public CliTest {
 protected:
  Signals() : CliTest("--setParameter enableTestCommands=1", "") {
    dir_.Write("001_slow.json", R"({"version": 1, "description": "slow", "up": [
      {"insert": "log", "documents": [{"_id": "a"}]},
      {"sleep": 1, "millis": 1500},
      {"insert": "log", "documents": [{"_id": "b"}]}]})");
    dir_.Write("002_next.json", R"({"version": 2, "description": "next", "up": [
      {"insert": "log", "documents": [{"_id": "c"}]}]})");
  }
  pid_t Start(const std::string& lock_timeout = "60") {
    return SpawnProcess({MONGO_MIGRATE_PATH, "--dir", dir_.path(), "--uri", Uri(), "--lock-timeout",
                         lock_timeout, "up"},
                        {"MONGODB_URI="});
  }
  // Waits until version 1's record says `running` (its sleep step has begun or is next).
  void WaitRunning() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (HistoryStates().find("\"running\"") == std::string::npos) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // into the sleep step
  }
  std::string ErrorOfVersion1() {
    bool ok = false;
    Document r = client_.Command(
        "neuronav",
        Json(R"({"find": "migrationHistory", "filter": {"version": 1}, "projection": {"_id": 0,
                 "status": 1, "error.message": 1}})"),
        &ok);
    return ToRelaxedJson(r.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items[0]);
  }
  std::string LockOwner() { return Documents("migrationLock", Json(R"({"_id": 0, "owner": 1})")); }
  TempDir dir_;
};

TEST_F(Signals, FirstSignalStopsBetweenStepsRecordsAndReleasesTheLock) {
  for (int signal : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(signal);
    bool ok = false;
    client_.Command("neuronav", Json(R"({"dropDatabase": 1})"), &ok);
    pid_t runner = Start();
    WaitRunning();
    kill(runner, signal);
    EXPECT_EQ(WaitForExit(runner), 128 + signal);
    EXPECT_EQ(Documents("log"), "{ \"_id\" : \"a\" }\n") << "the step under way finished; no "
                                                            "later step ran";
    std::string name = signal == SIGINT ? "SIGINT" : "SIGTERM";
    EXPECT_EQ(ErrorOfVersion1(),
              "{ \"status\" : \"failed\", \"error\" : { \"message\" : \"interrupted by " + name +
                  " before 001_slow.json: up[2] (2 of 3 steps ran)\" } }");
    EXPECT_EQ(LockOwner(), "{ \"owner\" : \"\" }\n") << "released at once, not after its lease";
    // The next run does not wait for a lease; it refuses to guess and names the way out.
    auto next = Migrate({"--dir", dir_.path(), "--uri", Uri(), "--lock-timeout", "0", "up"});
    EXPECT_EQ(next.exit_code, 2) << next.err;
    EXPECT_NE(next.err.find("version 1 (001_slow.json) failed: interrupted by " + name),
              std::string::npos)
        << next.err;
  }
}

// A JavaScript migration stops before its next database command, even one it wraps in
// try/catch (as the seed's 003 does): the run fails, it is not recorded as applied.
TEST_F(Signals, AJavaScriptMigrationStopsBeforeItsNextCommand) {
  dir_.Write("001_slow.js", R"(module.exports = { up: async (db) => {
      await db.collection('log').insertOne({ _id: 'a' });
      await db.command({ sleep: 1, millis: 1500 });
      try { await db.collection('log').insertOne({ _id: 'b' }); } catch (e) { console.log('swallowed'); }
    } };)");
  std::filesystem::remove(dir_.path() + "/001_slow.json");
  pid_t runner = Start();
  WaitRunning();
  kill(runner, SIGINT);
  EXPECT_EQ(WaitForExit(runner), 130);
  EXPECT_EQ(Documents("log"), "{ \"_id\" : \"a\" }\n");
  EXPECT_NE(ErrorOfVersion1().find("\"status\" : \"failed\", \"error\" : { \"message\" : "
                                   "\"001_slow.js: up() failed: interrupted by SIGINT"),
            std::string::npos)
      << ErrorOfVersion1();
  EXPECT_EQ(LockOwner(), "{ \"owner\" : \"\" }\n");
}

TEST_F(Signals, SecondSignalAbortsAtOnceAndStillFreesTheLock) {
  dir_.Write("001_slow.json", R"({"version": 1, "description": "slow", "up": [
      {"sleep": 1, "millis": 8000}]})");
  pid_t runner = Start();
  WaitRunning();
  auto start = std::chrono::steady_clock::now();
  kill(runner, SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  kill(runner, SIGINT);
  EXPECT_EQ(WaitForExit(runner), 130);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5))
      << "did not wait for the 8-second step under way";
  EXPECT_EQ(LockOwner(), "{ \"owner\" : \"\" }\n");
  EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"running\" }\n")
      << "honest: the step under way may or may not have finished";
}

TEST_F(Signals, ASignalWhileWaitingForTheLockStopsTheWait) {
  pid_t holder = SpawnProcess({MONGO_MIGRATE_PATH, "--dir", dir_.path(), "--uri", Uri(), "up"},
                              {"MONGODB_URI=", "MONGO_MIGRATE_TEST_FAULT=pause:after-lock"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  pid_t waiter = Start("60");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto start = std::chrono::steady_clock::now();
  kill(waiter, SIGTERM);
  EXPECT_EQ(WaitForExit(waiter), 143);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  kill(holder, SIGKILL);
  WaitForExit(holder);
  EXPECT_EQ(Documents("log"), "");
}

}  // namespace
}  // namespace mm::testing
