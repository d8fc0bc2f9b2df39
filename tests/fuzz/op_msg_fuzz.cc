// libFuzzer: a whole frame (header, OP_MSG / OP_QUERY) → a request, or a parse error that
// says whether to reply or close.
#include <cstdint>

#include "server/wire/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mm::wire::Request request;
  mm::wire::ParseError error;
  if (mm::wire::ParseMessage(data, size, &request, &error)) {
    (void)mm::wire::BuildReply(request, mm::Document{{"ok", 1.0}}, 1);
  }
  return 0;
}
