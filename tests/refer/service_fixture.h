// The fixture the referral service's tests share: a ReferralService over an in-memory SQLite database (identity
// and referral stores on one connection) and a fake clock, helpers that walk a customer from click to sale, and a
// check after every test that the double-entry ledger balances.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "vouch/refer/referral_service.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::refer::test {

inline constexpr int64_t kDayMs = 24LL * 3600 * 1000;
inline constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0";

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(":memory:", true, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    identity_ = std::move(store).value();
    auto refer = SqliteReferralStore::Open(identity_->db());
    ASSERT_TRUE(refer.ok()) << refer.status().ToString();
    refer_ = std::move(refer).value();
    service_ = std::make_unique<ReferralService>(*refer_, *identity_, clock_);
  }

  void TearDown() override { ExpectBalanced(); }

  void ExpectBalanced() {
    auto totals = refer_->LedgerTotals();
    ASSERT_TRUE(totals.ok());
    for (const auto& t : *totals) EXPECT_EQ(t.balance, 0) << "ledger does not balance in " << t.currency;
  }

  int64_t Advocate(const std::string& email) {
    auto id = service_->CreateAdvocate({"Advocate", email, "", "", ""});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? id->first : 0;
  }

  std::string LinkCode(int64_t program, int64_t advocate) {
    auto link = service_->CreateLink(program, advocate, "");
    EXPECT_TRUE(link.ok()) << link.status().ToString();
    return link.ok() ? link->code : "";
  }

  ClickOutcome ClickOn(const std::string& code, const std::string& visitor = "", const std::string& ua = kBrowser,
                       bool head = false) {
    auto out = service_->RecordClick({code, "198.51.100.7", ua, visitor, head, false});
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : ClickOutcome{};
  }
  // The click id (vouch_click) of a new visitor's click.
  std::string Click(const std::string& code) { return ClickOn(code).token; }

  LeadOutcome Lead(const std::string& token, const std::string& customer, const std::string& email = "") {
    auto out = service_->TrackLead({token, "", {customer, email}, "", ""});
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : LeadOutcome{};
  }

  // The answer of a sale in USD.
  nlohmann::json Sale(const std::string& customer, const std::string& invoice, int64_t amount) {
    SaleInput in;
    in.customer.external_id = customer;
    in.invoice_id = invoice;
    in.amount = amount;
    in.currency = "USD";
    auto out = service_->TrackSale(in);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? nlohmann::json::parse(out->body) : nlohmann::json();
  }

  FakeClock clock_{1'700'000'000'000};  // 2023-11-14T22:13:20Z
  std::unique_ptr<SqliteStore> identity_;
  std::unique_ptr<SqliteReferralStore> refer_;
  std::unique_ptr<ReferralService> service_;
};

}  // namespace vouch::refer::test
