// Rehearsals, snapshots and drift, as a team uses them in CI: `verify` on the NeuroNav
// migrations passes; a `down` that forgets an index, an `up` that cannot run twice and a step
// devmongod does not implement are each reported for what they are; `verify --from-snapshot`
// needs no server at all; `--from-live` never writes to the live database; `schema`, `diff` and
// `validate` see added, removed and changed indexes and validators; `up`/`down` rewrite the
// snapshot, and a snapshot that cannot be written never fails an `up`.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

class Rehearse : public CliTest {
 protected:
  // A copy of the NeuroNav migrations to edit.
  std::string CopyOfNeuronav() {
    const std::string dir = work_.path() + "/migrations";
    fs::create_directories(dir);
    for (const auto& entry : fs::directory_iterator(std::string(EXAMPLES_DIR) + "/neuronav")) {
      fs::copy_file(entry.path(), dir + "/" + entry.path().filename().string());
    }
    return dir;
  }
  // mongo-migrate verify with the build tree's devmongod (never an installed one).
  ProcessResult Verify(const std::string& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--dir", dir, "verify", "--devmongod", DEVMONGOD_PATH};
    args.insert(args.end(), extra.begin(), extra.end());
    return Migrate(args);
  }
  // Everything a database holds that verify could change: each collection's listing, its
  // indexes and its documents.
  std::string Everything(const std::string& db) {
    std::string out;
    Document listed = client_.Command(db, Json(R"({"listCollections": 1})"));
    for (const Value& v :
         listed.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      Document info = v.As<Document>();
      const std::string name = info.Get("name")->As<std::string>();
      out += ToRelaxedJson(info) + "\n";
      out += ToRelaxedJson(client_.Command(db, Document{{"listIndexes", name}})) + "\n";
      out += ToRelaxedJson(
                 client_.Command(db, Document{{"find", name}, {"sort", Document{{"_id", 1}}}})) +
             "\n";
    }
    return out;
  }
  TempDir work_;
};

TEST_F(Rehearse, TheNeuronavMigrationsPassAndVersion4IsNamedIrreversible) {
  auto r = Verify(std::string(EXAMPLES_DIR) + "/neuronav");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("from an empty database"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4 passed, 1 irreversible"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("004 Add optional profile picture to users"), std::string::npos);
  // The same content for CI, and --strict makes the irreversible one a failure.
  auto json = Verify(std::string(EXAMPLES_DIR) + "/neuronav", {"--json"});
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["verify"]["results"].size(), 5u) << json.out;
  EXPECT_EQ(doc["verify"]["results"][3]["outcome"], "irreversible");
  EXPECT_EQ(doc["verify"]["results"][3]["reversible"], false);
  EXPECT_EQ(doc["verify"]["results"][0]["outcome"], "passed");
  EXPECT_EQ(doc["verify"]["passed"], true);
  // The seed's own JavaScript files, through the same runner.
  auto js = Verify(std::string(EXAMPLES_DIR) + "/neuronav-js");
  EXPECT_EQ(js.exit_code, 0) << js.out << js.err;
  EXPECT_NE(js.out.find("3 passed, 1 irreversible"), std::string::npos) << js.out;
  auto strict = Verify(std::string(EXAMPLES_DIR) + "/neuronav", {"--strict"});
  EXPECT_EQ(strict.exit_code, 1) << strict.out;
  EXPECT_NE(strict.err.find("verify failed"), std::string::npos) << strict.err;
}

TEST_F(Rehearse, ADownThatForgetsAnIndexFailsNamingIt) {
  const std::string dir = CopyOfNeuronav();
  std::string file = work_.Read("migrations/001_create_users_collection.json");
  const std::string down = R"("down": [
    {"drop": "users"}
  ])";
  ASSERT_NE(file.find(down), std::string::npos);
  file.replace(file.find(down), down.size(),
               R"("down": [{"dropIndexes": "users", "index": "email_1"}])");
  work_.Write("migrations/001_create_users_collection.json", file);
  auto r = Verify(dir);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("FAIL 001"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("index users.phone_1 is still there after down"), std::string::npos)
      << r.out;
  // Only what differs: email_1 was dropped as it should be.
  EXPECT_EQ(r.out.find("users.email_1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok   002"), std::string::npos) << r.out;  // the others still rehearsed
  // ...on what 001 left behind, and they say so.
  EXPECT_NE(r.out.find("rehearsed on what 001_create_users_collection.json left behind"),
            std::string::npos)
      << r.out;
}

