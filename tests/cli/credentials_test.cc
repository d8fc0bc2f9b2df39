// mongo-migrate against devmongod --auth: right and wrong credentials, password never shown.
#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

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

// A least-privilege deploy user (readWrite on the app's database) can apply migrations that
// write data and create collections and indexes; one that needs dbAdmin (collMod) fails as it
// would on MongoDB, with 13 Unauthorized, recorded `failed`; a read-only user cannot even
// take the lock.
TEST(Credentials, ALeastPrivilegeUserMeetsMongoDBsRefusals) {
  DevmongodProcess server("--auth");
  MongocClient anonymous(server.uri("admin"));
  bool ok = false;
  anonymous.Command("admin", Json(R"({"createUser": "root", "pwd": "r00t", "roles": ["root"]})"),
                    &ok);
  ASSERT_TRUE(ok);
  const std::string port = std::to_string(server.port());
  MongocClient root("mongodb://root:r00t@127.0.0.1:" + port + "/admin");
  root.Command("app", Json(R"({"createUser": "deploy", "pwd": "d3ploy", "roles": ["readWrite"]})"),
               &ok);
  ASSERT_TRUE(ok);
  root.Command("app", Json(R"({"createUser": "reader", "pwd": "r3ader", "roles": ["read"]})"), &ok);
  ASSERT_TRUE(ok);
  int code = 0;
  root.Command("app", Json(R"({"createUser": "x", "pwd": "x", "roles": ["readWriteAnyDatabase"]})"),
               &ok, &code);
  EXPECT_EQ(code, 31) << "an *AnyDatabase role exists only on admin (RoleNotFound)";
  TempDir dir;
  dir.Write("001_data.json", R"({"version": 1, "description": "data", "up": [
      {"create": "users"}, {"createIndexes": "users", "indexes": [{"key": {"email": 1}, "name": "email_1"}]},
      {"insert": "users", "documents": [{"_id": 1}]}]})");
  dir.Write("002_validator.json", R"({"version": 2, "description": "validator", "up": [
      {"collMod": "users", "validator": {"email": {"$type": "string"}}}]})");
  auto as = [&](const std::string& user_password) {
    return RunProcess(
        {MONGO_MIGRATE_PATH, "--dir", dir.path(), "--uri",
         "mongodb://" + user_password + "@127.0.0.1:" + port + "/app?serverSelectionTimeoutMS=1000",
         "up"},
        {"MONGODB_URI=", "NO_COLOR=1"});
  };
  auto reader = as("reader:r3ader");
  EXPECT_EQ(reader.exit_code, 2) << reader.out << reader.err;
  EXPECT_NE(reader.err.find("not authorized on app to execute command { findAndModify"),
            std::string::npos)
      << reader.err;
  auto deploy = as("deploy:d3ploy");
  EXPECT_EQ(deploy.exit_code, 1) << deploy.out << deploy.err;
  EXPECT_NE(deploy.err.find("002_validator.json: up[0] (collMod) failed: not authorized on app to "
                            "execute command { collMod: \"users\" } (Unauthorized, code 13)"),
            std::string::npos)
      << deploy.err;
  Document history = root.Command(
      "app",
      Json(R"({"find": "migrationHistory", "projection": {"_id": 0, "version": 1, "status": 1}})"),
      &ok);
  EXPECT_EQ(
      ToRelaxedJson(*history.Get("cursor")->As<Document>().Get("firstBatch")),
      R"([ { "version" : 1, "status" : "applied" }, { "version" : 2, "status" : "failed" } ])");
}

}  // namespace
}  // namespace mm::testing
