// A migration never runs twice, even when the lock fails: runners paused (SIGSTOP) or killed
// at each point of a run, many runners with a short lease, the lease's extreme values, and the
// lock and history of a newer release.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

// devmongod with the `sleep` test command, and migrations 1..3 that each log what they did.
class Fencing : public CliTest {
 protected:
  Fencing() : CliTest("--setParameter enableTestCommands=1", "") {
    for (int v = 1; v <= 3; ++v) {
      // Version 2 has two steps, so that a run can stop between them.
      std::string steps = Insert(v, 1) + (v == 2 ? ", " + Insert(v, 2) : "");
      dir_.Write("00" + std::to_string(v) + "_step.json",
                 "{\"version\": " + std::to_string(v) + ", \"description\": \"step " +
                     std::to_string(v) + "\", \"up\": [" + steps + "]}");
    }
  }
  static std::string Insert(int v, int step) {
    return "{\"insert\": \"log\", \"documents\": [{\"v\": " + std::to_string(v) +
           ", \"step\": " + std::to_string(step) + "}]}";
  }

  ProcessResult Run(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), {"--dir", dir_.path(), "--uri", Uri(), "--lock-lease", "1"});
    return Migrate(args, env);
  }
  pid_t Spawn(const std::string& fault) {
    return SpawnProcess(
        {MONGO_MIGRATE_PATH, "--dir", dir_.path(), "--uri", Uri(), "--lock-lease", "1", "up"},
        {"MONGODB_URI=", "MONGO_MIGRATE_TEST_FAULT=" + fault});
  }
  // Waits until `pid` has stopped itself at its fault point.
  static void WaitStopped(pid_t pid) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string text((std::istreambuf_iterator<char>(stat)), {});
      size_t paren = text.rfind(')');
      if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'T') return;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the runner never paused";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  // "v.step" of every log entry, in insertion order.
  std::string Log() {
    std::string out;
    bool ok = false;
    Document reply = client_.Command(
        "neuronav", Json(R"({"find": "log", "sort": {"_id": 1}, "batchSize": 1000})"), &ok);
    if (!ok) return "(no log)";
    for (const Value& d :
         reply.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      out += ToRelaxedJson(*d.As<Document>().Get("v")) + "." +
             ToRelaxedJson(*d.As<Document>().Get("step")) + " ";
    }
    return out;
  }

  TempDir dir_;
};

constexpr const char* kAllOnce = "1.1 2.1 2.2 3.1 ";
constexpr const char* kAllApplied =
    "{ \"version\" : 1, \"status\" : \"applied\" }\n"
    "{ \"version\" : 2, \"status\" : \"applied\" }\n"
    "{ \"version\" : 3, \"status\" : \"applied\" }\n";

// A runner stalls past its lease while another applies everything. Stopped between planning
// and running, it finds its lock gone when it resumes; stopped after its last look at the lock,
// just before claiming, only the claim stands between its stale plan and a second run, and
// the claim is refused. Either way it stops (exit 6) and nothing runs twice.
TEST_F(Fencing, RunnerPausedPastItsLeaseRunsNothingTwice) {
  for (const char* point : {"pause:after-plan", "pause:before-claim@1"}) {
    SCOPED_TRACE(point);
    bool ok = false;
    client_.Command("neuronav", Json(R"({"dropDatabase": 1})"), &ok);
    pid_t paused = Spawn(point);
    WaitStopped(paused);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto other = Run({"up"});
    EXPECT_EQ(other.exit_code, 0) << other.out << other.err;
    kill(paused, SIGCONT);
    EXPECT_EQ(WaitForExit(paused), 6);
    EXPECT_EQ(Log(), kAllOnce);
    EXPECT_EQ(HistoryStates(), kAllApplied);
  }
}

// Paused holding its claim on version 2: nobody else may run 2 (it is `running`). Resumed, the
// runner finds its lock gone before running 2, gives the claim back (nothing of 2 ran) and
// stops; the next run applies 2 and 3.
TEST_F(Fencing, RunnerPausedHoldingAClaimGivesItBackAndStops) {
  pid_t paused = Spawn("pause:after-claim@2");
  WaitStopped(paused);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto other = Run({"up"});
  EXPECT_EQ(other.exit_code, 2) << other.out << other.err;
  EXPECT_NE(other.err.find("version 2 (002_step.json) was left running"), std::string::npos)
      << other.err;
  kill(paused, SIGCONT);
  EXPECT_EQ(WaitForExit(paused), 6);
  EXPECT_EQ(Log(), "1.1 ");
  EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"applied\" }\n");
  auto last = Run({"up"});
  EXPECT_EQ(last.exit_code, 0) << last.out << last.err;
  EXPECT_EQ(Log(), kAllOnce);
  EXPECT_EQ(HistoryStates(), kAllApplied);
}

