#include "vouch/ingest/orders_ingest.h"

#include <gtest/gtest.h>

#include "ingest/records_fixture.h"
#include "vouch/identity/normalize.h"

namespace vouch::ingest {
namespace {

constexpr const char* kHeader = "order_id,customer_id,email,amount_minor,currency,time,referral_code\n";

class OrdersIngestTest : public testing::RecordIngestTest<OrdersIngest> {
 protected:
  Status Ingest(const std::string& content, OrdersIngestOptions options = {}) {
    return RunIngest("orders.csv", content, std::move(options));
  }
  std::vector<Order> Orders() {
    std::vector<Order> out;
    EXPECT_TRUE(store_->ForEachOrder([&](const Store::StoredOrder& o) {
                        out.push_back(o.order);
                        return true;
                      }).ok());
    return out;
  }
};

TEST_F(OrdersIngestTest, StoresOrdersAndLinksCustomerIdWithEmail) {
  ASSERT_TRUE(Ingest(std::string(kHeader) +
                     "O-1,C-1,Jane.Doe+shop@gmail.com,1250,usd,2024-05-01T12:00:00Z,JANE10\n"
                     "O-2,,janedoe@gmail.com,999,,1714564800,\n"
                     "O-3,C-2,,0,EUR,1714564800,\n")
                  .ok());
  EXPECT_EQ(job_->summary().stored, 3u);
  EXPECT_EQ(job_->record().merges, 1u);
  auto orders = Orders();
  ASSERT_EQ(orders.size(), 3u);
  EXPECT_EQ(orders[0].amount_minor, 1250);
  EXPECT_EQ(orders[0].currency, "USD");
  EXPECT_EQ(orders[0].time, 1714564800);
  EXPECT_EQ(orders[0].referral_code, "JANE10");
  EXPECT_EQ(orders[1].currency, "USD");  // the default for an empty currency
  PersonId jane = PersonOf(identity::CustomerKey("C-1"));
  EXPECT_EQ(PersonOf(*identity::EmailKey("janedoe@gmail.com")), jane);
  EXPECT_NE(PersonOf(identity::CustomerKey("C-2")), jane);
  auto merges = *store_->ListMerges(jane);
  ASSERT_EQ(merges.size(), 1u);
  EXPECT_NE(merges[0].reason.find("orders.csv:2"), std::string::npos);
  EXPECT_TRUE(merges[0].automatic);
  EXPECT_EQ(merges[0].kept, jane);  // the older person
}

TEST_F(OrdersIngestTest, MoneyAndCurrencyEdgeCasesAreRejectedNamingTheField) {
  ASSERT_TRUE(Ingest(std::string(kHeader) +
                     "O-1,C-1,,12.50,USD,1,\n"
                     "O-2,C-1,,-3,USD,1,\n"
                     "O-3,C-1,,1e3,USD,1,\n"
                     "O-4,C-1,,,USD,1,\n"
                     "O-5,C-1,,99999999999999999999,USD,1,\n"
                     "O-6,C-1,,5,US,1,\n"
                     "O-7,C-1,,5,USD,,\n"
                     "O-8,,,5,USD,1,\n"
                     ",C-1,,5,USD,1,\n"
                     "O-9,C-1,jane(at)example.com,5,USD,1,\n"
                     "O-10,C-1,,5,USD,1,,extra\n"
                     "O-11,C-1,,9223372036854775807,usd,1,\n")
                  .ok());
  ASSERT_EQ(rejects_.all.size(), 11u);
  const char* fields[] = {"amount_minor", "amount_minor", "amount_minor", "amount_minor", "amount_minor",
                          "currency",     "time",         "customer_id or email", "order_id", "email", "fields"};
  for (size_t i = 0; i < rejects_.all.size(); ++i) {
    EXPECT_EQ(rejects_.all[i].line, i + 2);
    EXPECT_NE(rejects_.all[i].reason.find(fields[i]), std::string::npos) << rejects_.all[i].reason;
    EXPECT_EQ(rejects_.all[i].file, path_);
  }
  EXPECT_EQ(rejects_.all[0].record, "O-1,C-1,,12.50,USD,1,");
  EXPECT_EQ(job_->summary().stored, 1u);
  EXPECT_EQ(Orders()[0].amount_minor, 9223372036854775807);
}

TEST_F(OrdersIngestTest, ColumnsInAnyOrderAndOptionalOnes) {
  ASSERT_TRUE(Ingest("time,amount_minor,email,order_id,note\n1714564800,100,a@example.com,O-1,\"hello, world\"\n")
                  .ok());
  EXPECT_EQ(job_->summary().stored, 1u);
  EXPECT_EQ(Orders()[0].currency, "USD");
  EXPECT_EQ(Orders()[0].referral_code, "");
}

TEST_F(OrdersIngestTest, AHeaderIsRequired) {
  Status s = Ingest("O-1,C-1,,100,USD,1,\n");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(":1:"), std::string::npos);
  EXPECT_NE(s.message().find("order_id"), std::string::npos);
  Status dup = Ingest("order_id,email,email,amount_minor,time\n");
  EXPECT_NE(dup.message().find("twice"), std::string::npos);
}

TEST_F(OrdersIngestTest, ABadDefaultCurrencyIsRefused) {
  OrdersIngestOptions options;
  options.default_currency = "dollars";
  EXPECT_EQ(Ingest(kHeader, options).code(), StatusCode::kInvalidArgument);
}

TEST_F(OrdersIngestTest, IngestingTwiceStoresNothingAndDoesNotRedoAnUndoneMerge) {
  const std::string content = std::string(kHeader) + "O-1,C-1,jane@example.com,100,USD,1,\n";
  ASSERT_TRUE(Ingest(content).ok());
  auto merges = *store_->ListMerges(std::nullopt);
  ASSERT_EQ(merges.size(), 1u);
  ASSERT_TRUE(store_->UndoMerge(merges[0].id).ok());
  ASSERT_TRUE(Ingest(content).ok());
  EXPECT_EQ(job_->summary().duplicate, 1u);
  EXPECT_EQ(job_->summary().stored, 0u);
  EXPECT_EQ(store_->ListMerges(std::nullopt)->size(), 1u);
  EXPECT_NE(PersonOf(identity::CustomerKey("C-1")), PersonOf(*identity::EmailKey("jane@example.com")));
  // A new order of the same two is not linked either: the user's undo wins.
  ASSERT_TRUE(Ingest(std::string(kHeader) + "O-2,C-1,jane@example.com,100,USD,1,\n").ok());
  EXPECT_EQ(job_->record().kept_apart, 1u);
  EXPECT_NE(PersonOf(identity::CustomerKey("C-1")), PersonOf(*identity::EmailKey("jane@example.com")));
}

}  // namespace
}  // namespace vouch::ingest
