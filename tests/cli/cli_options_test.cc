// create, --dry-run, --json, where the URI comes from, exit codes, and passwords kept out of
// every output.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

class CliOptions : public CliTest {
 protected:
  std::string Snapshot() {
    bool ok = false;
    Document colls =
        client_.Command("neuronav", Json(R"({"listCollections": 1, "nameOnly": true})"), &ok);
    std::string out;
    for (const Value& c :
         colls.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      std::string name = c.As<Document>().Get("name")->As<std::string>();
      out += "== " + name + "\n" + Indexes(name) + Documents(name);
    }
    return out;
  }
};

TEST_F(CliOptions, CreateWritesTheNextVersionAndRefusesBadNames) {
  TempDir dir;
  auto first = Migrate({"--dir", dir.path(), "create", "add_new_field_to_users"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "created " + dir.path() + "/001_add_new_field_to_users.json\n");
  dir.Write("007_existing.json", "{}");
  auto next = Migrate({"--dir", dir.path(), "--json", "create", "second_one"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  auto j = nlohmann::json::parse(next.out);
  EXPECT_EQ(j["version"], 8);
  EXPECT_EQ(j["file"], dir.path() + "/008_second_one.json");
  // The template is a valid migration the loader accepts.
  auto parsed = ParseExtendedJson(dir.Read("001_add_new_field_to_users.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(ToRelaxedJson(*parsed->Get("version")), "1");
  EXPECT_EQ(ToRelaxedJson(*parsed->Get("description")), "\"add new field to users\"");
  // Names are made snake_case as migrate-mongo does; refused only when nothing is left.
  for (const char* typed : {"Add Email Index", "add-email-index", "AddEmailIndex", "addEmailIndex",
                            "  add__email.index ", "ADD_EMAIL_INDEX"}) {
    SCOPED_TRACE(typed);
    TempDir each;
    auto r = Migrate({"--dir", each.path(), "create", typed});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "created " + each.path() + "/001_add_email_index.json\n");
  }
  auto acronym = Migrate({"--dir", dir.path(), "--dry-run", "create", "HTTPServer2Config"});
  EXPECT_NE(acronym.out.find("/009_http_server2_config.json"), std::string::npos) << acronym.out;
  for (const char* typed : {"---", "2024", "__"}) {
    auto bad = Migrate({"--dir", dir.path(), "create", typed});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find(std::string("migration name \"") + typed + "\" has no letters"),
              std::string::npos)
        << bad.err;
  }
}

TEST_F(CliOptions, DryRunChangesNothing) {
  ASSERT_EQ(Migrate({"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri(), "up", "2"}).exit_code, 0);
  std::string before = Snapshot();
  auto up = Migrate({"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri(), "--dry-run", "up"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.out.find("would apply 003 Add indexes for calm score queries"), std::string::npos)
      << up.out;
  EXPECT_NE(up.out.find("3 migration(s) would be applied"), std::string::npos) << up.out;
  auto down =
      Migrate({"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri(), "--dry-run", "down", "2"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_NE(down.out.find("would roll back 002"), std::string::npos) << down.out;
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(CliOptions, JsonOutputIsOneDocument) {
  auto up = Migrate({"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri(), "--json", "up", "2"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  auto j = nlohmann::json::parse(up.out);
  EXPECT_EQ(j["command"], "up");
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["database"], "neuronav");
  EXPECT_EQ(j["planned"], nlohmann::json({1, 2}));
  ASSERT_EQ(j["ran"].size(), 2u);
  EXPECT_EQ(j["ran"][1]["version"], 2);
  EXPECT_EQ(j["ran"][1]["direction"], "up");
  EXPECT_EQ(j["ran"][1]["ok"], true);
  auto status = Migrate(
      {"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri(), "--json", "status", "--exit-code"});
  EXPECT_EQ(status.exit_code, 3);  // pending migrations, asked for a CI gate
  auto s = nlohmann::json::parse(status.out);
  EXPECT_EQ(s["applied"], 2);
  EXPECT_EQ(s["total"], 5);
  EXPECT_EQ(s["migrations"][2]["state"], "pending");
  auto refused =
      Migrate({"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri(), "--json", "down", "9"});
  EXPECT_EQ(refused.exit_code, 2);
  auto r = nlohmann::json::parse(refused.out);
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"]["exitCode"], 2);
  EXPECT_EQ(r["error"]["message"],
            "cannot roll back 9 migration(s): only 2 applied (try `down 2`)");
}

TEST_F(CliOptions, UriPrecedenceFlagThenEnvironmentThenDotenv) {
  TempDir cwd;
  cwd.Write(".env", "# app settings\nexport MONGODB_URI=\"" + Uri("fromdotenv") + "\"\nOTHER=1\n");
  auto database = [&](std::vector<std::string> args, std::vector<std::string> env) {
    args.insert(args.begin(), {"--dir", EXAMPLES_DIR "/neuronav", "--json"});
    args.push_back("status");
    auto r = Migrate(args, env, cwd.path());
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
    return nlohmann::json::parse(r.out)["database"].get<std::string>();
  };
  EXPECT_EQ(database({}, {}), "fromdotenv");
  EXPECT_EQ(database({}, {"MONGODB_URI=" + Uri("fromenv")}), "fromenv");
  EXPECT_EQ(database({"--uri", Uri("fromflag")}, {"MONGODB_URI=" + Uri("fromenv")}), "fromflag");
  // --env-file names another file.
  cwd.Write("other.env", "MONGODB_URI=" + Uri("fromother") + " # inline comment\n");
  EXPECT_EQ(database({"--env-file", cwd.path() + "/other.env"}, {}), "fromother");
}

TEST_F(CliOptions, NoUriAndNoDatabaseAreConfigurationErrors) {
  TempDir cwd;
  auto none = Migrate({"--dir", EXAMPLES_DIR "/neuronav", "status"}, {}, cwd.path());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err,
            "error: no MongoDB URI: pass --uri, set MONGODB_URI in the environment, or put "
            "MONGODB_URI=mongodb://host/dbname in ./.env\n");
  auto no_db = Migrate({"--dir", EXAMPLES_DIR "/neuronav", "--uri",
                        "mongodb://127.0.0.1:" + std::to_string(server_.port()), "status"});
  EXPECT_EQ(no_db.exit_code, 2);
  EXPECT_NE(no_db.err.find("names no database: put it in the path"), std::string::npos)
      << no_db.err;
}

TEST_F(CliOptions, PasswordNeverAppearsAndUnreachableServerExits4) {
  // Port 1 on loopback: nothing listens, so the connection fails fast.
  std::string uri = "mongodb://admin:s3cretP4ss@127.0.0.1:1/neuronav?serverSelectionTimeoutMS=300";
  for (std::vector<std::string> extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--json"}}) {
    std::vector<std::string> args{"--dir", EXAMPLES_DIR "/neuronav", "--uri", uri};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("up");
    auto r = Migrate(args);
    EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
    EXPECT_EQ(r.out.find("s3cretP4ss"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("s3cretP4ss"), std::string::npos) << r.err;
    EXPECT_NE((r.out + r.err).find("admin:****@127.0.0.1:1"), std::string::npos) << r.out << r.err;
  }
}

TEST_F(CliOptions, BadMigrationFilesAreNamedWithWhatToDo) {
  TempDir dir;
  dir.Write(
      "001_first.json",
      "{\n  \"version\": 1,\n  \"description\": \"x\",\n  \"up\": [ {\"create\": \"a\"}, ]\n}\n");
  auto r = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir.path() + "/001_first.json: invalid JSON at line 4, column"),
            std::string::npos)
      << r.err;
  dir.Write("001_first.json", R"({"version": 2, "description": "x", "up": [{"create": "a"}]})");
  r = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_NE(
      r.err.find("001_first.json: \"version\" is 2 but the file name says 1; make them agree"),
      std::string::npos)
      << r.err;
  dir.Write("001_first.json",
            R"({"version": 1, "description": "x", "up": [{"create": "a"}], "dwon": []})");
  r = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_NE(r.err.find("001_first.json: unknown field \"dwon\""), std::string::npos) << r.err;
}

TEST_F(CliOptions, AFailingMigrationExits1AndKeepsEarlierOnesRecorded) {
  TempDir dir;
  dir.Write(
      "001_ok.json",
      R"({"version": 1, "description": "ok", "up": [{"create": "a"}], "down": [{"drop": "a"}]})");
  dir.Write("002_bad.json", R"({"version": 2, "description": "bad", "up": [{"frobnicate": "a"}]})");
  auto r = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("002_bad.json: up[0] (frobnicate) failed: no such command: 'frobnicate' "
                       "(CommandNotFound, code 59)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Documents("migrationHistory",
                      Json(R"({"_id": 0, "version": 1, "status": 1, "error.codeName": 1})")),
            "{ \"version\" : 1, \"status\" : \"applied\" }\n"
            "{ \"version\" : 2, \"status\" : \"failed\", \"error\" : { \"codeName\" : "
            "\"CommandNotFound\" } }\n");
  // The next run refuses to guess and says what to do.
  auto again = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("refusing to run: version 2 (002_bad.json) failed: 002_bad.json: up[0] "
                           "(frobnicate) failed: no such command: 'frobnicate'"),
            std::string::npos)
      << again.err;
  EXPECT_NE(again.err.find("`mongo-migrate force 2 --state pending`"), std::string::npos)
      << again.err;
  auto status = Migrate({"--dir", dir.path(), "--uri", Uri(), "status"});
  EXPECT_NE(status.out.find("002      FAILED: 002_bad.json: up[0] (frobnicate) failed"),
            std::string::npos)
      << status.out;
  // A person decides it never ran; after fixing the file, up applies it.
  auto forced = Migrate({"--dir", dir.path(), "--uri", Uri(), "force", "2", "--state", "pending"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  dir.Write("002_bad.json", R"({"version": 2, "description": "fixed", "up": [{"create": "b"}]})");
  auto fixed = Migrate({"--dir", dir.path(), "--uri", Uri(), "up"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_EQ(
      Documents("migrationHistory", Json(R"({"_id": 0, "version": 1, "status": 1, "error": 1})")),
      "{ \"version\" : 1, \"status\" : \"applied\" }\n"
      "{ \"version\" : 2, \"status\" : \"applied\" }\n");
}

}  // namespace
}  // namespace mm::testing

namespace mm::testing {
namespace {

// Extreme and malformed numbers get one short line naming the argument and the range, and
// change nothing (CLI11's own check printed a 300-digit range; a number past int64 was taken
// as INT64_MAX).
TEST_F(CliOptions, BadNumbersAreOneClearLineAndChangeNothing) {
  const std::vector<std::vector<std::string>> cases = {
      {"down", "0"},     {"up", "abc"},
      {"down", "-1"},    {"down", "99999999999999999999999"},
      {"up", "1.5"},     {"force", "+3", "--state", "applied"},
      {"baseline", "0"}, {"repair", "--accept-checksum", "0x10"}};
  const std::string before = Snapshot();
  for (const auto& c : cases) {
    std::vector<std::string> args{"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri()};
    args.insert(args.end(), c.begin(), c.end());
    auto r = Migrate(args);
    SCOPED_TRACE(c[0] + " " + c[1]);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("must be a whole number from 1 to 9223372036854775807, not '"),
              std::string::npos)
        << r.err;
    EXPECT_LT(r.err.size(), 200u) << r.err;
  }
  EXPECT_EQ(Snapshot(), before);
}

// `help COMMAND` is `COMMAND --help`; every command's help names the global options; the exit
// codes are listed once, in the top-level help.
TEST_F(CliOptions, HelpForEveryCommandNamesTheGlobalOptionsAndTheExitCodesOnce) {
  auto top = Migrate({"help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("Usage: mongo-migrate [OPTIONS] SUBCOMMAND"), std::string::npos)
      << top.out;
  EXPECT_NE(top.out.find("Exit codes: 0 success"), std::string::npos) << top.out;
  for (const char* command : {"up", "down", "redo", "status", "history", "create", "validate",
                              "force", "repair", "baseline", "unlock", "init"}) {
    SCOPED_TRACE(command);
    auto page = Migrate({"help", command});
    EXPECT_EQ(page.exit_code, 0);
    EXPECT_NE(page.out.find(std::string("Usage: mongo-migrate ") + command), std::string::npos)
        << page.out;
    EXPECT_NE(page.out.find("Global options (before or after the command): --uri, "
                            "-e/--environment, --dir"),
              std::string::npos)
        << page.out;
    EXPECT_EQ(page.out.find("Exit codes:"), std::string::npos) << page.out;
    EXPECT_EQ(Migrate({command, "--help"}).out, page.out);
  }
  auto unknown = Migrate({"help", "frob"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no command 'frob'"), std::string::npos) << unknown.err;
}

TEST_F(CliOptions, AMistypedCommandGetsASuggestionAndAMissingEnvFileIsAnError) {
  auto typo = Migrate({"--uri", Uri(), "statsu"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown command 'statsu'; did you mean `status`?"), std::string::npos)
      << typo.err;
  auto far = Migrate({"--uri", Uri(), "rollback"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  // A file named on purpose must exist (the default ./.env may be absent).
  auto missing = Migrate({"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri(), "--env-file",
                          "/nonexistent/.env", "status"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--env-file: no such file: /nonexistent/.env"), std::string::npos)
      << missing.err;
}

// A reader of the pipe gets a migration's line while the next migration is still held (a
// `sleep` step on devmongod): an ordering check — the line arrives, then the process is found
// still running — not a timed one.
TEST(CliPipes, ALineReachesThePipeWhileTheNextMigrationIsHeld) {
  DevmongodProcess server("--setParameter enableTestCommands=1");
  TempDir dir;
  dir.Write("001_first.json", R"({"version": 1, "description": "first", "up": [{"create": "a"}]})");
  dir.Write("002_held.json", R"({"version": 2, "description": "held",
      "up": [{"sleep": 1, "millis": 60000}]})");
  PipedProcess run =
      SpawnPiped({MONGO_MIGRATE_PATH, "--dir", dir.path(), "--uri", server.uri("piped"), "up"},
                 {"MONGODB_URI=", "NO_COLOR=1"});
  std::string seen;
  EXPECT_TRUE(ReadUntil(run.stdout_fd, "up   001 first", &seen)) << seen;
  EXPECT_EQ(waitpid(run.pid, nullptr, WNOHANG), 0) << "the run is still held in 002";
  kill(run.pid, SIGKILL);
  WaitForExit(run.pid);
  close(run.stdout_fd);
}

// CI, docker and kubectl logs read pipes: each line must be there when its event happens, so a
// run killed mid-way leaves what it printed. And TERM=dumb gets no colour on a terminal.
TEST_F(CliOptions, OutputReachesAPipeAsItHappensAndTermDumbHasNoColour) {
  auto killed = Migrate({"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri("piped"), "up"},
                        {"MONGO_MIGRATE_TEST_FAULT=kill:after-record@3"});
  EXPECT_EQ(killed.exit_code, 128 + 9);
  EXPECT_NE(killed.out.find("up   001 Create users collection with initial indexes"),
            std::string::npos)
      << killed.out;
  EXPECT_NE(killed.out.find("up   002 "), std::string::npos) << killed.out;
  for (const char* term : {"xterm", "dumb"}) {
    auto tty = RunProcess({"/usr/bin/script", "-qec",
                           std::string(MONGO_MIGRATE_PATH) +
                               " --dir " EXAMPLES_DIR "/neuronav --uri '" + Uri("tty") + "' status",
                           "/dev/null"},
                          {"MONGODB_URI=", "NO_COLOR=", std::string("TERM=") + term});
    EXPECT_EQ(tty.exit_code, 0) << tty.out << tty.err;
    const bool coloured = tty.out.find("\033[") != std::string::npos;
    EXPECT_EQ(coloured, std::string(term) != "dumb") << term << ": " << tty.out;
  }
}

}  // namespace
}  // namespace mm::testing

namespace mm::testing {
namespace {

// 3-digit and 14-digit (timestamp) versions in one table: the State column starts at one place.
TEST_F(CliOptions, TheStatusTableFitsAnyVersionWidth) {
  TempDir dir;
  dir.Write("001_first.json", R"({"version": 1, "description": "first", "up": [{"create": "a"}]})");
  dir.Write("20240115123045_second.json",
            R"({"version": 20240115123045, "description": "second", "up": [{"create": "b"}]})");
  auto r = Migrate({"--dir", dir.path(), "--uri", Uri("wide"), "status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<size_t> state_columns;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Applied:")) continue;  // the summary, "…, 2 pending"
    for (const char* word : {"State", "pending"}) {
      if (size_t at = line.find(word); at != std::string::npos) state_columns.push_back(at);
    }
  }
  ASSERT_EQ(state_columns.size(), 3u) << r.out;
  EXPECT_EQ(state_columns[0], state_columns[1]) << r.out;
  EXPECT_EQ(state_columns[0], state_columns[2]) << r.out;
  EXPECT_EQ(state_columns[0], std::string("20240115123045  ").size()) << r.out;
}

}  // namespace
}  // namespace mm::testing

namespace mm::testing {
namespace {

// `create` then `up` at once: the template's example is refused before anything runs, so it is
// never recorded applied (and then refused as changed once edited).
TEST_F(CliOptions, AnUneditedTemplateIsRefusedByUp) {
  TempDir dir;
  ASSERT_EQ(Migrate({"--dir", dir.path(), "create", "add_field"}).exit_code, 0);
  auto up = Migrate({"--dir", dir.path(), "--uri", Uri("template"), "up"});
  EXPECT_EQ(up.exit_code, 2) << up.out << up.err;
  EXPECT_NE(up.err.find("edit 001_add_field.json first: up[0] is still the template's example"),
            std::string::npos)
      << up.err;
  // Only the lock was taken and released: no history, no collection of the template's.
  bool ok = false;
  Document colls =
      client_.Command("template", Json(R"({"listCollections": 1, "nameOnly": true})"), &ok);
  EXPECT_EQ(ToRelaxedJson(*colls.Get("cursor")->As<Document>().Get("firstBatch")),
            R"([ { "name" : "migrationLock", "type" : "collection" } ])");
}

}  // namespace
}  // namespace mm::testing

namespace mm::testing {
namespace {

// `--version` names the version project() sets and the commit the binaries were built from.
TEST(Version, BothProgramsNameTheVersionAndTheCommit) {
  for (const char* program : {MONGO_MIGRATE_PATH, DEVMONGOD_PATH}) {
    auto r = RunProcess({program, "--version"});
    EXPECT_EQ(r.exit_code, 0) << program;
    const std::string name = std::filesystem::path(program).filename().string();
    const std::string prefix = name + " " + PROJECT_VERSION + " (commit ";
    ASSERT_EQ(r.out.substr(0, prefix.size()), prefix) << r.out;
    const std::string commit = r.out.substr(prefix.size(), r.out.find(')') - prefix.size());
    const bool hex = commit.size() >= 12 && commit.substr(0, 12).find_first_not_of(
                                                "0123456789abcdef") == std::string::npos;
    EXPECT_TRUE(hex || commit == "unknown") << commit;
  }
}

}  // namespace
}  // namespace mm::testing
