// 10,000 random, truncated and oversized frames against one devmongod; afterwards a normal
// client still works and the process is alive.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <random>
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

}  // namespace
}  // namespace mm
