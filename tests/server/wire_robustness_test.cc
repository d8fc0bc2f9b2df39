// 10,000 random, truncated and oversized frames against one devmongod; afterwards a normal
// client still works and the process is alive.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "support/devmongod_process.h"
#include "support/json.h"
#include "support/mongoc_client.h"

namespace mm {
namespace {

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{0, 20000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

void PutInt32(std::vector<uint8_t>* out, int32_t v) {
  uint8_t b[4];
  std::memcpy(b, &v, 4);
  out->insert(out->end(), b, b + 4);
}

// One hostile frame: random bytes, a valid header over garbage, a truncated OP_MSG, a huge or
// negative declared length, or a frame whose BSON lies about its size.
std::vector<uint8_t> HostileFrame(std::mt19937& rng, int kind) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> f;
  auto garbage = [&](size_t n) {
    for (size_t i = 0; i < n; ++i) f.push_back(static_cast<uint8_t>(byte(rng)));
  };
  switch (kind) {
    case 0:
      garbage(1 + rng() % 64);
      break;
    case 1: {  // header says OP_MSG, body is noise
      size_t body = rng() % 128;
      PutInt32(&f, static_cast<int32_t>(16 + body));
      PutInt32(&f, 1);
      PutInt32(&f, 0);
      PutInt32(&f, 2013);
      garbage(body);
      break;
    }
    case 2: {  // OP_MSG whose section claims a BSON document larger than the frame
      PutInt32(&f, 16 + 4 + 1 + 8);
      PutInt32(&f, 1);
      PutInt32(&f, 0);
      PutInt32(&f, 2013);
      PutInt32(&f, 0);
      f.push_back(0);
      PutInt32(&f, 1000);
      garbage(4);
      break;
    }
    case 3:  // declared length beyond maxMessageSizeBytes, or negative
      PutInt32(&f, (rng() % 2) ? 48000001 + static_cast<int32_t>(rng() % 1000) : -5);
      garbage(12);
      break;
    default: {  // a truncated valid-looking OP_QUERY
      PutInt32(&f, 200);
      PutInt32(&f, 1);
      PutInt32(&f, 0);
      PutInt32(&f, 2004);
      garbage(rng() % 40);
      break;
    }
  }
  return f;
}

TEST(WireRobustness, TenThousandHostileFramesThenANormalClient) {
  mm::testing::DevmongodProcess server;
  std::mt19937 rng(12345);
  int sent = 0;
  int fd = -1;
  for (int i = 0; i < 10000; ++i) {
    if (fd < 0) fd = Connect(server.port());
    ASSERT_GE(fd, 0) << "devmongod stopped accepting connections after " << sent << " frames";
    std::vector<uint8_t> frame = HostileFrame(rng, i % 5);
    ssize_t n = send(fd, frame.data(), frame.size(), MSG_NOSIGNAL);
    ++sent;
    // Frames that leave the server waiting for more bytes (or closing) end this connection.
    if (n < 0 || i % 3 == 0) {
      close(fd);
      fd = -1;
    }
  }
  if (fd >= 0) close(fd);
  EXPECT_EQ(sent, 10000);
  EXPECT_TRUE(server.Alive());
  mm::testing::MongocClient client(server.uri());
  bool ok = false;
  Document reply = client.Command("admin", mm::testing::Json(R"({"ping": 1})"), &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(ToRelaxedJson(reply), R"({ "ok" : 1.0 })");
}

// An OP_MSG {ping: 1, x: {a: {a: …}}} nested `depth` levels, as raw bytes: built without any
// BSON library, which would refuse (or recurse into) it.
std::vector<uint8_t> DeepPing(int depth, int32_t request_id) {
  std::vector<uint8_t> doc{5, 0, 0, 0, 0};  // {}
  for (int i = 0; i < depth; ++i) {
    std::vector<uint8_t> outer;
    PutInt32(&outer, static_cast<int32_t>(4 + 3 + doc.size() + 1));
    outer.push_back(0x03);
    outer.push_back('a');
    outer.push_back(0);
    outer.insert(outer.end(), doc.begin(), doc.end());
    outer.push_back(0);
    doc = std::move(outer);
  }
  std::vector<uint8_t> body;
  std::vector<uint8_t> fields{0x10, 'p', 'i', 'n', 'g', 0, 1, 0, 0, 0, 0x03, 'x', 0};
  fields.insert(fields.end(), doc.begin(), doc.end());
  const char db[] = "\x02$db\0\x06\0\0\0admin";
  fields.insert(fields.end(), db, db + sizeof db);  // with its final NUL
  PutInt32(&body, static_cast<int32_t>(4 + fields.size() + 1));
  body.insert(body.end(), fields.begin(), fields.end());
  body.push_back(0);
  std::vector<uint8_t> frame;
  PutInt32(&frame, static_cast<int32_t>(16 + 4 + 1 + body.size()));
  PutInt32(&frame, request_id);
  PutInt32(&frame, 0);
  PutInt32(&frame, 2013);
  PutInt32(&frame, 0);  // flags
  frame.push_back(0);   // body section
  frame.insert(frame.end(), body.begin(), body.end());
  return frame;
}

// The reply's body document, decoded (an OP_MSG reply: header, flags, kind 0, document).
Document ReadReply(int fd) {
  std::vector<uint8_t> buf(1 << 20);
  size_t got = 0;
  for (int tries = 0; tries < 500; ++tries) {
    ssize_t n = recv(fd, buf.data() + got, buf.size() - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
    if (got >= 4) {
      int32_t len;
      std::memcpy(&len, buf.data(), 4);
      if (got >= static_cast<size_t>(len)) break;
    }
    if (n == 0) break;
  }
  if (got < 21) return Document{};
  auto doc = DecodeBson(buf.data() + 21, got - 21);
  return doc.ok() ? *doc : Document{};
}

// MongoDB refuses a document nested beyond 200 levels with 15 Overflow and keeps the
// connection; unauthenticated, it once overflowed devmongod's stack.
TEST(WireRobustness, ADocumentTooDeepIsOverflowAndTheConnectionStays) {
  mm::testing::DevmongodProcess server("--auth");
  int fd = Connect(server.port());
  ASSERT_GE(fd, 0);
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (int depth : {10000, 201}) {
    SCOPED_TRACE(depth);
    std::vector<uint8_t> frame = DeepPing(depth, depth);
    ASSERT_EQ(send(fd, frame.data(), frame.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(frame.size()));
    Document reply = ReadReply(fd);
    ASSERT_TRUE(reply.Get("code")) << ToRelaxedJson(reply);
    EXPECT_EQ(*reply.Get("code")->AsExactInt64(), 15);
    EXPECT_EQ(reply.Get("codeName")->As<std::string>(), "Overflow");
    EXPECT_EQ(reply.Get("errmsg")->As<std::string>().rfind(
                  "BSONObj exceeds maximum nested object depth in element with field name "
                  "'x.a.a.a",
                  0),
              0u);
  }
  // 200 levels are within MongoDB's limit: the document decodes and reaches the command.
  std::vector<uint8_t> frame = DeepPing(199, 7);
  send(fd, frame.data(), frame.size(), MSG_NOSIGNAL);
  Document reply = ReadReply(fd);
  ASSERT_TRUE(reply.Has("ok")) << "answered on the same connection";
  EXPECT_FALSE(reply.Get("code") && *reply.Get("code")->AsExactInt64() == 15)
      << ToRelaxedJson(reply);
  close(fd);
  EXPECT_TRUE(server.Alive());
}

// At the open-files limit accept() fails (EMFILE); once descriptors free up, devmongod must
// accept again (it once stopped accepting for good).
TEST(WireRobustness, AcceptsAgainAfterRunningOutOfFileDescriptors) {
  mm::testing::DevmongodProcess server("", /*max_open_files=*/40);
  std::vector<int> fds;
  for (int i = 0; i < 60; ++i) {
    int fd = Connect(server.port());
    if (fd >= 0) fds.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int fd : fds) close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  mm::testing::MongocClient client(server.uri() + "?serverSelectionTimeoutMS=3000");
  bool ok = false;
  Document reply = client.Command("admin", mm::testing::Json(R"({"ping": 1})"), &ok);
  EXPECT_TRUE(ok) << ToRelaxedJson(reply);
  EXPECT_TRUE(server.Alive());
}

}  // namespace
}  // namespace mm
