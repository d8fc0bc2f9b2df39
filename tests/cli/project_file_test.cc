// mongo-migrate.toml as a team uses it: found from any subdirectory, environments, the
// precedence of every layer (flag > MONGO_MIGRATE_<KEY> > environment > file > built-in), bad
// files and variables named with their line, `init` that never overwrites, and `create` with
// the timestamp scheme for branches that merge.
#include <filesystem>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

class ProjectFile : public CliTest {
 protected:
  // A migration whose description tells which directory it came from.
  void WriteMigration(const std::string& subdir, const std::string& file, int64_t version,
                      const std::string& description) {
    fs::create_directories(project_.path() + "/" + subdir);
    project_.Write(subdir + "/" + file, R"({"version": )" + std::to_string(version) +
                                            R"(, "description": ")" + description +
                                            R"(", "up": [{"insert": "log", "documents": [{"v": )" +
                                            std::to_string(version) +
                                            R"(}]}], "down": [{"delete": "log", "deletes": )"
                                            R"([{"q": {"v": )" +
                                            std::to_string(version) + R"(}, "limit": 0}]}]})");
  }
  ProcessResult Run(std::vector<std::string> args, std::vector<std::string> env = {},
                    const std::string& subdir = "") {
    for (const char* name : {"MONGO_MIGRATE_ENVIRONMENT=", "MONGO_MIGRATE_DIR=",
                             "MONGO_MIGRATE_URI=", "MONGO_MIGRATE_LOCK_TIMEOUT="}) {
      env.insert(env.begin(), name);
    }
    return Migrate(args, env, project_.path() + (subdir.empty() ? "" : "/" + subdir));
  }
  TempDir project_;
};

TEST_F(ProjectFile, EachLayerOverridesTheOneBelowIt) {
  WriteMigration("migrations", "001_a.json", 1, "from the built-in default");
  WriteMigration("d_file", "001_a.json", 1, "from the file's top level");
  WriteMigration("d_env", "001_a.json", 1, "from the chosen environment");
  WriteMigration("d_var", "001_a.json", 1, "from MONGO_MIGRATE_DIR");
  WriteMigration("d_flag", "001_a.json", 1, "from the flag");
  const std::string uri = "--uri=" + Uri();
  auto shown = [&](std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), uri);
    args.push_back("status");
    auto r = Run(args, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const char* d : {"built-in default", "file's top level", "chosen environment",
                          "MONGO_MIGRATE_DIR", "the flag"}) {
      if (r.out.find(d) != std::string::npos) return std::string(d);
    }
    return "(none): " + r.out;
  };
  project_.Write("mongo-migrate.toml", "[environments.ci]\nlock_timeout = 5\n");
  EXPECT_EQ(shown({}), "built-in default");  // migrations/ beside the file
  project_.Write("mongo-migrate.toml", "dir = \"d_file\"\n[environments.ci]\ndir = \"d_env\"\n");
  EXPECT_EQ(shown({}), "file's top level");
  EXPECT_EQ(shown({"-e", "ci"}), "chosen environment");
  EXPECT_EQ(shown({}, {"MONGO_MIGRATE_ENVIRONMENT=ci"}), "chosen environment");
  const std::string var = "MONGO_MIGRATE_DIR=" + project_.path() + "/d_var";
  EXPECT_EQ(shown({"-e", "ci"}, {var}), "MONGO_MIGRATE_DIR");
  EXPECT_EQ(shown({"-e", "ci", "--dir", project_.path() + "/d_flag"}, {var}), "the flag");
  // An environment without the key falls through to the file's top level.
  project_.Write("mongo-migrate.toml", "dir = \"d_file\"\n[environments.ci]\nlock_timeout = 5\n");
  EXPECT_EQ(shown({"-e", "ci"}), "file's top level");
}

