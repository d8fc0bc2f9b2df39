// The bad-input corpus: each case must exit non-zero with a message naming the problem, and
// leave the history and the data exactly as they were.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <thread>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kGood =
    R"({"version": 1, "description": "first", "up": [{"insert": "data", "documents": [{"_id": 1}]}], "down": [{"drop": "data"}]})";

struct BadInput {
  const char* name;
  // Writes the migrations directory (001 is already a valid, applied migration).
  std::function<void(const std::string& dir)> setup;
  std::vector<std::string> args;  // "{dir}" and "{uri}" are substituted
  int exit_code;
  const char* message;  // must appear in stderr
};
void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }

void Write(const std::string& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir + "/" + name) << text;
}

std::function<void(const std::string&)> File(std::string name, std::string text) {
  return [=](const std::string& dir) { Write(dir, name, text); };
}

// Migration 2, inserting {v: VALUE}.
std::string Up(const std::string& value) {
  return R"({"version": 2, "description": "x", "up": [{"insert": "data", "documents": [{"v": )" +
         value + "}]}]}";
}

class BadInputTable : public CliTest, public ::testing::WithParamInterface<BadInput> {
 protected:
  std::string Snapshot() {
    return Indexes("data") + Documents("data") + Indexes("migrationHistory") +
           Documents("migrationHistory");
  }
};

TEST_P(BadInputTable, RefusedWithoutChangingAnything) {
  const BadInput& c = GetParam();
  TempDir temp;
  const std::string& dir = temp.path();
  temp.Write("001_first.json", kGood);
  ASSERT_EQ(Migrate({"--dir", dir, "--uri", Uri(), "up"}).exit_code, 0);
  std::string before = Snapshot();
  c.setup(dir);
  std::vector<std::string> args;
  for (std::string a : c.args) {
    if (a == "{dir}") a = dir;
    if (a == "{uri}") a = Uri();
    args.push_back(a);
  }
  auto start = std::chrono::steady_clock::now();
  auto r = Migrate(args);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
  EXPECT_NE(r.err.find(c.message), std::string::npos) << "stderr: " << r.err;
  EXPECT_LT(seconds, 5.0) << "a refusal must be quick";
  EXPECT_EQ(Snapshot(), before);
}

const std::vector<std::string> kUp{"--dir", "{dir}", "--uri", "{uri}", "up"};

