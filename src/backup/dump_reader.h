// Reading a .bson file of a dump: BSON documents back to back, as mongodump writes them. The
// bytes come from a disk: every length is checked before it is used.
#pragma once

#include <functional>
#include <istream>
#include <string>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::backup {

// Hands each document of `in` to `each` with its size in bytes, in order; stops at the end of
// the stream (at a document boundary), at the first damaged document (an error naming `name`
// and the byte offset), or at the first error `each` returns.
Status ReadDocuments(std::istream& in, const std::string& name,
                     const std::function<Status(Document&&, size_t)>& each);

}  // namespace mm::backup
