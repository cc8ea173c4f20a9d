// Webhook delivery against a local HTTP receiver: signatures verify, a 500 is retried after a backoff, a delivery
// dies after its last attempt and can be retried by hand, endpoints see only their program's events, and
// delivery resumes from the outbox after the process restarts.
#include "vouch/refer/webhook_dispatcher.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <unistd.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "tls_receiver.h"
#include "vouch/refer/api_router.h"
#include "vouch/refer/codes.h"
#include "vouch/refer/referral_service.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::refer {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// An HTTP receiver on a loopback port: answers each request with the next programmed status (200 once the
// program runs out) and records what it got.
class Receiver {
 public:
  struct Got {
    std::string signature, event_id, event_type, body;
  };

  explicit Receiver(std::deque<int> statuses = {}) : statuses_(std::move(statuses)) {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] {
      for (;;) {
        tcp::socket socket(ioc_);
        beast::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stop_) return;
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::read(socket, buffer, req, ec);
        if (ec) continue;
        int status = 200;
        {
          std::lock_guard<std::mutex> lock(mu_);
          got_.push_back({std::string(req["Vouch-Signature"]), std::string(req["Vouch-Event-Id"]),
                          std::string(req["Vouch-Event-Type"]), req.body()});
          if (!statuses_.empty()) {
            status = statuses_.front();
            statuses_.pop_front();
          }
        }
        http::response<http::string_body> res{static_cast<http::status>(status), 11};
        res.body() = "{}";
        res.prepare_payload();
        http::write(socket, res, ec);
        socket.shutdown(tcp::socket::shutdown_both, ec);
      }
    });
  }
  ~Receiver() {
    stop_ = true;
    // Wake the blocking accept with one last connection.
    beast::error_code ec;
    tcp::socket poke(ioc_);
    poke.connect({net::ip::make_address("127.0.0.1"), port_}, ec);
    thread_.join();
  }
  std::string url() const { return fmt::format("http://127.0.0.1:{}/hooks", port_); }
  std::vector<Got> got() {
    std::lock_guard<std::mutex> lock(mu_);
    return got_;
  }

 private:
  net::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::deque<int> statuses_;
  std::mutex mu_;
  std::vector<Got> got_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A port nothing listens on: bound, then closed.