// Killed at each point of migration 2's run: the next runner either finishes the job or
// refuses to guess (naming `force`), and nothing ever runs twice.
TEST_F(Fencing, RunnerKilledAtEachPointLeavesAStateTheNextRunHandles) {
  struct Case {
    const char* point;
    int stuck;            // the version the next `up` refuses to guess about (0: it finishes)
    const char* log;      // after it
    const char* resolve;  // `force <stuck> --state …` that matches what happened
  };
  const Case cases[] = {
      {"after-lock", 0, kAllOnce, ""},
      {"after-plan", 0, kAllOnce, ""},
      {"before-claim@1", 0, kAllOnce, ""},
      // 1's record and 2's claim are one write: killed after it, 2 is claimed and not run.
      {"after-claim@2", 2, "1.1 ", "pending"},
      {"after-step@2", 2, "1.1 2.1 ", ""},
      {"after-run@2", 2, "1.1 2.1 2.2 ", "applied"},
      {"after-record@2", 3, "1.1 2.1 2.2 ", "pending"},
      {"after-record@3", 0, kAllOnce, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.point);
    bool ok = false;
    client_.Command("neuronav", Json(R"({"dropDatabase": 1})"), &ok);
    pid_t killed = Spawn(std::string("kill:") + c.point);
    EXPECT_EQ(WaitForExit(killed), 128 + SIGKILL);
    auto next = Run({"--lock-timeout", "10", "up"});
    EXPECT_EQ(next.exit_code, c.stuck ? 2 : 0) << next.out << next.err;
    EXPECT_EQ(Log(), c.log);
    const std::string stuck = std::to_string(c.stuck);
    if (c.stuck) {
      EXPECT_NE(next.err.find("mongo-migrate force " + stuck + " --state applied"),
                std::string::npos)
          << next.err;
    }
    if (*c.resolve) {
      EXPECT_EQ(Run({"force", stuck, "--state", c.resolve}).exit_code, 0);
      auto after = Run({"up"});
      EXPECT_EQ(after.exit_code, 0) << after.err;
      EXPECT_EQ(Log(), kAllOnce);
      EXPECT_EQ(HistoryStates(), kAllApplied);
    }
  }
}

// Migration 2's own step changes its history record (as another runner or a person might
// while it runs): its result is not recorded over that change, and the claim of 3, made in the
// same write, is given back, so the runner stops with nothing of 3 run or claimed.
TEST_F(Fencing, ARecordRefusedAfterItsStepsGivesTheNextClaimBack) {
  dir_.Write("002_step.json", R"({"version": 2, "description": "meddles", "up": [
    {"update": "migrationHistory", "updates": [{"q": {"version": 2},
      "u": {"$set": {"touched": true}, "$inc": {"revision": 1}}}]}]})");
  auto r = Run({"up"});
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_NE(r.err.find("the history record of version 2 changed after this runner read it"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Log(), "1.1 ");
  EXPECT_EQ(HistoryStates(),
            "{ \"version\" : 1, \"status\" : \"applied\" }\n"
            "{ \"version\" : 2, \"status\" : \"running\" }\n");
}

// Sixteen runners, a one-second lease, and migrations that each take longer than the lease:
// the lease is renewed while they run, so every migration runs once and nobody steals it.
TEST_F(Fencing, SixteenRunnersWithAOneSecondLeaseAndSlowMigrations) {
  for (int v = 1; v <= 3; ++v) {
    dir_.Write("00" + std::to_string(v) + "_step.json",
               "{\"version\": " + std::to_string(v) + ", \"description\": \"slow " +
                   std::to_string(v) + "\", \"up\": [{\"sleep\": 1, \"millis\": 1500}, " +
                   Insert(v, 1) + (v == 2 ? ", " + Insert(v, 2) : "") + "]}");
  }
  std::vector<ProcessResult> results(16);
  std::vector<std::thread> runners;
  for (int i = 0; i < 16; ++i) {
    runners.emplace_back([&, i] { results[i] = Run({"--lock-timeout", "60", "up"}); });
  }
  for (auto& t : runners) t.join();
  for (const ProcessResult& r : results) EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Log(), kAllOnce);
  EXPECT_EQ(HistoryStates(), kAllApplied);
  EXPECT_EQ(Documents("migrationLock", Json(R"({"_id": 0, "owner": 1, "generation": 1})")),
            "{ \"owner\" : \"\", \"generation\" : 16 }\n");
}