TEST_F(Rehearse, AnUpThatCannotRunTwiceIsReportedNotIdempotent) {
  const std::string dir = work_.path() + "/migrations";
  fs::create_directories(dir);
  work_.Write("migrations/001_seed_flags.json", R"({"version": 1, "description": "seed flags",
    "up": [{"insert": "flags", "documents": [{"_id": "dark_mode", "on": false}]}],
    "down": [{"delete": "flags", "deletes": [{"q": {"_id": "dark_mode"}, "limit": 1}]}]})");
  auto r = Verify(dir);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // reported, fails only under --strict
  EXPECT_NE(r.out.find("(not idempotent)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("a second up on its own result fails"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("E11000"), std::string::npos) << r.out;
  auto strict = Verify(dir, {"--strict", "--json"});
  EXPECT_EQ(strict.exit_code, 1);
  auto doc = nlohmann::json::parse(strict.out);
  EXPECT_EQ(doc["verify"]["results"][0]["idempotent"], false);
  EXPECT_EQ(doc["verify"]["passed"], false);
}

TEST_F(Rehearse, AStepDevmongodDoesNotImplementIsNeverPassed) {
  const std::string dir = work_.path() + "/migrations";
  fs::create_directories(dir);
  work_.Write("migrations/001_users.json", R"({"version": 1, "description": "users",
    "up": [{"create": "users"}], "down": [{"drop": "users"}]})");
  work_.Write("migrations/002_shard.json", R"({"version": 2, "description": "shard users",
    "up": [{"reshardCollection": "neuronav.users", "key": {"email": 1}}], "down": []})");
  work_.Write("migrations/003_after.json", R"({"version": 3, "description": "after",
    "up": [{"create": "later"}], "down": [{"drop": "later"}]})");
  auto r = Verify(dir, {"--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  auto doc = nlohmann::json::parse(r.out);
  const auto& results = doc["verify"]["results"];
  ASSERT_EQ(results.size(), 3u) << r.out;
  EXPECT_EQ(results[0]["outcome"], "passed");
  EXPECT_EQ(results[1]["outcome"], "cannot rehearse");
  EXPECT_NE(results[1]["problems"][0].get<std::string>().find("devmongod does not implement"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(results[2]["outcome"], "not run");
}

TEST_F(Rehearse, FromTheSnapshotNoServerIsNeeded) {
  // The snapshot of a database at version 3, taken once...
  const std::string snapshot = work_.path() + "/schema.json";
  auto up = Migrate({"--dir", std::string(EXAMPLES_DIR) + "/neuronav", "--uri", Uri(),
                     "--schema-file", snapshot, "up", "3"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  // ...then verify with a URI where nothing listens: it never connects.
  auto r = Migrate({"--dir", std::string(EXAMPLES_DIR) + "/neuronav", "--uri",
                    "mongodb://127.0.0.1:1/nowhere?serverSelectionTimeoutMS=200", "--schema-file",
                    snapshot, "verify", "--devmongod", DEVMONGOD_PATH});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("from the snapshot " + snapshot + " (version 3)"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(" 001 "), std::string::npos) << r.out;  // applied per the snapshot
  EXPECT_NE(r.out.find("1 passed, 1 irreversible"), std::string::npos) << r.out;
}

TEST_F(Rehearse, FromLiveReadsTheDatabaseAndChangesNothingInIt) {
  auto up = Migrate({"--dir", std::string(EXAMPLES_DIR) + "/neuronav", "--uri", Uri(), "up", "2"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  bool ok = false;
  client_.Command("neuronav",
                  Json(R"({"insert": "users", "documents": [{"email": "a@x", "phone": "1"},
                          {"email": "b@x", "phone": "2"}, {"email": "c@x", "phone": "3"}]})"),
                  &ok);
  ASSERT_TRUE(ok);
  const std::string before = Everything("neuronav");
  auto r = Migrate({"--dir", std::string(EXAMPLES_DIR) + "/neuronav", "--uri", Uri(), "verify",
                    "--from-live", "--sample", "2", "--devmongod", DEVMONGOD_PATH});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("from the live database neuronav (read only) with 2 sample document(s)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(" 002 "), std::string::npos) << r.out;  // applied: not rehearsed
  EXPECT_NE(r.out.find(" 003 "), std::string::npos) << r.out;
  EXPECT_EQ(Everything("neuronav"), before);
}

TEST_F(Rehearse, DiffSeesAddedRemovedAndChangedIndexesAndValidators) {
  const std::string snapshot = work_.path() + "/schema.json";
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  auto up = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "up", "3"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  auto same = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "diff"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  // Someone changes the database by hand.
  bool ok = false;
  client_.Command("neuronav",
                  Json(R"({"createIndexes": "users", "indexes": [{"key": {"nickname": 1},
                           "name": "nickname_1"}]})"),
                  &ok);
  ASSERT_TRUE(ok);
  client_.Command("neuronav", Json(R"({"dropIndexes": "users", "index": "phone_1"})"), &ok);
  ASSERT_TRUE(ok);
  client_.Command("neuronav",
                  Json(R"({"collMod": "users", "validator": {"email": {"$type": "string"}}})"),
                  &ok);
  ASSERT_TRUE(ok);
  auto r = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "diff"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("+ index users.nickname_1 is there, not expected"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("- index users.phone_1 is missing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("+ users option validator is there"), std::string::npos) << r.out;
  auto json = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "diff", "--json"});
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["drift"], true);
  EXPECT_EQ(doc["differences"].size(), 3u) << json.out;
  // A changed index: same name, another key.
  client_.Command("neuronav", Json(R"({"dropIndexes": "users", "index": "nickname_1"})"), &ok);
  client_.Command("neuronav", Json(R"({"createIndexes": "users", "indexes": [{"key": {"phone": -1},
                           "name": "phone_1"}]})"),
                  &ok);
  ASSERT_TRUE(ok);
  auto changed = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "diff"});
  EXPECT_NE(changed.out.find("~ index users.phone_1 differs"), std::string::npos) << changed.out;
  // validate includes the drift check.
  auto validate = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "validate"});
  EXPECT_EQ(validate.exit_code, 1);
  EXPECT_NE(validate.err.find("drifted"), std::string::npos) << validate.err;
}

