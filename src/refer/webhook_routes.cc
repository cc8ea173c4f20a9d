// The /api/v1/webhooks routes of ApiRouter: endpoints (create, list, read, update, delete), their deliveries, and
// the manual retry of a dead delivery. Kept apart from api_router.cc so that webhooks are one concern in one file.
#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "vouch/refer/api_router.h"
#include "vouch/refer/codes.h"

namespace vouch::refer {
namespace {

using nlohmann::json;

ApiResponse Json(int status, const json& body) {
  ApiResponse r;
  r.status = status;
  // Replace, not throw: a message may echo request bytes (a path) that are not UTF-8 (found by the fuzz target).
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

json EndpointToJson(const WebhookEndpoint& e, bool with_secret) {
  json j = {{"id", e.id},
            {"url", e.url},
            {"program_id", e.program_id ? json(*e.program_id) : json(nullptr)},
            {"event_types", e.event_types},
            {"disabled", e.disabled},
            {"created_at", e.created_at}};
  // The secret is shown once, when the endpoint is created; listings show its start to tell endpoints apart.
  if (with_secret) {
    j["secret"] = e.secret;
  } else {
    j["secret_prefix"] = e.secret.substr(0, 10);
  }
  return j;
}

json DeliveryToJson(const WebhookDelivery& d) {
  return {{"id", d.id},
          {"endpoint_id", d.endpoint_id},
          {"event_id", d.event_id},
          {"event_type", d.event_type},
          {"status", DeliveryStatusName(d.status)},
          {"attempts", d.attempts},
          {"next_attempt_ms", d.next_attempt_ms},
          {"last_http_status", d.last_http_status},
          {"last_error", d.last_error}};
}

Result<int64_t> SegmentId(const std::string& s, const char* what) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) {
    return Status::InvalidArgument(fmt::format("{}: '{}' is not an id", what, s));
  }
  return id;
}

// Applies the fields present in j to e (all optional except url on creation). Errors name the field.
Status ApplyEndpointFields(const json& j, bool creating, WebhookEndpoint& e) {
  if (auto it = j.find("url"); it != j.end()) {
    if (!it->is_string()) return Status::InvalidArgument("url: must be a string");
    e.url = it->get<std::string>();
    VOUCH_TRY(ValidateWebhookUrl(e.url));
  } else if (creating) {
    return Status::InvalidArgument("url: missing");
  }
  if (auto it = j.find("program_id"); it != j.end()) {
    if (it->is_null()) {
      e.program_id.reset();
    } else if (it->is_number_integer() && it->get<int64_t>() > 0) {
      e.program_id = it->get<int64_t>();
    } else {
      return Status::InvalidArgument("program_id: must be a positive integer id or null");
    }
  }
  if (auto it = j.find("event_types"); it != j.end()) {
    if (!it->is_array()) return Status::InvalidArgument("event_types: must be an array of event type names");
    e.event_types.clear();
    for (size_t i = 0; i < it->size(); ++i) {
      const json& t = (*it)[i];
      if (!t.is_string() || t.get<std::string>().empty() || t.get<std::string>().size() > 64) {
        return Status::InvalidArgument(fmt::format("event_types[{}]: must be an event type such as \"sale.created\"",
                                                   i));
      }
      e.event_types.push_back(t.get<std::string>());
    }
  }
  if (auto it = j.find("disabled"); it != j.end()) {
    if (!it->is_boolean()) return Status::InvalidArgument("disabled: must be true or false");
    e.disabled = it->get<bool>();
  }
  return Status::Ok();
}

int64_t QueryLimit(const std::string& query, int64_t fallback) {
  constexpr std::string_view kKey = "limit=";
  size_t at = query.find(kKey);
  if (at == std::string::npos || (at > 0 && query[at - 1] != '&')) return fallback;
  int64_t v = 0;
  const char* begin = query.data() + at + kKey.size();
  const char* end = query.data() + query.size();
  auto [stop, ec] = std::from_chars(begin, end, v);
  if (ec != std::errc() || (stop != end && *stop != '&')) return -1;
  return v;
}

}  // namespace

