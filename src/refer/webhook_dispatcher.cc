#include "vouch/refer/webhook_dispatcher.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "vouch/store/sqlite_db.h"

namespace vouch::refer {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct ParsedUrl {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

std::optional<ParsedUrl> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (url.rfind(kHttp, 0) != 0) return std::nullopt;
  std::string_view rest = url.substr(kHttp.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  ParsedUrl out;
  if (slash != std::string_view::npos) out.target = std::string(rest.substr(slash));
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    out.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  if (authority.size() >= 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  if (authority.empty() || out.port.empty()) return std::nullopt;
  out.host = std::string(authority);
  return out;
}

}  // namespace

WebhookAnswer PostWebhook(const WebhookPost& post, int64_t timeout_ms) {
  auto url = ParseHttpUrl(post.url);
  if (!url) return {0, fmt::format("not an http:// URL: {}", post.url)};
  try {
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    auto deadline = std::chrono::milliseconds(timeout_ms);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url->host, url->port, ec);
    if (ec) return {0, fmt::format("resolve {}: {}", url->host, ec.message())};
    // Asynchronous operations run to completion here only to get the stream's deadline (a synchronous Beast call
    // has no timeout), so a stalled receiver cannot hold the dispatcher.
    WebhookAnswer answer;
    http::request<http::string_body> req{http::verb::post, url->target, 11};
    req.set(http::field::host, url->host + (url->port == "80" ? "" : ":" + url->port));
    req.set(http::field::user_agent, "vouch-webhooks/1");
    req.set(http::field::content_type, "application/json");
    req.set("Vouch-Signature", post.signature);
    req.set("Vouch-Event-Id", std::to_string(post.event_id));
    req.set("Vouch-Event-Type", post.event_type);
    req.body() = post.body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    stream.expires_after(deadline);
    stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
      if (e) {
        answer.error = fmt::format("connect {}: {}", post.url, e.message());
        return;
      }
      http::async_write(stream, req, [&](beast::error_code we, size_t) {
        if (we) {
          answer.error = fmt::format("send: {}", we.message());
          return;
        }
        http::async_read(stream, buffer, res, [&](beast::error_code re, size_t) {
          if (re) {
            answer.error = fmt::format("answer: {}", re.message());
            return;
          }
          answer.http_status = static_cast<int>(res.result_int());
          if (answer.http_status < 200 || answer.http_status > 299) answer.error = res.body().substr(0, 200);
        });
      });
    });
    ioc.run();
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return answer;
  } catch (const std::exception& e) {
    return {0, e.what()};
  }
}

WebhookDispatcher::WebhookDispatcher(WebhookStore& store, const Clock& clock, WebhookOptions options, Sender sender)
    : store_(store), clock_(clock), options_(options), sender_(std::move(sender)) {
  if (!sender_) sender_ = PostWebhook;
  jitter_.seed(options_.jitter_seed != 0 ? static_cast<std::mt19937::result_type>(options_.jitter_seed)
                                         : std::random_device{}());
}

Result<DispatchRound> WebhookDispatcher::RunOnce() {
  DispatchRound round;
  VOUCH_ASSIGN_OR_RETURN(round.events_fanned_out, store_.FanOut(clock_.NowMillis(), 1000));
  VOUCH_ASSIGN_OR_RETURN(auto due, store_.DueDeliveries(clock_.NowMillis(), options_.batch));
  if (due.empty()) return round;
  VOUCH_ASSIGN_OR_RETURN(auto endpoints, store_.ListEndpoints());
  for (WebhookDelivery& d : due) {
    const WebhookEndpoint* endpoint = nullptr;
    for (const WebhookEndpoint& e : endpoints) {
      if (e.id == d.endpoint_id) endpoint = &e;
    }
    if (endpoint == nullptr || endpoint->disabled) continue;  // waits until the endpoint is enabled again
    WebhookPost post;
    post.url = endpoint->url;
    post.event_id = d.event_id;
    post.event_type = d.event_type;
    post.body = WebhookBody(d.event_id, d.event_type, d.event_created_at, d.payload);
    post.signature = SignWebhook(endpoint->secret, clock_.NowSeconds(), post.body);
    WebhookAnswer answer = sender_(post, options_.timeout_ms);
    ++round.attempted;
    ++d.attempts;
    d.last_http_status = answer.http_status;
    d.last_error = answer.error;
    if (answer.http_status >= 200 && answer.http_status <= 299) {
      d.status = DeliveryStatus::kDelivered;
      ++round.delivered;
    } else if (d.attempts >= options_.max_attempts) {
      d.status = DeliveryStatus::kDead;
      ++round.dead;
    } else {
      d.next_attempt_ms = clock_.NowMillis() + RetryDelayMs(d.attempts + 1, options_.base_delay_ms,
                                                            options_.max_delay_ms, static_cast<uint32_t>(jitter_()));
      ++round.retrying;
    }
    VOUCH_TRY(store_.UpdateDelivery(d));
  }
  return round;
}

// ---- WebhookWorker ----

struct WebhookWorker::Impl {
  std::string database;
  WebhookOptions options;
  const Clock& clock;
  std::unique_ptr<store::SqliteDb> db;
  std::unique_ptr<SqliteWebhookStore> store;
  std::unique_ptr<WebhookDispatcher> dispatcher;
  std::thread thread;
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  Status last_error;

  Impl(std::string path, WebhookOptions opts, const Clock& c) : database(std::move(path)), options(opts), clock(c) {}
};

WebhookWorker::WebhookWorker(std::string database, WebhookOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(database), options, clock)) {}

WebhookWorker::~WebhookWorker() { Stop(); }

Status WebhookWorker::Start() {
  Impl& s = *impl_;
  VOUCH_ASSIGN_OR_RETURN(s.db, store::SqliteDb::Open(s.database, /*create_if_missing=*/false));
  VOUCH_ASSIGN_OR_RETURN(s.store, SqliteWebhookStore::Open(*s.db));
  s.dispatcher = std::make_unique<WebhookDispatcher>(*s.store, s.clock, s.options);
  s.thread = std::thread([this] {
    Impl& w = *impl_;
    for (;;) {
      auto round = w.dispatcher->RunOnce();
      bool busy = false;
      {
        std::lock_guard<std::mutex> lock(w.mu);
        if (!round.ok()) {
          w.last_error = round.status();
        } else {
          delivered_ += round->delivered;
          busy = round->attempted > 0 || round->events_fanned_out > 0;
        }
      }
      std::unique_lock<std::mutex> lock(w.mu);
      if (w.stop) return;
      if (!busy) {
        w.cv.wait_for(lock, std::chrono::milliseconds(w.options.poll_ms), [&] { return w.stop; });
        if (w.stop) return;
      }
    }
  });
  return Status::Ok();
}

void WebhookWorker::Stop() {
  if (!impl_) return;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Status WebhookWorker::last_error() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last_error;
}

}  // namespace vouch::refer
