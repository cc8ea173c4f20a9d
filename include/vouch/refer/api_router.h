// ApiRouter: the referral service's HTTP API (docs/api.md) as a function from a request to a response, free of
// any networking so that tests can drive it directly and the server stays a thin transport.
//
// It authenticates bearer API keys (read scope: GET; write scope: everything), parses and validates JSON bodies
// (errors name the field), calls ReferralService and renders JSON. Errors are {"error": {"code", "message"}} with
// a 4xx status (5xx only for a failure of the server itself).
//
// Transactions are the caller's: the server runs Handle() inside a savepoint and rolls it back for any status of
// 400 or more, so a rejected request stores nothing.
//
// Thread safety: one thread at a time (the service's).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/refer/referral_service.h"
#include "vouch/refer/webhooks.h"

namespace vouch::refer {

struct ApiRequest {
  std::string method;         // "GET", "HEAD", "POST", "PATCH"
  std::string target;         // path and query: "/api/v1/commissions?advocate_id=3"
  std::string authorization;  // the Authorization header, as sent
  std::string body;
  std::string ip;             // the peer's address
  std::string user_agent;
  std::string cookie;         // the Cookie header
  std::string purpose;        // Purpose / Sec-Purpose / X-Purpose / X-Moz header, whichever was sent
};

struct ApiResponse {
  int status = 200;
  std::string body;
  // A string literal (every type the server answers is its own): a view, so that making an answer allocates
  // nothing for it ("application/json" is one byte too long for std::string's inline buffer).
  std::string_view content_type = "application/json";
  std::string location;                  // for redirects
  std::vector<std::string> set_cookies;  // Set-Cookie header values
};

// The cookie that carries the visitor id of GET /r/{code}.
inline constexpr const char* kVisitorCookie = "vouch_vid";

// A JSON error response.
ApiResponse ErrorResponse(int status, const std::string& code, const std::string& message);
// The error response for a failed Status (InvalidArgument 400, NotFound 404, AlreadyExists and
// FailedPrecondition 409, else 500).
ApiResponse StatusResponse(const Status& status);
// A request body as a JSON object, or InvalidArgument naming where it broke.
Result<nlohmann::json> ParseJsonBody(const std::string& body);

// Routes another module serves through this router (the measure module's dashboard and report API,
// measure/report_routes.h). Handle answers the paths it owns and nullopt for the rest. Paths under /api/v1/ reach it
// only after the API key was checked (its scope allows the method); other paths (a page) without a key.
class ExtraRoutes {
 public:
  virtual ~ExtraRoutes() = default;
  virtual std::optional<ApiResponse> Handle(const ApiRequest& request, const std::string& path,
                                            const std::string& query) = 0;
};

class ApiRouter final {
 public:
  // webhooks (may be null: the /webhooks routes then answer 501) and extra, when given, must outlive the router.
  explicit ApiRouter(ReferralService& service, WebhookStore* webhooks = nullptr, ExtraRoutes* extra = nullptr)
      : service_(service), webhooks_(webhooks), extra_(extra) {}
  ApiResponse Handle(const ApiRequest& request);
  // GET /r/{code} for a link and its program the caller has already looked up (the server's link cache): the
  // same answer Handle() gives for "/r/" + link.code.
  ApiResponse Redirect(const ApiRequest& request, const Link& link, const Program& program);

 private:
  ApiResponse Redirect(const ApiRequest& request, const std::string& code);
  static ApiResponse RedirectResponse(Result<ClickOutcome> out);
  ApiResponse Api(const ApiRequest& request, const std::string& path, const std::string& query);
  // /api/v1/webhooks...: endpoint CRUD, deliveries, retry of a dead delivery (webhook_routes.cc).
  ApiResponse Webhooks(const ApiRequest& request, const std::vector<std::string>& seg, const std::string& query);

  ReferralService& service_;
  WebhookStore* webhooks_;
  ExtraRoutes* extra_;
};

}  // namespace vouch::refer
