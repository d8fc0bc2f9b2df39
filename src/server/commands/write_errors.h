// The writeErrors array of insert/update/delete replies.
#pragma once

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::commands {

// {index, code, errmsg, …details} as MongoDB reports one failed statement.
inline Value WriteError(size_t index, const Status& s) {
  Document e{{"index", static_cast<int32_t>(index)}, {"code", s.code()}};
  for (const Field& f : s.details().fields()) e.Append(f.key, f.value);
  e.Append("errmsg", s.message());
  return Value(std::move(e));
}

}  // namespace mm::commands
