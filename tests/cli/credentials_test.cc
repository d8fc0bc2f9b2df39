// mongo-migrate against devmongod --auth: right and wrong credentials, password never shown.
#include "cli/cli_fixture.h"

namespace mm::testing {
namespace {

TEST(Credentials, WrongPasswordIsAConfigurationErrorAndChangesNothing) {
  DevmongodProcess server("--auth");
  MongocClient anonymous(server.uri("admin"));
  bool ok = false;
  anonymous.Command(
      "admin", Json(R"({"createUser": "deploy", "pwd": "Right-Pa55", "roles": ["root"]})"), &ok);
  ASSERT_TRUE(ok);
  auto uri = [&](const std::string& password) {
    return "mongodb://deploy:" + password + "@127.0.0.1:" + std::to_string(server.port()) +
           "/neuronav?authSource=admin&serverSelectionTimeoutMS=1000";
  };
  auto run = [&](const std::string& password, const std::string& command) {
    return RunProcess(
        {MONGO_MIGRATE_PATH, "--dir", EXAMPLES_DIR "/neuronav", "--uri", uri(password), command},
        {"MONGODB_URI=", "NO_COLOR=1"});
  };
  auto wrong = run("Wr0ng-Pa55", "up");
  EXPECT_EQ(wrong.exit_code, 2) << wrong.out << wrong.err;
  EXPECT_NE(wrong.err.find("Authentication failed"), std::string::npos) << wrong.err;
  EXPECT_EQ((wrong.out + wrong.err).find("Wr0ng-Pa55"), std::string::npos)
      << wrong.out << wrong.err;
  auto right = run("Right-Pa55", "up");
  EXPECT_EQ(right.exit_code, 0) << right.out << right.err;
  EXPECT_EQ((right.out + right.err).find("Right-Pa55"), std::string::npos);
  MongocClient admin(uri("Right-Pa55"));
  Document history = admin.Command("neuronav", Json(R"({"count": "migrationHistory"})"), &ok);
  EXPECT_EQ(ToRelaxedJson(*history.Get("n")), "5");
}

}  // namespace
}  // namespace mm::testing
