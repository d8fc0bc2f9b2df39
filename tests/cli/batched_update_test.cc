// The batched update (mongomigrate/batched_update.h) as a user meets it: a JSON step over a
// collection whose _ids mix types, killed at each point of a batch and resumed (no batch
// applied twice where there are transactions, at most the one unfinished batch where there
// are not, none skipped), interrupted by SIGINT and resumed, refused before anything runs when
// a repeated batch would count twice, its fields checked, and its progress on a pipe, a
// pseudo-terminal and --json-lines.
#include <signal.h>

#include <chrono>
#include <thread>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

constexpr int kNumbered = 2000;  // _id 0 … 1999, then 30 string and 30 ObjectId _ids

class BatchedUpdateTest : public CliTest {
 protected:
  BatchedUpdateTest() = default;
  BatchedUpdateTest(const std::string& server_args, std::string uri_options)
      : CliTest(server_args, std::move(uri_options)) {}

  void SetUp() override {
    std::string docs;
    for (int i = 0; i < kNumbered; ++i) {
      docs += (docs.empty() ? "" : ",") + std::string(R"({"_id": )") + std::to_string(i) + "}";
    }
    for (int i = 0; i < 30; ++i) {
      char oid[25];
      std::snprintf(oid, sizeof oid, "65a4f1c2e4b0a1b2c3d4%04x", i);
      docs += R"(, {"_id": "s)" + std::to_string(i) + R"("}, {"_id": {"$oid": ")" + oid + R"("}})";
    }
    bool ok = false;
    client_.Command("neuronav", Json(R"({"insert": "users", "documents": [)" + docs + "]}"), &ok);
    ASSERT_TRUE(ok);
  }

  // A migration whose second step is the batched update (batches of 100: 21 batches).
  void WriteMigration(const std::string& update, const std::string& extra = "") {
    dir_.Write("001_count.json",
               R"({"version": 1, "description": "count visits", "up": [
                   {"insert": "log", "documents": [{"step": "before"}]},
                   {"batchedUpdate": "users", "filter": {}, "update": )" +
                   update + R"(, "batchSize": 100)" + extra + R"(}]})");
  }

  ProcessResult Run(std::vector<std::string> args, std::vector<std::string> env = {}) {
    // A killed runner's lock is left to expire: a short lease keeps the tests quick.
    args.insert(args.begin(), {"--dir", dir_.path(), "--uri", Uri(), "--lock-lease", "1",
                               "--lock-timeout", "10"});
    return Migrate(args, env);
  }
  pid_t Spawn(const std::string& fault) {
    return SpawnProcess(
        {MONGO_MIGRATE_PATH, "--dir", dir_.path(), "--uri", Uri(), "--lock-lease", "1", "up"},
        {"MONGODB_URI=", "MONGO_MIGRATE_TEST_FAULT=" + fault});
  }

  int64_t Count(const std::string& collection, const std::string& filter) {
    bool ok = false;
    Document reply = client_.Command(
        "neuronav", Json(R"({"count": ")" + collection + R"(", "query": )" + filter + "}"), &ok);
    return ok ? reply.Get("n")->AsExactInt64().value_or(-1) : -1;
  }
  static constexpr int64_t kTotal = kNumbered + 60;

  TempDir dir_;
};

class BatchedUpdateReplicaSet : public BatchedUpdateTest {
 protected:
  BatchedUpdateReplicaSet()
      : BatchedUpdateTest("--replSet rs0 --setParameter transactionLifetimeLimitSeconds=1",
                          "?replicaSet=rs0") {}
};

TEST_F(BatchedUpdateTest, VisitsEveryDocumentOnceAcrossTypeBrackets) {
  WriteMigration(R"({"$set": {"seen": true}})");
  auto r = Run({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Count("users", R"({"seen": true})"), kTotal);
  EXPECT_NE(r.out.find("batchedUpdate users: 2,060/2,060 documents (100%)"), std::string::npos)
      << r.out;
  EXPECT_EQ(Count("migrationHistory", R"({"version": 1, "status": "applied",
                                         "progress": {"$exists": false}})"),
            1);
}

