// `ping` round trip through libmongoc to devmongod, next to a raw loopback TCP echo of a
// frame of the same size, measured in the same run.
//   build/bench/ping_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <atomic>
#include <thread>

#include "support/devmongod_process.h"
#include "support/mongoc_client.h"

namespace {

void BM_LibmongocPing(benchmark::State& state) {
  mm::testing::DevmongodProcess server;
  mm::testing::MongocClient client(server.uri("admin"));
  mm::Document ping{{"ping", 1}};
  bool ok = false;
  client.Command("admin", ping, &ok);  // connect and handshake outside the timed loop
  if (!ok) state.SkipWithError("ping failed");
  for (auto _ : state) {
    client.Command("admin", ping, &ok);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_LibmongocPing)->UseRealTime();

// A ping frame is ~80 bytes out (OP_MSG with $db and lsid) and ~38 back; echo 80 both ways.
constexpr size_t kFrame = 80;

int Listen(uint16_t* port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(fd, 1);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

bool ReadFull(int fd, char* buf, size_t n) {
  while (n > 0) {
    ssize_t r = recv(fd, buf, n, 0);
    if (r <= 0) return false;
    buf += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

void BM_LoopbackTcpEcho(benchmark::State& state) {
  uint16_t port = 0;
  int listener = Listen(&port);
  std::thread echo([listener] {
    int conn = accept(listener, nullptr, nullptr);
    int one = 1;
    setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buf[kFrame];
    while (ReadFull(conn, buf, kFrame)) send(conn, buf, kFrame, MSG_NOSIGNAL);
    close(conn);
  });
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  char buf[kFrame] = {1};
  for (auto _ : state) {
    send(fd, buf, kFrame, MSG_NOSIGNAL);
    if (!ReadFull(fd, buf, kFrame)) state.SkipWithError("echo failed");
  }
  close(fd);
  echo.join();
  close(listener);
}
BENCHMARK(BM_LoopbackTcpEcho)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
