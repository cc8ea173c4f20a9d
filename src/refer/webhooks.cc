#include "vouch/refer/webhooks.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "vouch/refer/codes.h"
#include "vouch/store/rows.h"

namespace vouch::refer {
namespace {

using store::FirstRow;
using store::FirstValue;
using store::ForEachRow;
using store::Statement;

// The "refer_webhooks" schema component. Append a step to change it; never edit a step that has shipped.
const std::vector<store::Migration>& WebhookMigrations() {
  static const std::vector<store::Migration> steps = {
      {1, R"sql(
CREATE TABLE refer_webhook_endpoints (
  id          INTEGER PRIMARY KEY,
  url         TEXT NOT NULL,
  secret      TEXT NOT NULL,
  program_id  INTEGER,                  -- NULL: every event of the workspace
  event_types TEXT NOT NULL,            -- JSON array; [] means every type
  disabled    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
-- How far the outbox (refer_events) has been fanned out into deliveries: one row, id 1.
CREATE TABLE refer_webhook_cursor (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  last_event_id INTEGER NOT NULL
);
INSERT INTO refer_webhook_cursor (id, last_event_id) VALUES (1, 0);
CREATE TABLE refer_webhook_deliveries (
  id               INTEGER PRIMARY KEY,
  endpoint_id      INTEGER NOT NULL REFERENCES refer_webhook_endpoints(id) ON DELETE CASCADE,
  event_id         INTEGER NOT NULL REFERENCES refer_events(id),
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms  INTEGER NOT NULL,
  last_http_status INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX refer_webhook_deliveries_due ON refer_webhook_deliveries(status, next_attempt_ms);
)sql"},
  };
  return steps;
}

DeliveryStatus ParseDeliveryStatus(const std::string& s) {
  if (s == "delivered") return DeliveryStatus::kDelivered;
  if (s == "dead") return DeliveryStatus::kDead;
  return DeliveryStatus::kPending;
}

Result<WebhookEndpoint> ReadEndpoint(const Statement& s) {
  WebhookEndpoint e;
  e.id = s.Int(0);
  e.url = s.Text(1);
  e.secret = s.Text(2);
  if (!s.IsNull(3)) e.program_id = s.Int(3);
  auto types = nlohmann::json::parse(s.Text(4), nullptr, false);
  if (!types.is_array()) return Status::Corruption(fmt::format("webhook endpoint {}: bad event_types", e.id));
  for (const auto& t : types) {
    if (t.is_string()) e.event_types.push_back(t.get<std::string>());
  }
  e.disabled = s.Int(5) != 0;
  e.created_at = s.Int(6);
  return e;
}

bool Matches(const WebhookEndpoint& e, const std::string& type, const nlohmann::json& payload) {
  if (e.disabled) return false;
  if (!e.event_types.empty() && std::find(e.event_types.begin(), e.event_types.end(), type) == e.event_types.end()) {
    return false;
  }
  if (e.program_id) {
    auto it = payload.find("program_id");
    if (it == payload.end() || !it->is_number_integer() || it->get<int64_t>() != *e.program_id) return false;
  }
  return true;
}

}  // namespace

const char* DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kPending: return "pending";
    case DeliveryStatus::kDelivered: return "delivered";
    case DeliveryStatus::kDead: return "dead";
  }
  return "pending";
}

std::string WebhookBody(int64_t event_id, std::string_view type, int64_t created_at, std::string_view payload) {
  nlohmann::json data = nlohmann::json::parse(payload, nullptr, false);
  if (data.is_discarded()) data = nlohmann::json::object();
  return nlohmann::json{{"id", event_id}, {"type", type}, {"created_at", created_at}, {"data", std::move(data)}}
      .dump();
}

std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  std::string signed_text = fmt::format("{}.", unix_seconds);
  signed_text.append(body);
  return fmt::format("t={},v1={}", unix_seconds, HmacSha256Hex(secret, signed_text));
}