TEST_F(Rehearse, UpAndDownRewriteTheSnapshotAndAnUnwritableOneOnlyWarns) {
  const std::string snapshot = work_.path() + "/schema.json";
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "up", "3"}).exit_code,
            0);
  std::string at3 = work_.Read("schema.json");
  EXPECT_NE(at3.find("\"version\": 3"), std::string::npos) << at3;
  EXPECT_NE(at3.find("location_2dsphere"), std::string::npos);
  EXPECT_EQ(at3.find("migrationHistory"), std::string::npos);  // the tool's own are left out
  // The same schema twice is the same file, byte for byte.
  auto printed = Migrate({"--dir", dir, "--uri", Uri(), "schema"});
  EXPECT_EQ(printed.out, at3);
  auto down = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "down"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  std::string at2 = work_.Read("schema.json");
  EXPECT_NE(at2.find("\"version\": 2"), std::string::npos) << at2;
  EXPECT_EQ(at2.find("location_2dsphere"), std::string::npos) << at2;
  // A run with nothing to do leaves the snapshot alone: a manual change stays visible to diff.
  bool ok = false;
  client_.Command("neuronav", Json(R"({"createIndexes": "users", "indexes": [{"key": {"byHand": 1},
                           "name": "byHand_1"}]})"),
                  &ok);
  ASSERT_TRUE(ok);
  auto noop = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "up", "2"});
  ASSERT_EQ(noop.exit_code, 0) << noop.err;
  EXPECT_EQ(work_.Read("schema.json"), at2);
  auto drift = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file", snapshot, "diff"});
  EXPECT_EQ(drift.exit_code, 1) << drift.out;
  client_.Command("neuronav", Json(R"({"dropIndexes": "users", "index": "byHand_1"})"), &ok);
  // Where the snapshot cannot be written (its directory is a file: even root cannot), the up
  // still succeeds, with a warning.
  work_.Write("not_a_dir", "x");
  auto up = Migrate({"--dir", dir, "--uri", Uri(), "--schema-file",
                     work_.path() + "/not_a_dir/schema.json", "up"});
  EXPECT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.out.find("warning: the schema snapshot was not rewritten"), std::string::npos)
      << up.out;
  EXPECT_NE(HistoryStates().find("\"version\" : 5"), std::string::npos) << HistoryStates();
}

TEST_F(Rehearse, AHostileSnapshotIsAClearErrorNamingTheFile) {
  const std::string dir = std::string(EXAMPLES_DIR) + "/neuronav";
  for (const std::string& text :
       {std::string("{"), std::string(R"({"mongoMigrateSchema": 2})"),
        std::string(R"({"mongoMigrateSchema": 1, "version": -1, "collections": []})"),
        std::string(R"({"mongoMigrateSchema": 1, "version": 1, "collections": [{"name": 5}]})"),
        std::string(5000, '[')}) {
    work_.Write("schema.json", text);
    auto r = Migrate({"--dir", dir, "--schema-file", work_.path() + "/schema.json", "verify",
                      "--from-snapshot", "--devmongod", DEVMONGOD_PATH});
    EXPECT_EQ(r.exit_code, 2) << text.substr(0, 80) << r.out;
    EXPECT_NE(r.err.find(work_.path() + "/schema.json: "), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace mm::testing