uint16_t ClosedPort() {
  net::io_context ioc;
  tcp::acceptor a(ioc, {net::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

class WebhooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("vouch_webhooks_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }

  void Open() {
    auto store = SqliteStore::Open((dir_ / "vouch.db").string(), true, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    identity_ = std::move(store).value();
    auto refer = SqliteReferralStore::Open(identity_->db());
    ASSERT_TRUE(refer.ok()) << refer.status().ToString();
    refer_ = std::move(refer).value();
    auto hooks = SqliteWebhookStore::Open(identity_->db());
    ASSERT_TRUE(hooks.ok()) << hooks.status().ToString();
    hooks_ = std::move(hooks).value();
    service_ = std::make_unique<ReferralService>(*refer_, *identity_, clock_);
  }
  void Close() {
    service_.reset();
    hooks_.reset();
    refer_.reset();
    identity_.reset();
  }

  // A program, an advocate, a click, a lead and a sale of 10000: sale.created and commission.created events.
  int64_t ReferredSale(const std::string& invoice, int64_t program = 0) {
    if (program == 0) {
      Program p;
      p.name = "Friends";
      p.destination_url = "https://shop.example/";
      p.rewards = {{RewardEvent::kSale, RewardType::kPercent, 1000}};
      p.min_conversion_seconds = 0;
      program = service_->CreateProgram(p).value();
    }
    int64_t advocate = service_->CreateAdvocate({"Jane", "jane@example.com", "", "", ""}).value().first;
    auto link = service_->CreateLink(program, advocate, "").value();
    auto click = service_->RecordClick({link.code, "198.51.100.7", "Mozilla/5.0 Firefox/121.0", "", false, false});
    EXPECT_TRUE(click.ok());
    std::string customer = "cust-" + invoice;
    EXPECT_TRUE(service_->TrackLead({click->token, "", {customer, ""}, "", ""}).ok());
    SaleInput in;
    in.customer.external_id = customer;
    in.invoice_id = invoice;
    in.amount = 10000;
    in.currency = "USD";
    EXPECT_TRUE(service_->TrackSale(in).ok());
    return program;
  }

  WebhookEndpoint Endpoint(const std::string& url, std::optional<int64_t> program = std::nullopt,
                           std::vector<std::string> types = {}) {
    WebhookEndpoint e;
    e.url = url;
    e.secret = "whsec_test_secret";
    e.program_id = program;
    e.event_types = std::move(types);
    e.id = hooks_->InsertEndpoint(e).value();
    return e;
  }

  WebhookOptions Options() {
    WebhookOptions o;
    o.base_delay_ms = 1000;
    o.max_delay_ms = 60'000;
    o.max_attempts = 3;
    o.timeout_ms = 5000;
    o.jitter_seed = 7;
    return o;
  }

  std::filesystem::path dir_;
  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<SqliteStore> identity_;
  std::unique_ptr<SqliteReferralStore> refer_;
  std::unique_ptr<SqliteWebhookStore> hooks_;
  std::unique_ptr<ReferralService> service_;
};

TEST_F(WebhooksTest, DeliveriesAreSignedAndTheSignatureVerifies) {
  Receiver receiver;
  WebhookEndpoint e = Endpoint(receiver.url(), std::nullopt, {"sale.created", "commission.created"});
  ReferredSale("inv-1");
  WebhookDispatcher dispatcher(*hooks_, clock_, Options());
  auto round = dispatcher.RunOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->delivered, 2);
  auto got = receiver.got();
  ASSERT_EQ(got.size(), 2u);
  std::set<std::string> types;
  for (const auto& g : got) {
    EXPECT_TRUE(VerifyWebhookSignature(e.secret, g.signature, g.body, clock_.NowSeconds())) << g.signature;
    EXPECT_FALSE(VerifyWebhookSignature("whsec_other", g.signature, g.body, clock_.NowSeconds()));
    EXPECT_FALSE(VerifyWebhookSignature(e.secret, g.signature, g.body + " ", clock_.NowSeconds()));
    EXPECT_FALSE(VerifyWebhookSignature(e.secret, g.signature, g.body, clock_.NowSeconds() + 3600));  // replayed
    auto body = nlohmann::json::parse(g.body);
    EXPECT_EQ(body["type"], g.event_type);
    EXPECT_EQ(std::to_string(body["id"].get<int64_t>()), g.event_id);
    types.insert(g.event_type);
  }
  EXPECT_EQ(types, (std::set<std::string>{"sale.created", "commission.created"}));
  // Nothing is sent twice.
  ASSERT_TRUE(dispatcher.RunOnce().ok());
  EXPECT_EQ(receiver.got().size(), 2u);
}

TEST_F(WebhooksTest, AnHttpsEndpointIsDeliveredOverVerifiedTls) {
  test::TestCertificate ca = test::MakeTestCa("vouch test CA");
  std::filesystem::path ca_file = dir_ / "ca.pem";
  std::ofstream(ca_file) << ca.cert_pem;
  test::TlsReceiver receiver(test::MakeServerCertificate(ca, "DNS:localhost"));
  Endpoint(fmt::format("https://localhost:{}/hooks", receiver.port()), std::nullopt, {"sale.created"});
  ReferredSale("inv-tls");
  // Trusting the system's store only, the test CA's certificate is refused: retried later, nothing sent.
  WebhookDispatcher untrusting(*hooks_, clock_, Options());
  auto refused = untrusting.RunOnce();
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->retrying, 1);
  EXPECT_TRUE(receiver.bodies().empty());
  WebhookOptions options = Options();
  options.ca_file = ca_file.string();
  clock_.AdvanceMillis(options.max_delay_ms);
  WebhookDispatcher dispatcher(*hooks_, clock_, options);
  auto round = dispatcher.RunOnce();
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  EXPECT_EQ(round->delivered, 1);
  ASSERT_EQ(receiver.bodies().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(receiver.bodies()[0])["type"], "sale.created");
}

TEST_F(WebhooksTest, AFailedDeliveryIsRetriedAfterItsBackoff) {
  Receiver receiver({500});
  Endpoint(receiver.url(), std::nullopt, {"sale.created"});
  ReferredSale("inv-1");
  WebhookDispatcher dispatcher(*hooks_, clock_, Options());
  auto first = dispatcher.RunOnce();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->attempted, 1);
  EXPECT_EQ(first->retrying, 1);
  auto second = dispatcher.RunOnce();  // not due yet
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->attempted, 0);
  clock_.AdvanceMillis(1000);  // the first retry waits between half and all of base_delay_ms
  auto third = dispatcher.RunOnce();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->delivered, 1);
  auto got = receiver.got();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].body, got[1].body);  // the same event, byte for byte
  auto list = hooks_->ListDeliveries(0, 10).value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].status, DeliveryStatus::kDelivered);
  EXPECT_EQ(list[0].attempts, 2);
  EXPECT_EQ(list[0].last_http_status, 200);
}