bool VerifyWebhookSignature(std::string_view secret, std::string_view header, std::string_view body, int64_t now_s,
                            int64_t tolerance_s) {
  std::optional<int64_t> t;
  std::string_view v1;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string_view part = header.substr(pos, (comma == std::string_view::npos ? header.size() : comma) - pos);
    if (part.rfind("t=", 0) == 0) {
      int64_t value = 0;
      auto [end, ec] = std::from_chars(part.data() + 2, part.data() + part.size(), value);
      if (ec == std::errc() && end == part.data() + part.size()) t = value;
    } else if (part.rfind("v1=", 0) == 0) {
      v1 = part.substr(3);
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  if (!t || v1.empty()) return false;
  if (*t < now_s - tolerance_s || *t > now_s + tolerance_s) return false;
  std::string expected = SignWebhook(secret, *t, body);
  std::string_view want = std::string_view(expected).substr(expected.find("v1=") + 3);
  if (want.size() != v1.size()) return false;
  // Constant time: a receiver compares against an attacker's guess.
  unsigned diff = 0;
  for (size_t i = 0; i < want.size(); ++i) diff |= static_cast<unsigned>(want[i] ^ v1[i]);
  return diff == 0;
}

int64_t RetryDelayMs(int64_t attempt, int64_t base_ms, int64_t max_ms, uint32_t jitter_draw) {
  int64_t delay = base_ms;
  for (int64_t i = 2; i < attempt && delay < max_ms; ++i) delay *= 2;
  if (delay > max_ms) delay = max_ms;
  int64_t half = delay / 2;
  return delay - half + half * static_cast<int64_t>(jitter_draw % 1000000) / 1000000;
}

Status ValidateWebhookUrl(std::string_view url) {
  size_t scheme = url.rfind("https://", 0) == 0 ? 8 : url.rfind("http://", 0) == 0 ? 7 : 0;
  if (scheme == 0 || url.size() <= scheme || url[scheme] == '/' ||
      url.find_first_of(" \t\r\n\"<>\\") != std::string_view::npos || url.size() > 2048) {
    return Status::InvalidArgument("url: must be an absolute http:// or https:// URL");
  }
  return Status::Ok();
}

// ---- SqliteWebhookStore ----

Result<std::unique_ptr<SqliteWebhookStore>> SqliteWebhookStore::Open(store::SqliteDb& db) {
  VOUCH_TRY(db.Migrate("refer_webhooks", WebhookMigrations()));
  return std::unique_ptr<SqliteWebhookStore>(new SqliteWebhookStore(db));
}

Result<int64_t> SqliteWebhookStore::InsertEndpoint(const WebhookEndpoint& e) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("INSERT INTO refer_webhook_endpoints (url, secret, program_id, "
                                                    "event_types, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  VOUCH_TRY(q->Bind(1, e.url)
                .Bind(2, e.secret)
                .Bind(3, e.program_id)
                .Bind(4, nlohmann::json(e.event_types).dump())
                .Bind(5, e.disabled ? 1 : 0)
                .Bind(6, e.created_at)
                .Run());
  return db_.LastInsertId();
}

Result<std::optional<WebhookEndpoint>> SqliteWebhookStore::GetEndpoint(int64_t id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, url, secret, program_id, event_types, disabled, "
                                                    "created_at FROM refer_webhook_endpoints WHERE id = ?"));
  q->Bind(1, id);
  return FirstRow(*q, ReadEndpoint);
}

Result<std::vector<WebhookEndpoint>> SqliteWebhookStore::ListEndpoints() {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, url, secret, program_id, event_types, disabled, "
                                                    "created_at FROM refer_webhook_endpoints ORDER BY id"));
  std::vector<WebhookEndpoint> out;
  VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) -> Status {
    VOUCH_ASSIGN_OR_RETURN(WebhookEndpoint e, ReadEndpoint(row));
    out.push_back(std::move(e));
    return Status::Ok();
  }));
  return out;
}

Status SqliteWebhookStore::UpdateEndpoint(const WebhookEndpoint& e) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("UPDATE refer_webhook_endpoints SET url = ?, program_id = ?, "
                                                    "event_types = ?, disabled = ? WHERE id = ?"));
  return q->Bind(1, e.url)
      .Bind(2, e.program_id)
      .Bind(3, nlohmann::json(e.event_types).dump())
      .Bind(4, e.disabled ? 1 : 0)
      .Bind(5, e.id)
      .Run();
}

Status SqliteWebhookStore::DeleteEndpoint(int64_t id) {
  VOUCH_ASSIGN_OR_RETURN(Statement * d, db_.Prepare("DELETE FROM refer_webhook_deliveries WHERE endpoint_id = ?"));
  VOUCH_TRY(d->Bind(1, id).Run());
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("DELETE FROM refer_webhook_endpoints WHERE id = ?"));
  VOUCH_TRY(q->Bind(1, id).Run());
  if (db_.Changes() == 0) return Status::NotFound(fmt::format("no webhook endpoint {}", id));
  return Status::Ok();
}

