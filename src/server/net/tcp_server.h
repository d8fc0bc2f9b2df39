// Accepts TCP connections and serves each on its own thread, frame by frame.
//
// One thread per connection: devmongod serves tests and a developer's laptop (tens of
// connections, not thousands), so blocking reads keep each connection's code straight-line;
// asio gives the portable sockets, the acceptor and signal handling.
#pragma once

#include <asio.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace mm::net {

struct ConnectionInfo {
  int32_t id = 0;
  std::string local_address;  // host:port the client dialled
  std::string peer_address;
};

// What to do with one complete frame: the bytes to send back (possibly none), or close.
struct FrameResult {
  std::string reply;
  bool close = false;
};
using FrameHandler =
    std::function<FrameResult(const ConnectionInfo&, const uint8_t* frame, size_t len)>;

class TcpServer {
 public:
  // `max_frame` bounds a frame's declared length; larger frames close the connection.
  TcpServer(FrameHandler handler, int32_t max_frame);
  ~TcpServer();
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  // Binds and listens; returns the bound port (useful with port 0).
  uint16_t Listen(const std::string& bind_ip, uint16_t port);
  // Serves until Stop() or SIGINT/SIGTERM. Returns when every connection thread has ended.
  // `on_stop` runs once when stopping begins, so that long requests can end early.
  void Run(bool handle_signals, std::function<void()> on_stop = {});
  void Stop();
  // Called on the connection's thread when it ends.
  void OnDisconnect(std::function<void(const ConnectionInfo&)> fn) {
    on_disconnect_ = std::move(fn);
  }

 private:
  struct Connection {
    asio::ip::tcp::socket socket;
    std::thread thread;
    std::atomic<bool> done{false};
    explicit Connection(asio::ip::tcp::socket s) : socket(std::move(s)) {}
  };

  void AcceptNext();
  void Serve(Connection* conn, ConnectionInfo info);
  void ReapFinished();

  FrameHandler handler_;
  int32_t max_frame_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer accept_retry_{io_};  // after a failed accept (EMFILE), try again later
  std::mutex connections_mutex_;
  std::list<std::unique_ptr<Connection>> connections_;
  std::atomic<int32_t> next_connection_id_{1};
  std::atomic<bool> stopping_{false};
  std::function<void()> on_stop_;
  std::function<void(const ConnectionInfo&)> on_disconnect_;
};

}  // namespace mm::net
