// `status` tells the whole truth: every state counted, --exit-code non-zero for anything `up`
// would refuse or do, versions ahead of this release (blue-green), and checksums that a CRLF
// checkout does not change.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

class StatusTruth : public CliTest {
 protected:
  void Write(int v, const std::string& up = R"({"create": "c%"})") {
    std::string n = std::to_string(v);
    std::string step = up;
    if (auto pos = step.find('%'); pos != std::string::npos) step.replace(pos, 1, n);
    dir_.Write("00" + n + "_m" + n + ".json",
               "{\"version\": " + n + ", \"description\": \"m" + n + "\", \"up\": [" + step +
                   "], \"down\": " + "[{\"drop\": \"c" + n + "\"}]}");
  }
  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--dir", dir_.path(), "--uri", Uri()});
    return Migrate(args);
  }
  std::string Summary() {
    auto r = Run({"status"});
    size_t at = r.out.find("Applied: ");
    return at == std::string::npos ? r.out : r.out.substr(at, r.out.find('\n', at) - at);
  }
  int ExitCode() { return Run({"status", "--exit-code"}).exit_code; }
  TempDir dir_;
};

// Two branches each added a version 2: status shows both files (neither hides the other), marks
// them, names both and the fix; every command that writes refuses, and nothing is written.
TEST_F(StatusTruth, TwoFilesWithOneVersionAreBothShownAndNothingRuns) {
  Write(1);
  ASSERT_EQ(Run({"up"}).exit_code, 0);
  dir_.Write("002_from_branch_a.json",
             R"({"version": 2, "description": "from branch a", "up": [{"create": "a"}]})");
  dir_.Write("002_from_branch_b.json",
             R"({"version": 2, "description": "from branch b", "up": [{"create": "b"}]})");
  auto status = Run({"status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("002      CONFLICT: version shared        from branch a\n"
                            "002      CONFLICT: version shared        from branch b\n"),
            std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("Applied: 1/3, 2 sharing a version\nversion 2 is given by "
                            "002_from_branch_a.json and 002_from_branch_b.json; give one of them "
                            "a new version"),
            std::string::npos)
      << status.out;
  EXPECT_EQ(ExitCode(), 7);
  auto json = nlohmann::ordered_json::parse(Run({"--json", "status"}).out);
  EXPECT_EQ(json["counts"]["conflict"], 2);
  EXPECT_EQ(json["migrations"][1]["state"], "conflict");
  const std::string before = HistoryStates() + Documents("migrationLock");
  for (std::vector<std::string> command : {std::vector<std::string>{"up"},
                                           {"down"},
                                           {"redo"},
                                           {"baseline", "2"},
                                           {"force", "2", "--state", "applied"},
                                           {"repair", "--accept-checksum", "1"}}) {
    auto r = Run(command);
    EXPECT_EQ(r.exit_code, 2) << command[0];
    EXPECT_NE(r.err.find("002_from_branch_a.json and in 002_from_branch_b.json"), std::string::npos)
        << command[0] << ": " << r.err;
  }
  EXPECT_EQ(HistoryStates() + Documents("migrationLock"), before);
  EXPECT_EQ(Run({"validate"}).exit_code, 1);
}