// Killed after a batch's progress was recorded, or between its update and its record: the
// record says where it stopped, `status` says `up` resumes it, and `up` does. On a standalone
// the batch whose record was lost is applied again (so only with allowReapply: true), and it
// is the only one.
TEST_F(BatchedUpdateTest, KilledAndResumedAppliesAtMostTheUnfinishedBatchTwiceAndSkipsNone) {
  WriteMigration(R"({"$inc": {"n": 1}})", R"(, "allowReapply": true)");
  for (const char* point : {"kill:after-batch@3", "kill:batch-before-progress@3"}) {
    SCOPED_TRACE(point);
    bool ok = false;
    client_.Command("neuronav", Json(R"({"update": "users", "updates": [{"q": {},
        "u": {"$unset": {"n": ""}}, "multi": true}]})"),
                    &ok);
    client_.Command("neuronav", Json(R"({"drop": "migrationHistory"})"), &ok);
    client_.Command("neuronav", Json(R"({"drop": "log"})"), &ok);
    EXPECT_EQ(WaitForExit(Spawn(point)), 128 + SIGKILL);
    const bool recorded = std::string(point) == "kill:after-batch@3";
    auto status = Run({"status"});
    EXPECT_NE(status.out.find(std::string("stopped in a batched update after ") +
                              (recorded ? "300" : "200") + " documents"),
              std::string::npos)
        << status.out;
    auto resumed = Run({"up"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
    EXPECT_NE(resumed.out.find("resuming its batched update"), std::string::npos) << resumed.out;
    EXPECT_EQ(Count("log", "{}"), 1) << "the step before the batched update ran once";
    EXPECT_EQ(Count("users", R"({"n": {"$exists": false}})"), 0) << "none skipped";
    EXPECT_EQ(Count("users", R"({"n": 2})"), recorded ? 0 : 100);
    EXPECT_EQ(Count("users", R"({"n": 1})"), recorded ? kTotal : kTotal - 100);
  }
}

