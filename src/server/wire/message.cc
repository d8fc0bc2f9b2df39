#include "server/wire/message.h"

#include <cstring>

#include "value/bson_codec.h"

namespace mm::wire {
namespace {

constexpr std::string_view kLegacyOpcodeDoc =
    "The client driver may require an upgrade. For more details see "
    "https://dochub.mongodb.org/core/legacy-opcode-removal";

int32_t ReadInt32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);  // The wire is little-endian, as is every host we build for.
  return v;
}

void PutInt32(std::string* out, int32_t v) { out->append(reinterpret_cast<const char*>(&v), 4); }
void PutInt64(std::string* out, int64_t v) { out->append(reinterpret_cast<const char*>(&v), 8); }

// A bounds-checked cursor over a frame's bytes.
class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), end_(p + n) {}
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const uint8_t* pos() const { return p_; }
  bool Int32(int32_t* v) {
    if (remaining() < 4) return false;
    *v = ReadInt32(p_);
    p_ += 4;
    return true;
  }
  bool Byte(uint8_t* v) {
    if (remaining() < 1) return false;
    *v = *p_++;
    return true;
  }
  bool CString(std::string* s) {
    const void* nul = std::memchr(p_, 0, remaining());
    if (!nul) return false;
    auto* z = static_cast<const uint8_t*>(nul);
    s->assign(reinterpret_cast<const char*>(p_), static_cast<size_t>(z - p_));
    p_ = z + 1;
    return true;
  }
  // One BSON document, validated.
  bool Bson(Document* doc, Status* status) {
    if (remaining() < 5) {
      *status = Status(kInvalidBson, "truncated BSON document");
      return false;
    }
    int32_t len = ReadInt32(p_);
    if (len < 5 || static_cast<size_t>(len) > remaining()) {
      *status = Status(kInvalidBson, "BSON document length exceeds the frame");
      return false;
    }
    auto decoded = DecodeBson(p_, static_cast<size_t>(len));
    if (!decoded.ok()) {
      *status = decoded.status();
      return false;
    }
    *doc = std::move(decoded).value();
    p_ += len;
    return true;
  }
  bool Skip(size_t n) {
    if (remaining() < n) return false;
    p_ += n;
    return true;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

bool Fail(ParseError* error, ParseError::Action action, int code, std::string message) {
  error->action = action;
  error->status = Status(code, std::move(message));
  return false;
}

bool CloseWith(ParseError* error, std::string message) {
  return Fail(error, ParseError::Action::kCloseConnection, kInvalidBson, std::move(message));
}

// A document that does not decode: too deep is a well-formed frame MongoDB answers with an
// error (15 Overflow, and the connection stays); anything else is garbage and closes it.
bool BadBson(ParseError* error, Request* request, const Status& status) {
  if (status.code() != kOverflow) return CloseWith(error, status.message());
  request->kind = RequestKind::kMsg;
  return Fail(error, ParseError::Action::kReplyWithError, kOverflow, status.message());
}

bool ParseOpMsg(Reader r, Request* request, ParseError* error) {
  int32_t raw_flags;
  if (!r.Int32(&raw_flags)) return CloseWith(error, "OP_MSG without flag bits");
  auto flags = static_cast<uint32_t>(raw_flags);
  // Bits 0-15 are "required": a receiver must reject those it does not know.
  constexpr uint32_t kKnownRequired = kChecksumPresent | kMoreToCome;
  if ((flags & 0xffffu) & ~kKnownRequired) {
    return CloseWith(error, "OP_MSG with unrecognized required flag bits");
  }
  request->more_to_come = (flags & kMoreToCome) != 0;  // also for an error reply: none is sent
  size_t body_len = r.remaining();
  if (flags & kChecksumPresent) {
    if (body_len < 4) return CloseWith(error, "OP_MSG checksum missing");
    body_len -= 4;  // crc32c is tolerated, not verified: loopback cannot corrupt bytes.
  }
  Reader sections(r.pos(), body_len);
  bool have_body = false;
  std::vector<std::pair<std::string, Array>> sequences;
  Status status;
  while (sections.remaining() > 0) {
    uint8_t kind;
    sections.Byte(&kind);
    if (kind == 0) {
      if (have_body) return CloseWith(error, "OP_MSG with more than one body section");
      if (!sections.Bson(&request->command, &status)) return BadBson(error, request, status);
      have_body = true;
    } else if (kind == 1) {
      int32_t size;
      const uint8_t* start = sections.pos();
      if (!sections.Int32(&size) || size < 5 ||
          static_cast<size_t>(size) > sections.remaining() + 4) {
        return CloseWith(error, "OP_MSG document sequence with a bad size");
      }
      Reader seq(start + 4, static_cast<size_t>(size) - 4);
      std::string identifier;
      if (!seq.CString(&identifier))
        return CloseWith(error, "document sequence without identifier");
      Array docs;
      while (seq.remaining() > 0) {
        Document d;
        if (!seq.Bson(&d, &status)) return BadBson(error, request, status);
        docs.items.emplace_back(std::move(d));
      }
      sequences.emplace_back(std::move(identifier), std::move(docs));
      sections.Skip(static_cast<size_t>(size) - 4);
    } else {
      return CloseWith(error, "OP_MSG with unknown section kind " + std::to_string(kind));
    }
  }
  if (!have_body) return CloseWith(error, "OP_MSG without a body section");
  for (auto& [identifier, docs] : sequences) {
    if (request->command.Has(identifier)) {
      return CloseWith(error, "duplicate field '" + identifier + "' in OP_MSG body and sequence");
    }
    request->command.Append(identifier, std::move(docs));
  }
  request->kind = RequestKind::kMsg;
  request->more_to_come = (flags & kMoreToCome) != 0;
  const Value* db = request->command.Get("$db");
  if (!db || !db->Is<std::string>()) {
    return Fail(error, ParseError::Action::kReplyWithError, 40571,
                "OP_MSG requests require a $db argument");
  }
  request->db = db->As<std::string>();
  return true;
}

bool IsHandshake(std::string_view name) {
  return name == "hello" || name == "isMaster" || name == "ismaster";
}

bool ParseOpQuery(Reader r, Request* request, ParseError* error) {
  int32_t flags, skip, to_return;
  std::string ns;
  Document query;
  Status status;
  if (!r.Int32(&flags) || !r.CString(&ns) || !r.Int32(&skip) || !r.Int32(&to_return) ||
      !r.Bson(&query, &status)) {
    return CloseWith(error, "malformed OP_QUERY: " +
                                (status.ok() ? std::string("truncated") : status.message()));
  }
  constexpr std::string_view kCmd = ".$cmd";
  if (ns.size() <= kCmd.size() || ns.compare(ns.size() - kCmd.size(), kCmd.size(), kCmd) != 0) {
    request->kind = RequestKind::kLegacyQuery;
    return Fail(error, ParseError::Action::kReplyWithError, kOpQueryRemoved,
                "OP_QUERY is no longer supported. " + std::string(kLegacyOpcodeDoc));
  }
  request->kind = RequestKind::kQueryCommand;
  request->db = ns.substr(0, ns.size() - kCmd.size());
  // Drivers wrap the command as {$query: {...}, $readPreference: ...} in legacy mode.
  if (const Value* inner = query.Get("$query"); inner && inner->Is<Document>()) {
    Document unwrapped = inner->As<Document>();
    query = std::move(unwrapped);
  }
  std::string name = query.empty() ? std::string() : query.fields().front().key;
  if (!IsHandshake(name)) {
    return Fail(error, ParseError::Action::kReplyWithError, kUnsupportedOpQueryCommand,
                "Unsupported OP_QUERY command: " + name + ". " + std::string(kLegacyOpcodeDoc));
  }
  query.Set("$db", request->db);
  request->command = std::move(query);
  return true;
}

}  // namespace

