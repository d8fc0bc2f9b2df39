// A migrate-mongo project, taken over with no edit and handed back: the real migrate-mongo
// (tests/clients, pinned) applies three, mongo-migrate agrees and applies two more,
// migrate-mongo agrees and its `down` undoes one of ours, mongo-migrate agrees; the changelog
// holds exactly what migrate-mongo would hold throughout, and each tool's lock stops the other.
#include <chrono>
#include <filesystem>
#include <thread>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

class MigrateMongo : public CliTest {
 protected:
  MigrateMongo() {
    project_.Write(
        "migrate-mongo-config.js",
        "const config = {\n"
        "  mongodb: { url: process.env.TEST_MONGO_URL, databaseName: 'shop', options: {} "
        "},\n"
        "  migrationsDir: 'migrations',\n"
        "  changelogCollectionName: 'changelog',\n"
        "  lockCollectionName: 'changelog_lock',\n"
        "  lockTtl: 30,\n"
        "  migrationFileExtension: '.js',\n"
        "  useFileHash: false,\n"
        "  moduleSystem: 'commonjs',\n"
        "};\nmodule.exports = config;\n");
    fs::create_directories(project_.path() + "/migrations");
    // migrate-mongo reads every .js file in the directory; a helper with another extension
    // is none of its business, nor of ours in this mode.
    project_.Write("migrations/notes.json", "{\"not\": \"a migration\"}");
  }
  void AddMigration(int i) {
    project_.Write(
        "migrations/2024010" + std::to_string(i) + "000000-step-" + std::to_string(i) + ".js",
        "module.exports = {\n"
        "  async up(db, client) { await db.collection('log').insertOne({ step: " +
            std::to_string(i) +
            " }); },\n"
            "  async down(db, client) { await db.collection('log').deleteOne({ step: " +
            std::to_string(i) + " }); }\n};\n");
  }
  std::vector<std::string> Env() { return {"TEST_MONGO_URL=" + server_.uri(""), "NO_COLOR=1"}; }
  ProcessResult Theirs(const std::string& command) {
    return RunProcess(
        {std::string(TESTS_DIR) + "/clients/node_modules/.bin/migrate-mongo", command}, Env(),
        project_.path());
  }
  ProcessResult Ours(std::vector<std::string> args) {
    return Migrate(args, Env(), project_.path());
  }
  // What the changelog holds: file names, in order.
  std::string Changelog() {
    bool ok = false;
    Document reply =
        client_.Command("shop", Json(R"({"find": "changelog", "sort": {"fileName": 1}})"), &ok);
    std::string out;
    for (const Value& d :
         reply.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      const Document& entry = d.As<Document>();
      std::string fields;
      for (const Field& f : entry.fields()) fields += f.key + ",";
      out += entry.Get("fileName")->As<std::string>().substr(0, 14) + " (" + fields + ")\n";
    }
    return out;
  }
  // How many rows migrate-mongo's status shows as PENDING.
  static size_t Pending(const std::string& table) {
    size_t n = 0;
    for (size_t at = 0; (at = table.find("PENDING", at)) != std::string::npos; ++at) ++n;
    return n;
  }
  std::string Log() {
    bool ok = false;
    Document reply = client_.Command(
        "shop", Json(R"({"find": "log", "projection": {"_id": 0}, "sort": {"step": 1}})"), &ok);
    std::string out;
    for (const Value& d :
         reply.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      out += ToRelaxedJson(d.As<Document>());
    }
    return out;
  }
  TempDir project_;
};

TEST_F(MigrateMongo, TakenOverAndHandedBackWithNoEdit) {
  for (int i = 1; i <= 3; ++i) AddMigration(i);
  auto theirs = Theirs("up");
  ASSERT_EQ(theirs.exit_code, 0) << "migrate-mongo (scripts/install-deps.sh installs it)\n"
                                 << theirs.out << theirs.err;
  const std::string entry = " (_id,fileName,appliedAt,migrationBlock,)\n";
  EXPECT_EQ(Changelog(),
            "20240101000000" + entry + "20240102000000" + entry + "20240103000000" + entry);

  // mongo-migrate sees what migrate-mongo applied, in the database the config names.
  auto status = Ours({"status"});
  ASSERT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("on database shop (" + server_.uri("") +
                            "; the migrate-mongo project of migrate-mongo-config.js"),
            std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("Applied: 3/3"), std::string::npos) << status.out;

  AddMigration(4);
  AddMigration(5);
  auto up = Ours({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("2 migration(s) applied"), std::string::npos) << up.out;
  EXPECT_EQ(Log(), R"({ "step" : 1 }{ "step" : 2 }{ "step" : 3 }{ "step" : 4 }{ "step" : 5 })");
  // Our documents in the changelog are migrate-mongo's, field for field.
  EXPECT_EQ(Changelog(), "20240101000000" + entry + "20240102000000" + entry + "20240103000000" +
                             entry + "20240104000000" + entry + "20240105000000" + entry);

  auto their_status = Theirs("status");
  ASSERT_EQ(their_status.exit_code, 0) << their_status.err;
  EXPECT_EQ(their_status.out.find("PENDING"), std::string::npos) << their_status.out;

  // migrate-mongo rolls back the last one, which mongo-migrate applied.
  auto their_down = Theirs("down");
  ASSERT_EQ(their_down.exit_code, 0) << their_down.out << their_down.err;
  EXPECT_NE(their_down.out.find("MIGRATED DOWN: 20240105000000-step-5.js"), std::string::npos)
      << their_down.out;
  auto after = Ours({"status"});
  EXPECT_NE(after.out.find("Applied: 4/5, 1 pending"), std::string::npos) << after.out;

  // Our own down deletes the changelog document as migrate-mongo does, and migrate-mongo agrees.
  auto down = Ours({"down"});
  ASSERT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_EQ(Log(), R"({ "step" : 1 }{ "step" : 2 }{ "step" : 3 })");
  EXPECT_EQ(Changelog(),
            "20240101000000" + entry + "20240102000000" + entry + "20240103000000" + entry);
  auto final_status = Theirs("status");
  EXPECT_NE(final_status.out.find("20240104000000-step-4.js"), std::string::npos);
  EXPECT_EQ(Pending(final_status.out), 2u) << final_status.out;
  // And migrate-mongo applies them again from there.
  ASSERT_EQ(Theirs("up").exit_code, 0);
  EXPECT_NE(Ours({"status"}).out.find("Applied: 5/5"), std::string::npos);
}

