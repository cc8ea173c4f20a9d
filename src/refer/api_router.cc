#include "vouch/refer/api_router.h"
#include "vouch/refer/click_filter.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace vouch::refer {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultLimit = 100;
constexpr int64_t kMaxLimit = 10000;

ApiResponse Json(int status, const json& body) {
  ApiResponse r;
  r.status = status;
  // Replace, not throw: a message may echo request bytes (a path) that are not UTF-8 (found by the fuzz target).
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

// The answer to an idempotent request (a sale, a redemption): 201 the first time, 200 with the first answer's
// stored body on a replay.
ApiResponse IdempotentAnswer(bool replay, std::string body) {
  ApiResponse r;
  r.status = replay ? 200 : 201;
  r.body = std::move(body);
  return r;
}

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    default: return 500;
  }
}

ApiResponse FromStatus(const Status& s) {
  std::string code(StatusCodeName(s.code()));
  for (char& c : code) {
    if (c == ' ') c = '_';
  }
  return ErrorResponse(HttpStatusFor(s), code, s.message());
}

// Typed access to a JSON object body; every error names the field.
class Fields {
 public:
  Fields(const json& j, std::string prefix = "") : j_(j), prefix_(std::move(prefix)) {}

  Result<std::string> String(const char* name, bool required) const {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) {
      if (required) return Status::InvalidArgument(fmt::format("{}{}: missing", prefix_, name));
      return std::string();
    }
    if (!it->is_string()) return Status::InvalidArgument(fmt::format("{}{}: must be a string", prefix_, name));
    return it->get<std::string>();
  }

  // An integer; absent gives fallback unless required.
  Result<int64_t> Int(const char* name, bool required, int64_t fallback = 0) const {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) {
      if (required) return Status::InvalidArgument(fmt::format("{}{}: missing", prefix_, name));
      return fallback;
    }
    if (!it->is_number_integer()) {
      return Status::InvalidArgument(fmt::format("{}{}: must be an integer", prefix_, name));
    }
    return it->get<int64_t>();
  }

  // An id: a positive integer, or a string of digits (scripts often quote ids).
  Result<int64_t> Id(const char* name) const {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return Status::InvalidArgument(fmt::format("{}{}: missing", prefix_, name));
    int64_t id = 0;
    if (it->is_number_integer()) {
      id = it->get<int64_t>();
    } else if (it->is_string()) {
      const std::string& s = it->get_ref<const std::string&>();
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
      if (ec != std::errc() || end != s.data() + s.size()) id = 0;
    }
    if (id <= 0) return Status::InvalidArgument(fmt::format("{}{}: must be a positive integer id", prefix_, name));
    return id;
  }

  Result<bool> Bool(const char* name, bool fallback) const {
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) return Status::InvalidArgument(fmt::format("{}{}: must be true or false", prefix_, name));
    return it->get<bool>();
  }

  Result<Fields> Object(const char* name, bool required) const {
    static const json kEmpty = json::object();
    auto it = j_.find(name);
    if (it == j_.end() || it->is_null()) {
      if (required) return Status::InvalidArgument(fmt::format("{}{}: missing", prefix_, name));
      return Fields(kEmpty, fmt::format("{}{}.", prefix_, name));
    }
    if (!it->is_object()) return Status::InvalidArgument(fmt::format("{}{}: must be an object", prefix_, name));
    return Fields(*it, fmt::format("{}{}.", prefix_, name));
  }

  const json* Raw(const char* name) const {
    auto it = j_.find(name);
    return it == j_.end() ? nullptr : &*it;
  }

 private:
  const json& j_;
  std::string prefix_;
};

// The body as a JSON object, or an error naming where it broke.
Result<json> ParseBody(const std::string& body) {
  if (body.empty()) return Status::InvalidArgument("body: a JSON object is required");
  json j;
  try {
    j = json::parse(body);
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument(fmt::format("body: malformed JSON at byte {}", e.byte));
  } catch (const json::exception&) {
    // A number too large for any type (1e99999) is well-formed JSON that nlohmann refuses with out_of_range
    // (found by the fuzz target: uncaught, it took the server down).
    return Status::InvalidArgument("body: a number is out of range");
  }
  if (!j.is_object()) return Status::InvalidArgument("body: must be a JSON object");
  return j;
}

std::string QueryValue(const std::string& query, std::string_view key) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string_view part(query.data() + pos, (amp == std::string::npos ? query.size() : amp) - pos);
    size_t eq = part.find('=');
    if (part.substr(0, eq) == key) return eq == std::string_view::npos ? "" : std::string(part.substr(eq + 1));
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return {};
}

