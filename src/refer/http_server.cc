#include "vouch/refer/http_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <sqlite3.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "refer/http_wire.h"
#include "vouch/refer/api_router.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/refer/wal_checkpointer.h"
#include "vouch/refer/wal_syncer.h"
#include "vouch/refer/webhooks.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::refer {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Who gets a request's answer: a connection.
class Client {
 public:
  virtual ~Client() = default;
  // Runs on the connection's io_context thread, once, after the request's batch is durable. response is the
  // batch's and stays valid during the call only (the connection copies its bytes out).
  virtual void Answer(const ApiResponse& response) = 0;
};

// The database thread: owns the connection, runs requests in group-committed batches. A job's client is answered
// on its io_context's thread, after the batch's commit is durable.
class DbWorker {
 public:
  DbWorker(size_t max_batch, const Clock& clock) : max_batch_(max_batch), clock_(clock) {}
  ~DbWorker() { Stop(); }
  DbWorker(const DbWorker&) = delete;
  DbWorker& operator=(const DbWorker&) = delete;

  Status Open(const std::string& path, ServiceConfig config) {
    config_ = std::move(config);
    VOUCH_ASSIGN_OR_RETURN(identity_, SqliteStore::Open(path, /*create_if_missing=*/false, clock_));
    VOUCH_ASSIGN_OR_RETURN(store_, SqliteReferralStore::Open(identity_->db()));
    // A 2xx promises the request is on disk. COMMIT (synchronous=NORMAL) writes the WAL without waiting for the
    // disk; the syncer fsyncs the WAL and only then releases the answers (wal_syncer.h). Where the WAL file
    // cannot be opened, every COMMIT fsyncs itself (synchronous=FULL) and answers are released at once.
    const char* wal = sqlite3_filename_wal(sqlite3_db_filename(identity_->db().raw(), "main"));
    if (wal == nullptr || !syncer_.Start(wal).ok()) {
      VOUCH_TRY(identity_->db().Exec("PRAGMA synchronous=FULL"));
    } else {
      VOUCH_TRY(identity_->db().Exec("PRAGMA synchronous=NORMAL"));
      sync_wal_ = true;
    }
    // A page cache of kCacheKiB instead of the store's 64 MiB: the server's writes append (clicks, sales, ledger
    // rows and the tails of their indexes), and until the cache is full every new page is a fresh 4 KiB malloc
    // that grows the database thread's heap (page faults, malloc_consolidate): ~8% of the redirect's CPU in a
    // profile. A smaller cache is full after ~2,000 new pages and from then on recycles its buffers.
    VOUCH_TRY(identity_->db().Exec(fmt::format("PRAGMA cache_size=-{}", kCacheKiB)));
    // Checkpoints on their own thread: SQLite's automatic one would stop this thread for an fsync of the database
    // file every 1,000 WAL pages, with every queued request waiting behind it (wal_checkpointer.h).
    VOUCH_TRY(checkpointer_.Start(identity_->db()));
    VOUCH_ASSIGN_OR_RETURN(webhooks_, SqliteWebhookStore::Open(identity_->db()));
    service_ = std::make_unique<ReferralService>(*store_, *identity_, clock_, config_);
    router_ = std::make_unique<ApiRouter>(*service_, webhooks_.get(), extra_);
    return Status::Ok();
  }

  void SetPublicBaseUrl(std::string url) {
    config_.public_base_url = std::move(url);
    service_ = std::make_unique<ReferralService>(*store_, *identity_, clock_, config_);
    router_ = std::make_unique<ApiRouter>(*service_, webhooks_.get(), extra_);
  }

  void SetExtraRoutes(ExtraRoutes* extra) { extra_ = extra; }

  void Start() { thread_ = std::thread([this] { Loop(); }); }

