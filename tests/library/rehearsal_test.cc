// C++ migrations rehearsed through the library: a service that registers its migrations in code
// checks them on a shadow devmongod (mm::ShadowServer) in its own test suite.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "mongomigrate/rehearsal.h"
#include "mongomigrate/runner.h"

namespace {

mm::Status Send(mm::mongo::Database& db, const mm::Document& command) {
  auto r = db.RunCommand(command);
  return r.ok() ? mm::Status::Ok() : r.status();
}

TEST(LibraryRehearsal, ARegistryMigrationWhoseDownForgetsAnIndexFailsNamingIt) {
  mm::Registry registry;
  registry.Add(
      1, "orders with an index",
      [](mm::mongo::Database& db) {
        MM_RETURN_IF_ERROR(Send(db, mm::Document{{"create", "orders"}}));
        return Send(db,
                    mm::Document{
                        {"createIndexes", "orders"},
                        {"indexes", mm::Array{{mm::Document{{"key", mm::Document{{"placedAt", -1}}},
                                                            {"name", "placedAt_-1"}}}}}});
      },
      [](mm::mongo::Database& db) {
        return Send(db, mm::Document{{"drop", "orders"}});
      });
  registry.Add(
      2, "customers index, down forgets it",
      [](mm::mongo::Database& db) {
        return Send(
            db,
            mm::Document{{"createIndexes", "orders"},
                         {"indexes", mm::Array{{mm::Document{{"key", mm::Document{{"customer", 1}}},
                                                             {"name", "customer_1"}}}}}});
      },
      [](mm::mongo::Database&) { return mm::Status::Ok(); });

  auto shadow = mm::ShadowServer::Start(DEVMONGOD_PATH);
  ASSERT_TRUE(shadow.ok()) << shadow.status().message();
  std::vector<int64_t> heard;
  auto report = mm::Rehearse(**shadow, "shop", registry.migrations(), {},
                             [&](const mm::RehearsalResult& r) { heard.push_back(r.version); });
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(heard, (std::vector<int64_t>{1, 2}));
  ASSERT_EQ(report->results.size(), 2u);
  EXPECT_EQ(report->results[0].outcome, mm::RehearsalResult::Outcome::kPassed);
  EXPECT_EQ(report->results[1].outcome, mm::RehearsalResult::Outcome::kFailed);
  ASSERT_FALSE(report->results[1].problems.empty());
  EXPECT_NE(
      report->results[1].problems[0].find("index orders.customer_1 is still there after down"),
      std::string::npos)
      << report->results[1].problems[0];
  EXPECT_FALSE(report->Passed());
}

TEST(LibraryRegistry, TouchingDeclaresTheCollectionsOfTheMigrationAddedLast) {
  mm::Registry registry;
  auto noop = [](mm::mongo::Database&) { return mm::Status::Ok(); };
  registry.Add(1, "unknown", noop, noop);
  registry.Add(2, "orders", noop, noop).Touching({"orders", "order_lines"});
  const auto& m = registry.migrations();
  EXPECT_FALSE(m[0].up->Collections().has_value());  // known only when it runs
  ASSERT_TRUE(m[1].up->Collections().has_value());
  EXPECT_EQ(*m[1].up->Collections(), (std::vector<std::string>{"orders", "order_lines"}));
  EXPECT_EQ(*m[1].down->Collections(), (std::vector<std::string>{"orders", "order_lines"}));
}

TEST(LibraryRehearsal, AProgramThatIsNotDevmongodIsRefusedClearly) {
  auto shadow = mm::ShadowServer::Start("/bin/true");
  ASSERT_FALSE(shadow.ok());
  EXPECT_NE(shadow.status().message().find("did not start listening"), std::string::npos)
      << shadow.status().message();
  // What it printed on stderr is in the error: the reason, not a guess.
  char script[] = "/tmp/not-devmongod-XXXXXX";
  int fd = mkstemp(script);
  ASSERT_GE(fd, 0);
  const std::string text = "#!/bin/sh\necho 'devmongod: address already in use' >&2\nexit 1\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  chmod(script, 0700);
  auto failing = mm::ShadowServer::Start(script);
  unlink(script);
  ASSERT_FALSE(failing.ok());
  EXPECT_NE(failing.status().message().find("it said: devmongod: address already in use"),
            std::string::npos)
      << failing.status().message();
  auto missing = mm::ShadowServer::Start("/nonexistent/devmongod");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("--devmongod"), std::string::npos);
}

}  // namespace
