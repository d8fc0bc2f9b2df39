#include "server/service.h"

#include <cstdio>
#include <stdexcept>
#include <thread>

#include "server/commands/error_labels.h"
#include "server/engine/ttl.h"
#include "server/wire/message.h"
#include "value/bson_codec.h"

namespace mm {
namespace {

// The connection's user as mongod names it in session records ("name@db"), "" if none.
std::string AuthenticatedUser(const commands::CommandContext& ctx) {
  if (!ctx.connection || ctx.connection->authenticated.empty()) return "";
  return commands::SessionUserName(*ctx.connection->authenticated.begin());
}

}  // namespace

Service::Service(commands::ServerOptions options, std::unique_ptr<storage::Storage> storage)
    : options_(std::move(options)), storage_(std::move(storage)), catalog_(storage_.get()) {
  catalog_.LoadFrom(*storage_);
  if (!options_.command_log.empty()) {
    command_log_.open(options_.command_log, std::ios::app);
    if (!command_log_) throw std::runtime_error("cannot open --commandLog " + options_.command_log);
  }
}

Document Service::RunStored(const Document& command, commands::CommandContext& ctx) {
  // One storage transaction per command: on disk, a command has happened entirely or not.
  storage_->Begin();
  Document reply = commands::RunCommand(command, ctx);
  storage_->Commit();
  return reply;
}

size_t Service::ExpireTtlIndexes() {
  std::lock_guard lock(mutex_);
  storage_->Begin();
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  size_t removed = engine::RemoveExpired(catalog_, DateTime{now.count()});
  storage_->Commit();
  return removed;
}

void Service::Disconnected(int32_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
}

Document Service::Run(const Document& command, const std::string& db) {
  commands::ClientInfo client{0, options_.bind_ip + ":" + std::to_string(options_.port)};
  std::unique_lock lock(mutex_);
  commands::CommandContext ctx{catalog_,   cursors_,        options_,         client,
                               db,         &shutting_down_, &connections_[0], &users_,
                               &sessions_, &fail_points_};
  ctx.snapshots = &snapshots_;
  ctx.clock = &clock_;
  bool close = false;
  return Answer(command, ctx, lock, &close);
}

Document Service::Answer(const Document& command, commands::CommandContext& ctx,
                         std::unique_lock<std::mutex>& lock, bool* close) {
  // What has outlived its time goes before anything else is answered (under the engine lock).
  cursors_.ExpireIdle(options_.cursor_timeout);
  sessions_.AbortExpired(options_.transaction_lifetime);
  const commands::CommandSpec* spec =
      command.empty() ? nullptr : commands::FindCommand(command.fields().front().key);
  if (command_log_.is_open() && !command.empty()) {
    command_log_ << ctx.db << ' ' << command.fields().front().key;
    if (options_.command_log_detail) command_log_ << ' ' << ToCanonicalJson(command);
    command_log_ << std::endl;
  }
  if (const Value* lsid = command.Get("lsid"); lsid && lsid->Is<Document>() && spec) {
    sessions_.Touch(lsid->As<Document>(), AuthenticatedUser(ctx));
  }
  std::optional<commands::FailPoints::Action> fail;
  if (spec && options_.test_commands) {
    fail = fail_points_.Check(std::string(spec->name),
                              ctx.connection ? ctx.connection->app_name : std::string());
  }
  if (fail && fail->block.count() > 0) {
    // blockConnection: this connection waits; the others are served meanwhile.
    lock.unlock();
    std::this_thread::sleep_for(fail->block);
    lock.lock();
  }
  if (fail && fail->run_command) fail.reset();
  if (fail && fail->close_connection) {
    *close = true;
    return Document{};
  }
  Document reply;
  if (fail && !fail->write_concern_error) {
    reply = std::move(fail->reply);
  } else if (spec && !spec->takes_engine_lock) {
    lock.unlock();
    reply = commands::RunCommand(command, ctx);
  } else {
    reply = RunStored(command, ctx);
  }
  if (ctx.close_connection) *close = true;
  if (fail && fail->write_concern_error) reply.Set("writeConcernError", *fail->write_concern_error);
  if (!reply.Has("errorLabels")) {
    if (Array labels = commands::ErrorLabelsFor(command, reply); !labels.items.empty()) {
      reply.Append("errorLabels", std::move(labels));
    }
  }
  return reply;
}

net::FrameResult Service::HandleFrame(const net::ConnectionInfo& conn, const uint8_t* frame,
                                      size_t len) {
  wire::Request request;
  wire::ParseError error;
  Document reply;
  if (!wire::ParseMessage(frame, len, &request, &error)) {
    if (error.action == wire::ParseError::Action::kCloseConnection) {
      std::fprintf(stderr, "devmongod: conn%d %s: closing: %s\n", conn.id,
                   conn.peer_address.c_str(), error.status.message().c_str());
      return net::FrameResult{{}, true};
    }
    const Status& s = error.status;
    if (request.kind == wire::RequestKind::kLegacyQuery) {
      reply = Document{{"$err", s.message()}, {"code", s.code()}, {"ok", 0.0}};
    } else {
      reply = Document{
          {"ok", 0.0}, {"errmsg", s.message()}, {"code", s.code()}, {"codeName", s.code_name()}};
    }
  } else {
    commands::ClientInfo client{conn.id, conn.local_address};
    std::unique_lock lock(mutex_);
    // Map nodes are stable and only this connection's thread touches its own state, so the
    // pointer stays valid after the lock is released for a lock-free command.
    commands::CommandContext ctx{catalog_,
                                 cursors_,
                                 options_,
                                 client,
                                 request.db,
                                 &shutting_down_,
                                 &connections_[conn.id],
                                 &users_,
                                 &sessions_,
                                 &fail_points_};
    ctx.snapshots = &snapshots_;
    ctx.clock = &clock_;
    bool close = false;
    reply = Answer(request.command, ctx, lock, &close);
    if (close) return net::FrameResult{{}, true};
  }
  if (request.more_to_come) return net::FrameResult{};
  if (!options_.repl_set.empty() && request.kind == wire::RequestKind::kMsg) clock_.Stamp(&reply);
  return net::FrameResult{wire::BuildReply(request, reply, next_reply_id_++), false};
}

}  // namespace mm