Result<int64_t> SqliteWebhookStore::FanOut(int64_t now_ms, int64_t limit) {
  VOUCH_ASSIGN_OR_RETURN(auto txn, store::Transaction::Begin(db_));
  VOUCH_ASSIGN_OR_RETURN(Statement * cursor, db_.Prepare("SELECT last_event_id FROM refer_webhook_cursor WHERE id = 1"));
  VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> last_event, FirstValue<int64_t>(*cursor));
  int64_t after = last_event.value_or(0);  // no cursor row yet: every event is new
  struct Row {
    int64_t id;
    std::string type;
    std::string payload;
  };
  std::vector<Row> events;
  {
    VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id, type, payload FROM refer_events WHERE id > ? "
                                                      "ORDER BY id LIMIT ?"));
    q->Bind(1, after).Bind(2, limit);
    VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) {
      events.push_back({row.Int(0), row.Text(1), row.Text(2)});
    }));
  }
  if (events.empty()) return int64_t{0};
  VOUCH_ASSIGN_OR_RETURN(auto endpoints, ListEndpoints());
  VOUCH_ASSIGN_OR_RETURN(Statement * ins, db_.Prepare("INSERT OR IGNORE INTO refer_webhook_deliveries (endpoint_id, "
                                                      "event_id, status, next_attempt_ms) VALUES (?, ?, 'pending', ?)"));
  for (const Row& ev : events) {
    nlohmann::json payload = nlohmann::json::parse(ev.payload, nullptr, false);
    if (!payload.is_object()) payload = nlohmann::json::object();
    for (const WebhookEndpoint& e : endpoints) {
      if (!Matches(e, ev.type, payload)) continue;
      VOUCH_TRY(ins->Reset().Bind(1, e.id).Bind(2, ev.id).Bind(3, now_ms).Run());
    }
  }
  VOUCH_ASSIGN_OR_RETURN(Statement * move, db_.Prepare("UPDATE refer_webhook_cursor SET last_event_id = ? "
                                                       "WHERE id = 1"));
  VOUCH_TRY(move->Bind(1, events.back().id).Run());
  VOUCH_TRY(txn->Commit());
  return static_cast<int64_t>(events.size());
}

Result<std::vector<WebhookDelivery>> SqliteWebhookStore::ReadDeliveries(Statement& q) {
  std::vector<WebhookDelivery> out;
  VOUCH_TRY(ForEachRow(q, [&](const Statement& row) {
    WebhookDelivery d;
    d.id = row.Int(0);
    d.endpoint_id = row.Int(1);
    d.event_id = row.Int(2);
    d.event_type = row.Text(3);
    d.payload = row.Text(4);
    d.status = ParseDeliveryStatus(row.Text(5));
    d.attempts = row.Int(6);
    d.next_attempt_ms = row.Int(7);
    d.last_http_status = static_cast<int>(row.Int(8));
    d.last_error = row.Text(9);
    d.event_created_at = row.Int(10);
    out.push_back(std::move(d));
  }));
  return out;
}

Result<std::vector<WebhookDelivery>> SqliteWebhookStore::DueDeliveries(int64_t now_ms, int64_t limit) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("SELECT d.id, d.endpoint_id, d.event_id, e.type, e.payload, d.status, d.attempts, "
                                     "d.next_attempt_ms, d.last_http_status, d.last_error, e.created_at "
                                     "FROM refer_webhook_deliveries d JOIN refer_events e ON e.id = d.event_id "
                                     "WHERE d.status = 'pending' AND d.next_attempt_ms <= ? "
                                     "ORDER BY d.next_attempt_ms, d.id LIMIT ?"));
  q->Bind(1, now_ms).Bind(2, limit);
  return ReadDeliveries(*q);
}

Status SqliteWebhookStore::UpdateDelivery(const WebhookDelivery& d) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("UPDATE refer_webhook_deliveries SET status = ?, attempts = ?, "
                                                    "next_attempt_ms = ?, last_http_status = ?, last_error = ? "
                                                    "WHERE id = ?"));
  return q->Bind(1, DeliveryStatusName(d.status))
      .Bind(2, d.attempts)
      .Bind(3, d.next_attempt_ms)
      .Bind(4, d.last_http_status)
      .Bind(5, d.last_error)
      .Bind(6, d.id)
      .Run();
}

Result<std::vector<WebhookDelivery>> SqliteWebhookStore::ListDeliveries(int64_t endpoint_id, int64_t limit) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q,
                         db_.Prepare("SELECT d.id, d.endpoint_id, d.event_id, e.type, e.payload, d.status, d.attempts, "
                                     "d.next_attempt_ms, d.last_http_status, d.last_error, e.created_at "
                                     "FROM refer_webhook_deliveries d JOIN refer_events e ON e.id = d.event_id "
                                     "WHERE ? = 0 OR d.endpoint_id = ? ORDER BY d.id DESC LIMIT ?"));
  q->Bind(1, endpoint_id).Bind(2, endpoint_id).Bind(3, limit);
  return ReadDeliveries(*q);
}

Status SqliteWebhookStore::RetryDelivery(int64_t id, int64_t now_ms) {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("UPDATE refer_webhook_deliveries SET status = 'pending', attempts = 0, "
                                                    "next_attempt_ms = ? WHERE id = ? AND status = 'dead'"));
  VOUCH_TRY(q->Bind(1, now_ms).Bind(2, id).Run());
  if (db_.Changes() == 0) return Status::NotFound(fmt::format("no dead webhook delivery {}", id));
  return Status::Ok();
}

}  // namespace vouch::refer