Result<int64_t> QueryInt(const std::string& query, std::string_view key, int64_t fallback) {
  std::string v = QueryValue(query, key);
  if (v.empty()) return fallback;
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size()) {
    return Status::InvalidArgument(fmt::format("{}: must be an integer", key));
  }
  return out;
}

std::string CookieValue(const std::string& header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    size_t end = header.find(';', pos);
    std::string_view part(header.data() + pos, (end == std::string::npos ? header.size() : end) - pos);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return {};
}

bool IsToken(const std::string& s, size_t length) {
  if (s.size() != length) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

json PayoutToJson(const Payout& p) {
  return {{"id", p.id},           {"advocate_id", p.advocate_id}, {"amount", p.amount},
          {"currency", p.currency}, {"commissions", p.commissions}, {"status", "paid"},
          {"created_at", p.created_at}};
}

// Splits "/api/v1/links/abc/x" after the prefix into segments.
std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > pos) out.emplace_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

Result<int64_t> PathId(const std::string& s, const char* what) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) {
    return Status::InvalidArgument(fmt::format("{}: '{}' is not an id", what, s));
  }
  return id;
}

}  // namespace

ApiResponse ErrorResponse(int status, const std::string& code, const std::string& message) {
  return Json(status, {{"error", {{"code", code}, {"message", message}}}});
}

ApiResponse StatusResponse(const Status& status) { return FromStatus(status); }

Result<nlohmann::json> ParseJsonBody(const std::string& body) { return ParseBody(body); }

ApiResponse ApiRouter::Handle(const ApiRequest& request) {
  std::string path = request.target;
  std::string query;
  if (size_t q = path.find('?'); q != std::string::npos) {
    query = path.substr(q + 1);
    path.resize(q);
  }
  if (path.rfind("/r/", 0) == 0) {
    if (request.method != "GET" && request.method != "HEAD") {
      return ErrorResponse(405, "method_not_allowed", "links answer GET and HEAD");
    }
    return Redirect(request, path.substr(3));
  }
  if (path == "/healthz") return Json(200, {{"status", "ok"}});
  if (path.rfind("/api/v1/", 0) != 0) {
    if (extra_ != nullptr) {
      if (auto r = extra_->Handle(request, path, query)) return *r;
    }
    return ErrorResponse(404, "not_found", fmt::format("no route {}", path));
  }

  // Bearer authentication: read keys may only read.
  const std::string& auth = request.authorization;
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) {
    return ErrorResponse(401, "unauthorized", "send an API key as 'Authorization: Bearer KEY'");
  }
  auto scope = service_.Authenticate(auth.substr(kBearer.size()));
  if (!scope.ok()) {
    if (scope.status().code() == StatusCode::kNotFound) {
      return ErrorResponse(401, "unauthorized", "the API key is not valid");
    }
    return FromStatus(scope.status());
  }
  if (request.method != "GET" && request.method != "HEAD" && *scope != KeyScope::kWrite) {
    return ErrorResponse(403, "forbidden", "this API key has read scope; writing needs a write key");
  }
  if (extra_ != nullptr) {
    if (auto r = extra_->Handle(request, path, query)) return *r;
  }
  return Api(request, path.substr(8), query);
}

namespace {

ClickInput ClickInputOf(const ApiRequest& request, const std::string& code) {
  ClickInput in;
  in.code = code;
  in.ip = request.ip;
  in.user_agent = request.user_agent;
  in.head = request.method == "HEAD";
  in.prefetch = !request.purpose.empty() && IsPrefetch(request.purpose);
  std::string visitor = CookieValue(request.cookie, kVisitorCookie);
  if (IsToken(visitor, 16)) in.visitor = std::move(visitor);
  return in;
}

}  // namespace

ApiResponse ApiRouter::Redirect(const ApiRequest& request, const std::string& code) {
  return RedirectResponse(service_.RecordClick(ClickInputOf(request, code)));
}

ApiResponse ApiRouter::Redirect(const ApiRequest& request, const Link& link, const Program& program) {
  return RedirectResponse(service_.RecordClick(link, program, ClickInputOf(request, link.code)));
}