// Killed between migrate-mongo's changelog document and its own record, at each of the two
// writes of an `up` and of a `down`: the next command settles the version as the changelog
// says, and nothing runs twice.
TEST_F(MigrateMongo, AKillBetweenTheChangelogAndTheRecordRunsNothingTwice) {
  AddMigration(1);
  AddMigration(2);
  auto killed = Migrate({"--lock-lease", "1", "up"},
                        {"TEST_MONGO_URL=" + server_.uri(""), "NO_COLOR=1",
                         "MONGO_MIGRATE_TEST_FAULT=kill:after-changelog@20240101000000"},
                        project_.path());
  EXPECT_EQ(killed.exit_code, 128 + 9);
  EXPECT_EQ(Log(), R"({ "step" : 1 })");
  // Our lock outlives the killed run by its lease (1 s here); migrate-mongo's has no owner to
  // expire it before lockTtl, so it is released by hand, as a migrate-mongo user would.
  client_.Command("shop",
                  Json(R"({"delete": "changelog_lock", "deletes": [{"q": {}, "limit": 0}]})"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto status = Ours({"status"});
  EXPECT_NE(status.out.find("Applied: 1/2, 1 pending"), std::string::npos) << status.out;
  auto up = Ours({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(Log(), R"({ "step" : 1 }{ "step" : 2 })") << "step 1 ran once";

  // A down killed after it deleted the changelog document: not applied, and honest about the
  // unfinished record until a person settles it.
  auto killed_down = Migrate({"--lock-lease", "1", "down"},
                             {"TEST_MONGO_URL=" + server_.uri(""), "NO_COLOR=1",
                              "MONGO_MIGRATE_TEST_FAULT=kill:after-changelog@20240102000000"},
                             project_.path());
  EXPECT_EQ(killed_down.exit_code, 128 + 9);
  client_.Command("shop",
                  Json(R"({"delete": "changelog_lock", "deletes": [{"q": {}, "limit": 0}]})"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto after = Ours({"status"});
  EXPECT_NE(after.out.find("RUNNING"), std::string::npos) << after.out;
  EXPECT_EQ(Ours({"up"}).exit_code, 2) << "an unfinished down is not run over";
  ASSERT_EQ(Ours({"force", "20240102000000", "--state", "pending"}).exit_code, 0);
  EXPECT_NE(Ours({"status"}).out.find("Applied: 1/2, 1 pending"), std::string::npos);
  EXPECT_EQ(Pending(Theirs("status").out), 1u);
}

TEST_F(MigrateMongo, EachToolsLockStopsTheOther) {
  AddMigration(1);
  // A migrate-mongo run in progress (its lock document, as it inserts it): ours refuses.
  client_.Command("shop", Json(R"({"insert": "changelog_lock", "documents": [{"createdAt":
                                  {"$date": "2030-01-01T00:00:00Z"}}]})"));
  auto refused = Ours({"up"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("migrate-mongo's lock is in place"), std::string::npos) << refused.err;
  EXPECT_EQ(Log(), "");
  client_.Command("shop",
                  Json(R"({"delete": "changelog_lock", "deletes": [{"q": {}, "limit": 0}]})"));
  ASSERT_EQ(Ours({"up"}).exit_code, 0);
  EXPECT_EQ(Log(), R"({ "step" : 1 })");
}

TEST_F(MigrateMongo, AProjectFileWinsAndSaysSo) {
  AddMigration(1);
  fs::remove(project_.path() + "/migrations/notes.json");  // a .json file is a migration there
  project_.Write("mongo-migrate.toml", "dir = \"migrations\"\n");
  auto status = Ours({"--uri", Uri(), "status"});
  EXPECT_NE(status.out.find("from mongo-migrate.toml (it wins over migrate-mongo-config.js)"),
            std::string::npos)
      << status.out << status.err;
}

}  // namespace
}  // namespace mm::testing
