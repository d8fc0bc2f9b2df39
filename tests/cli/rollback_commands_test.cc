// Rolling back to a point and re-running: `down --to VERSION`, `down --all`, `redo [N]` (the
// seed's "test your rollbacks" in one command), each in order, each refusing what it cannot do,
// and a dry run that changes nothing.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "support/temp_dir.h"

namespace mm::testing {
namespace {

class RollbackCommands : public CliTest {
 protected:
  RollbackCommands() {
    for (int v = 1; v <= 3; ++v) {
      const std::string n = std::to_string(v);
      dir_.Write("00" + n + "_step.json",
                 R"({"version": )" + n + R"(, "description": "step )" + n +
                     R"(", "up": [{"insert": "log", "documents": [{"e": "up )" + n +
                     R"("}]}], "down": [{"insert": "log", "documents": [{"e": "down )" + n +
                     R"("}]}]})");
    }
  }
  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--dir", dir_.path(), "--uri", Uri()});
    return Migrate(args);
  }
  // The log's entries in order: "up 1, up 2, …".
  std::string Log() {
    bool ok = false;
    Document reply =
        client_.Command("neuronav", Json(R"({"find": "log", "sort": {"_id": 1}})"), &ok);
    std::string out;
    for (const Value& d :
         reply.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>().items) {
      out += (out.empty() ? "" : ", ") + d.As<Document>().Get("e")->As<std::string>();
    }
    return out;
  }
  std::string Applied() {
    auto status = Run({"--json", "status"});
    std::string out;
    for (const char* v : {"1", "2", "3"}) {
      const std::string row = std::string(R"("version": )") + v + ",";
      size_t at = status.out.find(row);
      size_t state = status.out.find(R"("state": ")", at);
      out += std::string(v) + ":" +
             status.out.substr(state + 10, status.out.find('"', state + 10) - state - 10) + " ";
    }
    return out;
  }
  TempDir dir_;
};