ApiResponse ApiRouter::RedirectResponse(Result<ClickOutcome> out) {
  if (!out.ok()) {
    if (out.status().code() == StatusCode::kNotFound) return ErrorResponse(404, "not_found", "no such link");
    return FromStatus(out.status());
  }
  ApiResponse r;
  r.status = 302;
  r.content_type = "text/plain";
  r.location = std::move(out->location);
  r.set_cookies.reserve(2);
  r.set_cookies.push_back(fmt::format("{}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax", kVisitorCookie,
                                      out->visitor));
  r.set_cookies.push_back(fmt::format("vouch_click={}; Path=/; Max-Age=2592000; SameSite=Lax", out->token));
  return r;
}

ApiResponse ApiRouter::Api(const ApiRequest& request, const std::string& path, const std::string& query) {
  std::vector<std::string> seg = Segments(path);
  const std::string& m = request.method;
  auto body = [&]() { return ParseBody(request.body); };
  auto fail = [](const Status& s) { return FromStatus(s); };
#define VOUCH_API_TRY(lhs, expr)        \
  auto VOUCH_CONCAT(r_, __LINE__) = (expr); \
  if (!VOUCH_CONCAT(r_, __LINE__).ok()) return fail(VOUCH_CONCAT(r_, __LINE__).status()); \
  lhs = std::move(VOUCH_CONCAT(r_, __LINE__)).value()

  if (seg.empty()) return ErrorResponse(404, "not_found", "no route");
  const std::string& res = seg[0];
  if (res == "webhooks") return Webhooks(request, seg, query);

  if (res == "programs" && seg.size() == 1 && m == "POST") {
    VOUCH_API_TRY(json j, body());
    Fields f(j);
    Program p;
    VOUCH_API_TRY(p.name, f.String("name", true));
    VOUCH_API_TRY(p.destination_url, f.String("destination_url", true));
    VOUCH_API_TRY(std::string currency, f.String("currency", false));
    if (!currency.empty()) p.currency = currency;
    const json* rewards = f.Raw("rewards");
    if (rewards == nullptr) return ErrorResponse(400, "invalid_argument", "rewards: missing");
    VOUCH_API_TRY(p.rewards, ParseRewardRules(*rewards));
    VOUCH_API_TRY(p.hold_days, f.Int("hold_days", false, 30));
    VOUCH_API_TRY(p.attribution_window_days, f.Int("attribution_window_days", false, 30));
    VOUCH_API_TRY(std::string model, f.String("attribution", false));
    if (model == "first_click") {
      p.attribution = AttributionModel::kFirstClick;
    } else if (!model.empty() && model != "last_click") {
      return ErrorResponse(400, "invalid_argument", "attribution: must be \"last_click\" or \"first_click\"");
    }
    VOUCH_API_TRY(p.min_conversion_seconds, f.Int("min_conversion_seconds", false, 3));
    VOUCH_API_TRY(p.lifetime_customers, f.Bool("lifetime_customers", false));
    VOUCH_API_TRY(std::string mode, f.String("fraud_mode", false));
    if (mode == "loose") {
      p.fraud_mode = FraudMode::kLoose;
    } else if (!mode.empty() && mode != "strict") {
      return ErrorResponse(400, "invalid_argument", "fraud_mode: must be \"strict\" or \"loose\"");
    }
    VOUCH_API_TRY(int64_t id, service_.CreateProgram(p));
    return Json(201, {{"id", id}});
  }
  if (res == "programs" && seg.size() == 2 && m == "GET") {
    VOUCH_API_TRY(int64_t id, PathId(seg[1], "program"));
    VOUCH_API_TRY(auto p, service_.store().GetProgram(id));
    if (!p) return ErrorResponse(404, "not_found", fmt::format("no program {}", id));
    return Json(200, {{"id", p->id},
                      {"name", p->name},
                      {"destination_url", p->destination_url},
                      {"currency", p->currency},
                      {"rewards", RewardRulesToJson(p->rewards)},
                      {"hold_days", p->hold_days},
                      {"attribution_window_days", p->attribution_window_days},
                      {"attribution", p->attribution == AttributionModel::kFirstClick ? "first_click" : "last_click"},
                      {"fraud_mode", p->fraud_mode == FraudMode::kLoose ? "loose" : "strict"},
                      {"min_conversion_seconds", p->min_conversion_seconds},
                      {"lifetime_customers", p->lifetime_customers}});
  }
  if (res == "advocates" && seg.size() == 1 && m == "POST") {
    VOUCH_API_TRY(json j, body());
    Fields f(j);
    AdvocateInput in;
    VOUCH_API_TRY(in.name, f.String("name", true));
    VOUCH_API_TRY(in.email, f.String("email", true));
    VOUCH_API_TRY(in.external_id, f.String("external_id", false));
    VOUCH_API_TRY(in.signup_ip, f.String("ip", false));
    VOUCH_API_TRY(in.signup_user_agent, f.String("user_agent", false));
    VOUCH_API_TRY(auto created, service_.CreateAdvocate(in));
    return Json(created.second ? 201 : 200, {{"id", created.first}});
  }
  if (res == "advocates" && seg.size() >= 2 && m == "GET") {
    VOUCH_API_TRY(int64_t id, PathId(seg[1], "advocate"));
    VOUCH_API_TRY(auto a, service_.store().GetAdvocate(id));
    if (!a) return ErrorResponse(404, "not_found", fmt::format("no advocate {}", id));
    if (seg.size() == 3 && seg[2] == "balance") {
      VOUCH_API_TRY(std::ignore, service_.ApproveDue());
      VOUCH_API_TRY(auto balances, service_.store().Balances(AdvocateAccount(id, "%")));
      json out = json::object();
      for (const AccountBalance& b : balances) {
        std::string bucket = b.account.substr(b.account.rfind(':') + 1);
        if (!out.contains(b.currency)) {
          out[b.currency] = {{"pending", 0}, {"hold", 0}, {"approved", 0}, {"paid", 0}};
        }
        out[b.currency][bucket] = b.balance;
      }
      return Json(200, {{"advocate_id", id}, {"balances", out}});
    }
    if (seg.size() != 2) return ErrorResponse(404, "not_found", "no route");
    return Json(200, {{"id", a->id}, {"name", a->name}, {"email", a->email}, {"person_id", a->person_id}});
  }
  if (res == "links" && seg.size() == 1 && m == "POST") {
    VOUCH_API_TRY(json j, body());
    Fields f(j);
    VOUCH_API_TRY(int64_t program, f.Id("program_id"));
    VOUCH_API_TRY(int64_t advocate, f.Id("advocate_id"));
    VOUCH_API_TRY(std::string code, f.String("code", false));
    VOUCH_API_TRY(Link link, service_.CreateLink(program, advocate, code));
    return Json(201, {{"id", link.id}, {"code", link.code}, {"url", service_.LinkUrl(link.code)}});
  }
  if (res == "links" && seg.size() == 2 && (m == "GET" || m == "PATCH")) {
    if (m == "PATCH") {
      VOUCH_API_TRY(json j, body());
      Fields f(j);
      const json* d = f.Raw("disabled");
      if (d == nullptr || !d->is_boolean()) {
        return ErrorResponse(400, "invalid_argument", "disabled: must be true or false");
      }
      Status s = service_.SetLinkDisabled(seg[1], d->get<bool>());
      if (!s.ok()) return fail(s);
    }
    VOUCH_API_TRY(auto link, service_.store().FindLink(seg[1]));
    if (!link) return ErrorResponse(404, "not_found", fmt::format("no link with code '{}'", seg[1]));
    VOUCH_API_TRY(auto clicks, service_.store().LinkClickCounts(link->id));
    return Json(200, {{"id", link->id},
                      {"raw_clicks", clicks.first},
                      {"clicks", clicks.second},
                      {"code", link->code},
                      {"url", service_.LinkUrl(link->code)},
                      {"program_id", link->program_id},
                      {"advocate_id", link->advocate_id},
                      {"disabled", link->disabled}});
  }
  if (res == "track" && seg.size() == 2 && m == "POST") {
    VOUCH_API_TRY(json j, body());
    Fields f(j);
    if (seg[1] == "lead") {
      LeadInput in;
      VOUCH_API_TRY(in.click_token, f.String("click_id", false));
      VOUCH_API_TRY(in.code, f.String("code", false));
      VOUCH_API_TRY(Fields customer, f.Object("customer", true));
      VOUCH_API_TRY(in.customer.external_id, customer.String("external_id", true));
      VOUCH_API_TRY(in.customer.email, customer.String("email", false));
      VOUCH_API_TRY(in.ip, f.String("ip", false));
      VOUCH_API_TRY(in.user_agent, f.String("user_agent", false));
      VOUCH_API_TRY(LeadOutcome out, service_.TrackLead(in));
      json commissions = json::array();
      for (const CommissionView& v : out.commissions) commissions.push_back(CommissionToJson(v));
      return Json(out.created ? 201 : 200, {{"lead_id", out.lead_id},
                                            {"commissions", commissions},
                                            {"friend_rewards", FriendRewardsToJson(out.friend_rewards)}});
    }
    if (seg[1] == "sale") {
      SaleInput in;
      VOUCH_API_TRY(in.customer.external_id, f.String("customer_external_id", false));
      VOUCH_API_TRY(Fields customer, f.Object("customer", false));
      if (in.customer.external_id.empty()) {
        VOUCH_API_TRY(in.customer.external_id, customer.String("external_id", false));
      }
      if (in.customer.external_id.empty()) {
        return ErrorResponse(400, "invalid_argument", "customer_external_id: missing");
      }
      VOUCH_API_TRY(in.customer.email, customer.String("email", false));
      if (in.customer.email.empty()) {
        VOUCH_API_TRY(in.customer.email, f.String("customer_email", false));
      }
      VOUCH_API_TRY(in.invoice_id, f.String("invoice_id", true));
      VOUCH_API_TRY(in.amount, f.Int("amount", true));
      VOUCH_API_TRY(in.currency, f.String("currency", true));
      VOUCH_API_TRY(in.click_token, f.String("click_id", false));
      VOUCH_API_TRY(in.ip, f.String("ip", false));
      VOUCH_API_TRY(in.user_agent, f.String("user_agent", false));
      VOUCH_API_TRY(SaleOutcome out, service_.TrackSale(in));
      return IdempotentAnswer(out.replay, std::move(out.body));
    }
    if (seg[1] == "refund") {
      VOUCH_API_TRY(std::string invoice, f.String("invoice_id", true));
      VOUCH_API_TRY(int64_t amount, f.Int("amount", false, 0));
      if (f.Raw("amount") != nullptr && amount <= 0) {
        return ErrorResponse(400, "invalid_argument", "amount: must be a positive integer of minor units");
      }
      VOUCH_API_TRY(RefundOutcome out, service_.TrackRefund(invoice, amount));
      json commissions = json::array();
      for (const Commission& c : out.commissions) commissions.push_back(CommissionToJson({c, {}}));
      return Json(200, {{"sale_id", out.sale_id},
                        {"invoice_id", invoice},
                        {"refunded_amount", out.refunded_total},
                        {"commissions", commissions},
                        {"friend_rewards", FriendRewardsToJson(out.friend_rewards)}});
    }
  }
  if (res == "commissions" && seg.size() == 1 && m == "GET") {
    VOUCH_API_TRY(int64_t advocate, QueryInt(query, "advocate_id", 0));
    VOUCH_API_TRY(int64_t limit, QueryInt(query, "limit", kDefaultLimit));
    if (limit < 1 || limit > kMaxLimit) {
      return ErrorResponse(400, "invalid_argument", fmt::format("limit: must be 1..{}", kMaxLimit));
    }
    int64_t after = 0;
    std::string cursor = QueryValue(query, "cursor");
    if (!cursor.empty()) {
      auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), after);
      if (ec != std::errc() || end != cursor.data() + cursor.size() || after < 0) {
        return ErrorResponse(400, "invalid_argument", "cursor: not a cursor this API returned");
      }
    }
    VOUCH_API_TRY(CommissionPage page, service_.ListCommissions(advocate, after, limit));
    json data = json::array();
    for (const CommissionView& v : page.data) data.push_back(CommissionToJson(v));
    return Json(200, {{"data", data},
                      {"next_cursor", page.next_after ? json(std::to_string(*page.next_after)) : json(nullptr)}});
  }
  if (res == "commissions" && seg.size() == 3 && m == "POST" && (seg[2] == "approve" || seg[2] == "reject")) {
    VOUCH_API_TRY(int64_t id, PathId(seg[1], "commission"));
    VOUCH_API_TRY(Commission c, service_.ReviewCommission(id, seg[2] == "approve"));
    return Json(200, CommissionToJson({c, {}}));
  }
  if (res == "payouts" && seg.size() == 1 && m == "POST") {
    VOUCH_API_TRY(json j, body());
    Fields f(j);
    VOUCH_API_TRY(int64_t minimum, f.Int("minimum", false, 0));
    VOUCH_API_TRY(std::string currency, f.String("currency", false));
    if (currency.empty()) currency = "USD";
    int64_t advocate = 0;
    if (f.Raw("advocate_id") != nullptr) {
      VOUCH_API_TRY(advocate, f.Id("advocate_id"));
    }
    VOUCH_API_TRY(auto payouts, service_.CreatePayouts(minimum, currency, advocate));
    json data = json::array();
    for (const Payout& p : payouts) data.push_back(PayoutToJson(p));
    return Json(201, {{"data", data}});
  }
  if (res == "payouts" && seg.size() == 1 && m == "GET") {
    VOUCH_API_TRY(int64_t advocate, QueryInt(query, "advocate_id", 0));
    VOUCH_API_TRY(auto payouts, service_.store().ListPayouts(advocate));
    json data = json::array();
    for (const Payout& p : payouts) data.push_back(PayoutToJson(p));
    return Json(200, {{"data", data}, {"next_cursor", nullptr}});
  }
  if (res == "events" && seg.size() == 1 && m == "GET") {
    VOUCH_API_TRY(int64_t limit, QueryInt(query, "limit", kDefaultLimit));
    if (limit < 1 || limit > kMaxLimit) {
      return ErrorResponse(400, "invalid_argument", fmt::format("limit: must be 1..{}", kMaxLimit));
    }
    VOUCH_API_TRY(int64_t after, QueryInt(query, "cursor", 0));
    if (after < 0) return ErrorResponse(400, "invalid_argument", "cursor: not a cursor this API returned");
    VOUCH_API_TRY(auto page, service_.ListEvents(after, limit));
    json data = json::array();
    for (const Event& e : page.first) {
      data.push_back({{"id", e.id}, {"type", e.type}, {"created_at", e.created_at}, {"data", json::parse(e.payload)}});
    }
    return Json(200, {{"data", data},
                      {"next_cursor", page.second ? json(std::to_string(*page.second)) : json(nullptr)}});
  }
  if (res == "customers" && seg.size() == 3 && seg[2] == "rewards" && m == "GET") {
    // The friend's side of two-sided programs: what this customer (the shop's customer id) is owed.
    VOUCH_API_TRY(auto customer, service_.store().FindCustomer(seg[1]));
    if (!customer) return ErrorResponse(404, "not_found", fmt::format("no customer '{}'", seg[1]));
    VOUCH_API_TRY(auto rewards, service_.store().FriendRewardsOf(customer->id));
    VOUCH_API_TRY(auto credit, service_.store().Balances(CustomerCreditAccount(customer->id)));
    json balance = json::object();
    for (const AccountBalance& b : credit) balance[b.currency] = b.balance;
    return Json(200, {{"customer_external_id", customer->external_id},
                      {"credit", balance},
                      {"data", FriendRewardsToJson(rewards)},
                      {"next_cursor", nullptr}});
  }
  if (res == "credits" && seg.size() == 2 && seg[1] == "redeem" && m == "POST") {
    VOUCH_API_TRY(json j, body());
    Fields f(j);
    RedeemInput in;
    VOUCH_API_TRY(in.redemption_id, f.String("redemption_id", true));
    VOUCH_API_TRY(in.customer_external_id, f.String("customer_external_id", true));
    VOUCH_API_TRY(in.amount, f.Int("amount", true));
    VOUCH_API_TRY(in.currency, f.String("currency", true));
    VOUCH_API_TRY(in.invoice_id, f.String("invoice_id", false));
    VOUCH_API_TRY(RedeemOutcome out, service_.RedeemCredit(in));
    return IdempotentAnswer(out.replay, std::move(out.body));
  }
  if (res == "credits" && seg.size() == 2 && m == "GET") {
    VOUCH_API_TRY(auto balances, service_.CustomerCredit(seg[1]));
    json data = json::array();
    for (const CreditBalance& b : balances) {
      data.push_back({{"currency", b.currency},
                      {"available", b.available},
                      {"earned", b.earned},
                      {"clawed_back", b.clawed_back},
                      {"unrecovered", b.unrecovered},
                      {"redeemed", b.redeemed}});
    }
    return Json(200, {{"customer_external_id", seg[1]}, {"data", data}});
  }
  if (res == "ledger" && seg.size() == 1 && m == "GET") {
    VOUCH_API_TRY(auto totals, service_.store().LedgerTotals());
    json out = json::object();
    bool balanced = true;
    for (const AccountBalance& t : totals) {
      out[t.currency] = t.balance;
      balanced = balanced && t.balance == 0;
    }
    return Json(200, {{"balanced", balanced}, {"totals", out}});
  }
#undef VOUCH_API_TRY
  return ErrorResponse(404, "not_found", fmt::format("no route {} /api/v1/{}", m, path));
}

}  // namespace vouch::refer
