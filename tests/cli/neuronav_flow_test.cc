// The seed's flow on examples/neuronav/, through the mongo-migrate binary, with the indexes and
// documents in devmongod checked exactly after every command.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace mm::testing {
namespace {

class NeuronavFlow : public CliTest {
 protected:
  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--dir", EXAMPLES_DIR "/neuronav", "--uri", Uri()});
    return Migrate(args);
  }
  std::string Users() { return Documents("users", Json(R"({"migratedAt": 0})")); }
  int AppliedCount() {
    auto r = Run({"status", "--json"});
    return nlohmann::json::parse(r.out)["applied"].get<int>();
  }
};

constexpr const char* kUsersIndexes =
    "_id_ { \"_id\" : 1 }\nemail_1 { \"email\" : 1 } unique\nphone_1 { \"phone\" : 1 }\n";
constexpr const char* kCalmscoresIndexes =
    "_id_ { \"_id\" : 1 }\nuserId_1_timestamp_-1 { \"userId\" : 1, \"timestamp\" : -1 }\n"
    "location_2dsphere { \"location\" : \"2dsphere\" }\n"
    "stressors_text { \"_fts\" : \"text\", \"_ftsx\" : 1 }\n";

TEST_F(NeuronavFlow, StatusUpDownUpAsTheSeed) {
  // The app's existing users, before any migration.
  client_.Command(
      "neuronav",
      Json(
          R"({"insert": "users", "documents": [{"_id": 1, "email": "a@x"}, {"_id": 2, "email": "b@x", "profilePictureUrl": "p.png"}]})"));

  auto status = Run({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("Applied: 0/5"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("001      pending"), std::string::npos) << status.out;

  auto up3 = Run({"up", "3"});
  ASSERT_EQ(up3.exit_code, 0) << up3.err;
  EXPECT_NE(up3.out.find("3 migration(s) applied"), std::string::npos) << up3.out;
  EXPECT_EQ(Indexes("users"), kUsersIndexes);
  EXPECT_EQ(Indexes("calmscores"), kCalmscoresIndexes);
  EXPECT_EQ(Users(),
            "{ \"_id\" : 1, \"email\" : \"a@x\", \"schemaVersion\" : 2 }\n"
            "{ \"_id\" : 2, \"email\" : \"b@x\", \"profilePictureUrl\" : \"p.png\", "
            "\"schemaVersion\" : 2 }\n");
  EXPECT_EQ(
      Documents("users",
                Json(R"({"_id": 0, "migratedAt": {"$eq": [{"$type": "$migratedAt"}, "date"]}})")),
      "{ \"migratedAt\" : true }\n{ \"migratedAt\" : true }\n");

  status = Run({"status"});
  EXPECT_NE(status.out.find("Applied: 3/5"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("004      pending"), std::string::npos) << status.out;

  auto up = Run({"up"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(
      Users(),
      "{ \"_id\" : 1, \"email\" : \"a@x\", \"schemaVersion\" : 2, \"profilePictureUrl\" : null, "
      "\"sensoryPreferences\" : { \"noise\" : \"medium\", \"light\" : \"medium\", \"crowds\" : "
      "\"medium\", \"alerts\" : true } }\n"
      "{ \"_id\" : 2, \"email\" : \"b@x\", \"profilePictureUrl\" : \"p.png\", \"schemaVersion\" : "
      "2, "
      "\"sensoryPreferences\" : { \"noise\" : \"medium\", \"light\" : \"medium\", \"crowds\" : "
      "\"medium\", \"alerts\" : true } }\n");
  std::string users_all = std::string(kUsersIndexes) +
                          "sensoryPreferences.noise_1 { \"sensoryPreferences.noise\" : 1 }\n";
  EXPECT_EQ(Indexes("users"), users_all);
  EXPECT_EQ(AppliedCount(), 5);

  auto refused = Run({"down", "3"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(
      refused.err.find(
          "version 4 (004_add_profile_picture.json) has no `down`, so nothing was rolled back"),
      std::string::npos)
      << refused.err;
  EXPECT_EQ(Indexes("users"), users_all);
  EXPECT_EQ(Indexes("calmscores"), kCalmscoresIndexes);
  EXPECT_EQ(AppliedCount(), 5);

  auto down1 = Run({"down", "1"});
  ASSERT_EQ(down1.exit_code, 0) << down1.err;
  EXPECT_EQ(Indexes("users"), kUsersIndexes);
  EXPECT_EQ(
      Users(),
      "{ \"_id\" : 1, \"email\" : \"a@x\", \"schemaVersion\" : 2, \"profilePictureUrl\" : null }\n"
      "{ \"_id\" : 2, \"email\" : \"b@x\", \"profilePictureUrl\" : \"p.png\", \"schemaVersion\" : "
      "2 }\n");
  EXPECT_EQ(AppliedCount(), 4);

  auto again = Run({"up"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Indexes("users"), users_all);
  EXPECT_EQ(AppliedCount(), 5);
  // One history document per version, with the seed's fields and ours.
  EXPECT_EQ(
      Documents("migrationHistory", Json(R"({"_id": 0, "version": 1, "status": 1, "file": 1})")),
      "{ \"version\" : 1, \"status\" : \"applied\", \"file\" : "
      "\"001_create_users_collection.json\" }\n"
      "{ \"version\" : 2, \"status\" : \"applied\", \"file\" : \"002_add_schema_version.json\" }\n"
      "{ \"version\" : 3, \"status\" : \"applied\", \"file\" : \"003_add_calm_score_indexes.json\" "
      "}\n"
      "{ \"version\" : 4, \"status\" : \"applied\", \"file\" : \"004_add_profile_picture.json\" }\n"
      "{ \"version\" : 5, \"status\" : \"applied\", \"file\" : "
      "\"005_add_sensory_preferences.json\" }\n");
  EXPECT_EQ(Indexes("migrationHistory"),
            "_id_ { \"_id\" : 1 }\nversion_1 { \"version\" : 1 } unique\n");
}

TEST_F(NeuronavFlow, RollingBackIndexesToleratesOnesAlreadyGone) {
  ASSERT_EQ(Run({"up", "3"}).exit_code, 0);
  client_.Command("neuronav", Json(R"({"dropIndexes": "calmscores", "index": "stressors_text"})"));
  auto down = Run({"down", "1"});
  EXPECT_EQ(down.exit_code, 0) << down.err;
  EXPECT_NE(down.out.find(
                "003_add_calm_score_indexes.json: down[2] (dropIndexes): tolerated IndexNotFound"),
            std::string::npos)
      << down.out;
  EXPECT_EQ(Indexes("calmscores"), "_id_ { \"_id\" : 1 }\n");
}

}  // namespace
}  // namespace mm::testing
