// What reaches a terminal or a log: control characters from files, records and migrations are
// escaped, and no password is shown or stored — not the URI's, whatever it contains, nor one
// a migration's error happens to quote.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

class OutputSafety : public CliTest {
 protected:
  ProcessResult Run(std::vector<std::string> args, const std::string& uri = "") {
    args.insert(args.begin(), {"--dir", dir_.path(), "--uri", uri.empty() ? Uri() : uri});
    return Migrate(args);
  }
  TempDir dir_;
};

TEST_F(OutputSafety, ControlCharactersNeverReachTheTerminalRaw) {
  // A description that would clear the screen, return the cursor and ring the bell; a
  // migration that prints the same; a history record another client edited the same way.
  dir_.Write("001_evil.json",
             R"({"version": 1, "description": "evil\u001b[2J\r\u0007 \u009b31m", "up": [
                 {"create": "a"}]})");
  dir_.Write("002_loud.js", R"(module.exports = { up: async () => {
      console.log('\x1b]0;owned\x07line\rover'); } };)");
  auto up = Run({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  bool ok = false;
  client_.Command("neuronav", Json(R"({"update": "migrationHistory", "updates": [{"q":
      {"version": 2}, "u": {"$set": {"status": "failed", "error": {"message":
      "bad\u001b[31m\nthing"}}}}]})"),
                  &ok);
  auto status = Run({"status"});
  auto verbose = Run({"status", "-v"});
  for (const ProcessResult* r : {&up, &status, &verbose}) {
    std::string all = r->out + r->err;
    EXPECT_EQ(all.find('\x1b'), std::string::npos) << all;
    EXPECT_EQ(all.find('\r'), std::string::npos) << all;
    EXPECT_EQ(all.find('\x07'), std::string::npos) << all;
    EXPECT_EQ(all.find("\xc2\x9b"), std::string::npos) << all;
  }
  EXPECT_NE(up.out.find("001 evil\\x1b[2J\\r\\x07 \\u009b31m"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("002 | \\x1b]0;owned\\x07line\\rover"), std::string::npos) << up.out;
  EXPECT_NE(status.out.find("FAILED: bad\\x1b[31m (status -v: the whole error)"), std::string::npos)
      << status.out;
  EXPECT_NE(verbose.out.find("    bad\\x1b[31m\n    thing\n"), std::string::npos) << verbose.out;
  // JSON escapes by construction, and keeps the text exact.
  auto json = nlohmann::json::parse(Run({"--json", "status"}).out);
  EXPECT_EQ(json["migrations"][0]["description"],
            "evil\x1b[2J\r\x07 \xc2\x9b"
            "31m");
}

// Passwords with characters the URI syntax reserves: the driver refuses or misreads the URI,
// and its message quotes it; the password is hidden in text and --json alike.
TEST_F(OutputSafety, PasswordsWithSlashesAndAtSignsAreRedactedEverywhere) {
  dir_.Write("001_a.json", R"({"version": 1, "description": "a", "up": [{"create": "a"}]})");
  for (const std::string& uri :
       {std::string("mongodb://admin:s3cr/et@w0rd@127.0.0.1:1/db?serverSelectionTimeoutMS=200"),
        std::string("mongodb://admin:s3cr@et/w0rd@127.0.0.1:1/db?serverSelectionTimeoutMS=200"),
        std::string("mongodb://admin:s3cr%2Fet@127.0.0.1:1/db?serverSelectionTimeoutMS=200")}) {
    SCOPED_TRACE(uri);
    for (bool json : {false, true}) {
      auto r = json ? Run({"--json", "up"}, uri) : Run({"up"}, uri);
      EXPECT_NE(r.exit_code, 0);
      std::string all = r.out + r.err;
      EXPECT_EQ(all.find("s3cr"), std::string::npos) << all;
      EXPECT_EQ(all.find("w0rd"), std::string::npos) << all;
      EXPECT_EQ(all.find("s3cr/et"), std::string::npos) << all;
    }
  }
}

// A failing migration's error may quote a connection string (its own, or another's); the
// history stores it without the password, so `status` with any URI shows none.
TEST_F(OutputSafety, ErrorsAreStoredWithoutPasswords) {
  dir_.Write("001_fails.js", R"(module.exports = { up: async () => {
      throw new Error('cannot reach mongodb://reporting:hunter22@analytics.internal:27017/x'); } };)");
  auto up = Run({"up"});
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_EQ((up.out + up.err).find("hunter22"), std::string::npos) << up.out << up.err;
  std::string stored = Documents("migrationHistory");
  EXPECT_EQ(stored.find("hunter22"), std::string::npos) << stored;
  EXPECT_NE(stored.find("mongodb://reporting:****@analytics.internal:27017/x"), std::string::npos)
      << stored;
}

}  // namespace
}  // namespace mm::testing
