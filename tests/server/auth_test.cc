// devmongod --auth: SCRAM-SHA-256 through libmongoc's own authentication.
#include <gtest/gtest.h>

#include "support/devmongod_process.h"
#include "support/json.h"
#include "support/mongoc_client.h"

namespace mm {
namespace {

using mm::testing::Json;

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The localhost exception: the first user is created without credentials.
    mm::testing::MongocClient anonymous(server_.uri("admin"));
    bool ok = false;
    anonymous.Command("admin",
                      Json(R"({"createUser": "deploy", "pwd": "s3cret", "roles": ["root"]})"), &ok);
    ASSERT_TRUE(ok);
  }
  std::string Uri(const std::string& user, const std::string& password) {
    return "mongodb://" + user + ":" + password + "@127.0.0.1:" + std::to_string(server_.port()) +
           "/app?authSource=admin&serverSelectionTimeoutMS=1000";
  }
  mm::testing::DevmongodProcess server_{"--auth"};
};

TEST_F(AuthTest, RightPasswordAuthenticatesAndCommandsRun) {
  mm::testing::MongocClient client(Uri("deploy", "s3cret"));
  bool ok = false;
  Document reply =
      client.Command("app", Json(R"({"insert": "users", "documents": [{"_id": 1}]})"), &ok);
  EXPECT_TRUE(ok) << ToRelaxedJson(reply);
  EXPECT_EQ(ToRelaxedJson(reply), R"({ "n" : 1, "ok" : 1.0 })");
}

TEST_F(AuthTest, WrongPasswordFailsAuthentication) {
  mm::testing::MongocClient client(Uri("deploy", "wrong"));
  bool ok = true;
  int code = 0;
  client.Command("app", Json(R"({"ping": 1})"), &ok, &code);
  EXPECT_FALSE(ok);
  // libmongoc reports the server's AuthenticationFailed (18) as its own client error 11
  // (MONGOC_ERROR_CLIENT_AUTHENTICATE); the server's reply itself is checked in-process in
  // commands_test.cc.
  EXPECT_EQ(code, MONGOC_ERROR_CLIENT_AUTHENTICATE);
}

TEST_F(AuthTest, UnauthenticatedCommandsAreUnauthorized13) {
  mm::testing::MongocClient anonymous(server_.uri("app"));
  bool ok = true;
  int code = 0;
  Document reply = anonymous.Command("app", Json(R"({"find": "users"})"), &ok, &code);
  EXPECT_FALSE(ok);
  EXPECT_EQ(code, 13);
  EXPECT_EQ(ToRelaxedJson(*reply.Get("errmsg")), R"("Command find requires authentication")");
  // ping needs no authentication, as in mongod; a second user does.
  anonymous.Command("admin", Json(R"({"ping": 1})"), &ok);
  EXPECT_TRUE(ok);
  anonymous.Command("admin", Json(R"({"createUser": "other", "pwd": "x", "roles": []})"), &ok,
                    &code);
  EXPECT_FALSE(ok);
  EXPECT_EQ(code, 13);
}

}  // namespace
}  // namespace mm