// The JavaScript helper: the same update, resumable the same way. A resumed JS migration runs
// up() again from the top; the batched update it was in continues after its last batch.
TEST_F(BatchedUpdateTest, JavaScriptHelperResumesAfterItsLastBatch) {
  dir_.Write("001_count.js", R"(module.exports = {
  version: 1,
  up: async (db) => {
    await db.collection('users').batchedUpdate({}, { $inc: { n: 1 } }, { batchSize: 100, allowReapply: true });
    await db.collection('log').insertOne({ step: 'after' });
  },
};
)");
  EXPECT_EQ(WaitForExit(Spawn("kill:after-batch@3")), 128 + SIGKILL);
  EXPECT_EQ(Count("users", R"({"n": 1})"), 300);
  auto resumed = Run({"up"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_EQ(Count("users", R"({"n": 1})"), kTotal) << "each batch once";
  EXPECT_EQ(Count("log", "{}"), 1);
}

// With transactions each batch commits with its progress: killed between the two, the batch
// was not applied at all, and the resumed run applies it once (after the server aborts the
// dead run's transaction, which holds its documents until then: the resumed run retries the
// write conflict). $inc needs no allowReapply.
TEST_F(BatchedUpdateReplicaSet, KilledAndResumedAppliesEveryBatchExactlyOnce) {
  WriteMigration(R"({"$inc": {"n": 1}})");
  EXPECT_EQ(WaitForExit(Spawn("kill:batch-before-progress@3")), 128 + SIGKILL);
  EXPECT_EQ(Count("users", R"({"n": 1})"), 200);
  auto resumed = Run({"up"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_EQ(Count("users", R"({"n": 1})"), kTotal);
}

TEST_F(BatchedUpdateTest, InterruptedBetweenBatchesStopsAndTheNextUpResumes) {
  WriteMigration(R"({"$set": {"seen": true}})", R"(, "pauseMS": 40)");
  pid_t runner = SpawnProcess({MONGO_MIGRATE_PATH, "--dir", dir_.path(), "--uri", Uri(), "up"},
                              {"MONGODB_URI="});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(runner, SIGINT);
  EXPECT_EQ(WaitForExit(runner), 130);
  const int64_t seen = Count("users", R"({"seen": true})");
  EXPECT_GT(seen, 0);
  EXPECT_LT(seen, kTotal);
  EXPECT_EQ(Count("migrationHistory", R"({"status": "running", "progress": {"$exists": true}})"),
            1);
  auto resumed = Run({"up"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_EQ(Count("users", R"({"seen": true})"), kTotal);
}

// Without transactions, an update that would count a repeated batch twice is refused before
// anything runs (exit 2, no record, no change), naming the way out.
TEST_F(BatchedUpdateTest, RepeatSensitiveUpdateWithoutTransactionsIsRefusedBeforeAnythingRuns) {
  WriteMigration(R"({"$inc": {"n": 1}})");
  auto r = Run({"up"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("001_count.json: up[1]: batchedUpdate of users uses $inc"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("\"allowReapply\": true"), std::string::npos) << r.err;
  EXPECT_EQ(Count("log", "{}"), 0);
  EXPECT_EQ(Count("migrationHistory", "{}"), 0);
}

TEST_F(BatchedUpdateTest, BadFieldsAreNamedAndNothingRuns) {
  const std::pair<const char*, const char*> cases[] = {
      {R"("batchSize": 0)", "\"batchSize\" must be a whole number from 1 to 100000"},
      {R"("batchSize": 100001)", "\"batchSize\" must be a whole number from 1 to 100000"},
      {R"("batchSize": "10")", "\"batchSize\" must be a whole number from 1 to 100000"},
      {R"("maxDocsPerSecond": -1)", "\"maxDocsPerSecond\" must be a positive number"},
      {R"("pauseMS": 3600001)", "\"pauseMS\" must be a whole number of milliseconds"},
      {R"("frobnicate": 1)", "unknown field \"frobnicate\""},
  };
  for (const auto& [field, message] : cases) {
    SCOPED_TRACE(field);
    dir_.Write("001_count.json", std::string(R"({"version": 1, "description": "d", "up": [
        {"batchedUpdate": "users", "update": {"$set": {"a": 1}}, )") +
                                     field + "}]}");
    auto r = Run({"up"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("001_count.json: up[0]: batchedUpdate: " + std::string(message)),
              std::string::npos)
        << r.err;
  }
  dir_.Write("001_count.json", R"({"version": 1, "description": "d", "up": [
      {"batchedUpdate": "users", "update": {"a": 1}}]})");
  auto replacement = Run({"up"});
  EXPECT_EQ(replacement.exit_code, 2);
  EXPECT_NE(replacement.err.find("a replacement document cannot be applied to many"),
            std::string::npos)
      << replacement.err;
  EXPECT_EQ(Count("users", R"({"a": 1})"), 0);
  EXPECT_EQ(Count("migrationHistory", "{}"), 0);
}

// Piped (CI, container logs): plain lines, the first and the last at least; on a terminal one
// line redrawn in place; with --json-lines one event per line as it happens.
TEST_F(BatchedUpdateTest, ProgressOnAPipeOnATerminalAndAsJsonLines) {
  WriteMigration(R"({"$set": {"seen": 1}})");
  auto piped = Run({"up"});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_NE(piped.out.find("  001 batchedUpdate users: 0/2,060 documents (0%)\n"),
            std::string::npos)
      << piped.out;
  EXPECT_EQ(piped.out.find('\r'), std::string::npos) << "no redraws in a pipe";

  WriteMigration(R"({"$set": {"seen": 2}})");
  (void)Run({"force", "1", "--state", "pending"});
  auto tty = RunProcess({"/usr/bin/script", "-qec",
                         std::string(MONGO_MIGRATE_PATH) + " --dir " + dir_.path() + " --uri '" +
                             Uri() + "' --no-color up",
                         "/dev/null"},
                        {"MONGODB_URI="});
  ASSERT_EQ(tty.exit_code, 0) << tty.out << tty.err;
  EXPECT_NE(tty.out.find("\r  001 batchedUpdate users: 2,060/2,060 documents (100%)"),
            std::string::npos)
      << tty.out;
  EXPECT_EQ(Count("users", R"({"seen": 2})"), kTotal);

  WriteMigration(R"({"$set": {"seen": 3}})");
  (void)Run({"force", "1", "--state", "pending"});
  auto lines = Run({"--json-lines", "up"});
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  EXPECT_NE(lines.out.find(R"({"event":"started","direction":"up","version":1,)"),
            std::string::npos)
      << lines.out;
  EXPECT_NE(lines.out.find(R"("collection":"users","done":2060,"total":2060,"batches":21,)"),
            std::string::npos)
      << lines.out;
  EXPECT_NE(lines.out.find(R"({"event":"result","command":"up","ok":true,)"), std::string::npos)
      << lines.out;
}

}  // namespace
}  // namespace mm::testing