TEST_F(ProjectFile, TheUriComesFromTheVariableTheEnvironmentNames) {
  WriteMigration("migrations", "001_a.json", 1, "a");
  project_.Write("mongo-migrate.toml",
                 "uri_env = \"MONGO_URL\"\n"
                 "[environments.staging]\nuri_env = \"STAGING_URL\"\n"
                 "[environments.local]\nuri = \"" +
                     Uri("from_file") + "\"\n");
  auto database = [](const ProcessResult& r) {
    size_t at = r.out.find("on database ");
    return at == std::string::npos ? "(none): " + r.out + r.err
                                   : r.out.substr(at + 12, r.out.find(' ', at + 12) - at - 12);
  };
  EXPECT_EQ(database(Run({"status"}, {"MONGO_URL=" + Uri("app")})), "app");
  EXPECT_EQ(database(Run({"-e", "staging", "status"},
                         {"MONGO_URL=" + Uri("app"), "STAGING_URL=" + Uri("stage")})),
            "stage");
  // The staging variable unset: the error names it, not MONGODB_URI.
  auto missing = Run({"-e", "staging", "status"}, {"MONGO_URL=" + Uri("app"), "STAGING_URL="});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("set STAGING_URL in the environment"), std::string::npos)
      << missing.err;
  // .env beside the file (paths are relative to the file, wherever the tool runs).
  project_.Write(".env", "STAGING_URL=" + Uri("from_dotenv") + "\n");
  fs::create_directories(project_.path() + "/src/deep");
  EXPECT_EQ(database(Run({"-e", "staging", "status"}, {"STAGING_URL="}, "src/deep")),
            "from_dotenv");
  // MONGO_MIGRATE_URI beats the variable; --uri beats everything.
  EXPECT_EQ(database(Run({"-e", "staging", "status"},
                         {"STAGING_URL=" + Uri("stage"), "MONGO_MIGRATE_URI=" + Uri("var")})),
            "var");
  EXPECT_EQ(database(Run({"-e", "staging", "--uri", Uri("flag"), "status"},
                         {"MONGO_MIGRATE_URI=" + Uri("var")})),
            "flag");
  // A `uri` in the file is used last, with a warning that it is a secret in the repository.
  auto local = Run({"-e", "local", "status"}, {"MONGO_URL="});
  EXPECT_EQ(database(local), "from_file");
  EXPECT_NE(local.err.find("sets environments.local.uri: a connection string in the repository"),
            std::string::npos)
      << local.err;
}

TEST_F(ProjectFile, FoundFromAnySubdirectoryAndNamedInTheFirstLine) {
  WriteMigration("db/migrations", "001_add_index.json", 1, "add index");
  project_.Write("mongo-migrate.toml", "dir = \"db/migrations\"\n");
  fs::create_directories(project_.path() + "/src/app/deep");
  auto up = Run({"--uri", Uri(), "up"}, {}, "src/app/deep");
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.out.find("from ../../../mongo-migrate.toml)"), std::string::npos) << up.out;
  EXPECT_EQ(HistoryStates(), "{ \"version\" : 1, \"status\" : \"applied\" }\n");
}

