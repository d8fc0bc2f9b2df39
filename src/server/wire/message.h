// MongoDB wire protocol framing (OP_MSG, OP_QUERY → OP_REPLY), independent of any command.
//
// ParseMessage turns one complete frame into a Request; BuildReply turns a reply document into
// the frame the client expects for that request. The layer knows nothing of command handlers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm::wire {

enum class OpCode : int32_t {
  kReply = 1,
  kQuery = 2004,
  kCompressed = 2012,
  kMsg = 2013,
};

struct MessageHeader {
  int32_t message_length = 0;
  int32_t request_id = 0;
  int32_t response_to = 0;
  int32_t op_code = 0;
};

constexpr size_t kHeaderSize = 16;
constexpr int32_t kMaxMessageSizeBytes = 48000000;
constexpr int32_t kMaxBsonObjectSize = 16 * 1024 * 1024;

// OP_MSG flag bits.
constexpr uint32_t kChecksumPresent = 1u << 0;
constexpr uint32_t kMoreToCome = 1u << 1;
constexpr uint32_t kExhaustAllowed = 1u << 16;

enum class RequestKind {
  kMsg,           // OP_MSG: a command; reply with OP_MSG.
  kQueryCommand,  // OP_QUERY on <db>.$cmd: reply with OP_REPLY.
  kLegacyQuery,   // OP_QUERY on a collection: refused with an OP_REPLY QueryFailure.
};

struct Request {
  MessageHeader header;
  RequestKind kind = RequestKind::kMsg;
  // The command with any kind-1 document sequences merged in as arrays.
  Document command;
  // From `$db` (OP_MSG) or the namespace (OP_QUERY).
  std::string db;
  // The client asked for no reply (OP_MSG moreToCome).
  bool more_to_come = false;
};

// Reads the header of a frame from its first kHeaderSize bytes.
MessageHeader ReadHeader(const uint8_t* data);

// Why a frame could not be served. kCloseConnection: the bytes are not a valid frame.
// kReplyWithError: a well-formed frame that MongoDB answers with an error (legacy OP_QUERY,
// OP_MSG without $db).
struct ParseError {
  enum class Action { kCloseConnection, kReplyWithError } action;
  Status status;
};

// Parses one complete frame (header included). On a reply-with-error, `request` is still
// filled enough (header, kind) to build the reply.
bool ParseMessage(const uint8_t* data, size_t len, Request* request, ParseError* error);

// The frame answering `request` with `reply`.
std::string BuildReply(const Request& request, const Document& reply, int32_t reply_request_id);

}  // namespace mm::wire