ApiResponse ApiRouter::Webhooks(const ApiRequest& request, const std::vector<std::string>& seg,
                                const std::string& query) {
  if (webhooks_ == nullptr) return ErrorResponse(501, "not_implemented", "webhooks are not configured here");
  const std::string& m = request.method;
  auto fail = [](const Status& s) { return StatusResponse(s); };

  if (seg.size() == 1 && m == "POST") {
    auto body = ParseJsonBody(request.body);
    if (!body.ok()) return fail(body.status());
    WebhookEndpoint e;
    if (Status s = ApplyEndpointFields(*body, /*creating=*/true, e); !s.ok()) return fail(s);
    if (e.program_id) {
      auto program = service_.store().GetProgram(*e.program_id);
      if (!program.ok()) return fail(program.status());
      if (!*program) return ErrorResponse(404, "not_found", fmt::format("program_id: no program {}", *e.program_id));
    }
    auto secret = RandomToken(32);
    if (!secret.ok()) return fail(secret.status());
    e.secret = "whsec_" + *secret;
    e.created_at = service_.clock().NowSeconds();
    auto id = webhooks_->InsertEndpoint(e);
    if (!id.ok()) return fail(id.status());
    e.id = *id;
    return Json(201, EndpointToJson(e, /*with_secret=*/true));
  }
  if (seg.size() == 1 && m == "GET") {
    auto list = webhooks_->ListEndpoints();
    if (!list.ok()) return fail(list.status());
    json data = json::array();
    for (const WebhookEndpoint& e : *list) data.push_back(EndpointToJson(e, false));
    return Json(200, {{"data", data}, {"next_cursor", nullptr}});
  }
  if (seg.size() == 4 && seg[1] == "deliveries" && seg[3] == "retry" && m == "POST") {
    auto id = SegmentId(seg[2], "delivery");
    if (!id.ok()) return fail(id.status());
    if (Status s = webhooks_->RetryDelivery(*id, service_.clock().NowMillis()); !s.ok()) return fail(s);
    return Json(200, {{"id", *id}, {"status", "pending"}});
  }
  if (seg.size() >= 2) {
    auto id = SegmentId(seg[1], "webhook");
    if (!id.ok()) return fail(id.status());
    auto found = webhooks_->GetEndpoint(*id);
    if (!found.ok()) return fail(found.status());
    if (!*found) return ErrorResponse(404, "not_found", fmt::format("no webhook endpoint {}", *id));
    WebhookEndpoint e = **found;
    if (seg.size() == 2 && m == "GET") return Json(200, EndpointToJson(e, false));
    if (seg.size() == 2 && m == "PATCH") {
      auto body = ParseJsonBody(request.body);
      if (!body.ok()) return fail(body.status());
      if (Status s = ApplyEndpointFields(*body, /*creating=*/false, e); !s.ok()) return fail(s);
      if (Status s = webhooks_->UpdateEndpoint(e); !s.ok()) return fail(s);
      return Json(200, EndpointToJson(e, false));
    }
    if (seg.size() == 2 && m == "DELETE") {
      if (Status s = webhooks_->DeleteEndpoint(*id); !s.ok()) return fail(s);
      return Json(200, {{"id", *id}, {"deleted", true}});
    }
    if (seg.size() == 3 && seg[2] == "deliveries" && m == "GET") {
      int64_t limit = QueryLimit(query, 100);
      if (limit < 1 || limit > 10000) return ErrorResponse(400, "invalid_argument", "limit: must be 1..10000");
      auto list = webhooks_->ListDeliveries(*id, limit);
      if (!list.ok()) return fail(list.status());
      json data = json::array();
      for (const WebhookDelivery& d : *list) data.push_back(DeliveryToJson(d));
      return Json(200, {{"data", data}, {"next_cursor", nullptr}});
    }
  }
  return ErrorResponse(404, "not_found", fmt::format("no route {} /api/v1/webhooks", m));
}

}  // namespace vouch::refer
