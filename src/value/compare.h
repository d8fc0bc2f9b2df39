// MongoDB's total order over BSON values ("Comparison/Sort Order" in the manual):
// MinKey < null < numbers < strings/symbols < objects < arrays < binData < ObjectId < bool
//   < date < timestamp < regex < MaxKey,
// with numbers compared by value across int32/int64/double/decimal128.
#pragma once

#include "mongomigrate/value.h"

namespace mm {

// The rank of `v`'s type in the order above; equal ranks compare by value.
int CanonicalTypeRank(const Value& v);

// <0, 0, >0 as a sorts before, equal to, after b. Binary string comparison (no collation).
int CompareValues(const Value& a, const Value& b);
int CompareDocuments(const Document& a, const Document& b);

// Equality as the query language sees it: 1 == 1.0 == NumberLong(1).
inline bool ValuesEqual(const Value& a, const Value& b) { return CompareValues(a, b) == 0; }

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return CompareValues(a, b) < 0; }
};

}  // namespace mm