TEST_F(WebhooksTest, ADeliveryDiesAfterItsLastAttemptAndCanBeRetriedByHand) {
  Endpoint(fmt::format("http://127.0.0.1:{}/x", ClosedPort()), std::nullopt, {"sale.created"});
  ReferredSale("inv-1");
  WebhookDispatcher dispatcher(*hooks_, clock_, Options());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(dispatcher.RunOnce().ok());
    clock_.AdvanceMillis(60'000);
  }
  auto list = hooks_->ListDeliveries(0, 10).value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].status, DeliveryStatus::kDead);
  EXPECT_EQ(list[0].attempts, 3);
  EXPECT_EQ(list[0].last_http_status, 0);
  EXPECT_FALSE(list[0].last_error.empty());
  ASSERT_TRUE(hooks_->RetryDelivery(list[0].id, clock_.NowMillis()).ok());
  EXPECT_EQ(hooks_->DueDeliveries(clock_.NowMillis(), 10).value().size(), 1u);
  EXPECT_FALSE(hooks_->RetryDelivery(list[0].id, clock_.NowMillis()).ok());  // it is not dead any more
}

TEST_F(WebhooksTest, AProgramsEndpointSeesOnlyThatProgramsEvents) {
  Receiver receiver;
  int64_t first = ReferredSale("inv-1");
  Program other;
  other.name = "Other";
  other.destination_url = "https://other.example/";
  other.rewards = {{RewardEvent::kSale, RewardType::kFlat, 500}};
  other.min_conversion_seconds = 0;
  int64_t second = service_->CreateProgram(other).value();
  Endpoint(receiver.url(), second, {"sale.created"});
  // Endpoints get the events emitted after they were created: make events of both programs now.
  ReferredSale("inv-2", first);
  ReferredSale("inv-3", second);
  WebhookDispatcher dispatcher(*hooks_, clock_, Options());
  ASSERT_TRUE(dispatcher.RunOnce().ok());
  auto got = receiver.got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(got[0].body)["data"]["invoice_id"], "inv-3");
}

TEST_F(WebhooksTest, DeliveryResumesFromTheOutboxAfterARestart) {
  uint16_t port = ClosedPort();
  {
    WebhookEndpoint e = Endpoint(fmt::format("http://127.0.0.1:{}/x", port), std::nullopt,
                                 {"sale.created"});
    ReferredSale("inv-1");
    WebhookDispatcher dispatcher(*hooks_, clock_, Options());
    auto round = dispatcher.RunOnce();  // the receiver is down: a retry is scheduled
    ASSERT_TRUE(round.ok());
    EXPECT_EQ(round->retrying, 1);
    ReferredSale("inv-2");  // committed to the outbox, never fanned out before the "crash"
  }
  Close();
  Open();
  Receiver receiver;
  // The receiver moved to a new port: point the endpoint there (PATCH), as an operator would.
  auto endpoint = hooks_->ListEndpoints().value().at(0);
  endpoint.url = receiver.url();
  ASSERT_TRUE(hooks_->UpdateEndpoint(endpoint).ok());
  clock_.AdvanceMillis(60'000);
  WebhookDispatcher dispatcher(*hooks_, clock_, Options());
  auto round = dispatcher.RunOnce();
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->delivered, 2);
  std::set<std::string> invoices;
  for (const auto& g : receiver.got()) invoices.insert(nlohmann::json::parse(g.body)["data"]["invoice_id"]);
  EXPECT_EQ(invoices, (std::set<std::string>{"inv-1", "inv-2"}));
}

