// libFuzzer target for the referral API's request and JSON handling (ApiRouter over an in-memory database).
//
// The input is "METHOD TARGET\nAUTH\nBODY": AUTH "w" sends the write key, anything else sends that text. Every
// request runs in a savepoint rolled back afterwards, as the server does for an error, and must answer a status
// in 200..599 with a JSON error body for every 4xx: no crash, no exception, no sanitizer report.
//
// Build and run (clang's libFuzzer, outside the default build): tests/refer/fuzz/run.sh [seconds]
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "vouch/refer/api_router.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/refer/webhooks.h"
#include "vouch/store/sqlite_store.h"

namespace {

using namespace vouch;
using namespace vouch::refer;

struct World {
  FakeClock clock{1'700'000'000'000};
  std::unique_ptr<SqliteStore> identity;
  std::unique_ptr<SqliteReferralStore> refer;
  std::unique_ptr<SqliteWebhookStore> webhooks;
  std::unique_ptr<ReferralService> service;
  std::unique_ptr<ApiRouter> router;
  std::string key;

  World() {
    identity = std::move(SqliteStore::Open(":memory:", true, clock)).value();
    refer = std::move(SqliteReferralStore::Open(identity->db())).value();
    service = std::make_unique<ReferralService>(*refer, *identity, clock);
    webhooks = std::move(SqliteWebhookStore::Open(identity->db())).value();
    router = std::make_unique<ApiRouter>(*service, webhooks.get());
    key = service->CreateApiKey(KeyScope::kWrite).value();
    Program p;
    p.name = "Fuzz";
    p.destination_url = "https://shop.example/";
    p.rewards = {{RewardEvent::kSale, RewardType::kPercent, 1000}, {RewardEvent::kClick, RewardType::kFlat, 1}};
    (void)service->CreateProgram(p);
    (void)service->CreateAdvocate({"Jane", "jane@example.com", "", "", ""});
    (void)service->CreateLink(1, 1, "FUZZCODE");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t first = input.find('\n');
  std::string line = input.substr(0, first);
  std::string rest = first == std::string::npos ? "" : input.substr(first + 1);
  size_t second = rest.find('\n');
  std::string auth = rest.substr(0, second);
  std::string body = second == std::string::npos ? "" : rest.substr(second + 1);
  size_t space = line.find(' ');
  ApiRequest req;
  req.method = line.substr(0, space);
  req.target = space == std::string::npos ? "/" : line.substr(space + 1);
  req.authorization = auth == "w" ? "Bearer " + world->key : auth;
  req.body = body;
  req.ip = "198.51.100.1";
  req.user_agent = "Mozilla/5.0";
  req.cookie = body.substr(0, 40);
  if (!world->refer->Savepoint().ok()) std::abort();
  ApiResponse res = world->router->Handle(req);
  world->refer->RollbackToSavepoint();
  if (res.status < 200 || res.status > 599) std::abort();
  if (res.status >= 400) {
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    if (j.is_discarded() || !j.contains("error") || !j["error"]["code"].is_string()) std::abort();
  }
  return 0;
}