TEST_F(StatusTruth, EveryStateIsCountedAndTheGateFollowsWhatUpWouldDo) {
  Write(1);
  Write(2);
  EXPECT_EQ(Summary(), "Applied: 0/2, 2 pending");
  EXPECT_EQ(ExitCode(), 3) << "pending: something to do";
  ASSERT_EQ(Run({"up"}).exit_code, 0);
  EXPECT_EQ(Summary(), "Applied: 2/2");
  EXPECT_EQ(ExitCode(), 0);

  // A failed migration is not applied ("Applied: 3/3" once said otherwise).
  Write(3, R"({"insert": "c1", "documents": [{"_id": 1}, {"_id": 1}]})");
  EXPECT_EQ(Run({"up"}).exit_code, 1);
  EXPECT_EQ(Summary(), "Applied: 2/3, 1 failed");
  EXPECT_EQ(ExitCode(), 7) << "failed: up refuses";
  auto json = nlohmann::ordered_json::parse(Run({"--json", "status"}).out);
  EXPECT_EQ(json["counts"].dump(),
            R"({"applied":2,"pending":0,"failed":1,"running":0,"changed":0,"missing":0,"ahead":0,)"
            R"("conflict":0})");
  EXPECT_EQ(json["applied"], 2);
  EXPECT_EQ(json["total"], 3);

  // A deleted file in the middle: missing ("Applied: 3/2" once).
  ASSERT_EQ(Run({"force", "3", "--state", "pending"}).exit_code, 0);
  std::filesystem::remove(dir_.path() + "/001_m1.json");
  EXPECT_EQ(Summary(), "Applied: 1/2, 1 pending, 1 missing");
  EXPECT_EQ(ExitCode(), 7);
  Write(1);

  // An edited file: changed, and the refusal names the way out.
  Write(2, R"({"create": "renamed"})");
  EXPECT_EQ(Summary(), "Applied: 1/3, 1 pending, 1 changed");
  EXPECT_EQ(ExitCode(), 7);
  auto up = Run({"up"});
  EXPECT_EQ(up.exit_code, 2);
  EXPECT_NE(up.err.find("`mongo-migrate repair --accept-checksum 2`"), std::string::npos) << up.err;
}

// The seed's blue-green deploy: the new release migrated to 3, the old one (files 1..2) still
// starts. It sees version 3 as ahead, has nothing to do, and will not roll back past it.
TEST_F(StatusTruth, AnOlderReleaseAgainstANewerDatabase) {
  for (int v = 1; v <= 3; ++v) Write(v);
  ASSERT_EQ(Run({"up"}).exit_code, 0);
  std::filesystem::remove(dir_.path() + "/003_m3.json");
  auto status = Run({"status"});
  EXPECT_NE(status.out.find("003      applied, ahead of this release"), std::string::npos)
      << status.out;
  EXPECT_EQ(Summary(), "Applied: 2/2, 1 ahead of this release");
  EXPECT_EQ(ExitCode(), 0) << "up would do nothing and refuse nothing";
  auto up = Run({"up"});
  EXPECT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.err.find("warning: version 3 is applied but this release has no file for it: the "
                        "database is ahead of this release"),
            std::string::npos)
      << up.err;
  auto down = Run({"down"});
  EXPECT_EQ(down.exit_code, 2);
  EXPECT_NE(down.err.find("refusing to roll back: version 3 is applied but this release has no "
                          "file for it"),
            std::string::npos)
      << down.err;
  EXPECT_EQ(Run({"validate"}).exit_code, 0);
  EXPECT_EQ(HistoryStates(),
            "{ \"version\" : 1, \"status\" : \"applied\" }\n"
            "{ \"version\" : 2, \"status\" : \"applied\" }\n"
            "{ \"version\" : 3, \"status\" : \"applied\" }\n");
}

// A checkout with CRLF line endings (git's autocrlf on Windows) is the same migration.
TEST_F(StatusTruth, LineEndingsDoNotChangeAChecksum) {
  dir_.Write("001_m1.json",
             "{\"version\": 1,\n \"description\": \"m1\",\n \"up\": [{\"create\": "
             "\"c1\"}],\n \"down\": [{\"drop\": \"c1\"}]}\n");
  ASSERT_EQ(Run({"up"}).exit_code, 0);
  std::string text = dir_.Read("001_m1.json");
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  dir_.Write("001_m1.json", crlf);
  EXPECT_EQ(Summary(), "Applied: 1/1");
  EXPECT_EQ(Run({"validate"}).exit_code, 0);
  EXPECT_EQ(Run({"down"}).exit_code, 0);
}

}  // namespace
}  // namespace mm::testing
