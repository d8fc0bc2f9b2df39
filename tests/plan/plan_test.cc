// The planner as case tables: available versions (with or without `down`), history records,
// a request, and the exact plan or refusal.
#include "mongomigrate/plan.h"

#include <gtest/gtest.h>

#include <ostream>

namespace mm::plan {
namespace {

class NoOp : public MigrationAction {
 public:
  Status Run(mongo::Database&, const ActionOutput&) const override { return Status::Ok(); }
};

// "1,2,3d" → versions 1, 2, 3 where a trailing "n" means "no down" and "c" "bytes changed".
std::vector<Migration> Available(const std::string& spec) {
  std::vector<Migration> out;
  size_t pos = 0;
  while (pos < spec.size()) {
    size_t comma = spec.find(',', pos);
    std::string item =
        spec.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? spec.size() : comma + 1;
    Migration m;
    m.version = std::stoll(item);
    m.file = std::to_string(m.version) + ".json";
    m.description = "m" + std::to_string(m.version);
    m.checksum = item.find('c') != std::string::npos ? "new" : "sum";
    m.up = std::make_shared<NoOp>();
    if (item.find('n') == std::string::npos) m.down = std::make_shared<NoOp>();
    out.push_back(m);
  }
  return out;
}

// Applied versions; a negative number -v records v with `status` instead.
std::vector<AppliedRecord> Applied(const std::vector<int64_t>& versions,
                                   const std::string& status = "applied") {
  std::vector<AppliedRecord> out;
  for (int64_t v : versions) {
    AppliedRecord r;
    r.version = v < 0 ? -v : v;
    r.status = v < 0 ? status : "applied";
    r.applied_at = DateTime{0};
    r.file = std::to_string(r.version) + ".json";
    r.checksum = "sum";
    r.detail = "boom";
    out.push_back(r);
  }
  return out;
}

std::string Render(const StatusOr<Plan>& plan) {
  if (!plan.ok()) return "error: " + plan.status().message();
  std::string out;
  for (const Migration& m : plan->steps)
    out += (out.empty() ? "" : " ") + std::to_string(m.version);
  return out.empty() ? "(nothing)" : out;
}

struct UpCase {
  const char* available;
  std::vector<int64_t> applied;
  std::optional<int64_t> target;
  const char* expected;
};
void PrintTo(const UpCase& c, std::ostream* os) { *os << c.available; }

class PlanUpTable : public ::testing::TestWithParam<UpCase> {};

TEST_P(PlanUpTable, Plans) {
  const UpCase& c = GetParam();
  EXPECT_EQ(Render(PlanUp(Available(c.available), Applied(c.applied), c.target)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Requests, PlanUpTable,
    ::testing::Values(
        UpCase{"1,2,3", {}, std::nullopt, "1 2 3"},
        UpCase{"3,1,2", {}, std::nullopt, "1 2 3"},  // order by version, never by position
        UpCase{"1,2,3", {1}, std::nullopt, "2 3"},
        UpCase{"1,2,3", {1, 2, 3}, std::nullopt, "(nothing)"}, UpCase{"1,2,3,4,5", {}, 3, "1 2 3"},
        UpCase{"1,2,3,4,5", {1, 2, 3}, 3, "(nothing)"},  // target equal to current
        UpCase{"1,2,3,4,5", {1, 2, 3}, 2, "(nothing)"},  // target below current: up never goes down
        UpCase{"1,2,3", {}, 9, "error: no migration has version 9 (the highest is 3)"},
        UpCase{"1,2,5", {}, 3, "error: no migration has version 3 (the highest is 5)"},
        UpCase{"1,2,3",
               {1, 3},
               std::nullopt,
               "error: pending version(s) 2 are lower than the highest applied version 3: applying "
               "them now would run migrations out of order. Renumber them above 3, or, if they are "
               "independent of what was applied since, run with --allow-out-of-order "
               "(allow_out_of_order = true in mongo-migrate.toml)."},
        UpCase{"1,2,2",
               {},
               std::nullopt,
               "error: version 2 is defined twice: in 2.json and in 2.json; give one of them a new "
               "version"},
        UpCase{"1,3",
               {1, 2},
               std::nullopt,
               "error: refusing to run: version 2 is applied but its migration file is gone. "
               "Restore the original file, or roll back before editing; `mongo-migrate status` "
               "shows every version's state."},
        UpCase{"1c,2",
               {1},
               std::nullopt,
               "error: refusing to run: version 1 (1.json) changed after it was applied. Restore "
               "the original file, or roll back before editing; `mongo-migrate status` shows every "
               "version's state. If the edit is deliberate and reviewed, accept it with "
               "`mongo-migrate repair --accept-checksum 1`."},
        // An older release against a database a newer one migrated: nothing to do.
        UpCase{"1,2", {1, 2, 3}, std::nullopt, "(nothing)"}));

struct DownCase {
  const char* available;
  std::vector<int64_t> applied;
  int64_t steps;
  const char* expected;
};
void PrintTo(const DownCase& c, std::ostream* os) { *os << c.available << " down " << c.steps; }

class PlanDownTable : public ::testing::TestWithParam<DownCase> {};

TEST_P(PlanDownTable, Plans) {
  const DownCase& c = GetParam();
  EXPECT_EQ(Render(PlanDown(Available(c.available), Applied(c.applied), c.steps)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Requests, PlanDownTable,
    ::testing::Values(
        DownCase{"1,2,3", {1, 2, 3}, 1, "3"}, DownCase{"1,2,3", {1, 2, 3}, 2, "3 2"},
        DownCase{"1,2,3", {1, 2, 3}, 3, "3 2 1"},
        DownCase{"1,2,3", {1, 3}, 2, "3 1"},  // a gap in the history: newest applied first
        DownCase{"1,2,3",
                 {1, 2},
                 3,
                 "error: cannot roll back 3 migration(s): only 2 applied (try `down 2`)"},
        DownCase{"1,2,3", {}, 1, "error: cannot roll back 1 migration(s): none is applied"},
        DownCase{"1,2,3", {1, 2, 3}, 0, "error: down needs a number of steps of at least 1"},
        DownCase{"1,2n,3",
                 {1, 2, 3},
                 2,
                 "error: refusing to roll back: version 2 (2.json) has no `down`, so nothing was "
                 "rolled back. Roll back fewer steps, or add a `down` to that migration."},
        DownCase{"1,2n,3", {1, 2, 3}, 1, "3"},
        DownCase{"1,2",
                 {1, 2, 3},
                 1,
                 "error: refusing to roll back: version 3 is applied but this release has no file "
                 "for it (a newer release applied it); roll it back with the release that has its "
                 "migration. Nothing was rolled back."},
        DownCase{"1,3",
                 {1, 2, 3},
                 1,
                 "error: refusing to run: version 2 is applied but its migration file is gone. "
                 "Restore the original file, or roll back before editing; `mongo-migrate status` "
                 "shows every version's state."}));

TEST(PlanUp, UnfinishedOrFailedRunsStopEverything) {
  for (const char* status : {"running", "failed", "reverting"}) {
    auto plan = PlanUp(Available("1,2,3"), Applied({1, -2}, status), std::nullopt);
    ASSERT_FALSE(plan.ok()) << status;
    EXPECT_NE(plan.status().message().find("refusing to run: version 2 (2.json)"),
              std::string::npos)
        << plan.status().message();
    EXPECT_NE(plan.status().message().find("`mongo-migrate force 2 --state applied`"),
              std::string::npos);
    EXPECT_FALSE(PlanDown(Available("1,2,3"), Applied({1, -2}, status), 1).ok()) << status;
  }
}

TEST(PlanUp, RevertedVersionsArePendingAgain) {
  EXPECT_EQ(Render(PlanUp(Available("1,2,3"), Applied({1, -2, -3}, "reverted"), std::nullopt)),
            "2 3");
  EXPECT_EQ(Render(PlanDown(Available("1,2,3"), Applied({1, -2, -3}, "reverted"), 1)), "1");
}

TEST(PlanUp, OutOfOrderWhenAllowed) {
  EXPECT_EQ(Render(PlanUp(Available("1,2,3"), Applied({1, 3}), std::nullopt, true)), "2");
}

TEST(BuildStatus, ReportsEveryState) {
  auto rows = BuildStatus(Available("1,2c,4"), Applied({1, 2, 3}));
  std::string out;
  for (const StatusRow& r : rows)
    out += std::to_string(r.version) + ":" + std::string(StateName(r.state)) + " ";
  EXPECT_EQ(out, "1:applied 2:changed 3:missing 4:pending ");
  rows = BuildStatus(Available("1,2c,4"), Applied({1, 2, 3, 5, -6}, "failed"));
  out.clear();
  for (const StatusRow& r : rows)
    out += std::to_string(r.version) + ":" + std::string(StateName(r.state)) + " ";
  EXPECT_EQ(out, "1:applied 2:changed 3:missing 4:pending 5:ahead 6:failed ");
  StateCounts c = CountStates(rows);
  EXPECT_EQ(std::vector<size_t>({c.applied, c.pending, c.changed, c.missing, c.running, c.failed,
                                 c.ahead, c.files}),
            std::vector<size_t>({1, 1, 1, 1, 0, 1, 1, 3}));
  EXPECT_TRUE(c.NeedsAttention());
}

TEST(PlanUp, VersionsAheadOfThisReleaseAreNamedNotRefused) {
  auto plan = PlanUp(Available("1,2"), Applied({1, 2, 3, 4}), std::nullopt);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->ahead, std::vector<int64_t>({3, 4}));
  EXPECT_FALSE(CountStates(BuildStatus(Available("1,2"), Applied({1, 2, 3}))).NeedsAttention());
}

// A record made by an older release holds the checksum of the raw bytes; a checkout with other
// line endings (CRLF) has another raw checksum but the same normalised one.
TEST(BuildStatus, EitherChecksumOfAFileMatchesItsRecord) {
  std::vector<Migration> available = Available("1");
  available[0].checksum = "normalised";
  available[0].raw_checksum = "sum";
  EXPECT_EQ(BuildStatus(available, Applied({1}))[0].state, State::kApplied);
  available[0].raw_checksum = "other";
  EXPECT_EQ(BuildStatus(available, Applied({1}))[0].state, State::kChanged);
}

}  // namespace
}  // namespace mm::plan
