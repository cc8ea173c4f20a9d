#include "vouch/refer/webhook_dispatcher.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
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
  bool tls = false;
  std::string host;
  std::string port;
  std::string target = "/";
};

std::optional<ParsedUrl> ParseWebhookTarget(std::string_view url) {
  ParsedUrl out;
  std::string_view rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
    out.port = "80";
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
    out.tls = true;
    out.port = "443";
  } else {
    return std::nullopt;
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
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

template <class Stream>
inline constexpr bool kIsTls = false;
template <class Next>
inline constexpr bool kIsTls<beast::ssl_stream<Next>> = true;

// Why the peer's certificate was refused ("hostname mismatch", "unable to get local issuer certificate"), or
// empty when verification was not what failed.
std::string VerifyFailure(beast::ssl_stream<beast::tcp_stream>& stream) {
  long result = SSL_get_verify_result(stream.native_handle());
  return result == X509_V_OK ? std::string() : X509_verify_cert_error_string(result);
}

// Connect, (for TLS) handshake, send, read the answer: asynchronous operations run to completion here only to get
// the stream's deadline (a synchronous Beast call has no timeout), so a stalled receiver cannot hold the dispatcher.
template <class Stream>
WebhookAnswer Exchange(net::io_context& ioc, Stream& stream, const tcp::resolver::results_type& endpoints,
                       const http::request<http::string_body>& req, std::chrono::milliseconds deadline,
                       const std::string& url) {
  WebhookAnswer answer;
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  auto& tcp_layer = beast::get_lowest_layer(stream);
  auto send = [&] {
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
  };
  tcp_layer.expires_after(deadline);
  tcp_layer.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    if (e) {
      answer.error = fmt::format("connect {}: {}", url, e.message());
      return;
    }
    if constexpr (kIsTls<Stream>) {
      stream.async_handshake(net::ssl::stream_base::client, [&](beast::error_code he) {
        if (he) {
          std::string why = VerifyFailure(stream);
          answer.error = fmt::format("TLS handshake with {}: {}{}", url, he.message(), why.empty() ? "" : " (" + why + ")");
          return;
        }
        send();
      });
    } else {
      send();
    }
  });
  ioc.run();
  // No TLS close_notify exchange: the answer is complete (its length is known) and waiting for the receiver's
  // close_notify would only add a round trip, or a stall, to every delivery.
  beast::error_code ec;
  tcp_layer.socket().shutdown(tcp::socket::shutdown_both, ec);
  return answer;
}

// A TLS client context that trusts ca_file (empty: the system's CA store).
Status ConfigureTrust(net::ssl::context& ctx, const std::string& ca_file) {
  beast::error_code ec;
  ctx.set_verify_mode(net::ssl::verify_peer, ec);
  if (ca_file.empty()) {
    ctx.set_default_verify_paths(ec);
    if (ec) return Status::Internal(fmt::format("TLS: the system CA store: {}", ec.message()));
  } else {
    ctx.load_verify_file(ca_file, ec);
    if (ec) return Status::InvalidArgument(fmt::format("TLS CA file {}: {}", ca_file, ec.message()));
  }
  return Status::Ok();
}

// Makes the stream verify the peer's chain and that its certificate names host (a DNS name, or an IP address
// literal), and send host as SNI.
Status ConfigurePeer(beast::ssl_stream<beast::tcp_stream>& stream, const std::string& host) {
  beast::error_code ec;
  stream.set_verify_mode(net::ssl::verify_peer, ec);
  if (ec) return Status::Internal(fmt::format("TLS: {}", ec.message()));
  SSL* ssl = stream.native_handle();
  beast::error_code not_ip;
  net::ip::make_address(host, not_ip);
  if (!not_ip) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
      return Status::InvalidArgument(fmt::format("TLS: bad IP address {}", host));
    }
    return Status::Ok();  // SNI carries host names only (RFC 6066)
  }
  // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
  if (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(host.c_str())) != 1 ||
      SSL_set1_host(ssl, host.c_str()) != 1) {
    return Status::InvalidArgument(fmt::format("TLS: bad host name {}", host));
  }
  return Status::Ok();
}

}  // namespace

WebhookAnswer PostWebhook(const WebhookPost& post, int64_t timeout_ms, const std::string& ca_file) {
  auto url = ParseWebhookTarget(post.url);
  if (!url) return {0, fmt::format("not an http:// or https:// URL: {}", post.url)};
  try {
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url->host, url->port, ec);
    if (ec) return {0, fmt::format("resolve {}: {}", url->host, ec.message())};
    http::request<http::string_body> req{http::verb::post, url->target, 11};
    bool default_port = url->port == (url->tls ? "443" : "80");
    req.set(http::field::host, url->host + (default_port ? "" : ":" + url->port));
    req.set(http::field::user_agent, "vouch-webhooks/1");
    req.set(http::field::content_type, "application/json");
    req.set("Vouch-Signature", post.signature);
    req.set("Vouch-Event-Id", std::to_string(post.event_id));
    req.set("Vouch-Event-Type", post.event_type);
    req.body() = post.body;
    req.prepare_payload();
    auto deadline = std::chrono::milliseconds(timeout_ms);
    if (!url->tls) {
      beast::tcp_stream stream(ioc);
      return Exchange(ioc, stream, endpoints, req, deadline, post.url);
    }
    net::ssl::context ctx(net::ssl::context::tls_client);
    if (Status s = ConfigureTrust(ctx, ca_file); !s.ok()) return {0, s.message()};
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    if (Status s = ConfigurePeer(stream, url->host); !s.ok()) return {0, s.message()};
    return Exchange(ioc, stream, endpoints, req, deadline, post.url);
  } catch (const std::exception& e) {
    return {0, e.what()};
  }
}

WebhookDispatcher::WebhookDispatcher(WebhookStore& store, const Clock& clock, WebhookOptions options, Sender sender)
    : store_(store), clock_(clock), options_(options), sender_(std::move(sender)) {
  if (!sender_) {
    sender_ = [ca_file = options_.ca_file](const WebhookPost& post, int64_t timeout_ms) {
      return PostWebhook(post, timeout_ms, ca_file);
    };
  }
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
