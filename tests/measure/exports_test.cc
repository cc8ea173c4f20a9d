// The acts and flagged sales exports (acts_export.h, flagged_sales_export.h) on a workspace built here.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "vouch/listen/mention_store.h"
#include "vouch/measure/acts_export.h"
#include "vouch/measure/flagged_sales_export.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::measure {
namespace {

namespace fs = std::filesystem;

class ExportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / fmt::format("vouch_exports_{}_{}", ::getpid(),
                                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto ws = Workspace::Init(dir_);
    ASSERT_TRUE(ws.ok()) << ws.status().ToString();
    ws_ = std::move(*ws);
    db_ = &dynamic_cast<SqliteStore&>(ws_->store()).db();
    auto ref = ws_->store().ResolveIdentity({IdentityKind::kHandle, "x", "ann"}, "Ann");
    ASSERT_TRUE(ref.ok());
    ann_ = *ref;
  }
  void TearDown() override {
    ws_.reset();
    fs::remove_all(dir_);
  }

  // A post by ann at time t naming each brand of mentions, in that order.
  void AddPost(const std::string& id, int64_t t,
               const std::vector<std::pair<std::string, listen::Act>>& mentions) {
    Post p;
    p.platform = "x";
    p.id = id;
    p.author = "ann";
    p.time = t;
    p.text = "a post about brands";
    ASSERT_TRUE(ws_->store().InsertPost(p, ann_.identity).ok());
    std::vector<listen::MentionWrite> writes;
    uint32_t at = 0;
    for (const auto& [brand, act] : mentions) {
      listen::MentionWrite m;
      m.brand = m.term = brand;
      m.begin = at;
      m.end = at + 1;
      ++at;
      m.act = act;
      m.sentiment = act == listen::Act::kComplain ? listen::Sentiment::kNegative : listen::Sentiment::kPositive;
      writes.push_back(m);
    }
    ASSERT_TRUE(listen::SqliteMentionStore(*db_).InsertForPost("x", id, writes).ok());
  }

  template <typename Export, typename Row>
  std::vector<Row> Rows() {
    std::vector<Row> rows;
    Export e(*ws_);
    Status s = e.run([&](const Row& r) {
      rows.push_back(r);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return rows;
  }

  fs::path dir_;
  std::unique_ptr<Workspace> ws_;
  store::SqliteDb* db_ = nullptr;
  IdentityRef ann_;
};

TEST_F(ExportsTest, ActsHaveOneRowPerPostWithItsFirstMentionsAct) {
  AddPost("2", 200, {{"Acme", listen::Act::kComplain}});
  AddPost("1", 100, {{"Acme", listen::Act::kEndorse}, {"Rival", listen::Act::kEndorse}});
  auto rows = Rows<ActsExport, PostActRow>();
  ASSERT_EQ(rows.size(), 2u);    // the post naming two brands is one row
  EXPECT_EQ(rows[0].id, "x:1");  // time order
  EXPECT_EQ(rows[0].brand, "Acme");
  EXPECT_EQ(rows[0].act, listen::Act::kEndorse);
  EXPECT_EQ(rows[0].author, ann_.person);
  EXPECT_EQ(rows[1].id, "x:2");
  EXPECT_EQ(rows[1].act, listen::Act::kComplain);
  EXPECT_EQ(ActsCsvHeader(), "id,time,author,brand,act,sentiment");
  EXPECT_EQ(ActsCsvRow(rows[1]), fmt::format("x:2,200,{},Acme,complain,neg", ann_.person));
  EXPECT_EQ(ActsJson(rows[0]).dump(), fmt::format(R"({{"id":"x:1","time":100,"author":{},"brand":"Acme",)"
                                                  R"("act":"endorse","sentiment":"pos"}})",
                                                  ann_.person));
}

TEST_F(ExportsTest, ActsStopAtTheSinksError) {
  AddPost("1", 100, {{"Acme", listen::Act::kEndorse}});
  AddPost("2", 200, {{"Acme", listen::Act::kEndorse}});
  int calls = 0;
  ActsExport e(*ws_);
  Status s = e.run([&](const PostActRow&) {
    ++calls;
    return Status::IoError("disk full");
  });
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(calls, 1);
}

TEST_F(ExportsTest, FlaggedSalesAreHeldRejectedOrHitByARule) {
  // Before the referral service ran there is nothing flagged, and the export creates no referral tables.
  EXPECT_TRUE((Rows<FlaggedSalesExport, FlaggedSaleRow>().empty()));
  EXPECT_EQ(*db_->ComponentVersion("refer"), 0);

  auto store = refer::SqliteReferralStore::Open(*db_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  refer::Program program;
  program.name = "p";
  program.destination_url = "https://shop.example/";
  auto program_id = (*store)->InsertProgram(program);
  ASSERT_TRUE(program_id.ok()) << program_id.status().ToString();
  refer::Advocate advocate;
  advocate.name = "Ann";
  advocate.email = advocate.email_canonical = "ann@example.com";
  advocate.person_id = ann_.person;
  auto advocate_id = (*store)->InsertAdvocate(advocate);
  ASSERT_TRUE(advocate_id.ok()) << advocate_id.status().ToString();
  auto commission = [&](std::optional<std::string> invoice, refer::CommissionStatus status) {
    refer::Commission c;
    c.program_id = *program_id;
    c.advocate_id = *advocate_id;
    c.invoice_id = std::move(invoice);
    c.amount = 500;
    c.currency = "USD";
    c.status = status;
    auto id = (*store)->InsertCommission(c);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return *id;
  };
  commission("INV-OK", refer::CommissionStatus::kApproved);
  commission("INV-HELD", refer::CommissionStatus::kHold);
  const int64_t hit = commission("INV-RULE", refer::CommissionStatus::kApproved);
  ASSERT_TRUE((*store)->InsertFraudHit(hit, {"too_soon", "2 s after the click"}, 1).ok());
  ASSERT_TRUE((*store)->InsertFraudHit(hit, {"too_soon", "again"}, 2).ok());
  commission("INV-HELD", refer::CommissionStatus::kRejected);  // a second commission of the same invoice
  commission(std::nullopt, refer::CommissionStatus::kHold);    // a lead reward: no invoice

  auto rows = Rows<FlaggedSalesExport, FlaggedSaleRow>();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].invoice_id, "INV-HELD");
  EXPECT_EQ(rows[0].statuses, (std::vector<std::string>{"hold", "rejected"}));
  EXPECT_TRUE(rows[0].rules.empty());
  EXPECT_EQ(rows[1].invoice_id, "INV-RULE");
  EXPECT_EQ(rows[1].statuses, (std::vector<std::string>{"approved"}));
  EXPECT_EQ(rows[1].rules, (std::vector<std::string>{"too_soon"}));
  EXPECT_EQ(FlaggedSalesCsvHeader(), "invoice_id,statuses,rules");
  EXPECT_EQ(FlaggedSalesCsvRow(rows[0]), "INV-HELD,hold;rejected,");
  EXPECT_EQ(FlaggedSalesJson(rows[1]).dump(),
            R"({"invoice_id":"INV-RULE","statuses":["approved"],"rules":["too_soon"]})");
}

}  // namespace
}  // namespace vouch::measure
