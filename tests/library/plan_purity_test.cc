// plan/ decides what runs from descriptions and history records alone: its header, and the
// migration description it reads, must not bring the client's types with them. Proved at
// compile time: this file includes what plan/ includes and nothing else, and would not compile
// if mongomigrate/mongo.h came in with it.
#include "mongomigrate/plan.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace {

template <typename T, typename = void>
struct IsComplete : std::false_type {};
template <typename T>
struct IsComplete<T, std::void_t<decltype(sizeof(T))>> : std::true_type {};

static_assert(!IsComplete<mm::mongo::Database>::value,
              "mongomigrate/plan.h must not include the client's types (mongomigrate/mongo.h)");

TEST(PlanPurity, APlanIsMadeFromDescriptionsAndRecordsWithoutAServer) {
  // Two descriptions, one already applied: the plan is the other, with no client anywhere.
  std::vector<mm::Migration> migrations(2);
  migrations[0].version = 1;
  migrations[1].version = 2;
  std::vector<mm::plan::AppliedRecord> applied(1);
  applied[0].version = 1;
  auto plan = mm::plan::PlanUp(migrations, applied, std::nullopt, false);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->steps.size(), 1u);
  EXPECT_EQ(plan->steps[0].version, 2);
}

}  // namespace