TEST_F(Fencing, LeaseAndTimeoutOutsideTheirRangeAreUsageErrors) {
  for (const char* lease :
       {"0", "0.001", "1e-9", "0.999", "86401", "1e16", "nan", "inf", "-1", "abc", "1e400"}) {
    SCOPED_TRACE(lease);
    auto r = Migrate({"--dir", dir_.path(), "--uri", Uri(), "--lock-lease", lease, "up"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--lock-lease: must be a number of seconds between 1 and 86400, not " +
                         std::string(lease)),
              std::string::npos)
        << r.err;
  }
  EXPECT_EQ(Log(), "") << "nothing ran";
  for (const char* timeout : {"-1", "nan", "inf", "86401"}) {
    SCOPED_TRACE(timeout);
    auto r = Migrate({"--dir", dir_.path(), "--uri", Uri(), "--lock-timeout", timeout, "up"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("must be a number of seconds between 0 and 86400"), std::string::npos)
        << r.err;
  }
  // The edges themselves are valid; a zero timeout fails fast against a held lock.
  EXPECT_EQ(
      Migrate({"--dir", dir_.path(), "--uri", Uri(), "--lock-lease", "86400", "up", "1"}).exit_code,
      0);
  EXPECT_EQ(Run({"up", "2"}).exit_code, 0);
  pid_t holder = Spawn("pause:after-lock");
  WaitStopped(holder);
  auto fast = Migrate({"--dir", dir_.path(), "--uri", Uri(), "--lock-timeout", "0", "up"});
  EXPECT_EQ(fast.exit_code, 5) << fast.err;
  kill(holder, SIGKILL);
  WaitForExit(holder);
}

// `unlock --force` frees a live runner's lock while it holds its claim on version 2. Within
// that runner's lease (by its own clock it may still run what it claimed), `force 2` is
// refused, so nobody else can be made to run 2. Resumed at once, the runner may finish 2 (its
// claim) or stop; resumed after its lease, it finds the lock gone before running 2, gives the
// claim back and stops (exit 6). Either way every step runs exactly once.
TEST_F(Fencing, ARunnerWhoseLockWasForciblyRemovedNeverRunsAVersionAnotherRuns) {
  for (bool wait_past_lease : {false, true}) {
    SCOPED_TRACE(wait_past_lease ? "resumed after its lease" : "resumed at once");
    bool ok = false;
    client_.Command("neuronav", Json(R"({"dropDatabase": 1})"), &ok);
    pid_t paused = Spawn("pause:after-claim@2");
    WaitStopped(paused);
    auto refused = Run({"unlock"});
    EXPECT_EQ(refused.exit_code, 2);
    auto forced = Run({"unlock", "--force"});
    EXPECT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_NE(forced.out.find("removed the lock held by"), std::string::npos) << forced.out;
    auto too_soon = Run({"force", "2", "--state", "pending"});
    EXPECT_EQ(too_soon.exit_code, 2) << too_soon.out << too_soon.err;
    EXPECT_NE(too_soon.err.find("removed with `unlock --force` may still be running it until"),
              std::string::npos)
        << too_soon.err;
    if (wait_past_lease) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(paused, SIGCONT);
    const int exit_code = WaitForExit(paused);
    if (wait_past_lease) {
      EXPECT_EQ(exit_code, 6);
      EXPECT_EQ(Log(), "1.1 ");
      EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"applied\" }\n");
    } else {
      EXPECT_TRUE(exit_code == 0 || exit_code == 6) << exit_code;
    }
    auto rest = Run({"--lock-timeout", "10", "up"});
    EXPECT_EQ(rest.exit_code, 0) << rest.out << rest.err;
    EXPECT_EQ(Log(), kAllOnce);
    EXPECT_EQ(HistoryStates(), kAllApplied);
  }
}