INSTANTIATE_TEST_SUITE_P(
    Corpus, BadInputTable,
    ::testing::Values(
        BadInput{"invalid_json", File("002_x.json", "{\n  \"version\": 2,\n  \"up\": [,]\n}"), kUp,
                 2, "002_x.json: invalid JSON at line 3, column"},
        // Files that look like migrations but cannot run are named, never skipped in silence.
        BadInput{"typescript_file", File("002_add_x.ts", "export async function up() {}"), kUp, 2,
                 "002_add_x.ts: TypeScript migrations cannot run directly: compile them to "
                 "JavaScript first"},
        BadInput{"es_module_syntax_error", File("002_add_x.mjs", "export async function up( {}"),
                 kUp, 2, "002_add_x.mjs: SyntaxError:"},
        BadInput{"es_module_unknown_import",
                 File("002_add_x.mjs", "import _ from 'lodash';\nexport async function up() {}"),
                 kUp, 2, "002_add_x.mjs: Error: Cannot find module 'lodash'"},
        BadInput{"unknown_extension", File("002_add_x.yaml", "up: []"), kUp, 2,
                 "002_add_x.yaml: looks like a migration (its name starts with a version) but "
                 ".yaml is not a migration format"},
        BadInput{"backup_copy", File("001_init.json.bak", "{}"), kUp, 2,
                 "001_init.json.bak: looks like a migration"},
        BadInput{"trailing_garbage", File("002_x.json", R"({"version": 2} trailing)"), kUp, 2,
                 "002_x.json: invalid JSON at line 1"},
        BadInput{"top_level_array", File("002_x.json", "[]"), kUp, 2,
                 "002_x.json: invalid JSON: the top level must be an object"},
        BadInput{"empty_file", File("002_x.json", ""), kUp, 2,
                 "002_x.json: invalid JSON at line 1"},
        BadInput{"duplicate_version", File("001_again.json", kGood), kUp, 2,
                 "version 1 is defined twice: in 001_again.json and in 001_first.json"},
        BadInput{
            "version_differs_from_prefix",
            File("002_x.json", R"({"version": 3, "description": "x", "up": [{"create": "x"}]})"),
            kUp, 2, "002_x.json: \"version\" is 3 but the file name says 2; make them agree"},
        BadInput{"non_numeric_version",
                 File("002_x.json",
                      R"({"version": "two", "description": "x", "up": [{"create": "x"}]})"),
                 kUp, 2, "002_x.json: \"version\" must be a positive integer"},
        BadInput{
            "fractional_version",
            File("002_x.json", R"({"version": 2.5, "description": "x", "up": [{"create": "x"}]})"),
            kUp, 2, "002_x.json: \"version\" must be a positive integer"},
        BadInput{"missing_up", File("002_x.json", R"({"version": 2, "description": "x"})"), kUp, 2,
                 "002_x.json: \"up\" is missing: list the commands that apply this migration"},
        BadInput{"up_not_array",
                 File("002_x.json", R"({"version": 2, "description": "x", "up": {"create": "x"}})"),
                 kUp, 2, "002_x.json: \"up\" must be an array of commands"},
        BadInput{"empty_up", File("002_x.json", R"({"version": 2, "description": "x", "up": []})"),
                 kUp, 2, "002_x.json: \"up\" has no steps"},
        BadInput{"step_not_document",
                 File("002_x.json", R"({"version": 2, "description": "x", "up": [42]})"), kUp, 2,
                 "002_x.json: up[0] must be a command document"},
        BadInput{"step_empty_document",
                 File("002_x.json", R"({"version": 2, "description": "x", "up": [{}]})"), kUp, 2,
                 "002_x.json: up[0] must be a command document"},
        BadInput{
            "step_starts_with_operator",
            File("002_x.json", R"({"version": 2, "description": "x", "up": [{"$set": {"a": 1}}]})"),
            kUp, 2, "002_x.json: up[0]: a command's first field is its name, not \"$set\""},
        BadInput{
            "wrapped_step_unknown_field",
            File(
                "002_x.json",
                R"({"version": 2, "description": "x", "up": [{"command": {"create": "x"}, "tolerat": []}]})"),
            kUp, 2, "002_x.json: up[0]: unknown field \"tolerat\""},
        BadInput{
            "tolerate_wrong_type",
            File(
                "002_x.json",
                R"({"version": 2, "description": "x", "up": [{"command": {"create": "x"}, "tolerate": [true]}]})"),
            kUp, 2, "002_x.json: up[0].tolerate entries must be error code names"},
        BadInput{
            "down_not_array",
            File("002_x.json",
                 R"({"version": 2, "description": "x", "up": [{"create": "x"}], "down": "drop"})"),
            kUp, 2, "002_x.json: \"down\" must be an array of commands"},
        BadInput{"unknown_top_level_field",
                 File("002_x.json",
                      R"({"version": 2, "description": "x", "up": [{"create": "x"}], "dwon": []})"),
                 kUp, 2, "002_x.json: unknown field \"dwon\""},
        BadInput{"missing_description",
                 File("002_x.json", R"({"version": 2, "up": [{"create": "x"}]})"), kUp, 2,
                 "002_x.json: \"description\" must be a non-empty string"},
        BadInput{
            "bad_date",
            File(
                "002_x.json",
                R"({"version": 2, "description": "x", "up": [{"insert": "data", "documents": [{"at": {"$date": "yesterday"}}]}]})"),
            kUp, 2,
            "invalid Extended JSON at up[0].documents[0].at: $date string must be ISO-8601"},
        BadInput{
            "bad_oid",
            File(
                "002_x.json",
                R"({"version": 2, "description": "x", "up": [{"insert": "data", "documents": [{"_id": {"$oid": "xyz"}}]}]})"),
            kUp, 2,
            "invalid Extended JSON at up[0].documents[0]._id: $oid must be a 24-character hex "
            "string"},
        // Extended JSON wrappers with a payload of the wrong type (each once ended in
        // std::terminate), numbers beyond double, nesting beyond MongoDB's 200 levels.
        BadInput{"timestamp_with_a_string",
                 File("002_x.json", Up(R"({"$timestamp": {"t": "x", "i": 1}})")), kUp, 2,
                 "002_x.json: invalid Extended JSON at up[0].documents[0].v: $timestamp.t must "
                 "be an integer from 0 to 4294967295"},
        BadInput{"timestamp_negative",
                 File("002_x.json", Up(R"({"$timestamp": {"t": -1, "i": 1}})")), kUp, 2,
                 "$timestamp.t must be an integer from 0 to 4294967295"},
        BadInput{"uuid_not_hex",
                 File("002_x.json", Up(R"({"$uuid": "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"})")),
                 kUp, 2,
                 "002_x.json: invalid Extended JSON at up[0].documents[0].v: $uuid must be "
                 "a UUID string of 32 hex digits"},
        BadInput{"binary_base64_a_number",
                 File("002_x.json", Up(R"({"$binary": {"base64": 5, "subType": "00"}})")), kUp, 2,
                 "invalid Extended JSON at up[0].documents[0].v: $binary.base64 must be a string"},
        BadInput{"binary_subtype_not_hex",
                 File("002_x.json", Up(R"({"$binary": {"base64": "", "subType": "zz"}})")), kUp, 2,
                 "$binary.subType must be one or two hex digits"},
        BadInput{"regex_pattern_a_number",
                 File("002_x.json", Up(R"({"$regularExpression": {"pattern": 1, "options": ""}})")),
                 kUp, 2, "$regularExpression.pattern must be a string"},
        BadInput{"number_beyond_double", File("002_x.json", Up("1e400")), kUp, 2,
                 "002_x.json: invalid JSON: number '1e400' is out of range for a double"},
        BadInput{"nested_100000_levels_in_a_comment",
                 File("002_x.json", R"({"version": 2, "description": "x", "comment": )" +
                                        std::string(100000, '[') + std::string(100000, ']') +
                                        R"(, "up": [{"create": "x"}]})"),
                 kUp, 2, "nested deeper than 200 levels (MongoDB's limit)"},
        BadInput{"file_name_with_20_digits", File("99999999999999999999_x.json", kGood), kUp, 2,
                 "99999999999999999999_x.json: the version in the name has 20 digits; a version "
                 "has at most 18"},
        BadInput{"percent_in_password_not_an_escape",
                 [](const std::string&) {},
                 {"--dir", "{dir}", "--uri", "mongodb://u:pa%zzss@127.0.0.1:1/db", "up"},
                 2,
                 "mongodb://u:****@127.0.0.1:1/db"},
        BadInput{"file_name_too_few_digits", File("2_x.json", kGood), kUp, 2,
                 "2_x.json: migration files are named NNN_snake_case_name.json"},
        BadInput{"file_name_not_snake_case", File("002_AddField.json", kGood), kUp, 2,
                 "002_AddField.json: migration files are named NNN_snake_case_name.json"},
        BadInput{"javascript_without_up", File("002_x.js", "module.exports = {}"), kUp, 2,
                 "002_x.js: `up` is missing: export an async function up(db, client)"},
        BadInput{"javascript_syntax_error",
                 File("002_x.js", "module.exports = { up: async () => { ) };"), kUp, 2,
                 "SyntaxError"},
        BadInput{"javascript_requires_a_node_module",
                 File("002_x.js",
                      "require('dotenv').config();\nmodule.exports = { up: async () => {} };"),
                 kUp, 2, "Cannot find module 'dotenv'"},
        BadInput{"dangling_link",
                 [](const std::string& dir) {
                   fs::create_symlink("/nonexistent/002_x.json", dir + "/002_x.json");
                 },
                 kUp, 2, "002_x.json: cannot be read (not a regular file, or a link to nothing)"},
        BadInput{"fifty_megabyte_file",
                 [](const std::string& dir) {
                   std::ofstream f(dir + "/002_big.json");
                   f << R"({"version": 2, "description": "big", "comment": ")"
                     << std::string(50 * 1024 * 1024, 'x') << R"(", "up": [{"create": "big"}]})";
                 },
                 kUp, 2, "002_big.json: is 50 MB, larger than a migration can be (16 MB"},
        BadInput{"empty_directory",
                 [](const std::string& dir) { fs::remove(dir + "/001_first.json"); }, kUp, 2,
                 "no migration files in"},
        BadInput{"missing_directory",
                 [](const std::string&) {},
                 {"--dir", "/nonexistent/migrations", "--uri", "{uri}", "up"},
                 2,
                 "migrations directory /nonexistent/migrations does not exist"},
        BadInput{"uri_without_database",
                 [](const std::string&) {},
                 {"--dir", "{dir}", "--uri", "mongodb://127.0.0.1:1", "up"},
                 2,
                 "names no database: put it in the path"},
        BadInput{"malformed_uri",
                 [](const std::string&) {},
                 {"--dir", "{dir}", "--uri", "mongodb://", "up"},
                 2,
                 "invalid MongoDB URI mongodb://"},
        BadInput{"not_a_mongodb_uri",
                 [](const std::string&) {},
                 {"--dir", "{dir}", "--uri", "http://example/db", "up"},
                 2,
                 "invalid MongoDB URI http://example/db"},
        BadInput{"unreachable_server",
                 [](const std::string&) {},
                 {"--dir", "{dir}", "--uri",
                  "mongodb://127.0.0.1:1/db?serverSelectionTimeoutMS=300", "up"},
                 4,
                 "could not connect to mongodb://127.0.0.1:1/db?serverSelectionTimeoutMS=300"},
        BadInput{"unknown_target_version",
                 [](const std::string&) {},
                 {"--dir", "{dir}", "--uri", "{uri}", "up", "9"},
                 2,
                 "no migration has version 9 (the highest is 1)"},
        BadInput{"zero_steps",
                 [](const std::string&) {},
                 {"--dir", "{dir}", "--uri", "{uri}", "down", "0"},
                 2,
                 "STEPS: must be a whole number from 1 to 9223372036854775807, not '0'"},
        BadInput{"unknown_command",
                 [](const std::string&) {},
                 {"--dir", "{dir}", "frobnicate"},
                 2,
                 "error: unknown command 'frobnicate' (commands: up, down, redo, status, create"}),
    [](const ::testing::TestParamInfo<BadInput>& info) { return std::string(info.param.name); });