MessageHeader ReadHeader(const uint8_t* data) {
  return MessageHeader{ReadInt32(data), ReadInt32(data + 4), ReadInt32(data + 8),
                       ReadInt32(data + 12)};
}

bool ParseMessage(const uint8_t* data, size_t len, Request* request, ParseError* error) {
  if (len < kHeaderSize) return CloseWith(error, "frame shorter than a message header");
  request->header = ReadHeader(data);
  if (request->header.message_length != static_cast<int32_t>(len)) {
    return CloseWith(error, "frame length does not match its header");
  }
  Reader body(data + kHeaderSize, len - kHeaderSize);
  switch (static_cast<OpCode>(request->header.op_code)) {
    case OpCode::kMsg:
      return ParseOpMsg(body, request, error);
    case OpCode::kQuery:
      return ParseOpQuery(body, request, error);
    default:
      return CloseWith(error, "unsupported opCode " + std::to_string(request->header.op_code));
  }
}

std::string BuildReply(const Request& request, const Document& reply, int32_t reply_request_id) {
  std::string bson = EncodeBson(reply);
  std::string out;
  out.reserve(kHeaderSize + 24 + bson.size());
  PutInt32(&out, 0);  // length, patched below
  PutInt32(&out, reply_request_id);
  PutInt32(&out, request.header.request_id);
  if (request.kind == RequestKind::kMsg) {
    PutInt32(&out, static_cast<int32_t>(OpCode::kMsg));
    PutInt32(&out, 0);    // flag bits
    out.push_back('\0');  // kind-0 section
  } else {
    constexpr int32_t kQueryFailure = 1 << 1;
    PutInt32(&out, static_cast<int32_t>(OpCode::kReply));
    PutInt32(&out, request.kind == RequestKind::kLegacyQuery ? kQueryFailure : 0);
    PutInt64(&out, 0);  // cursorID
    PutInt32(&out, 0);  // startingFrom
    PutInt32(&out, 1);  // numberReturned
  }
  out += bson;
  int32_t total = static_cast<int32_t>(out.size());
  std::memcpy(out.data(), &total, 4);
  return out;
}

}  // namespace mm::wire
