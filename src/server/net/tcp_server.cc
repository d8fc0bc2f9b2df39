#include "server/net/tcp_server.h"

#include <cstdio>
#include <cstring>
#include <vector>

namespace mm::net {

namespace {
constexpr size_t kHeaderSize = 16;

std::string Address(const asio::ip::tcp::endpoint& ep) {
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}
}  // namespace

TcpServer::TcpServer(FrameHandler handler, int32_t max_frame)
    : handler_(std::move(handler)), max_frame_(max_frame), acceptor_(io_), signals_(io_) {}

TcpServer::~TcpServer() {
  Stop();
  std::lock_guard lock(connections_mutex_);
  for (auto& c : connections_) {
    if (c->thread.joinable()) c->thread.join();
  }
}

uint16_t TcpServer::Listen(const std::string& bind_ip, uint16_t port) {
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(bind_ip), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  return acceptor_.local_endpoint().port();
}

void TcpServer::Run(bool handle_signals, std::function<void()> on_stop) {
  on_stop_ = std::move(on_stop);
  if (handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](const asio::error_code& ec, int) {
      if (!ec) Stop();
    });
  }
  AcceptNext();
  io_.run();
  std::list<std::unique_ptr<Connection>> remaining;
  {
    std::lock_guard lock(connections_mutex_);
    for (auto& c : connections_) {
      asio::error_code ignored;
      c->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    }
    remaining.swap(connections_);
  }
  for (auto& c : remaining) {
    if (c->thread.joinable()) c->thread.join();
  }
}

void TcpServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (on_stop_) on_stop_();
  asio::post(io_, [this] {
    asio::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    accept_retry_.cancel();
  });
}

void TcpServer::AcceptNext() {
  acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    if (stopping_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors (EMFILE) or a connection reset before it was accepted: log it, free
      // what ended connections hold, and accept again shortly, as mongod does.
      std::fprintf(stderr, "devmongod: error accepting a new connection: %s\n",
                   ec.message().c_str());
      ReapFinished();
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait([this](const asio::error_code& e) {
        if (!e && !stopping_) AcceptNext();
      });
      return;
    }
    asio::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    ConnectionInfo info;
    info.id = next_connection_id_++;
    info.local_address = Address(socket.local_endpoint(ignored));
    info.peer_address = Address(socket.remote_endpoint(ignored));
    ReapFinished();
    {
      std::lock_guard lock(connections_mutex_);
      auto conn = std::make_unique<Connection>(std::move(socket));
      Connection* raw = conn.get();
      try {
        conn->thread = std::thread([this, raw, info] { Serve(raw, info); });
        connections_.push_back(std::move(conn));
      } catch (const std::system_error& e) {  // no thread to be had: refuse this one only
        std::fprintf(stderr, "devmongod: conn%d: closing: cannot start a thread: %s\n", info.id,
                     e.what());
      }
    }
    AcceptNext();
  });
}

// Joins the threads of connections that have ended, so a long-lived server does not
// accumulate them.
void TcpServer::ReapFinished() {
  std::lock_guard lock(connections_mutex_);
  for (auto it = connections_.begin(); it != connections_.end();) {
    if ((*it)->done) {
      (*it)->thread.join();
      it = connections_.erase(it);
    } else {
      ++it;
    }
  }
}

void TcpServer::Serve(Connection* conn, ConnectionInfo info) {
  std::vector<uint8_t> frame;
  asio::error_code ec;
  while (!stopping_) {
    frame.resize(kHeaderSize);
    asio::read(conn->socket, asio::buffer(frame.data(), kHeaderSize), ec);
    if (ec) break;
    int32_t length;
    std::memcpy(&length, frame.data(), 4);
    if (length < static_cast<int32_t>(kHeaderSize) || length > max_frame_) {
      std::fprintf(stderr, "devmongod: conn%d %s: closing: frame length %d out of bounds\n",
                   info.id, info.peer_address.c_str(), length);
      break;
    }
    frame.resize(static_cast<size_t>(length));
    asio::read(conn->socket, asio::buffer(frame.data() + kHeaderSize, length - kHeaderSize), ec);
    if (ec) break;
    FrameResult result = handler_(info, frame.data(), frame.size());
    if (!result.reply.empty()) {
      asio::write(conn->socket, asio::buffer(result.reply), ec);
      if (ec) break;
    }
    if (result.close) break;
  }
  // The socket is closed by its owner after join, never here, so that Run() may still call
  // shutdown() on it without racing a close.
  asio::error_code ignored;
  conn->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  if (on_disconnect_) on_disconnect_(info);
  conn->done = true;
  // Free the descriptor now, not at the next accept (which may never come at EMFILE).
  asio::post(io_, [this] { ReapFinished(); });
}

}  // namespace mm::net
