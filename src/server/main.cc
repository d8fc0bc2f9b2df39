// devmongod: a small MongoDB-wire-compatible server for tests and local development.
#include <sys/prctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <csignal>

#include <cstdio>
#include <exception>

#include "cli/docs.h"
#include "commit.h"
#include "mongomigrate/version.h"
#include "server/net/tcp_server.h"
#include "server/service.h"
#include "server/ttl_monitor.h"
#include "server/wire/message.h"

namespace {

// One --setParameter NAME=VALUE, as mongod's for the parameters devmongod has; false when the
// name is unknown or the value out of range.
bool SetParameter(const std::string& text, mm::commands::ServerOptions* options) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos) return false;
  const std::string name = text.substr(0, eq), value = text.substr(eq + 1);
  if (name == "enableTestCommands") {
    if (value != "0" && value != "1" && value != "true" && value != "false") return false;
    options->test_commands = value == "1" || value == "true";
    return true;
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n <= 0) return false;
  if (name == "cursorTimeoutMillis") {
    options->cursor_timeout = std::chrono::milliseconds(n);
    return true;
  }
  if (name == "ttlMonitorSleepSecs" && n <= 86400 * 365) {
    options->ttl_monitor_period = std::chrono::seconds(n);
    return true;
  }
  if (name == "minSnapshotHistoryWindowInSeconds" && n <= 86400 * 365) {
    options->snapshot_history_window = std::chrono::seconds(n);
    return true;
  }
  if (name == "transactionLifetimeLimitSeconds" && n <= 86400 * 365) {
    options->transaction_lifetime = std::chrono::seconds(n);
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"devmongod: a MongoDB-wire-compatible server for tests and development",
               "devmongod"};
  app.set_version_flag("--version",
                       std::string("devmongod ") + mm::kVersion + " (commit " + kGitCommit + ")");
  mm::commands::ServerOptions options;
  int port = 27017;
  app.add_option("--bind,--bind_ip", options.bind_ip, "Address to listen on (loopback by default)");
  app.add_option("--port", port, "TCP port; 0 picks a free one and prints it")
      ->check(CLI::Range(0, 65535));
  app.add_option("--replSet", options.repl_set,
                 "Answer the handshake as the primary of a one-member replica set NAME");
  app.add_flag("--auth", options.auth,
               "Require authentication (SCRAM-SHA-256); the first user may be created from an "
               "unauthenticated connection with createUser");
  std::vector<std::string> parameters;
  app.add_option("--setParameter", parameters,
                 "NAME=VALUE; devmongod knows enableTestCommands=1 (enables `sleep`)");
  app.add_option("--commandLog", options.command_log,
                 "Append one line per command received (\"db command\") to FILE, to count a "
                 "client's round trips (devmongod's own option)");
  app.add_flag("--commandLogDetail", options.command_log_detail,
               "With --commandLog: each line also holds the command, as canonical Extended JSON "
               "(to compare what two clients send)");
  bool exit_with_parent = false;
  app.add_flag("--exitWithParent", exit_with_parent,
               "Shut down when the process that started it ends, however it ends (devmongod's "
               "own option: mongo-migrate verify's shadow server never outlives it)");
  std::string dbpath;
  app.add_option("--dbpath", dbpath,
                 "Directory for durable data (SQLite); without it, data lives in memory only");
  mm::cli::ManPageText man;
  man.name = "devmongod";
  man.summary = "a MongoDB-wire-compatible server for tests and development";
  man.version = std::string("devmongod ") + mm::kVersion;
  man.sections = {
      {"BEHAVIOUR",
       "devmongod answers the commands it implements as MongoDB 7.0 does (the same replies and "
       "error codes) and every other one with MongoDB's own CommandNotFound (59). Without "
       "--dbpath its data lives in memory and goes with the process.\n\n"
       "With --port 0 it picks a free port and prints it, for tests that start their own."},
      {"EXIT STATUS",
       "0 after SIGINT or SIGTERM (a clean shutdown); non-zero when it cannot "
       "start (a port in use, a bad option, an unreadable --dbpath)."}};
  man.see_also = {"mongo-migrate(1)"};
  if (int generated = mm::cli::GenerateDocs(app, man, argc, argv); generated >= 0) {
    return generated;
  }
  CLI11_PARSE(app, argc, argv);
  if (exit_with_parent) {
    // SIGTERM is a clean shutdown; a parent already gone before this line is caught by the
    // getppid() check.
    const pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) return 0;
  }
  for (const std::string& p : parameters) {
    if (!SetParameter(p, &options)) {
      std::fprintf(
          stderr,
          "devmongod: unknown or invalid --setParameter %s (known: enableTestCommands=0|1, "
          "cursorTimeoutMillis=N, transactionLifetimeLimitSeconds=N, "
          "minSnapshotHistoryWindowInSeconds=N, ttlMonitorSleepSecs=N, N a positive "
          "integer)\n",
          p.c_str());
      return 2;
    }
  }

  std::unique_ptr<mm::storage::Storage> storage = mm::storage::MakeMemoryStorage();
  if (!dbpath.empty()) {
    auto opened = mm::storage::OpenSqliteStorage(dbpath);
    if (!opened.ok()) {
      std::fprintf(stderr, "devmongod: %s\n", opened.status().message().c_str());
      return 100;  // mongod's exit code for an unusable dbpath
    }
    storage = std::move(opened).value();
  }
  try {
    mm::Service service(options, std::move(storage));
    mm::net::TcpServer server(
        [&service](const mm::net::ConnectionInfo& conn, const uint8_t* frame, size_t len) {
          return service.HandleFrame(conn, frame, len);
        },
        mm::wire::kMaxMessageSizeBytes);
    server.OnDisconnect(
        [&service](const mm::net::ConnectionInfo& c) { service.Disconnected(c.id); });
    mm::TtlMonitor ttl_monitor(service, options.ttl_monitor_period);
    uint16_t bound = server.Listen(options.bind_ip, static_cast<uint16_t>(port));
    std::printf("devmongod listening on %s:%u\n", options.bind_ip.c_str(), bound);
    std::fflush(stdout);
    server.Run(/*handle_signals=*/true, [&service] { service.BeginShutdown(); });
    std::fprintf(stderr, "devmongod: shut down\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "devmongod: %s\n", e.what());
    return 1;
  }
  return 0;
}
