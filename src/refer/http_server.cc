#include "vouch/refer/http_server.h"

#include <fmt/format.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "vouch/refer/api_router.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/refer/webhooks.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::refer {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string Str(beast::string_view sv) { return std::string(sv.data(), sv.size()); }

// The database thread: owns the connection, runs requests in group-committed batches.
class DbWorker {
 public:
  using Done = std::function<void(ApiResponse)>;

  DbWorker(size_t max_batch, const Clock& clock) : max_batch_(max_batch), clock_(clock) {}
  ~DbWorker() { Stop(); }
  DbWorker(const DbWorker&) = delete;
  DbWorker& operator=(const DbWorker&) = delete;

  Status Open(const std::string& path, ServiceConfig config) {
    config_ = std::move(config);
    VOUCH_ASSIGN_OR_RETURN(identity_, SqliteStore::Open(path, /*create_if_missing=*/false, clock_));
    // A 2xx promises the request is on disk: fsync at every commit (and WAL makes that one sequential write).
    VOUCH_TRY(identity_->db().Exec("PRAGMA synchronous=FULL"));
    VOUCH_ASSIGN_OR_RETURN(store_, SqliteReferralStore::Open(identity_->db()));
    VOUCH_ASSIGN_OR_RETURN(webhooks_, SqliteWebhookStore::Open(identity_->db()));
    service_ = std::make_unique<ReferralService>(*store_, *identity_, clock_, config_);
    router_ = std::make_unique<ApiRouter>(*service_, webhooks_.get());
    return Status::Ok();
  }

  void SetPublicBaseUrl(std::string url) {
    config_.public_base_url = std::move(url);
    service_ = std::make_unique<ReferralService>(*store_, *identity_, clock_, config_);
    router_ = std::make_unique<ApiRouter>(*service_, webhooks_.get());
  }

  void Start() { thread_ = std::thread([this] { Loop(); }); }

  void Submit(ApiRequest request, Done done) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back({std::move(request), std::move(done)});
      ++busy_;
    }
    cv_.notify_one();
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
  }

  uint64_t requests() const { return requests_.load(); }
  uint64_t commits() const { return commits_.load(); }

 private:
  struct Job {
    ApiRequest request;
    Done done;
  };

  void Loop() {
    for (;;) {
      std::vector<Job> batch;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        while (!queue_.empty() && batch.size() < max_batch_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      std::vector<ApiResponse> responses = RunBatch(batch);
      for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(responses[i]));
      requests_ += batch.size();
      {
        std::lock_guard<std::mutex> lock(mu_);
        busy_ -= batch.size();
      }
    }
  }

  std::vector<ApiResponse> RunBatch(const std::vector<Job>& batch) {
    std::vector<ApiResponse> out(batch.size());
    Status begin = store_->Begin();
    if (!begin.ok()) {
      for (auto& r : out) r = ErrorResponse(503, "unavailable", begin.message());
      return out;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      if (Status s = store_->Savepoint(); !s.ok()) {
        out[i] = ErrorResponse(500, "internal", s.message());
        continue;
      }
      try {
        out[i] = router_->Handle(batch[i].request);
      } catch (const std::exception& e) {
        // A bug, not the client's fault; the boundary turns it into a 500 rather than losing the batch.
        out[i] = ErrorResponse(500, "internal", e.what());
      }
      if (out[i].status >= 400) {
        store_->RollbackToSavepoint();
      } else if (Status s = store_->Release(); !s.ok()) {
        store_->RollbackToSavepoint();
        out[i] = ErrorResponse(500, "internal", s.message());
      }
    }
    if (Status c = store_->Commit(); !c.ok()) {
      store_->Rollback();
      for (auto& r : out) {
        if (r.status < 400) r = ErrorResponse(503, "unavailable", "not committed: " + c.message());
      }
    }
    ++commits_;
    return out;
  }

  size_t max_batch_;
  const Clock& clock_;
  ServiceConfig config_;
  std::unique_ptr<SqliteStore> identity_;
  std::unique_ptr<SqliteReferralStore> store_;
  std::unique_ptr<ReferralService> service_;
  std::unique_ptr<SqliteWebhookStore> webhooks_;
  std::unique_ptr<ApiRouter> router_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  uint64_t busy_ = 0;
  bool stop_ = false;
  std::thread thread_;
  std::atomic<uint64_t> requests_{0}, commits_{0};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, DbWorker& worker, const ServerOptions& options)
      : stream_(std::move(socket)), worker_(worker), options_(options) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) ip_ = endpoint.address().to_string();
  }

  void Run() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, shared_from_this())); }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(options_.max_body_bytes);
    stream_.expires_after(std::chrono::seconds(options_.idle_timeout_s));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return Write(ErrorResponse(413, "payload_too_large",
                                 fmt::format("the body exceeds {} bytes", options_.max_body_bytes)));
    }
    if (ec) {
      if (ec == beast::error::timeout || ec == net::error::operation_aborted || ec == net::error::eof ||
          ec == net::error::connection_reset) {
        return;
      }
      keep_alive_ = false;
      return Write(ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message()));
    }
    stream_.expires_never();
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    head_ = req.method() == http::verb::head;
    ApiRequest api;
    api.method = Str(req.method_string());
    api.target = Str(req.target());
    api.authorization = Str(req[http::field::authorization]);
    api.body = std::move(req.body());
    api.ip = ip_;
    api.user_agent = Str(req[http::field::user_agent]);
    api.cookie = Str(req[http::field::cookie]);
    for (const char* name : {"Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"}) {
      auto v = req[name];
      if (!v.empty()) {
        api.purpose = Str(v);
        break;
      }
    }
    worker_.Submit(std::move(api), [self = shared_from_this()](ApiResponse r) {
      net::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->Write(std::move(r)); });
    });
  }

  void Write(ApiResponse r) {
    res_ = {};
    res_.version(version_);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::server, "vouch");
    res_.set(http::field::content_type, r.content_type);
    res_.set(http::field::cache_control, "no-store");
    if (!r.location.empty()) res_.set(http::field::location, r.location);
    for (const std::string& c : r.set_cookies) res_.insert(http::field::set_cookie, c);
    if (!head_) res_.body() = std::move(r.body);
    res_.keep_alive(keep_alive_);
    res_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(options_.idle_timeout_s));
    http::async_write(stream_, res_, beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t) {
    if (ec) return;
    if (!keep_alive_) return Close();
    Read();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  DbWorker& worker_;
  const ServerOptions& options_;
  std::string ip_;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, const Clock& c)
      : options(std::move(o)), clock(c), worker(options.max_batch, clock),
        ioc(options.threads), acceptor(net::make_strand(ioc)) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;  // shutting down
      } else {
        std::make_shared<Session>(std::move(socket), worker, options)->Run();
      }
      Accept();
    });
  }

  ServerOptions options;
  const Clock& clock;
  DisposableDomains disposable;
  DbWorker worker;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool started = false;
};