TEST_F(WebhooksTest, WorkerDeliversOnItsOwnThreadAndConnection) {
  Receiver receiver;
  Endpoint(receiver.url(), std::nullopt, {"sale.created"});
  ReferredSale("inv-1");
  WebhookOptions o = Options();
  o.poll_ms = 10;
  WebhookWorker worker((dir_ / "vouch.db").string(), o, clock_);
  ASSERT_TRUE(worker.Start().ok());
  for (int i = 0; i < 500 && worker.delivered() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  worker.Stop();
  EXPECT_TRUE(worker.last_error().ok()) << worker.last_error().ToString();
  EXPECT_EQ(worker.delivered(), 1);
  EXPECT_EQ(receiver.got().size(), 1u);
}

TEST_F(WebhooksTest, EndpointsAreManagedThroughTheApi) {
  std::string key = service_->CreateApiKey(KeyScope::kWrite).value();
  ApiRouter router(*service_, hooks_.get());
  auto call = [&](const std::string& method, const std::string& target, const std::string& body = "") {
    ApiRequest r;
    r.method = method;
    r.target = target;
    r.authorization = "Bearer " + key;
    r.body = body;
    return router.Handle(r);
  };
  auto created = call("POST", "/api/v1/webhooks", R"({"url": "http://127.0.0.1:9/h", "event_types": ["sale.created"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto j = nlohmann::json::parse(created.body);
  std::string secret = j["secret"];
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  int64_t id = j["id"];
  auto list = nlohmann::json::parse(call("GET", "/api/v1/webhooks").body);
  ASSERT_EQ(list["data"].size(), 1u);
  EXPECT_FALSE(list["data"][0].contains("secret"));  // shown once, at creation
  EXPECT_EQ(secret.rfind(list["data"][0]["secret_prefix"].get<std::string>(), 0), 0u);
  auto patched = call("PATCH", fmt::format("/api/v1/webhooks/{}", id), R"({"disabled": true, "program_id": null})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(nlohmann::json::parse(patched.body)["disabled"], true);
  EXPECT_EQ(call("GET", fmt::format("/api/v1/webhooks/{}/deliveries", id)).status, 200);
  // Bad input names the field and stores nothing.
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"url": "ftp://x.example/h"})", "url"},
           {R"({"url": "http://x.example/h", "event_types": "sale.created"})", "event_types"},
           {R"({"url": "http://x.example/h", "program_id": 99})", "program_id"},
           {R"({})", "url"}}) {
    auto bad = call("POST", "/api/v1/webhooks", body);
    EXPECT_GE(bad.status, 400) << body;
    EXPECT_NE(nlohmann::json::parse(bad.body)["error"]["message"].get<std::string>().find(field), std::string::npos)
        << bad.body;
  }
  EXPECT_EQ(call("DELETE", fmt::format("/api/v1/webhooks/{}", id)).status, 200);
  EXPECT_EQ(call("GET", fmt::format("/api/v1/webhooks/{}", id)).status, 404);
  EXPECT_EQ(call("DELETE", fmt::format("/api/v1/webhooks/{}", id)).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/webhooks/deliveries/12345/retry").status, 404);
  // A path that is not UTF-8 is echoed in the error without breaking its JSON (a crash the fuzz target found).
  auto odd = call("GET", "/api/v1/rewa\x8c" "ds");
  EXPECT_EQ(odd.status, 404);
  EXPECT_FALSE(nlohmann::json::parse(odd.body, nullptr, false).is_discarded()) << odd.body;
}

struct DelayCase {
  int64_t attempt, base, max;
  uint32_t draw;
  int64_t want;
};

TEST(RetryDelayTest, DoublesPerAttemptCapsAndJittersTheUpperHalf) {
  for (const DelayCase& c : std::vector<DelayCase>{{2, 1000, 60'000, 0, 500},
                                                  {2, 1000, 60'000, 999'999, 999},
                                                  {3, 1000, 60'000, 0, 1000},
                                                  {4, 1000, 60'000, 500'000, 3000},
                                                  {10, 1000, 60'000, 0, 30'000},
                                                  {40, 1000, 60'000, 0, 30'000}}) {
    EXPECT_EQ(RetryDelayMs(c.attempt, c.base, c.max, c.draw), c.want) << "attempt " << c.attempt;
  }
}

TEST(WebhookUrlTest, OnlyAbsoluteHttpOrHttpsUrls) {
  EXPECT_TRUE(ValidateWebhookUrl("http://127.0.0.1:9000/hooks").ok());
  EXPECT_TRUE(ValidateWebhookUrl("http://shop.example/hooks?x=1").ok());
  EXPECT_FALSE(ValidateWebhookUrl("ftp://shop.example/").ok());
  EXPECT_FALSE(ValidateWebhookUrl("http:///path").ok());
  EXPECT_FALSE(ValidateWebhookUrl("http://a b/").ok());
}

TEST(WebhookSignatureTest, KnownVector) {
  // HMAC-SHA256("secret", "1700000000.{}") computed independently with `openssl dgst -sha256 -hmac secret`.
  std::string header = SignWebhook("secret", 1700000000, "{}");
  EXPECT_EQ(header, "t=1700000000,v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163");
  EXPECT_TRUE(VerifyWebhookSignature("secret", header, "{}", 1700000000));
  EXPECT_FALSE(VerifyWebhookSignature("secret", "v1=abc", "{}", 1700000000));
  EXPECT_FALSE(VerifyWebhookSignature("secret", "", "{}", 1700000000));
}

}  // namespace
}  // namespace vouch::refer
