// Backups in mongodump's layout and their restore, as an operator relies on them before a risky
// deploy: 100,000 documents dumped and put back identical, document by document and index by
// index; read back by a BSON reader no one here wrote (pymongo's, from Debian); `up --backup`
// dumps what the pending migrations touch, before they run; personal data in private files; a
// backup never written over, a restore that refuses to overwrite.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

class Backups : public CliTest {
 protected:
  void Insert(const std::string& collection, int64_t count) {
    for (int64_t start = 0; start < count; start += 1000) {
      Array docs;
      for (int64_t i = start; i < std::min(count, start + 1000); ++i) {
        docs.items.push_back(Document{{"_id", i},
                                      {"email", "user" + std::to_string(i) + "@example.org"},
                                      {"score", static_cast<double>(i) / 7},
                                      {"joined", DateTime{1700000000000 + i}},
                                      {"tags", Array{{"a", static_cast<int32_t>(i % 5)}}}});
      }
      bool ok = false;
      client_.Command("neuronav", Document{{"insert", collection}, {"documents", docs}}, &ok);
      ASSERT_TRUE(ok);
    }
  }
  // Every document, in _id order, as one string; and the indexes.
  std::string Contents(const std::string& collection) {
    return Documents(collection) + Indexes(collection);
  }
  static int Mode(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
  }
  TempDir work_;
};

TEST_F(Backups, AHundredThousandDocumentsComeBackIdentical) {
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "up", "1"}).exit_code, 0);
  Insert("users", 100000);
  const std::string before = Contents("users");
  const std::string backup = work_.path() + "/backup";
  auto r = Migrate({"--dir", dir, "--uri", Uri(), "backup", backup});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("backed up 1 collection(s), 100000 document(s)"), std::string::npos)
      << r.out;
  // mongodump's layout, private files.
  EXPECT_EQ(Mode(backup), 0700);
  EXPECT_EQ(Mode(backup + "/neuronav"), 0700);
  EXPECT_EQ(Mode(backup + "/neuronav/users.bson"), 0600);
  EXPECT_EQ(Mode(backup + "/neuronav/users.metadata.json"), 0600);
  EXPECT_FALSE(fs::exists(backup + "/neuronav/migrationHistory.bson"));  // the tool's own
  // Read back by pymongo's BSON reader and a JSON parser: mongodump's metadata fields.
  auto py = RunProcess({"/usr/bin/python3", "-c",
                        "import bson, json, sys\n"
                        "docs = bson.decode_all(open(sys.argv[1] + '/users.bson', 'rb').read())\n"
                        "meta = json.load(open(sys.argv[1] + '/users.metadata.json'))\n"
                        "print(len(docs), docs[12345]['email'], type(docs[1]['joined']).__name__,\n"
                        "      [i['name'] for i in meta['indexes']], meta['collectionName'],\n"
                        "      meta['type'], len(meta['uuid']))\n",
                        backup + "/neuronav"},
                       {});
  ASSERT_EQ(py.exit_code, 0) << py.err << " (is Debian's python3-bson installed?)";
  EXPECT_EQ(py.out,
            "100000 user12345@example.org datetime ['_id_', 'email_1', 'phone_1'] users "
            "collection 32\n");
  // Put back after a disaster: every document and index as it was.
  bool ok = false;
  client_.Command("neuronav", Document{{"drop", "users"}}, &ok);
  ASSERT_TRUE(ok);
  auto restored = Migrate({"--dir", dir, "--uri", Uri(), "restore", backup});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(Contents("users"), before);
  // The history was not touched by the restore.
  EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"applied\" }\n");
}

TEST_F(Backups, RestoreRefusesToOverwriteUnlessToldAndABackupIsNeverWrittenOver) {
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "up", "1"}).exit_code, 0);
  Insert("users", 10);
  const std::string backup = work_.path() + "/backup";
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "backup", backup}).exit_code, 0);
  const std::string manifest = work_.Read("backup/mongo-migrate-backup.json");
  // A second backup into the same directory is refused; the first is intact.
  auto again = Migrate({"--dir", dir, "--uri", Uri(), "backup", backup});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("is not empty"), std::string::npos) << again.err;
  EXPECT_EQ(work_.Read("backup/mongo-migrate-backup.json"), manifest);
  // The live collection changed since: restore refuses, naming it, and changes nothing.
  Insert("users", 20);
  const std::string now = Contents("users");
  auto refused = Migrate({"--dir", dir, "--uri", Uri(), "restore", backup});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("would overwrite users"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--drop"), std::string::npos);
  EXPECT_EQ(Contents("users"), now);
  auto dropped = Migrate({"--dir", dir, "--uri", Uri(), "restore", "--drop", backup});
  ASSERT_EQ(dropped.exit_code, 0) << dropped.err;
  EXPECT_EQ(Contents("users").find("user15@"), std::string::npos);  // back to 10 documents
  EXPECT_NE(Contents("users").find("user9@"), std::string::npos);
}

