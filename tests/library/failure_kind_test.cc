// Why a run stopped is a typed field of its Status (mm::FailureKind), so an application can
// decide what to do (retry a connection, page someone for a failed migration, wait for a lock)
// without reading message text or detail keys. Each kind is provoked here as it happens in
// production, through devmongod.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "mongomigrate/runner.h"
#include "support/devmongod_process.h"

namespace {

using mm::FailureKind;

void Ignore(const mm::RunEvent&) {}

mm::Migration CreateCollection(int64_t version, std::string name) {
  mm::Registry registry;
  registry.Add(version, "create " + name, [name](mm::mongo::Database& db) {
    auto r = db.RunCommand(mm::Document{{"create", name}});
    return r.ok() ? mm::Status::Ok() : r.status();
  });
  return registry.migrations().front();
}

class FailureKindTest : public ::testing::Test {
 protected:
  std::unique_ptr<mm::mongo::Client> Connect() {
    auto client = mm::mongo::Client::Open(server_.uri("kinds"));
    EXPECT_TRUE(client.ok()) << client.status().message();
    return std::move(client).value();
  }
  mm::testing::DevmongodProcess server_;
};

TEST_F(FailureKindTest, AStepThatFailsIsAFailedMigrationWithTheServersCode) {
  auto client = Connect();
  mm::Registry registry;
  registry.Add(1, "drop what is not there", [](mm::mongo::Database& db) {
    auto r = db.RunCommand(mm::Document{{"dropIndexes", "missing"}, {"index", "nope_1"}});
    return r.ok() ? mm::Status::Ok() : r.status();
  });
  mm::Runner runner(client->database("kinds"), registry.migrations());
  auto plan = runner.Up(std::nullopt, Ignore);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().kind(), FailureKind::kMigrationFailed);
  EXPECT_EQ(plan.status().code(), mm::kNamespaceNotFound) << plan.status().message();
}

TEST_F(FailureKindTest, ATargetThatDoesNotExistIsAConfigurationFailure) {
  auto client = Connect();
  mm::Runner runner(client->database("kinds"), {CreateCollection(1, "a")});
  auto plan = runner.Up(42, Ignore);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().kind(), FailureKind::kConfiguration) << plan.status().message();
}

TEST_F(FailureKindTest, ASignalBeforeTheFirstStepIsAnInterruptionCarryingTheSignal) {
  auto client = Connect();
  mm::RunnerOptions options;
  options.interrupted = [] { return 15; };
  mm::Runner runner(client->database("kinds"), {CreateCollection(1, "a")}, options);
  auto plan = runner.Up(std::nullopt, Ignore);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().kind(), FailureKind::kInterrupted);
  EXPECT_EQ(plan.status().signal(), 15);
}

TEST_F(FailureKindTest, ALockHeldLongerThanTheTimeoutIsALockTimeout) {
  auto holder_client = Connect();
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  mm::Registry slow;
  slow.Add(1, "hold the lock", [&](mm::mongo::Database&) {
    started.set_value();
    released.wait();
    return mm::Status::Ok();
  });
  std::thread holder([&] {
    mm::Runner runner(holder_client->database("kinds"), slow.migrations());
    EXPECT_TRUE(runner.Up(std::nullopt, Ignore).ok());
  });
  started.get_future().wait();

  auto client = Connect();
  mm::RunnerOptions options;
  options.lock_timeout = std::chrono::milliseconds(300);
  mm::Runner waiting(client->database("kinds"), slow.migrations(), options);
  auto plan = waiting.Up(std::nullopt, Ignore);
  release.set_value();
  holder.join();
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().kind(), FailureKind::kLockTimeout) << plan.status().message();
}

TEST_F(FailureKindTest, NoServerIsAConnectionFailure) {
  // A port devmongod listened on and no longer does: nothing answers there.
  std::string uri;
  {
    mm::testing::DevmongodProcess gone;
    uri = gone.uri("kinds");
  }
  auto client = mm::mongo::Client::Open(uri, false, 300);
  ASSERT_TRUE(client.ok()) << client.status().message();
  mm::Runner runner((*client)->database("kinds"), {CreateCollection(1, "a")});
  auto plan = runner.Up(std::nullopt, Ignore);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().kind(), FailureKind::kConnection) << plan.status().message();
}

}  // namespace
