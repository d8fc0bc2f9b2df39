// libFuzzer: a dump's .bson file comes from a disk (a truncated copy, another tool's output,
// bit rot). Any bytes give documents then either the end or an error naming the file; never a
// crash. Each document handed over accounts for bytes of the input and survives a BSON round
// trip.
#include <cstdint>
#include <sstream>
#include <string>

#include "backup/dump_reader.h"
#include "value/bson_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  size_t consumed = 0;
  mm::Status read =
      mm::backup::ReadDocuments(in, "/backup/db/users.bson", [&](mm::Document&& doc, size_t bytes) {
        consumed += bytes;
        std::string encoded = mm::EncodeBson(doc);
        if (!mm::DecodeBson(reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size())
                 .ok()) {
          __builtin_trap();
        }
        return mm::Status::Ok();
      });
  if (consumed > size) __builtin_trap();
  if (!read.ok() && read.message().find("/backup/db/users.bson") == std::string::npos) {
    __builtin_trap();  // every error names the file
  }
  return 0;
}
