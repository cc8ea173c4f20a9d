// What the server's group commit does with the referral service (http_server.cc, DbWorker::RunBatch): one
// transaction, each request inside its own savepoint, released on success and rolled back on an error, one
// COMMIT. Two sales with the same invoice id in one group: the second is a replay answering the first's body,
// and one sale, one commission and one sale.created event are stored; a failed request in the group undoes only
// itself.
#include <gtest/gtest.h>

#include "service_fixture.h"

namespace vouch::refer {
namespace {

class GroupCommitTest : public test::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    Program p;
    p.name = "Friends";
    p.destination_url = "https://shop.example/welcome";
    p.rewards = {{RewardEvent::kSale, RewardType::kPercent, 1000}};
    p.min_conversion_seconds = 0;
    auto program = service_->CreateProgram(p);
    ASSERT_TRUE(program.ok()) << program.status().ToString();
    auto click = ClickOn(LinkCode(*program, Advocate("jane@example.com")));
    auto lead = service_->TrackLead({click.token, "", {"cust-1", ""}, "", ""});
    ASSERT_TRUE(lead.ok()) << lead.status().ToString();
  }

  // One request of the group, as RunBatch runs it: inside a savepoint, kept on success, undone on an error.
  Result<SaleOutcome> InGroup(const SaleInput& in) {
    VOUCH_TRY(refer_->Savepoint());
    auto out = service_->TrackSale(in);
    if (out.ok()) {
      VOUCH_TRY(refer_->Release());
    } else {
      refer_->RollbackToSavepoint();
    }
    return out;
  }

  int64_t Count(const std::string& sql) {
    auto q = identity_->db().Prepare(sql);
    EXPECT_TRUE(q.ok());
    if (!q.ok()) return -1;
    auto row = (*q)->Step();
    int64_t n = row.ok() && *row ? (*q)->Int(0) : -1;
    (*q)->Reset();
    return n;
  }

};

TEST_F(GroupCommitTest, SameInvoiceTwiceInOneGroupAnswersTheFirstBody) {
  ASSERT_TRUE(refer_->Begin().ok());
  SaleInput in{{"cust-1", ""}, "inv-1", 5000, "USD", "", "", ""};
  auto first = InGroup(in);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  SaleInput other{{"cust-1", ""}, "inv-2", 7000, "USD", "", "", ""};
  ASSERT_TRUE(InGroup(other).ok());
  in.amount = 999;  // a replay is recognised by the invoice alone, even before the first is committed
  auto second = InGroup(in);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(refer_->Commit().ok());

  EXPECT_FALSE(first->replay);
  EXPECT_TRUE(second->replay);
  EXPECT_EQ(second->body, first->body);
  EXPECT_EQ(second->sale_id, first->sale_id);
  EXPECT_EQ(Count("SELECT count(*) FROM refer_sales WHERE invoice_id = 'inv-1'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM refer_commissions WHERE invoice_id = 'inv-1'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM refer_events WHERE type = 'sale.created'"), 2);  // inv-1 and inv-2
  // After the commit, a later replay still answers the same.
  auto later = service_->TrackSale(in);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->body, first->body);
}

TEST_F(GroupCommitTest, AFailedRequestUndoesOnlyItself) {
  ASSERT_TRUE(refer_->Begin().ok());
  ASSERT_TRUE(InGroup({{"cust-1", ""}, "inv-1", 5000, "USD", "", "", ""}).ok());
  auto bad = InGroup({{"cust-2", ""}, "inv-bad", 5000, "usd", "", "", ""});  // a new customer, then a bad currency
  EXPECT_FALSE(bad.ok());
  ASSERT_TRUE(InGroup({{"cust-1", ""}, "inv-3", 5000, "USD", "", "", ""}).ok());
  ASSERT_TRUE(refer_->Commit().ok());
  EXPECT_EQ(Count("SELECT count(*) FROM refer_sales"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM refer_sales WHERE invoice_id = 'inv-bad'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM refer_commissions"), 2);
}

}  // namespace
}  // namespace vouch::refer
