// WebhookDispatcher: delivers the referral service's outbox to the brand's webhook endpoints.
//
// One round (RunOnce) fans the outbox events not yet seen out into deliveries (SqliteWebhookStore::FanOut, one
// transaction that also moves the cursor), then POSTs every delivery that is due, signed (webhooks.h), and
// records the outcome: any 2xx delivers it; anything else (a 5xx, a 4xx, a refused connection, a timeout) schedules
// another attempt after RetryDelayMs (exponential backoff with jitter), and after max_attempts the delivery is
// dead (listed by the API, retried by hand with POST /api/v1/webhooks/deliveries/{id}/retry). Because deliveries
// and the cursor are rows committed before and after each attempt, a restart resumes where the last process
// stopped: nothing is lost; a delivery whose 2xx was not yet recorded when the process died is sent again, so
// receivers deduplicate on the event id (delivery is at least once, as with every webhook service).
//
// WebhookWorker runs rounds on its own thread and its own connection to the workspace database, beside the HTTP
// server's connection (WAL: the server's writes are not blocked by it for longer than a round's small writes).
//
// Thread safety: a dispatcher is used by one thread; WebhookWorker is started and stopped from one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "vouch/core/clock.h"
#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/refer/webhooks.h"

namespace vouch::refer {

struct WebhookOptions {
  int64_t base_delay_ms = 10'000;       // the wait before the first retry, doubled for each later one
  int64_t max_delay_ms = 6 * 3600'000;  // no wait is longer than this
  int64_t max_attempts = 12;            // then the delivery is dead (about 1.5 days with the defaults)
  int64_t timeout_ms = 10'000;          // connect + send + answer, per attempt
  int64_t poll_ms = 500;                // WebhookWorker: the wait between rounds that found nothing to do
  int64_t batch = 100;                  // deliveries attempted per round
  uint64_t jitter_seed = 0;             // 0: seeded from std::random_device
  // https:// endpoints: the PEM file of the CAs to trust instead of the system's store (a private CA, tests).
  std::string ca_file;
};

struct WebhookPost {
  std::string url;
  std::string body;
  std::string signature;   // the Vouch-Signature header
  int64_t event_id = 0;
  std::string event_type;
};

struct WebhookAnswer {
  int http_status = 0;     // 0: no HTTP answer
  std::string error;       // why there was no answer, or the start of a non-2xx body
};

// POSTs one delivery over HTTP/1.1 (Boost.Beast), with the whole exchange bounded by timeout_ms. An https:// URL
// is sent over TLS (OpenSSL) and only to a peer whose certificate chains to a trusted CA (the system's store, or
// the CAs of the PEM file ca_file when it is not empty) and names the URL's host (DNS name or IP address); the
// host goes out as SNI. A refused certificate is an error answer like a refused connection: the delivery is
// retried, then dead, never sent in clear or unverified.
WebhookAnswer PostWebhook(const WebhookPost& post, int64_t timeout_ms, const std::string& ca_file = {});

// What a round did.
struct DispatchRound {
  int64_t events_fanned_out = 0;
  int64_t attempted = 0;
  int64_t delivered = 0;
  int64_t retrying = 0;  // failed, another attempt scheduled
  int64_t dead = 0;      // failed for the last time
};

class WebhookDispatcher final {
 public:
  using Sender = std::function<WebhookAnswer(const WebhookPost&, int64_t timeout_ms)>;

  // store and clock must outlive the dispatcher; sender defaults to PostWebhook.
  WebhookDispatcher(WebhookStore& store, const Clock& clock, WebhookOptions options = {}, Sender sender = nullptr);

  Result<DispatchRound> RunOnce();

 private:
  WebhookStore& store_;
  const Clock& clock_;
  WebhookOptions options_;
  Sender sender_;
  std::mt19937 jitter_;
};

// Rounds of a dispatcher on a thread with its own connection to database, until Stop().
class WebhookWorker final {
 public:
  WebhookWorker(std::string database, WebhookOptions options, const Clock& clock = SystemClock::Instance());
  ~WebhookWorker();
  WebhookWorker(const WebhookWorker&) = delete;
  WebhookWorker& operator=(const WebhookWorker&) = delete;

  // Opens the database (migrating "refer_webhooks") and starts the thread.
  Status Start();
  // Lets the round in progress finish (bounded by one attempt's timeout) and joins the thread.
  void Stop();
  // The last failure of a round (the worker keeps going after one), OK when none.
  Status last_error() const;
  int64_t delivered() const { return delivered_.load(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<int64_t> delivered_{0};
};

}  // namespace vouch::refer