  // click_code non-empty: the request is GET/HEAD /r/{click_code}, served from the link cache. The request is
  // the client's and is read in place (no copy of its strings): the client leaves it untouched, and the job's
  // reference keeps the client alive, until Answer.
  void Submit(const ApiRequest& request, std::string click_code, net::io_context& ioc,
              std::shared_ptr<Client> client) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back({&request, std::move(click_code), &ioc, std::move(client)});
      ++busy_;
      wake = queue_.size() >= wake_at_;
    }
    if (wake) cv_.notify_one();
  }

  // Requests queued or running.
  uint64_t Busy() {
    std::lock_guard<std::mutex> lock(mu_);
    return busy_;
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
    syncer_.Stop();
    checkpointer_.Stop();
  }

  uint64_t requests() const { return requests_.load(); }
  uint64_t commits() const { return commits_.load(); }
  uint64_t syncs() const { return sync_wal_ ? syncer_.syncs() : commits_.load(); }
  uint64_t checkpoints() const { return checkpointer_.checkpoints(); }
  uint64_t writer_checkpoints() const { return checkpointer_.writer_checkpoints(); }

 private:
  struct Job {
    const ApiRequest* request;  // the client's, see Submit
    std::string click_code;
    net::io_context* ioc;
    std::shared_ptr<Client> client;
  };
  struct Batch {
    std::vector<Job> jobs;
    std::vector<ApiResponse> responses;
  };
  static constexpr size_t kSpareBatches = 8;
  static constexpr int kCacheKiB = 8192;  // the connection's SQLite page cache, see Open
  // Syncs in flight before the next batch waits for one to finish (unless it is full); see Loop.
  static constexpr int kMaxSyncsInFlight = 1;
  // Requests queued behind a sync in flight that wake the database thread to run them before the sync ends.
  static constexpr size_t kWakeEvery = 32;
  // A link and its program as the redirect needs them; loaded_ms bounds how stale an entry may get when another
  // process (the CLI) changes the database.
  struct CachedLink {
    Link link;
    Program program;
    int64_t loaded_ms = 0;
  };
  static constexpr int64_t kLinkCacheMs = 5000;

  // One group commit per turn. While a WAL sync is in flight the batch stays open and keeps taking requests as
  // they arrive; it commits when no sync is in flight (or it is full). Each COMMIT then covers the clicks that
  // arrived during the last fdatasync, so there are fewer commits, WAL writes (a batch's clicks share the last
  // pages of the tables and indexes) and syncs per request; a request's answer waits at most for the sync in
  // flight and its own, as before.
  void Loop() {
    for (;;) {
      std::shared_ptr<Batch> batch = NewBatch();
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        TakeQueued(batch->jobs);
      }
      Status begin = store_->Begin();
      RunJobs(begin, 0, batch->jobs, batch->responses);
      while (begin.ok() && sync_wal_ && batch->jobs.size() < max_batch_) {
        size_t from = batch->jobs.size();
        bool sync_free = false;
        {
          // Woken by the sync's end, or by kWakeEvery requests queued (not by each one: a wake-up per request
          // would cost a context switch each).
          std::unique_lock<std::mutex> lock(mu_);
          wake_at_ = kWakeEvery;
          cv_.wait(lock, [this] {
            return stop_ || queue_.size() >= kWakeEvery || syncs_in_flight_ < kMaxSyncsInFlight;
          });
          wake_at_ = 1;
          sync_free = stop_ || syncs_in_flight_ < kMaxSyncsInFlight;
          TakeQueued(batch->jobs);
        }
        RunJobs(begin, from, batch->jobs, batch->responses);
        if (sync_free) break;
      }
      if (begin.ok()) Commit(batch->responses);
      requests_ += batch->jobs.size();
      if (!sync_wal_ || !begin.ok()) {
        Deliver(batch, true);
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++syncs_in_flight_;
      }
      syncer_.Submit({[this, batch](bool ok) {
        Deliver(batch, ok);
        {
          std::lock_guard<std::mutex> lock(mu_);
          --syncs_in_flight_;
        }
        cv_.notify_one();
      }});
    }
  }

  // Moves queued requests into jobs, up to max_batch_ in all. Needs mu_.
  void TakeQueued(std::vector<Job>& jobs) {
    while (!queue_.empty() && jobs.size() < max_batch_) {
      jobs.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }

  // Hands every answer to its connection's thread: one post per io_context, not one per request (a post from a
  // foreign thread wakes that thread, a system call each).
  void Deliver(const std::shared_ptr<Batch>& batch, bool durable) {
    std::vector<net::io_context*> contexts;
    for (size_t i = 0; i < batch->jobs.size(); ++i) {
      if (!durable && batch->responses[i].status < 400) {
        batch->responses[i] = ErrorResponse(503, "unavailable", "not committed: the WAL sync failed");
      }
      net::io_context* ioc = batch->jobs[i].ioc;
      if (std::find(contexts.begin(), contexts.end(), ioc) == contexts.end()) contexts.push_back(ioc);
    }
    for (net::io_context* ioc : contexts) {
      net::post(*ioc, [batch, ioc] {
        for (size_t i = 0; i < batch->jobs.size(); ++i) {
          if (batch->jobs[i].ioc == ioc) batch->jobs[i].client->Answer(batch->responses[i]);
        }
      });
    }
    std::lock_guard<std::mutex> lock(mu_);
    busy_ -= batch->jobs.size();
  }

  // The link with code, from the cache or the database; null when there is none.
  Result<const CachedLink*> FindLink(const std::string& code) {
    int64_t now = clock_.NowMillis();
    auto it = links_.find(code);
    if (it != links_.end() && now - it->second.loaded_ms < kLinkCacheMs) return &it->second;
    VOUCH_ASSIGN_OR_RETURN(auto link, store_->FindLink(code));
    if (!link) {
      links_.erase(code);
      return nullptr;
    }
    VOUCH_ASSIGN_OR_RETURN(auto program, store_->GetProgram(link->program_id));
    if (!program) return Status::Corruption(fmt::format("link {} names a missing program", code));
    CachedLink& entry = links_[code];
    entry = {std::move(*link), std::move(*program), now};
    return &entry;
  }

  ApiResponse Click(const Job& job) {
    auto cached = FindLink(job.click_code);
    if (!cached.ok()) return ErrorResponse(500, "internal", cached.status().message());
    if (*cached == nullptr) return ErrorResponse(404, "not_found", "no such link");
    return router_->Redirect(*job.request, (*cached)->link, (*cached)->program);
  }

  // Whether the click on code writes one row only (its program rewards no clicks; an unknown code writes
  // nothing): one INSERT is atomic by itself, so such a click needs no savepoint of its own (two statements
  // fewer per click on the redirect's hot path). A click that earns a commission writes several rows and keeps it.
  bool ClickWritesOneRow(const std::string& code) {
    auto cached = FindLink(code);
    if (!cached.ok() || *cached == nullptr) return true;
    const auto& rewards = (*cached)->program.rewards;
    return std::none_of(rewards.begin(), rewards.end(),
                        [](const RewardRule& r) { return r.event == RewardEvent::kClick; });
  }

  // Runs batch[from..] inside the open transaction (begin: how opening it went), their answers into out (one per
  // job, in order).
  void RunJobs(const Status& begin, size_t from, const std::vector<Job>& batch, std::vector<ApiResponse>& out) {
    out.resize(batch.size());
    if (!begin.ok()) {
      for (size_t i = from; i < batch.size(); ++i) out[i] = ErrorResponse(503, "unavailable", begin.message());
      return;
    }
    for (size_t i = from; i < batch.size(); ++i) {
      const Job& job = batch[i];
      // Any request that may write (a link disabled, a program changed) empties the link cache, before and
      // after it runs: a click later in the batch sees the change.
      bool writes = job.click_code.empty() && job.request->method != "GET" && job.request->method != "HEAD";
      if (writes) links_.clear();
      if (!job.click_code.empty() && ClickWritesOneRow(job.click_code)) {
        try {
          out[i] = Click(job);  // a failed INSERT has left nothing behind
        } catch (const std::exception& e) {
          out[i] = ErrorResponse(500, "internal", e.what());
        }
        continue;
      }
      if (Status s = store_->Savepoint(); !s.ok()) {
        out[i] = ErrorResponse(500, "internal", s.message());
        continue;
      }
      try {
        out[i] = job.click_code.empty() ? router_->Handle(*job.request) : Click(job);
      } catch (const std::exception& e) {
        // A bug, not the client's fault; the boundary turns it into a 500 rather than losing the batch.
        out[i] = ErrorResponse(500, "internal", e.what());
      }
      if (writes) links_.clear();
      if (out[i].status >= 400) {
        store_->RollbackToSavepoint();
      } else if (Status s = store_->Release(); !s.ok()) {
        store_->RollbackToSavepoint();
        out[i] = ErrorResponse(500, "internal", s.message());
      }
    }
  }

  // Commits the open transaction; if that fails, no answer in out may claim success.
  void Commit(std::vector<ApiResponse>& out) {
    if (Status c = store_->Commit(); !c.ok()) {
      store_->Rollback();
      links_.clear();
      for (auto& r : out) {
        if (r.status < 400) r = ErrorResponse(503, "unavailable", "not committed: " + c.message());
      }
    }
    ++commits_;
  }

  // A batch whose vectors keep their capacity from earlier batches. Its last holder (the I/O thread that answers
  // its last request) hands it back emptied instead of freeing it: allocating and freeing both vectors per batch
  // (up to 512 jobs and answers, tens of KiB, allocated on this thread and freed on the I/O threads) showed in
  // the database thread's profile as malloc_consolidate and sysmalloc with page faults.
  std::shared_ptr<Batch> NewBatch() {
    std::unique_ptr<Batch> batch;
    {
      std::lock_guard<std::mutex> lock(spare_mu_);
      if (!spare_.empty()) {
        batch = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    if (!batch) batch = std::make_unique<Batch>();
    return std::shared_ptr<Batch>(batch.release(), [this](Batch* done) { Recycle(std::unique_ptr<Batch>(done)); });
  }

  // The answers are kept, not cleared: their strings (a click's Location and cookies) were allocated on the database
  // thread and are freed there when RunJobs overwrites them in the batch's next use. Freed here, on an I/O
  // thread, each free went to the database thread's malloc arena under its lock (and its tcache stayed empty).
  void Recycle(std::unique_ptr<Batch> batch) {
    batch->jobs.clear();  // releases the clients
    std::lock_guard<std::mutex> lock(spare_mu_);
    if (spare_.size() < kSpareBatches) spare_.push_back(std::move(batch));
  }

  size_t max_batch_;
  const Clock& clock_;
  // Emptied batches for reuse (NewBatch); declared first so that it outlives every batch the members below hold.
  std::mutex spare_mu_;
  std::vector<std::unique_ptr<Batch>> spare_;
  ServiceConfig config_;
  std::unique_ptr<SqliteStore> identity_;
  std::unique_ptr<SqliteReferralStore> store_;
  std::unique_ptr<ReferralService> service_;
  std::unique_ptr<SqliteWebhookStore> webhooks_;
  std::unique_ptr<ApiRouter> router_;
  ExtraRoutes* extra_ = nullptr;
  std::unordered_map<std::string, CachedLink> links_;  // the database thread's only
  WalSyncer syncer_;
  bool sync_wal_ = false;
  WalCheckpointer checkpointer_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  uint64_t busy_ = 0;
  int syncs_in_flight_ = 0;
  size_t wake_at_ = 1;  // queued requests at which Submit wakes the database thread
  bool stop_ = false;
  std::thread thread_;
  std::atomic<uint64_t> requests_{0}, commits_{0};
};

// A connection. Its idle deadline is one timer per connection, not one per read and write (Beast's tcp_stream
// arms and cancels a timer around every operation, and each cancel of the earliest timer re-programs the
// thread's timerfd: system calls on the redirect's hot path). Each operation only stamps last_active_; the timer
// wakes once per idle_timeout_s, closes the socket when nothing moved for that long while the connection waits
// on its client (reading a request or writing an answer; never while its request waits on the database), and
// otherwise sleeps again until last_active_ + idle_timeout_s.
//
// One request at a time: the next is read only after the answer is written, so the connection's ApiRequest is
// handed to the database thread by reference (DbWorker::Submit) and reused for the next request, and the read
// buffer and the answer's bytes keep their capacity too.
class Session final : public Client, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, net::io_context& ioc, DbWorker& worker, const ServerOptions& options)
      : socket_(std::move(socket)), timer_(ioc), ioc_(ioc), worker_(worker), options_(options) {
    beast::error_code ec;
    auto endpoint = socket_.remote_endpoint(ec);
    if (!ec) request_.ip = endpoint.address().to_string();
    socket_.set_option(tcp::no_delay(true), ec);
  }

  void Run() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->last_active_ = std::chrono::steady_clock::now();
      self->ArmTimer(self->last_active_ + std::chrono::seconds(self->options_.idle_timeout_s));
      self->Read();
    });
  }

  void Answer(const ApiResponse& response) override { Write(response); }

 private:
  void ArmTimer(std::chrono::steady_clock::time_point at) {
    timer_.expires_at(at);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) { self->OnTimer(ec); });
  }

  void OnTimer(beast::error_code ec) {
    if (ec || closed_) return;  // cancelled: the connection is gone
    auto deadline = last_active_ + std::chrono::seconds(options_.idle_timeout_s);
    if (waiting_db_ || std::chrono::steady_clock::now() < deadline) {
      return ArmTimer(waiting_db_ ? std::chrono::steady_clock::now() + std::chrono::seconds(options_.idle_timeout_s)
                                  : deadline);
    }
    Shut();  // the pending read or write completes with operation_aborted
  }

  // The connection is done: no more timer (it holds the session alive), socket closed.
  void Shut() {
    closed_ = true;
    timer_.cancel();
    beast::error_code ec;
    socket_.close(ec);
  }

  void Read() {
    parser_.emplace(request_);
    parser_->body_limit(options_.max_body_bytes);
    last_active_ = std::chrono::steady_clock::now();
    http::async_read(socket_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return Write(ErrorResponse(413, "payload_too_large",
                                 fmt::format("the body exceeds {} bytes", options_.max_body_bytes)));
    }
    if (ec) {
      if (ec == net::error::operation_aborted || ec == net::error::eof || ec == net::error::connection_reset) {
        return Shut();
      }
      keep_alive_ = false;
      return Write(ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message()));
    }
    waiting_db_ = true;
    keep_alive_ = parser_->keep_alive();
    version_ = parser_->version();
    head_ = parser_->method() == http::verb::head;
    // GET/HEAD /r/{code}: the hot path, which skips the router's dispatch and reads the link from the cache.
    std::string click_code;
    const std::string& target = request_.target;
    if ((parser_->method() == http::verb::get || head_) && target.rfind("/r/", 0) == 0) {
      size_t query = target.find('?');
      click_code = target.substr(3, query == std::string::npos ? std::string::npos : query - 3);
    }
    worker_.Submit(request_, std::move(click_code), ioc_, shared_from_this());
  }

  void Write(const ApiResponse& r) {
    waiting_db_ = false;
    if (closed_) return;
    SerializeResponse(r, version_, keep_alive_, head_, out_);
    last_active_ = std::chrono::steady_clock::now();
    net::async_write(socket_, net::buffer(out_), beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t) {
    if (ec) return Shut();
    if (!keep_alive_) return Close();
    Read();
  }

  void Close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    closed_ = true;
    timer_.cancel();
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  std::chrono::steady_clock::time_point last_active_;
  net::io_context& ioc_;
  beast::flat_buffer buffer_;
  ApiRequest request_;  // the request being read or answered; on the database thread between Submit and Answer
  std::optional<RequestParser> parser_;
  std::string out_;
  DbWorker& worker_;
  const ServerOptions& options_;
  bool keep_alive_ = true;
  bool head_ = false;
  bool waiting_db_ = false;
  bool closed_ = false;
  unsigned version_ = 11;
};

}  // namespace

