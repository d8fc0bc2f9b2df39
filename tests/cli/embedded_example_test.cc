// examples/embedded: migrations registered in C++ and applied at start-up, twice.
#include "cli/cli_fixture.h"

namespace mm::testing {
namespace {

TEST_F(CliTest, EmbeddedExampleMigratesAtStartUpOnce) {
  auto first = RunProcess({EMBEDDED_EXAMPLE_PATH, Uri("service")});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out,
            "migrated 1: Create the sessions collection with a TTL index\n"
            "migrated 2: Seed the feature flags\n"
            "schema ready (2 applied now); serving\n");
  auto second = RunProcess({EMBEDDED_EXAMPLE_PATH, Uri("service")});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "schema ready (0 applied now); serving\n");
  MongocClient service(Uri("service"));
  bool ok = false;
  Document flags = service.Command("service", Json(R"({"find": "flags"})"), &ok);
  EXPECT_EQ(ToRelaxedJson(flags.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>()),
            R"([ { "_id" : "calm-map", "enabled" : false } ])");
  Document history = service.Command(
      "service",
      Json(
          R"({"find": "migrationHistory", "projection": {"_id": 0, "version": 1, "file": 1, "checksum": 1}})"),
      &ok);
  EXPECT_EQ(
      ToRelaxedJson(history.Get("cursor")->As<Document>().Get("firstBatch")->As<Array>()),
      R"([ { "version" : 1, "file" : null, "checksum" : null }, { "version" : 2, "file" : null, "checksum" : null } ])");
}

}  // namespace
}  // namespace mm::testing
