// Expression operators beyond expression.cc's core (internal to the engine): type
// conversion, arrays, strings and dates, each as MongoDB documents it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "server/engine/expression.h"

namespace mm::engine {

using OperatorArgs = std::vector<Value>;
using OperatorFn = std::function<StatusOr<Value>(const OperatorArgs&)>;
using OperatorTable = std::map<std::string, OperatorFn, std::less<>>;

// $toInt $toLong $toDouble $toBool $arrayElemAt $concatArrays $isArray $split $strLenCP
// $substrCP $abs: operators whose arguments are evaluated first.
void AddConversionArrayStringOperators(OperatorTable& table);

// {$dateToString: {date, format, timezone, onNull}}: UTC only (another timezone is 238).
StatusOr<ExpressionPtr> ParseDateToString(const Value& arg);

}  // namespace mm::engine
