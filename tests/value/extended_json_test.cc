// Extended JSON in: type wrappers, field order, and errors that say where.
#include <gtest/gtest.h>

#include "value/bson_codec.h"

namespace mm {
namespace {

TEST(ExtendedJson, CanonicalAndRelaxedWrappersBecomeBsonTypes) {
  auto doc = ParseExtendedJson(
      R"({"z": 1, "a": {"$numberLong": "5"}, "d": {"$date": "2024-01-31T12:00:00.5Z"},
      "o": {"$oid": "0123456789abcdef01234567"}, "x": {"$numberDecimal": "1.5"}, "big": 3000000000,
      "f": 1.25, "t": {"$type": "string"}})");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->fields().front().key, "z");  // order kept: the command name must stay first
  EXPECT_TRUE(doc->Get("a")->Is<int64_t>());
  EXPECT_EQ(doc->Get("d")->As<DateTime>().millis, 1706702400500);
  EXPECT_EQ(doc->Get("o")->As<ObjectId>().Hex(), "0123456789abcdef01234567");
  EXPECT_TRUE(doc->Get("x")->Is<Decimal128>());
  EXPECT_TRUE(doc->Get("big")->Is<int64_t>());
  EXPECT_TRUE(doc->Get("z")->Is<int32_t>());
  EXPECT_TRUE(doc->Get("f")->Is<double>());
  // A lone $type is the query operator, not legacy binary.
  EXPECT_EQ(ToRelaxedJson(*doc->Get("t")), R"({ "$type" : "string" })");
}

TEST(ExtendedJson, SyntaxErrorsNameLineAndColumn) {
  auto doc = ParseExtendedJson("{\n  \"a\": 1,\n  \"b\": ,\n}");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), kFailedToParse);
  EXPECT_NE(doc.status().message().find("line 3, column 8"), std::string::npos)
      << doc.status().message();
}

TEST(ExtendedJson, BadWrappersNameTheField) {
  auto doc = ParseExtendedJson(
      R"({"up": [{"insert": "u", "documents": [{"at": {"$date": "yesterday"}}]}]})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(),
            "invalid Extended JSON at up[0].documents[0].at: $date string must be ISO-8601, e.g. "
            "2024-01-31T12:00:00Z");
}

}  // namespace
}  // namespace mm
