// devmongod's request path: one frame in → wire parse → command → reply frame out.
#pragma once

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include "server/cluster_clock.h"
#include "server/commands/command.h"
#include "server/commands/fail_points.h"
#include "server/commands/sessions.h"
#include "server/commands/snapshot_reads.h"
#include "server/engine/catalog.h"
#include "server/net/tcp_server.h"
#include "server/storage/storage.h"

namespace mm {

class Service {
 public:
  Service(commands::ServerOptions options, std::unique_ptr<storage::Storage> storage);

  net::FrameResult HandleFrame(const net::ConnectionInfo& conn, const uint8_t* frame, size_t len);
  // Asks long-running commands (`sleep`) to end now: the server is shutting down.
  void BeginShutdown() { shutting_down_ = true; }

  // One pass of the TTL monitor (under the engine lock): removes what TTL indexes say has
  // expired; returns how many documents went.
  size_t ExpireTtlIndexes();

  // Forgets what connection `id` had established (authentication).
  void Disconnected(int32_t id);

  // Runs one command as if it arrived on the wire (for in-process tests), on one connection
  // that persists across calls.
  Document Run(const Document& command, const std::string& db);

 private:
  // Answers a command as mongod would: the failCommand fail point first (test commands only),
  // then the command (releasing `lock` for one that takes no engine lock), then the error
  // labels. `*close` asks for the connection to be closed instead of answered.
  Document Answer(const Document& command, commands::CommandContext& ctx,
                  std::unique_lock<std::mutex>& lock, bool* close);
  // Runs a command under the engine lock, its writes committed to storage together.
  Document RunStored(const Document& command, commands::CommandContext& ctx);

  commands::ServerOptions options_;
  std::unique_ptr<storage::Storage> storage_;
  // One lock for the whole engine: devmongod favours obviously-correct over parallel.
  std::mutex mutex_;
  engine::Catalog catalog_;
  commands::CursorStore cursors_;
  commands::UserStore users_;
  commands::SessionStore sessions_;
  commands::FailPoints fail_points_;
  commands::SnapshotHistory snapshots_;
  std::map<int32_t, commands::ConnectionState> connections_;
  std::atomic<int32_t> next_reply_id_{1};
  ClusterClock clock_;  // replica-set mode only
  std::ofstream command_log_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace mm
