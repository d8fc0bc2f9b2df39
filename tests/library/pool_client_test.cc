// An application hands mongomigrate the connection pool it already has: the runner applies the
// migrations through it, takes and frees its lock through it, leaves the pool as it found it
// (every connection pushed back, the pool not destroyed), and the application goes on using it.
#include <gtest/gtest.h>
#include <mongoc/mongoc.h>

#include "mongomigrate/runner.h"
#include "support/devmongod_process.h"

namespace {

TEST(PoolClient, TheRunnerWorksThroughTheApplicationsPoolAndLeavesItUsable) {
  mm::testing::DevmongodProcess server;
  mongoc_init();
  mongoc_uri_t* uri = mongoc_uri_new(server.uri("app").c_str());
  ASSERT_NE(uri, nullptr);
  mongoc_client_pool_t* pool = mongoc_client_pool_new(uri);
  mongoc_client_pool_set_error_api(pool, MONGOC_ERROR_API_VERSION_2);
  {
    auto client = mm::mongo::Client::FromPool(pool, "app");
    mm::Registry registry;
    registry.Add(1, "create widgets", [](mm::mongo::Database& db) {
      auto r = db.RunCommand(mm::Document{{"create", "widgets"}});
      return r.ok() ? mm::Status::Ok() : r.status();
    });
    mm::Runner runner(client->database(client->default_database()), registry.migrations());
    auto plan = runner.Up(std::nullopt, [](const mm::RunEvent&) {});
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    EXPECT_EQ(plan->steps.size(), 1u);
    auto rows = runner.Status();
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(rows->front().state, mm::plan::State::kApplied);
  }
  // The Client is gone; the pool is the application's, whole and working.
  mongoc_client_t* c = mongoc_client_pool_pop(pool);
  bson_t* ping = BCON_NEW("listCollections", BCON_INT32(1), "nameOnly", BCON_BOOL(true));
  bson_t reply;
  bson_error_t error;
  EXPECT_TRUE(mongoc_client_command_simple(c, "app", ping, nullptr, &reply, &error))
      << error.message;
  char* json = bson_as_relaxed_extended_json(&reply, nullptr);
  EXPECT_NE(std::string(json).find("\"widgets\""), std::string::npos) << json;
  bson_free(json);
  bson_destroy(&reply);
  bson_destroy(ping);
  mongoc_client_pool_push(pool, c);
  mongoc_client_pool_destroy(pool);
  mongoc_uri_destroy(uri);
}

}  // namespace