// One io_context per I/O thread: a connection lives on one thread for its whole life, so its handlers need no
// strand, and answers are handed to a thread in one post per batch.
struct HttpServer::Impl {
  Impl(ServerOptions o, const Clock& c) : options(std::move(o)), clock(c), worker(options.max_batch, clock) {
    for (int i = 0; i < std::max(1, options.threads); ++i) {
      contexts.push_back(std::make_unique<net::io_context>(1));
      guards.push_back(net::make_work_guard(*contexts.back()));
    }
    acceptor.emplace(*contexts[0]);
  }

  void Accept() {
    net::io_context& ioc = *contexts[next_context++ % contexts.size()];
    acceptor->async_accept(ioc, [this, &ioc](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor->is_open()) return;  // shutting down
      } else {
        std::make_shared<Session>(std::move(socket), ioc, worker, options)->Run();
      }
      Accept();
    });
  }

  void StopThreads() {
    for (auto& ioc : contexts) ioc->stop();
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
    threads.clear();
  }

  ServerOptions options;
  const Clock& clock;
  DisposableDomains disposable;
  DbWorker worker;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  std::optional<tcp::acceptor> acceptor;
  size_t next_context = 0;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool started = false;
};

HttpServer::HttpServer(ServerOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

HttpServer::~HttpServer() {
  if (impl_->started) {
    impl_->StopThreads();
    impl_->worker.Stop();
  }
}

Status HttpServer::Start() {
  Impl& m = *impl_;
  if (m.options.threads < 1) return Status::InvalidArgument("threads: at least 1");
  if (!m.options.disposable_domains_dir.empty()) {
    VOUCH_ASSIGN_OR_RETURN(m.disposable, DisposableDomains::Load(m.options.disposable_domains_dir));
    m.options.service.disposable_domains = &m.disposable;
  }
  m.worker.SetExtraRoutes(m.options.extra_routes.get());
  VOUCH_TRY(m.worker.Open(m.options.database, m.options.service));
  beast::error_code ec;
  auto address = net::ip::make_address(m.options.host, ec);
  if (ec) return Status::InvalidArgument(fmt::format("listen: '{}' is not an IP address", m.options.host));
  tcp::endpoint endpoint(address, m.options.port);
  m.acceptor->open(endpoint.protocol(), ec);
  if (!ec) m.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor->bind(endpoint, ec);
  if (!ec) m.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError(fmt::format("cannot listen on {}:{}: {}", m.options.host, m.options.port, ec.message()));
  }
  m.port = m.acceptor->local_endpoint().port();
  if (m.options.service.public_base_url.empty() || m.options.service.public_base_url == "http://localhost") {
    std::string host = address.is_v6() ? "[" + m.options.host + "]" : m.options.host;
    m.worker.SetPublicBaseUrl(fmt::format("http://{}:{}", host, m.port));
  }
  m.worker.Start();
  m.Accept();
  for (auto& ioc : m.contexts) m.threads.emplace_back([&ioc] { ioc->run(); });
  m.started = true;
  return Status::Ok();
}

uint16_t HttpServer::port() const { return impl_->port; }

Status HttpServer::Run(const RunControl& control) {
  Impl& m = *impl_;
  if (!m.started) return Status::FailedPrecondition("HttpServer::Run before Start");
  while (!control.Cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Stop accepting, let taken requests be committed and answered (bounded), then stop the I/O threads.
  net::post(m.acceptor->get_executor(), [&m] {
    beast::error_code ec;
    m.acceptor->close(ec);
  });
  for (int i = 0; i < 100 && m.worker.Busy() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the last answers reach their sockets
  m.StopThreads();
  m.worker.Stop();
  m.started = false;
  return Status::Ok();
}

ServerStats HttpServer::stats() const {
  return {impl_->worker.requests(), impl_->worker.commits(), impl_->worker.syncs(), impl_->worker.checkpoints(),
          impl_->worker.writer_checkpoints()};
}

}  // namespace vouch::refer