// A step whose write the server could not make durable (a writeConcernError, as in a failover)
// is not counted as done: the version is recorded failed, and the next run refuses to guess.
TEST_F(Fencing, AWriteConcernErrorIsAFailureNotASuccess) {
  bool ok = false;
  client_.Command("admin", Json(R"({"configureFailPoint": "failCommand", "mode": {"times": 1},
      "data": {"failCommands": ["insert"], "writeConcernError": {"code": 64, "codeName":
      "WriteConcernFailed", "errmsg": "waiting for replication timed out"}}})"),
                  &ok);
  ASSERT_TRUE(ok);
  auto up = Run({"up"});
  EXPECT_EQ(up.exit_code, 1) << up.out << up.err;
  EXPECT_NE(up.err.find("001_step.json: up[0] (insert) failed: write concern error: waiting for "
                        "replication timed out"),
            std::string::npos)
      << up.err;
  EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"failed\" }\n");
  auto again = Run({"up"});
  EXPECT_EQ(again.exit_code, 2) << again.err;

  // A JavaScript migration sees what the Node.js driver throws: MongoWriteConcernError.
  TempDir js;
  js.Write("001_js.js", R"(module.exports = { up: async (db) => {
      try { await db.collection('log').insertOne({ v: 'js' }); }
      catch (e) { console.log(e.name + ' ' + e.code + ' ' + e.errmsg); throw e; } } };)");
  client_.Command("admin", Json(R"({"configureFailPoint": "failCommand", "mode": {"times": 1},
      "data": {"failCommands": ["insert"], "writeConcernError": {"code": 64, "errmsg":
      "waiting for replication timed out"}}})"),
                  &ok);
  auto js_up = Migrate({"--dir", js.path(), "--uri", Uri("jsdb"), "up"});
  EXPECT_EQ(js_up.exit_code, 1) << js_up.out << js_up.err;
  EXPECT_NE(js_up.out.find("001 | MongoWriteConcernError 64 waiting for replication timed out"),
            std::string::npos)
      << js_up.out;
}

// An old pod in a rolling deploy must not act on records it does not understand.
TEST_F(Fencing, ANewerHistoryOrLockFormatIsRefusedAndAnOlderOneUpgraded) {
  bool ok = false;
  client_.Command("neuronav", Json(R"({"insert": "migrationHistory", "documents": [
                    {"version": 1, "status": "applied", "formatVersion": 3}]})"),
                  &ok);
  ASSERT_TRUE(ok);
  auto up = Run({"up"});
  EXPECT_EQ(up.exit_code, 2);
  EXPECT_NE(up.err.find("holds records written by a newer mongo-migrate (history format 3, this "
                        "release knows 2); upgrade mongo-migrate"),
            std::string::npos)
      << up.err;
  EXPECT_EQ(Run({"status"}).exit_code, 0) << "reading still works";
  EXPECT_EQ(Run({"force", "2", "--state", "applied"}).exit_code, 2);
  EXPECT_EQ(Log(), "");

  // The seed's hand-written record (no format, no revision) is upgraded and then honoured.
  client_.Command("neuronav", Json(R"({"drop": "migrationHistory"})"), &ok);
  client_.Command("neuronav", Json(R"({"insert": "migrationHistory", "documents": [
                    {"version": 1, "appliedAt": {"$date": "2026-01-01T00:00:00Z"}}]})"),
                  &ok);
  up = Run({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(Log(), "2.1 2.2 3.1 ");
  EXPECT_EQ(Documents("migrationHistory",
                      Json(R"({"_id": 0, "version": 1, "formatVersion": 1, "revision": 1})")),
            "{ \"version\" : 1, \"formatVersion\" : 2, \"revision\" : 0 }\n"
            "{ \"version\" : 2, \"formatVersion\" : 2, \"revision\" : 2 }\n"
            "{ \"version\" : 3, \"formatVersion\" : 2, \"revision\" : 2 }\n");

  client_.Command("neuronav",
                  Json(R"({"update": "migrationLock", "updates": [{"q": {}, "u": {"$set":
                    {"formatVersion": 3, "owner": "x"}}}]})"),
                  &ok);
  auto locked = Run({"down"});
  EXPECT_EQ(locked.exit_code, 2);
  EXPECT_NE(locked.err.find("written by a newer mongo-migrate (lock format 3"), std::string::npos)
      << locked.err;
}

}  // namespace
}  // namespace mm::testing