TEST_F(Backups, UpBackupDumpsWhatThePendingMigrationsTouchBeforeTheyRun) {
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "up", "1"}).exit_code, 0);
  Insert("users", 5);
  Insert("unrelated", 5);
  const std::string users_before = Documents("users");
  const std::string backup = work_.path() + "/before-deploy";
  auto r = Migrate({"--dir", dir, "--uri", Uri(), "up", "--backup", backup});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.out.find("backed up"), r.out.find("002"));  // before the first migration
  EXPECT_TRUE(fs::exists(backup + "/neuronav/users.bson"));
  EXPECT_FALSE(fs::exists(backup + "/neuronav/unrelated.bson"));  // no pending one touches it
  auto manifest = nlohmann::json::parse(work_.Read("before-deploy/mongo-migrate-backup.json"));
  EXPECT_EQ(manifest["takenBefore"], nlohmann::json({2, 3, 4, 5}));
  // The backup holds the documents as they were before 002 and 005 changed them.
  ASSERT_NE(Documents("users"), users_before);
  bool ok = false;
  client_.Command("neuronav", Document{{"drop", "users"}}, &ok);
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "restore", backup}).exit_code, 0);
  EXPECT_EQ(Documents("users"), users_before);
}

TEST_F(Backups, AJavaScriptMigrationsCollectionsExportNarrowsTheBackup) {
  const std::string dir = work_.path() + "/migrations";
  fs::create_directories(dir);
  work_.Write(
      "migrations/001_tag_users.js",
      "module.exports = { collections: ['users'],\n"
      "  async up(db) { await db.collection('users').updateMany({}, {$set: {t: 1}}); } };\n");
  Insert("users", 3);
  Insert("unrelated", 3);
  auto narrow = Migrate({"--dir", dir, "--uri", Uri(), "up", "--backup", work_.path() + "/b1"});
  ASSERT_EQ(narrow.exit_code, 0) << narrow.err;
  EXPECT_TRUE(fs::exists(work_.path() + "/b1/neuronav/users.bson"));
  EXPECT_FALSE(fs::exists(work_.path() + "/b1/neuronav/unrelated.bson"));
  // Without the export its collections are known only when it runs: everything is dumped.
  work_.Write(
      "migrations/002_more.js",
      "module.exports = { async up(db) { await db.collection('unrelated').deleteMany({}); } };\n");
  auto whole = Migrate({"--dir", dir, "--uri", Uri(), "up", "--backup", work_.path() + "/b2"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_NE(whole.out.find("the whole database"), std::string::npos) << whole.out;
  EXPECT_TRUE(fs::exists(work_.path() + "/b2/neuronav/unrelated.bson"));
  // A `collections` export that is not a list of names is refused, naming the file.
  work_.Write("migrations/003_bad.js",
              "module.exports = { collections: 'users', async up(db) {} };\n");
  auto bad = Migrate({"--dir", dir, "--uri", Uri(), "up"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("003_bad.js: `collections` must be an array"), std::string::npos)
      << bad.err;
}

TEST_F(Backups, ARestoreWaitsForAMigrationHoldingTheLockAndGivesUpTouchingNothing) {
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "up", "1"}).exit_code, 0);
  Insert("users", 10);
  const std::string backup = work_.path() + "/backup";
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "backup", backup}).exit_code, 0);
  Insert("users", 20);
  const std::string now = Contents("users");
  // A runner paused right after taking the lock: a migration in progress.
  pid_t runner = SpawnProcess({MONGO_MIGRATE_PATH, "--dir", dir, "--uri", Uri(), "up"},
                              {"MONGODB_URI=", "MONGO_MIGRATE_TEST_FAULT=pause:after-lock"});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  // The lock document outlives each release (owner ""): wait for the paused runner's own.
  const std::string its_pid = "\"pid\" : " + std::to_string(runner);
  while (Documents("migrationLock").find(its_pid) == std::string::npos) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the runner never took the lock";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto restore =
      Migrate({"--dir", dir, "--uri", Uri(), "--lock-timeout", "1", "restore", "--drop", backup});
  EXPECT_EQ(restore.exit_code, 5) << restore.err;
  EXPECT_NE(restore.err.find("waiting for the migration lock"), std::string::npos) << restore.err;
  EXPECT_EQ(Contents("users"), now);
  // Killed, it leaves nothing in /dev/shm (libmongoc's counters are kept in memory), so no later
  // process given its pid prints "Falling back to malloc for counters".
  EXPECT_FALSE(fs::exists("/dev/shm/mongoc-" + std::to_string(runner)));
  kill(runner, SIGKILL);
  WaitForExit(runner);
}

TEST_F(Backups, ADamagedDumpIsAClearErrorAndLeavesTheCollectionAsItWas) {
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  Insert("things", 3);
  const std::string before = Contents("things");
  const std::string backup = work_.path() + "/backup";
  fs::create_directories(backup + "/neuronav");
  work_.Write("backup/neuronav/things.metadata.json",
              R"({"indexes": [], "collectionName": "things"})");
  // A good first document, then a damaged length.
  work_.Write("backup/neuronav/things.bson",
              EncodeBson(Document{{"_id", 99}}) + std::string("\xff\xff\xff\x7f", 4) + "garbage");
  auto r = Migrate({"--dir", dir, "--uri", Uri(), "restore", "--drop", backup});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("things.bson: a document at byte 14 has a bad length"), std::string::npos)
      << r.err;
  // Even with --drop, the collection is as it was, and nothing half-restored is left beside it.
  EXPECT_EQ(Contents("things"), before);
  Document listed =
      client_.Command("neuronav", Json(R"({"listCollections": 1, "nameOnly": true})"));
  EXPECT_EQ(ToRelaxedJson(listed).find("restoring"), std::string::npos) << ToRelaxedJson(listed);
}

}  // namespace
}  // namespace mm::testing