TEST_F(ProjectFile, BadFilesAndVariablesAreNamedAndChangeNothing) {
  WriteMigration("migrations", "001_a.json", 1, "a");
  struct Case {
    std::string toml;
    std::vector<std::string> env;
    std::vector<std::string> args;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"dir = \"migrations\"\nlock_timout = 5\n",
       {},
       {},
       "mongo-migrate.toml:2:1: unknown key \"lock_timout\"; did you mean lock_timeout?"},
      {"[environments.ci]\nuri_envv = \"X\"\n",
       {},
       {},
       "mongo-migrate.toml:2:1: unknown key \"uri_envv\" in [environments.ci]; did you mean "
       "uri_env?"},
      {"lock_timeout = -1\n",
       {},
       {},
       "mongo-migrate.toml:1:16: lock_timeout must be a number of seconds between 0 and 86400"},
      {"lock_lease = 0\n", {}, {}, "lock_lease must be a number of seconds between 1 and"},
      {"lock_lease = 1e999\n", {}, {}, "mongo-migrate.toml:1:19: Error while parsing"},
      {"transactions = \"no\"\n",
       {},
       {},
       "mongo-migrate.toml:1:16: transactions must be true or false"},
      {"scheme = \"date\"\n", {}, {}, "scheme must be sequential or timestamp, not \"date\""},
      {"history_collection = \"system.x\"\n",
       {},
       {},
       "history_collection must be a collection name"},
      {"uri_env = \"1BAD\"\n", {}, {}, "uri_env must be an environment variable's name"},
      {"dir = \n", {}, {}, "mongo-migrate.toml:1:7:"},
      {"environments = 3\n", {}, {}, "environments must be a table"},
      {"",
       {"MONGO_MIGRATE_LOCK_TIMEOUT=soon"},
       {},
       "environment variable MONGO_MIGRATE_LOCK_TIMEOUT must be a number of seconds between 0 "
       "and 86400, not \"soon\""},
      {"[environments.ci]\n",
       {},
       {"-e", "prod"},
       "mongo-migrate.toml has no [environments.prod] section (it has ci)"},
  };
  for (const Case& c : cases) {
    project_.Write("mongo-migrate.toml", c.toml);
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--uri", Uri(), "up"});
    auto r = Run(args, c.env);
    EXPECT_EQ(r.exit_code, 2) << c.toml;
    EXPECT_NE(r.err.find(c.error), std::string::npos) << c.toml << "\n" << r.err;
    EXPECT_EQ(r.out, "") << c.toml;
  }
  EXPECT_EQ(HistoryStates() + Documents("log"), "");
  // Without a project file anywhere, asking for an environment says so.
  fs::remove(project_.path() + "/mongo-migrate.toml");
  auto none = Run({"--uri", Uri(), "status"}, {"MONGO_MIGRATE_ENVIRONMENT=ci"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("environment \"ci\" was asked for"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("`mongo-migrate init` writes one"), std::string::npos) << none.err;
}

TEST_F(ProjectFile, InitWritesTheProjectAndNeverOverwrites) {
  auto first = Run({"init"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("wrote migrations/\nwrote mongo-migrate.toml\nwrote .env.example\n"),
            std::string::npos)
      << first.out;
  EXPECT_TRUE(fs::is_directory(project_.path() + "/migrations"));
  EXPECT_NE(project_.Read(".env.example").find("MONGODB_URI=mongodb://"), std::string::npos);
  // What it wrote is a valid project file that the tool then uses.
  auto created = Run({"create", "Add Email Index"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(fs::exists(project_.path() + "/migrations/001_add_email_index.json")) << created.out;
  auto status = Run({"status"}, {"STAGING_MONGODB_URI=" + Uri()}, "migrations");
  EXPECT_EQ(status.exit_code, 2) << "no MONGODB_URI and no .env: " << status.out;
  auto staging = Run({"-e", "staging", "status"}, {"STAGING_MONGODB_URI=" + Uri()}, "migrations");
  EXPECT_EQ(staging.exit_code, 0) << staging.err;
  EXPECT_NE(staging.out.find("add email index"), std::string::npos) << staging.out;

  // Again, with the user's edits in place: every file kept, byte for byte.
  project_.Write("mongo-migrate.toml", "dir = \"migrations\"  # ours\n");
  project_.Write(".env.example", "OURS=1\n");
  auto again = Run({"init", "--scheme", "timestamp"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("wrote"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("kept mongo-migrate.toml (it exists; init never overwrites)"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(project_.Read("mongo-migrate.toml"), "dir = \"migrations\"  # ours\n");
  EXPECT_EQ(project_.Read(".env.example"), "OURS=1\n");
  EXPECT_TRUE(fs::exists(project_.path() + "/migrations/001_add_email_index.json"));
  // A dry run writes nothing.
  TempDir empty;
  auto dry = Migrate({"--dry-run", "init"}, {}, empty.path());
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("would write mongo-migrate.toml"), std::string::npos) << dry.out;
  EXPECT_TRUE(fs::is_empty(empty.path()));
}

TEST_F(ProjectFile, TimestampVersionsLetTwoBranchesMerge) {
  project_.Write("mongo-migrate.toml", "scheme = \"timestamp\"\n");
  // create: the current UTC time, 14 digits, above every file.
  auto created = Run({"create", "first"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const size_t at = created.out.find("migrations/");
  ASSERT_NE(at, std::string::npos) << created.out;
  const std::string version = created.out.substr(at + 11, 14);
  EXPECT_EQ(version.find_first_not_of("0123456789"), std::string::npos) << created.out;
  EXPECT_GE(version, "20260101000000");
  EXPECT_EQ(created.out.substr(at + 25, 7), "_first.") << created.out;
  fs::remove_all(project_.path() + "/migrations");

  // Branch A's migration is deployed first; branch B's, older, arrives after the merge.
  WriteMigration("migrations", "20260101000000_base.json", 20260101000000, "base");
  WriteMigration("migrations", "20260103000000_branch_a.json", 20260103000000, "branch a");
  auto deployed = Run({"--uri", Uri(), "up"});
  ASSERT_EQ(deployed.exit_code, 0) << deployed.err;
  WriteMigration("migrations", "20260102000000_branch_b.json", 20260102000000, "branch b");
  auto merged = Run({"--uri", Uri(), "up"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_NE(
      merged.err.find("warning: out of order: version 20260102000000 is below the highest applied "
                      "one (20260103000000), applied as allowed"),
      std::string::npos)
      << merged.out << merged.err;
  EXPECT_EQ(Documents("log", Json(R"({"_id": 0})")),
            "{ \"v\" : 20260101000000 }\n{ \"v\" : 20260103000000 }\n{ \"v\" : 20260102000000 }\n");

  // The sequential scheme refuses the same situation (on a database of its own), naming the
  // flag and the key.
  project_.Write("mongo-migrate.toml", "scheme = \"sequential\"\n");
  fs::rename(project_.path() + "/migrations/20260102000000_branch_b.json",
             project_.path() + "/branch_b.json");
  ASSERT_EQ(Run({"--uri", Uri("sequential"), "up"}).exit_code, 0);
  fs::rename(project_.path() + "/branch_b.json",
             project_.path() + "/migrations/20260102000000_branch_b.json");
  auto refused = Run({"--uri", Uri("sequential"), "up"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--allow-out-of-order (allow_out_of_order = true in "
                             "mongo-migrate.toml)"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(HistoryStates("sequential"),
            "{ \"version\" : 20260101000000, \"status\" : \"applied\" }\n"
            "{ \"version\" : 20260103000000, \"status\" : \"applied\" }\n");
}

TEST_F(ProjectFile, CreateNumbersAboveTheHistoryWhenItCanReadIt) {
  // Another branch applied 005 from its own directory; this one has only 001.
  WriteMigration("other", "005_elsewhere.json", 5, "elsewhere");
  ASSERT_EQ(Run({"--uri", Uri(), "--dir", "other", "up"}).exit_code, 0);
  WriteMigration("migrations", "001_a.json", 1, "a");
  auto created = Run({"--uri", Uri(), "create", "next"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out, "created ./migrations/006_next.json\n");
  // The server gone: still works, above the files only, and says it did not look.
  auto offline = Run({"--uri", "mongodb://127.0.0.1:1/neuronav", "create", "offline"});
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_NE(
      offline.out.find("created ./migrations/007_offline.json\nnumbered above the files only:"),
      std::string::npos)
      << offline.out;
  auto no_uri = Run({"create", "no_uri"});
  ASSERT_EQ(no_uri.exit_code, 0) << no_uri.err;
  EXPECT_EQ(no_uri.out, "created ./migrations/008_no_uri.json\n");
}

}  // namespace
}  // namespace mm::testing