TEST_F(RollbackCommands, RedoRollsBackThenAppliesTheSameVersionsInOrder) {
  ASSERT_EQ(Run({"up"}).exit_code, 0);
  const std::string before = Documents("migrationHistory") + Log();
  auto dry = Run({"--dry-run", "redo", "2"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  // Each planned migration with the commands its steps would send.
  EXPECT_NE(dry.out.find(
                "would roll back 003 step 3\n"
                "    down[0] { \"insert\" : \"log\", \"documents\" : [ { \"e\" : \"down 3\" } ] }\n"
                "would roll back 002 step 2\n"
                "    down[0] { \"insert\" : \"log\", \"documents\" : [ { \"e\" : \"down 2\" } ] }\n"
                "would apply 002 step 2\n"
                "    up[0] { \"insert\" : \"log\", \"documents\" : [ { \"e\" : \"up 2\" } ] }\n"
                "would apply 003 step 3\n"
                "    up[0] { \"insert\" : \"log\", \"documents\" : [ { \"e\" : \"up 3\" } ] }\n"
                "2 migration(s) would be rolled back and applied again"),
            std::string::npos)
      << dry.out;
  EXPECT_EQ(Documents("migrationHistory") + Log(), before) << "a dry run changes nothing";
  auto redo = Run({"redo", "2"});
  ASSERT_EQ(redo.exit_code, 0) << redo.out << redo.err;
  EXPECT_NE(redo.out.find("2 migration(s) rolled back and applied again"), std::string::npos)
      << redo.out;
  EXPECT_EQ(Log(), "up 1, up 2, up 3, down 3, down 2, up 2, up 3");
  EXPECT_EQ(Applied(), "1:applied 2:applied 3:applied ");
  auto too_many = Run({"redo", "4"});
  EXPECT_EQ(too_many.exit_code, 2);
  EXPECT_NE(too_many.err.find("cannot roll back 4 migration(s): only 3 applied"), std::string::npos)
      << too_many.err;
}

TEST_F(RollbackCommands, DownToAVersionAndDownAll) {
  ASSERT_EQ(Run({"up"}).exit_code, 0);
  auto to_one = Run({"down", "--to", "1"});
  ASSERT_EQ(to_one.exit_code, 0) << to_one.err;
  EXPECT_EQ(Log(), "up 1, up 2, up 3, down 3, down 2");
  EXPECT_EQ(Applied(), "1:applied 2:pending 3:pending ");
  auto again = Run({"down", "--to", "1"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to roll back"), std::string::npos) << again.out;
  auto not_applied = Run({"down", "--to", "2"});
  EXPECT_EQ(not_applied.exit_code, 2);
  EXPECT_NE(not_applied.err.find("version 2 is not applied: `down --to` rolls back to an applied "
                                 "version (`down --all` rolls back everything)"),
            std::string::npos)
      << not_applied.err;
  auto all = Run({"down", "--all"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(Log(), "up 1, up 2, up 3, down 3, down 2, down 1");
  EXPECT_EQ(Applied(), "1:pending 2:pending 3:pending ");
  for (std::vector<std::string> both : {std::vector<std::string>{"down", "2", "--all"},
                                        std::vector<std::string>{"down", "--to", "1", "--all"},
                                        std::vector<std::string>{"down", "--to", "0"}}) {
    auto usage = Run(both);
    EXPECT_EQ(usage.exit_code, 2) << both[1];
  }
}

}  // namespace
}  // namespace mm::testing

namespace mm::testing {
namespace {

// `history`: every record in the order it last changed (a hand-written record without a time,
// as the seed's guide suggests writing, first), who and how long, and a failure's whole error;
// --json the same.
TEST_F(RollbackCommands, HistoryListsEveryRecordInTheOrderItChanged) {
  dir_.Write("003_step.json", R"({"version": 3, "description": "step 3",
      "up": [{"frobnicate": 1}]})");
  bool ok = false;
  client_.Command("neuronav",
                  Json(R"({"insert": "migrationHistory", "documents": [{"version": 1}]})"), &ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(Run({"up", "2"}).exit_code, 0);
  ASSERT_EQ(Run({"down"}).exit_code, 0);
  ASSERT_EQ(Run({"up"}).exit_code, 1);
  auto text = Run({"history"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const size_t v1 = text.out.find("001      applied    -");
  const size_t v2 = text.out.find("002      applied    20");
  const size_t v3 = text.out.find("003      failed     20");
  EXPECT_TRUE(v1 != std::string::npos && v2 != std::string::npos && v3 != std::string::npos)
      << text.out;
  EXPECT_TRUE(v1 < v2 && v2 < v3) << text.out;
  EXPECT_NE(text.out.find("  error: 003_step.json"), std::string::npos) << text.out;
  auto json = Run({"--json", "history"});
  ASSERT_EQ(json.exit_code, 0);
  auto doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["records"].size(), 3u) << json.out;
  EXPECT_EQ(doc["records"][0]["version"], 1);
  EXPECT_TRUE(doc["records"][0]["when"].is_null());
  EXPECT_EQ(doc["records"][2]["status"], "failed");
  EXPECT_NE(doc["records"][2]["error"].get<std::string>().find("no such command: 'frobnicate'"),
            std::string::npos)
      << json.out;
  EXPECT_EQ(doc["records"][1]["toolVersion"].get<std::string>().empty(), false);
}

}  // namespace
}  // namespace mm::testing

namespace mm::testing {
namespace {

// A failed row is one line in the table (its error's first line, pointing at -v); `status -v`
// prints the whole error under it, the JavaScript stack too.
TEST_F(RollbackCommands, AFailedRowIsOneLineAndStatusVerboseShowsTheWholeError) {
  std::filesystem::remove(dir_.path() + "/003_step.json");
  dir_.Write("003_throws.js", R"(module.exports = {
  up: async () => {
    throw new Error('boom');
  },
};
)");
  ASSERT_EQ(Run({"up"}).exit_code, 1);
  auto table = Run({"status"});
  EXPECT_NE(table.out.find("FAILED: 003_throws.js: up() failed: Error: boom"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("(status -v: the whole error)"), std::string::npos) << table.out;
  size_t row = table.out.find("003 ");
  ASSERT_NE(row, std::string::npos);
  EXPECT_TRUE(table.out.compare(table.out.find('\n', row) + 1, 5, "-----") == 0)
      << "the failed row is one line:\n"
      << table.out;
  auto verbose = Run({"status", "-v"});
  EXPECT_NE(verbose.out.find("003_throws.js:3"), std::string::npos)
      << "the stack names the file and line:\n"
      << verbose.out;
}

}  // namespace
}  // namespace mm::testing
