// --dry-run changes nothing, on every command: the whole database (every collection, document
// and index, the history and the lock included) and the migrations directory are compared
// before and after.
#include <filesystem>
#include <fstream>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

class DryRun : public CliTest {
 protected:
  DryRun() {
    for (int v = 1; v <= 3; ++v) WriteMigration(v, "");
  }
  void WriteMigration(int v, const std::string& extra) {
    std::string n = std::to_string(v);
    dir_.Write("00" + n + "_m" + n + ".json",
               "{\"version\": " + n + ", \"description\": \"m" + n + extra +
                   "\", \"up\": [{\"insert\": \"data\", \"documents\": [{\"v\": " + n +
                   "}]}], \"down\": [{\"delete\": \"data\", \"deletes\": [{\"q\": {\"v\": " + n +
                   "}, \"limit\": 0}]}]}");
  }
  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--dir", dir_.path(), "--uri", Uri()});
    return Migrate(args);
  }
  // Every collection of the database with its indexes and documents, and every file of the
  // migrations directory with its bytes.
  std::string Everything() {
    std::string out;
    Document colls = client_.Command("neuronav", Json(R"({"listCollections": 1})"));
    std::vector<std::string> names;
    for (const Value& c :
         colls.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      names.push_back(c.As<Document>().Get("name")->As<std::string>());
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      out += "== " + name + "\n" + Indexes(name) + Documents(name);
    }
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(dir_.path())) files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files)
      out += "file " + f + "\n" + dir_.Read(fs::path(f).filename());
    return out;
  }
  TempDir dir_;
};

TEST_F(DryRun, EveryCommandChangesNothingAndSaysWhatItWouldDo) {
  ASSERT_EQ(Run({"up", "2"}).exit_code, 0);
  WriteMigration(2, " edited");  // so that `repair` has something to accept
  // A lock left by a runner that died, so that `unlock` has something to remove.
  bool ok = false;
  client_.Command("neuronav", Json(R"({"update": "migrationLock", "updates": [{"q": {"_id":
      "migrationHistory"}, "u": {"$set": {"owner": "gone", "generation": 7, "host": "pod-3",
      "pid": 42, "command": "up", "expiresAt": {"$date": "2020-01-01T00:00:00Z"}}},
      "upsert": true}]})"),
                  &ok);
  ASSERT_TRUE(ok);
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    const char* says;
  };
  const Case cases[] = {
      {{"--dry-run", "force", "3", "--state", "applied"},
       0,
       "would record version 3 as applied (without running it)"},
      {{"--dry-run", "force", "1", "--state", "pending"}, 0, "would record version 1 as pending"},
      {{"--dry-run", "baseline", "3"}, 0, "would record as baseline (not run): 3"},
      {{"--dry-run", "repair", "--accept-checksum", "2"},
       0,
       "would accept the new checksum of version 2"},
      {{"--dry-run", "unlock"}, 0, "would remove the lock held by pod-3 (pid 42, `up`"},
      {{"--dry-run", "create", "add_flag"}, 0, "dry run: would create"},
      {{"--dry-run", "down", "1"}, 2, ""},  // refused: 2 changed (nothing to compare but exit)
      {{"--dry-run", "up"}, 2, ""},
  };
  std::string before = Everything();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args[1]);
    auto r = Run(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
    EXPECT_NE(r.out.find(c.says), std::string::npos) << r.out;
    EXPECT_EQ(Everything(), before);
  }
  // With the edit accepted for real, `up` and `down` plan and still change nothing.
  WriteMigration(2, "");
  std::string restored = Everything();
  for (std::vector<std::string> args : {std::vector<std::string>{"--dry-run", "up"},
                                        std::vector<std::string>{"--dry-run", "down", "2"}}) {
    auto r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(args[1] == "up" ? "would apply 003" : "would roll back 002"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(Everything(), restored);
  }
}

// A dry run never waits for nor takes the lock, and writes nothing even on a history whose
// records need upgrading from an older release's format.
TEST_F(DryRun, OldFormatRecordsAreNotUpgradedByADryRun) {
  bool ok = false;
  client_.Command("neuronav", Json(R"({"insert": "migrationHistory", "documents": [{"version": 1,
                           "appliedAt": {"$date": "2026-01-01T00:00:00Z"}}]})"),
                  &ok);
  std::string before = Everything();
  for (const char* command : {"up", "down", "status", "validate"}) {
    SCOPED_TRACE(command);
    Run({"--dry-run", command});
    EXPECT_EQ(Everything(), before);
  }
}

}  // namespace
}  // namespace mm::testing
