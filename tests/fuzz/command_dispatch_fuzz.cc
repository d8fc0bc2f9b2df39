// libFuzzer: a fuzzed BSON document as a command body, dispatched in-process to an engine that
// holds a few documents and indexes. Every command must come back as a reply (ok 1, or ok 0
// with a code), never as a crash, a hang or an exception.
#include <cstdint>

#include "server/service.h"
#include "value/bson_codec.h"

namespace {

std::unique_ptr<mm::Service> SeededService() {
  auto service = std::make_unique<mm::Service>(mm::commands::ServerOptions{},
                                               mm::storage::MakeMemoryStorage());
  for (const char* json :
       {R"({"insert": "c", "documents": [{"_id": 1, "a": [1, 2, {"b": "x"}], "s": "str"},
            {"_id": 2, "a": {"b": 2.5}, "d": {"$date": "2024-01-01T00:00:00Z"}}, {"_id": 3}]})",
        R"({"createIndexes": "c", "indexes": [{"key": {"s": 1}, "name": "s_1", "unique": true,
            "sparse": true}]})"}) {
    (void)service->Run(*mm::ParseExtendedJson(json), "test");
  }
  return service;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto command = mm::DecodeBson(data, size);
  if (!command.ok()) return 0;
  auto service = SeededService();
  mm::Document reply = service->Run(*command, "test");
  const mm::Value* ok = reply.Get("ok");
  if (!ok || !ok->IsNumber()) __builtin_trap();
  if (ok->AsDouble() == 0 && !reply.Get("code")) __builtin_trap();
  return 0;
}
