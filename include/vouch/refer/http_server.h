// HttpServer: `vouch serve`, the referral service over HTTP/1.1 (Boost.Beast on Boost.Asio).
//
// Threads: `threads` I/O threads accept, parse and write (keep-alive, a body limit, idle timeouts); one database
// thread owns the SQLite connection and runs every request's ApiRouter::Handle. It takes whatever requests have
// queued (up to max_batch), runs each inside a savepoint of one transaction, commits once with
// synchronous=FULL, and only then lets the I/O threads answer: every 2xx (a click's 302 included) was on disk
// before it was sent, and many requests share one fsync (group commit). A request answered with 4xx had its
// savepoint rolled back and stored nothing.
//
// Shutdown: Run() returns after control.cancel is set (the CLI sets it on SIGTERM/SIGINT): the server stops
// accepting, lets requests already taken finish and be answered (bounded by a few seconds), then stops.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "vouch/core/clock.h"
#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/refer/api_router.h"
#include "vouch/refer/referral_service.h"

namespace vouch::refer {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;       // 0: any free port (see HttpServer::port())
  int threads = 2;            // I/O threads
  std::string database;       // the workspace's vouch.db
  ServiceConfig service;      // public_base_url empty: http://HOST:PORT
  std::string disposable_domains_dir;  // the disposable-email-domains package; empty: that fraud rule is off
  size_t max_body_bytes = 64 * 1024;
  size_t max_batch = 512;     // requests per group commit
  int idle_timeout_s = 30;
  // Routes of other modules (the dashboard and report API); null: none. Run on the database thread.
  std::shared_ptr<ExtraRoutes> extra_routes;
};

struct ServerStats {
  uint64_t requests = 0;
  uint64_t commits = 0;  // group commits; requests / commits is the mean batch
  uint64_t syncs = 0;    // fdatasync calls that made commits durable (wal_syncer.h)
  uint64_t checkpoints = 0;         // WAL checkpoints run off the database thread (wal_checkpointer.h)
  uint64_t writer_checkpoints = 0;  // run on the database thread because the checkpointer fell behind
};

class HttpServer final {
 public:
  // clock must outlive the server.
  explicit HttpServer(ServerOptions options, const Clock& clock = SystemClock::Instance());
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Opens the database (migrating the "refer" component), binds and starts the threads. After OK the server
  // answers requests.
  Status Start();
  // The bound port (useful with port 0). Valid after Start().
  uint16_t port() const;
  // Serves until control.cancel is set, then shuts down gracefully.
  Status Run(const RunControl& control);
  ServerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vouch::refer