HttpServer::HttpServer(ServerOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

HttpServer::~HttpServer() {
  if (impl_->started) {
    impl_->ioc.stop();
    for (auto& t : impl_->threads) {
      if (t.joinable()) t.join();
    }
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
  VOUCH_TRY(m.worker.Open(m.options.database, m.options.service));
  beast::error_code ec;
  auto address = net::ip::make_address(m.options.host, ec);
  if (ec) return Status::InvalidArgument(fmt::format("listen: '{}' is not an IP address", m.options.host));
  tcp::endpoint endpoint(address, m.options.port);
  m.acceptor.open(endpoint.protocol(), ec);
  if (!ec) m.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor.bind(endpoint, ec);
  if (!ec) m.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError(fmt::format("cannot listen on {}:{}: {}", m.options.host, m.options.port, ec.message()));
  }
  m.port = m.acceptor.local_endpoint().port();
  if (m.options.service.public_base_url.empty() || m.options.service.public_base_url == "http://localhost") {
    std::string host = address.is_v6() ? "[" + m.options.host + "]" : m.options.host;
    m.worker.SetPublicBaseUrl(fmt::format("http://{}:{}", host, m.port));
  }
  m.worker.Start();
  m.Accept();
  for (int i = 0; i < m.options.threads; ++i) m.threads.emplace_back([&m] { m.ioc.run(); });
  m.started = true;
  return Status::Ok();
}

uint16_t HttpServer::port() const { return impl_->port; }

Status HttpServer::Run(const RunControl& control) {
  Impl& m = *impl_;
  if (!m.started) return Status::FailedPrecondition("HttpServer::Run before Start");
  while (!control.Cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Stop accepting, let taken requests be committed and answered (bounded), then stop the I/O threads.
  net::post(m.acceptor.get_executor(), [&m] {
    beast::error_code ec;
    m.acceptor.close(ec);
  });
  for (int i = 0; i < 100 && m.worker.Busy() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the last answers reach their sockets
  m.ioc.stop();
  for (auto& t : m.threads) t.join();
  m.threads.clear();
  m.worker.Stop();
  m.started = false;
  return Status::Ok();
}

ServerStats HttpServer::stats() const { return {impl_->worker.requests(), impl_->worker.commits()}; }

}  // namespace vouch::refer
