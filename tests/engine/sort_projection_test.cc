// Sort order and projections as case tables.
#include <gtest/gtest.h>

#include <ostream>

#include <algorithm>

#include "server/engine/projection.h"
#include "server/engine/sort.h"
#include "support/json.h"

namespace mm::engine {
namespace {

using mm::testing::Json;

std::string SortIds(const char* spec, std::vector<const char*> docs) {
  auto order = SortOrder::Parse(Json(spec));
  EXPECT_TRUE(order.ok()) << spec;
  std::vector<Document> ds;
  for (const char* d : docs) ds.push_back(Json(d));
  std::stable_sort(ds.begin(), ds.end(), [&](const Document& a, const Document& b) {
    return order->CompareDocs(a, b) < 0;
  });
  std::string ids;
  for (const Document& d : ds) ids += ToRelaxedJson(*d.Get("_id")) + " ";
  return ids;
}

TEST(Sort, OrdersAcrossTypesAsMongoDb) {
  // null/missing < numbers < strings < objects < arrays < ObjectId < bool < date
  EXPECT_EQ(SortIds(R"({"a": 1})", {R"({"_id": 1, "a": true})", R"({"_id": 2, "a": "s"})",
                                    R"({"_id": 3, "a": 10})", R"({"_id": 4})",
                                    R"({"_id": 5, "a": {"x": 1}})", R"({"_id": 6, "a": 2.5})"}),
            "4 6 3 2 5 1 ");
}

TEST(Sort, ArraysSortByMinAscendingAndMaxDescending) {
  std::vector<const char*> docs{R"({"_id": 1, "a": [1, 9]})", R"({"_id": 2, "a": [5]})"};
  EXPECT_EQ(SortIds(R"({"a": 1})", docs), "1 2 ");
  EXPECT_EQ(SortIds(R"({"a": -1})", docs), "1 2 ");
}

TEST(Sort, CompoundKeys) {
  EXPECT_EQ(SortIds(R"({"a": 1, "b": -1})",
                    {R"({"_id": 1, "a": 1, "b": 1})", R"({"_id": 2, "a": 1, "b": 2})",
                     R"({"_id": 3, "a": 0, "b": 0})"}),
            "3 2 1 ");
}

TEST(Sort, RejectsBadDirection) {
  auto order = SortOrder::Parse(Json(R"({"a": 2})"));
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.status().code(), 15975);
}

struct ProjectionCase {
  const char* spec;
  const char* doc;
  const char* expected;
};
void PrintTo(const ProjectionCase& c, std::ostream* os) { *os << c.spec; }

class ProjectionTable : public ::testing::TestWithParam<ProjectionCase> {};

TEST_P(ProjectionTable, Projects) {
  const ProjectionCase& c = GetParam();
  auto p = Projection::Parse(Json(c.spec));
  ASSERT_TRUE(p.ok()) << c.spec << ": " << p.status().message();
  auto out = p->Apply(Json(c.doc));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(ToRelaxedJson(*out), ToRelaxedJson(Json(c.expected))) << c.spec;
}

INSTANTIATE_TEST_SUITE_P(
    Projections, ProjectionTable,
    ::testing::Values(
        ProjectionCase{R"({"a": 1})", R"({"_id": 1, "a": 2, "b": 3})", R"({"_id": 1, "a": 2})"},
        ProjectionCase{R"({"a": 1, "_id": 0})", R"({"_id": 1, "a": 2, "b": 3})", R"({"a": 2})"},
        ProjectionCase{R"({"b": 0})", R"({"_id": 1, "a": 2, "b": 3})", R"({"_id": 1, "a": 2})"},
        ProjectionCase{R"({"a.b": 1})", R"({"_id": 1, "a": {"b": 1, "c": 2}})",
                       R"({"_id": 1, "a": {"b": 1}})"},
        ProjectionCase{R"({"a.b": 1})", R"({"_id": 1, "a": [{"b": 1, "c": 2}, 5]})",
                       R"({"_id": 1, "a": [{"b": 1}]})"},
        ProjectionCase{R"({"a": {"$slice": 2}})", R"({"_id": 1, "a": [1, 2, 3]})",
                       R"({"_id": 1, "a": [1, 2]})"},
        ProjectionCase{R"({"s": {"$add": ["$a", 1]}})", R"({"_id": 1, "a": 2})",
                       R"({"_id": 1, "s": 3})"}));

TEST(Projection, MixingInclusionAndExclusionIsRefused) {
  auto p = Projection::Parse(Json(R"({"a": 1, "b": 0})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), 31254);
  EXPECT_EQ(p.status().message(), "Cannot do exclusion on field b in inclusion projection");
}

}  // namespace
}  // namespace mm::engine