// A server that goes away in the middle of a migration: exit 4, and the version stays
// `running` (the runner cannot know how far the step got).
TEST(ServerGoneMidRun, ExitsWithConnectionFailure) {
  TempDir dir;
  dir.Write(
      "001_slow.json",
      R"({"version": 1, "description": "slow", "up": [{"create": "a"}, {"sleep": 1, "millis": 30000}]})");
  auto server = std::make_unique<DevmongodProcess>("--setParameter enableTestCommands=1");
  std::string uri = server->uri("db") + "?serverSelectionTimeoutMS=500";
  ProcessResult result;
  std::thread runner([&] {
    result =
        RunProcess({MONGO_MIGRATE_PATH, "--dir", dir.path(), "--uri", uri, "up"}, {"MONGODB_URI="});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  server.reset();  // SIGTERM: devmongod closes every connection
  runner.join();
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  EXPECT_NE(result.err.find("could not connect to"), std::string::npos) << result.err;
}

// A JavaScript migration whose connection drops: the driver's MongoNetworkError, left
// unhandled, stops the run as a lost connection (exit 4, the record left `running`: nobody
// knows whether the command ran), not as a failed migration (exit 1, `failed`), even when the
// server is back at once to take the record.
TEST(ServerGoneMidRun, AJavaScriptMigrationsDroppedConnectionIsAConnectionFailure) {
  TempDir dir;
  dir.Write("001_count.js",
            "module.exports = { async up(db) { await db.command({ count: 'a' }); } };\n");
  DevmongodProcess server("--setParameter enableTestCommands=1");
  MongocClient client(server.uri("admin"));
  bool ok = false;
  client.Command("admin", Json(R"({"configureFailPoint": "failCommand", "mode": {"times": 1},
                          "data": {"failCommands": ["count"], "closeConnection": true}})"),
                 &ok);
  ASSERT_TRUE(ok);
  auto result = RunProcess(
      {MONGO_MIGRATE_PATH, "--dir", dir.path(), "--uri", server.uri("db"), "up"}, {"MONGODB_URI="});
  EXPECT_EQ(result.exit_code, 4) << result.out << result.err;
  Document history = client.Command("db", Json(R"({"find": "migrationHistory"})"));
  EXPECT_NE(ToRelaxedJson(history).find("\"status\" : \"running\""), std::string::npos)
      << ToRelaxedJson(history);
}

}  // namespace
}  // namespace mm::testing
