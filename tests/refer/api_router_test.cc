// HTTP cases as data (tests/data/refer/api_cases.jsonl): each request runs against a fresh fixture inside a
// savepoint, as the server runs it; a 4xx must name the problem and leave the database exactly as it was.
#include "vouch/refer/api_router.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/store/sqlite_store.h"
#include "support/test_paths.h"

namespace vouch::refer {
namespace {

using nlohmann::json;

class ApiRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    identity_ = std::move(SqliteStore::Open(":memory:", true, clock_)).value();
    refer_ = std::move(SqliteReferralStore::Open(identity_->db())).value();
    service_ = std::make_unique<ReferralService>(*refer_, *identity_, clock_);
    router_ = std::make_unique<ApiRouter>(*service_);
    write_key_ = *service_->CreateApiKey(KeyScope::kWrite);
    read_key_ = *service_->CreateApiKey(KeyScope::kRead);
    Program p;
    p.name = "Friends";
    p.destination_url = "https://shop.example/";
    p.rewards = {{RewardEvent::kSale, RewardType::kPercent, 1000}};
    p.min_conversion_seconds = 0;
    ASSERT_TRUE(service_->CreateProgram(p).ok());
    ASSERT_TRUE(service_->CreateAdvocate({"Jane", "jane@example.com", "", "", ""}).ok());
    ASSERT_TRUE(service_->CreateLink(1, 1, "TESTCODE").ok());
    auto click = service_->RecordClick({"TESTCODE", "198.51.100.1", "Mozilla/5.0", "", false, false});
    ASSERT_TRUE(click.ok());
    ASSERT_TRUE(service_->TrackLead({click->token, "", {"cust-1", ""}, "", ""}).ok());
  }

  // The content of every table, row by row: a rejected request must not change any of it.
  std::string Fingerprint() {
    sqlite3* db = identity_->db().raw();
    std::vector<std::string> names;
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &q,
                                 nullptr),
              SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
    sqlite3_finalize(q);
    std::string out;
    for (const std::string& name : names) {
      std::string sql = "SELECT * FROM \"" + name + "\"";
      EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr), SQLITE_OK) << sql;
      out += name + ":";
      while (sqlite3_step(q) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(q); ++i) {
          const unsigned char* text = sqlite3_column_text(q, i);
          out += text == nullptr ? "NULL" : reinterpret_cast<const char*>(text);
          out += "|";
        }
        out += "\n";
      }
      sqlite3_finalize(q);
    }
    return out;
  }

  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<SqliteStore> identity_;
  std::unique_ptr<SqliteReferralStore> refer_;
  std::unique_ptr<ReferralService> service_;
  std::unique_ptr<ApiRouter> router_;
  std::string write_key_, read_key_;
};

TEST_F(ApiRouterTest, Cases) {
  std::ifstream in(vouch::test::TestDataDir() + "/refer/api_cases.jsonl");
  ASSERT_TRUE(in.good());
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json c = json::parse(line);
    SCOPED_TRACE(c["name"].get<std::string>());
    ApiRequest req;
    req.method = c["method"];
    req.target = c["target"];
    std::string auth = c.value("auth", "write");
    if (auth == "write") req.authorization = "Bearer " + write_key_;
    if (auth == "read") req.authorization = "Bearer " + read_key_;
    if (auth == "bad") req.authorization = "Bearer vk_0000";
    if (auth == "basic") req.authorization = "Basic " + write_key_;
    if (c.contains("body")) req.body = c["body"].is_string() ? c["body"].get<std::string>() : c["body"].dump();
    req.ip = "198.51.100.9";
    req.user_agent = "Mozilla/5.0";
    std::string before = Fingerprint();
    ASSERT_TRUE(refer_->Savepoint().ok());
    ApiResponse res = router_->Handle(req);
    if (res.status >= 400) {
      refer_->RollbackToSavepoint();
    } else {
      ASSERT_TRUE(refer_->Release().ok());
    }
    EXPECT_EQ(res.status, c["status"].get<int>()) << res.body;
    if (res.status >= 400) {
      EXPECT_EQ(Fingerprint(), before) << "a rejected request changed the database";
      json body = json::parse(res.body);
      ASSERT_TRUE(body.contains("error")) << res.body;
      EXPECT_TRUE(body["error"]["code"].is_string());
      EXPECT_TRUE(body["error"]["message"].is_string());
      if (c.contains("error")) {
        EXPECT_EQ(body["error"]["code"], c["error"]) << res.body;
      }
      if (c.contains("message")) {
        EXPECT_EQ(body["error"]["message"].get<std::string>().rfind(c["message"].get<std::string>(), 0), 0u)
            << res.body;
      }
    }
    ++cases;
  }
  EXPECT_GT(cases, 40);
}

TEST_F(ApiRouterTest, RedirectCarriesTheClickAndTheVisitorCookie) {
  ApiRequest req{"GET", "/r/TESTCODE", "", "", "198.51.100.9", "Mozilla/5.0", "", ""};
  ApiResponse res = router_->Handle(req);
  ASSERT_EQ(res.status, 302);
  EXPECT_EQ(res.location.rfind("https://shop.example/?vouch_click=", 0), 0u) << res.location;
  ASSERT_EQ(res.set_cookies.size(), 2u);
  EXPECT_EQ(res.set_cookies[0].rfind("vouch_vid=", 0), 0u);
  // The visitor's cookie comes back: the repeat is stored but not counted.
  std::string visitor = res.set_cookies[0].substr(10, 16);
  req.cookie = "other=1; vouch_vid=" + visitor;
  ASSERT_EQ(router_->Handle(req).status, 302);
  auto counts = refer_->LinkClickCounts(1);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->first, 3);   // the fixture's click and these two
  EXPECT_EQ(counts->second, 2);  // the fixture's and the first of these
}

TEST_F(ApiRouterTest, CommissionPagesFollowTheCursor) {
  for (int i = 0; i < 5; ++i) {
    ApiRequest sale{"POST", "/api/v1/track/sale", "Bearer " + write_key_,
                    json{{"customer_external_id", "cust-1"}, {"invoice_id", "p" + std::to_string(i)},
                         {"amount", 1000}, {"currency", "USD"}}.dump(),
                    "", "", "", ""};
    ASSERT_EQ(router_->Handle(sale).status, 201);
  }
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    std::string target = "/api/v1/commissions?advocate_id=1&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor);
    ApiResponse res = router_->Handle({"GET", target, "Bearer " + read_key_, "", "", "", "", ""});
    ASSERT_EQ(res.status, 200);
    json body = json::parse(res.body);
    for (const auto& c : body["data"]) seen.push_back(c["invoice_id"]);
    if (body["next_cursor"].is_null()) break;
    cursor = body["next_cursor"];
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"p0", "p1", "p2", "p3", "p4"}));
}

}  // namespace
}  // namespace vouch::refer
