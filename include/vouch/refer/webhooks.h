// Outgoing webhooks of the referral service: the endpoints a brand registers, the deliveries the dispatcher owes
// them, how a delivery is signed, and how long to wait before retrying one.
//
// Every event of the outbox (refer_events: sale.created, commission.created, commission.approved,
// commission.reversed, payout.created, ...) becomes one delivery per matching endpoint. An endpoint matches an
// event when its event-type list names the type (or is empty: every type) and, for an endpoint of one program, the
// event's payload carries that program_id. Deliveries are rows, so nothing owed is lost across a restart.
//
// Signature (the scheme of Stripe and Svix, so receivers know it): the header
//   Vouch-Signature: t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, "UNIX_SECONDS." + body))
// A receiver recomputes v1 with its secret and refuses a timestamp far from its clock (replays).
//
// Thread safety: the store is one connection, one thread at a time; the free functions are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::refer {

struct WebhookEndpoint {
  int64_t id = 0;
  std::string url;                       // http[s]://HOST[:PORT]/PATH
  std::string secret;                    // HMAC key; shown once when the endpoint is created
  std::optional<int64_t> program_id;     // none: every event of the workspace
  std::vector<std::string> event_types;  // empty: every type
  bool disabled = false;
  int64_t created_at = 0;
};

enum class DeliveryStatus { kPending, kDelivered, kDead };
const char* DeliveryStatusName(DeliveryStatus status);

struct WebhookDelivery {
  int64_t id = 0;
  int64_t endpoint_id = 0;
  int64_t event_id = 0;
  std::string event_type;
  std::string payload;       // the event's JSON object
  int64_t event_created_at = 0;
  DeliveryStatus status = DeliveryStatus::kPending;
  int64_t attempts = 0;
  int64_t next_attempt_ms = 0;
  int last_http_status = 0;  // 0: no HTTP answer (connection refused, timeout)
  std::string last_error;
};

// The body POSTed for an event: {"id", "type", "created_at", "data"}.
std::string WebhookBody(int64_t event_id, std::string_view type, int64_t created_at, std::string_view payload);

// "t=...,v1=..." for body signed at unix_seconds.
std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body);

// Whether header is a valid signature of body under secret, made within tolerance_s of now_s.
bool VerifyWebhookSignature(std::string_view secret, std::string_view header, std::string_view body, int64_t now_s,
                            int64_t tolerance_s = 300);

// The wait before attempt number `attempt` (2 is the first retry): base_ms * 2^(attempt-2), capped at max_ms,
// then "equal jitter" (half fixed, half uniform from jitter_draw in [0, 1e6)) so that endpoints coming back from
// an outage are not hit by every delivery at the same instant. Integer arithmetic only.
int64_t RetryDelayMs(int64_t attempt, int64_t base_ms, int64_t max_ms, uint32_t jitter_draw);

// Validates an endpoint URL: http:// or https:// with a host.
Status ValidateWebhookUrl(std::string_view url);

// Where endpoints and deliveries live.
class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  virtual Result<int64_t> InsertEndpoint(const WebhookEndpoint& endpoint) = 0;
  virtual Result<std::optional<WebhookEndpoint>> GetEndpoint(int64_t id) = 0;
  virtual Result<std::vector<WebhookEndpoint>> ListEndpoints() = 0;
  virtual Status UpdateEndpoint(const WebhookEndpoint& endpoint) = 0;  // url, program, types, disabled
  // Deletes the endpoint and every delivery still owed to it; NotFound when there is none.
  virtual Status DeleteEndpoint(int64_t id) = 0;

  // Turns the outbox events after the fan-out cursor (at most limit) into deliveries for the matching endpoints
  // and moves the cursor, in one transaction; returns how many events it consumed.
  virtual Result<int64_t> FanOut(int64_t now_ms, int64_t limit) = 0;
  // Pending deliveries due at now_ms, oldest first, with their payloads.
  virtual Result<std::vector<WebhookDelivery>> DueDeliveries(int64_t now_ms, int64_t limit) = 0;
  virtual Status UpdateDelivery(const WebhookDelivery& delivery) = 0;  // status, attempts, next, last_*
  // Deliveries of one endpoint (0: all), newest first.
  virtual Result<std::vector<WebhookDelivery>> ListDeliveries(int64_t endpoint_id, int64_t limit) = 0;
  // Makes a dead delivery pending again, due now.
  virtual Status RetryDelivery(int64_t id, int64_t now_ms) = 0;
};

// The WebhookStore on a workspace database (schema component "refer_webhooks", which needs component "refer").
class SqliteWebhookStore final : public WebhookStore {
 public:
  // Migrates the component; db must outlive the store.
  static Result<std::unique_ptr<SqliteWebhookStore>> Open(store::SqliteDb& db);

  Result<int64_t> InsertEndpoint(const WebhookEndpoint& endpoint) override;
  Result<std::optional<WebhookEndpoint>> GetEndpoint(int64_t id) override;
  Result<std::vector<WebhookEndpoint>> ListEndpoints() override;
  Status UpdateEndpoint(const WebhookEndpoint& endpoint) override;
  Status DeleteEndpoint(int64_t id) override;
  Result<int64_t> FanOut(int64_t now_ms, int64_t limit) override;
  Result<std::vector<WebhookDelivery>> DueDeliveries(int64_t now_ms, int64_t limit) override;
  Status UpdateDelivery(const WebhookDelivery& delivery) override;
  Result<std::vector<WebhookDelivery>> ListDeliveries(int64_t endpoint_id, int64_t limit) override;
  Status RetryDelivery(int64_t id, int64_t now_ms) override;

 private:
  explicit SqliteWebhookStore(store::SqliteDb& db) : db_(db) {}
  Result<std::vector<WebhookDelivery>> ReadDeliveries(store::Statement& q);
  store::SqliteDb& db_;
};

}  // namespace vouch::refer
