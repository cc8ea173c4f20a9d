#include "vouch/trust/workspace_evidence.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

#include <fmt/format.h>

#include "vouch/graph/graph_loader.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/trust/graph_trust.h"
#include "vouch/trust/trust_store.h"

namespace vouch::trust {
// Named rather than anonymous: the unity build of the tests puts this file beside others with helpers of the same name.
namespace workspace_evidence_test {

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1'700'000'000;

// A workspace with four people, one rating (so that reputation has something to work on), and helpers to add
// posts, mentions, orders and the referral service's rows.
class WorkspaceEvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(":memory:", true, clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    for (const char* n : {"alice", "bob", "carol", "dave"}) {
      auto ref = store_->ResolveIdentity({IdentityKind::kHandle, "generic", n}, n);
      ASSERT_TRUE(ref.ok());
      ids_[n] = ref->identity;
      people_[n] = ref->person;
    }
    Rating r{"dave", "alice", 5, 0.5, kNow - 10 * kDay};
    ASSERT_TRUE(store_->InsertRating(r, ids_["dave"], ids_["alice"]).ok());
  }
  store::SqliteDb& db() { return store_->db(); }
  void Exec(const std::string& sql) { ASSERT_TRUE(db().Exec(sql).ok()) << sql; }

  int64_t AddPost(const std::string& id, const std::string& author, int64_t time,
                  std::vector<std::string> mentions = {}) {
    Post p;
    p.platform = "generic";
    p.id = id;
    p.author = author;
    p.time = time;
    p.text = "text";
    p.mentions = std::move(mentions);
    EXPECT_TRUE(store_->InsertPost(p, ids_[author]).ok());
    auto q = db().Prepare("SELECT id FROM posts WHERE external_id = ?1");
    EXPECT_TRUE(q.ok());
    (*q)->Bind(1, id);
    EXPECT_TRUE(*(*q)->Step());
    int64_t row = (*q)->Int(0);
    (*q)->Reset();
    return row;
  }
  void AddMention(int64_t post_row, const std::string& brand, const std::string& act, int begin = 0) {
    Exec(fmt::format("INSERT INTO mentions (post_id, brand, term, span_begin, span_end, act, act_confidence, "
                     "sentiment, sentiment_score) VALUES ({}, '{}', '{}', {}, {}, '{}', 0.9, 'neu', 0)",
                     post_row, brand, brand, begin, begin + 3, act));
  }
  void AddOrder(const std::string& id, const std::string& customer, int64_t time, const std::string& code) {
    Order o;
    o.order_id = id;
    o.customer_id = customer;
    o.amount_minor = 1000;
    o.currency = "USD";
    o.time = time;
    o.referral_code = code;
    ASSERT_TRUE(store_->InsertOrder(o, ids_[customer]).ok());
  }
  // The referral service's tables, as far as workspace_evidence.h reads them (src/refer/refer_schema.h).
  void AddReferralTables() {
    Exec("CREATE TABLE refer_advocates (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL);"
         "CREATE TABLE refer_links (id INTEGER PRIMARY KEY, code TEXT NOT NULL, advocate_id INTEGER NOT NULL);"
         "CREATE TABLE refer_sales (id INTEGER PRIMARY KEY, invoice_id TEXT NOT NULL, customer_id INTEGER, "
         "amount INTEGER, at INTEGER NOT NULL, lead_id INTEGER, refunded INTEGER NOT NULL DEFAULT 0);"
         "CREATE TABLE refer_refunds (id INTEGER PRIMARY KEY, sale_id INTEGER NOT NULL, at INTEGER NOT NULL);");
    Exec(fmt::format("INSERT INTO refer_advocates VALUES (1, {}), (2, {})", people_["alice"], people_["bob"]));
    Exec("INSERT INTO refer_links VALUES (1, 'ALICE1', 1), (2, 'BOB2', 2)");
  }
  const PairTrustRow* Pair(const TrustComputation& c, const std::string& a, const std::string& b) {
    for (const auto& p : c.pairs) {
      if (p.truster == people_[a] && p.trustee == people_[b]) return &p;
    }
    return nullptr;
  }

  FakeClock clock_{kNow * 1000};
  std::unique_ptr<SqliteStore> store_;
  std::map<std::string, IdentityId> ids_;
  std::map<std::string, PersonId> people_;
};

TEST_F(WorkspaceEvidenceTest, MentionsOfPeopleAreInteractions) {
  // Handles are matched after normalisation; unknown handles and self-mentions are not evidence; a person
  // mentioned twice in one post counts once.
  AddPost("p1", "carol", kNow - kDay, {"Alice", "alice", "nobody", "carol"});
  auto ev = ReadWorkspaceEvidence(*store_, &db());
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  ASSERT_EQ(ev->mentions.size(), 1u);
  EXPECT_EQ(ev->mentions[0].from, people_["carol"]);
  EXPECT_EQ(ev->mentions[0].to, people_["alice"]);
  EXPECT_EQ(ev->unresolved_mentions, 1);
  auto c = ComputeWorkspaceTrust(*store_, clock_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->evidence.mentions, 1);
  const PairTrustRow* p = Pair(*c, "carol", "alice");
  ASSERT_NE(p, nullptr);
  EXPECT_GT(p->trust, 0.5);
  EXPECT_GT(p->confidence, 0.0);
}

TEST_F(WorkspaceEvidenceTest, ReferredPurchasesAreKeptRefundedOrComplainedAbout) {
  AddReferralTables();
  AddOrder("o1", "dave", kNow - 30 * kDay, "alice1");  // codes match whatever their case: kept
  AddOrder("o2", "dave", kNow - 30 * kDay, "BOB2");     // refunded
  Exec("INSERT INTO refer_sales (id, invoice_id, at) VALUES (1, 'o2', 0)");
  Exec(fmt::format("INSERT INTO refer_refunds VALUES (1, 1, {})", kNow - 20 * kDay));
  AddOrder("o3", "carol", kNow - 30 * kDay, "BOB2");  // a complaint 10 days later
  AddMention(AddPost("c1", "carol", kNow - 20 * kDay), "Nimbus", "complain");
  AddOrder("o4", "alice", kNow - 30 * kDay, "ALICE1");   // self-referral: no evidence
  AddOrder("o5", "dave", kNow - 30 * kDay, "NOBODY9");   // nobody's code
  auto ev = ReadWorkspaceEvidence(*store_, &db());
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_TRUE(ev->referral_tables);
  EXPECT_EQ(ev->unresolved_codes, 1);
  ASSERT_EQ(ev->kept.size(), 1u);
  EXPECT_EQ(ev->kept[0].customer, people_["dave"]);
  EXPECT_EQ(ev->kept[0].referrer, people_["alice"]);
  ASSERT_EQ(ev->refunds.size(), 1u);
  EXPECT_EQ(ev->refunds[0].customer, people_["dave"]);
  EXPECT_EQ(ev->refunds[0].time, kNow - 20 * kDay);
  ASSERT_EQ(ev->complaints.size(), 1u);
  EXPECT_EQ(ev->complaints[0].customer, people_["carol"]);
  EXPECT_EQ(ev->complaints[0].referrer, people_["bob"]);

  auto c = ComputeWorkspaceTrust(*store_, clock_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->evidence.kept, 1);
  EXPECT_EQ(c->evidence.refunds, 1);
  EXPECT_EQ(c->evidence.complaints, 1);
  const PairTrustRow* kept = Pair(*c, "dave", "alice");
  const PairTrustRow* refunded = Pair(*c, "dave", "bob");
  const PairTrustRow* complained = Pair(*c, "carol", "bob");
  ASSERT_TRUE(kept && refunded && complained);
  // An outcome weighs three ratings: one kept purchase is strong trust, a refund or a complaint strong distrust.
  EXPECT_GT(kept->trust, 0.75);
  EXPECT_LT(refunded->trust, 0.25);
  EXPECT_LT(complained->trust, 0.25);
  EXPECT_EQ(Pair(*c, "alice", "alice"), nullptr);
}

TEST_F(WorkspaceEvidenceTest, ComplaintsLongAfterThePurchaseDoNotUndoIt) {
  AddReferralTables();
  AddOrder("o1", "carol", kNow - 400 * kDay, "ALICE1");
  AddMention(AddPost("c1", "carol", kNow - 10 * kDay), "Nimbus", "complain");  // 390 days later
  auto ev = ReadWorkspaceEvidence(*store_, &db());
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->kept.size(), 1u);
  EXPECT_TRUE(ev->complaints.empty());
}

TEST_F(WorkspaceEvidenceTest, CodesNeedTheReferralLinks) {
  AddOrder("o1", "carol", kNow - 30 * kDay, "ALICE1");
  auto ev = ReadWorkspaceEvidence(*store_, &db());
  ASSERT_TRUE(ev.ok());
  EXPECT_FALSE(ev->referral_tables);
  EXPECT_EQ(ev->unresolved_codes, 1);
  EXPECT_TRUE(ev->kept.empty());
}

TEST_F(WorkspaceEvidenceTest, OutcomesDecay) {
  // The same kept purchase, two years ago (one half-life of outcomes) and yesterday: the old one weighs half.
  AddReferralTables();
  AddOrder("o1", "carol", kNow - 730 * kDay, "ALICE1");
  AddOrder("o2", "dave", kNow - kDay, "ALICE1");
  auto c = ComputeWorkspaceTrust(*store_, clock_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const PairTrustRow* old_one = Pair(*c, "carol", "alice");
  const PairTrustRow* fresh = Pair(*c, "dave", "alice");
  ASSERT_TRUE(old_one && fresh);
  // Beta evidence with prior weight 2: mass 1.5 gives confidence 1.5/3.5; mass ~3 (+ dave's rating) more.
  EXPECT_NEAR(old_one->confidence, 1.5 / 3.5, 1e-3);
  EXPECT_GT(fresh->confidence, 3.0 / 5.0);
  EXPECT_LT(old_one->trust, fresh->trust);
}

TEST_F(WorkspaceEvidenceTest, MentionActsCountEndorsementsAndComplaintsPerPerson) {
  auto empty = ReadMentionActs(db());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  int64_t p1 = AddPost("p1", "alice", kNow);
  AddMention(p1, "Nimbus", "endorse", 0);
  AddMention(p1, "Brewlux", "endorse", 10);
  AddMention(AddPost("p2", "alice", kNow), "Nimbus", "complain");
  AddMention(AddPost("p3", "bob", kNow), "Nimbus", "share");
  auto all = ReadMentionActs(db());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);  // bob only shared
  EXPECT_EQ((*all)[people_["alice"]].endorsements, 2);
  EXPECT_EQ((*all)[people_["alice"]].complaints, 1);
  auto nimbus = ReadMentionActs(db(), "Nimbus");
  ASSERT_TRUE(nimbus.ok());
  EXPECT_EQ((*nimbus)[people_["alice"]].endorsements, 1);
}

TEST_F(WorkspaceEvidenceTest, GraphTrustIsTheListenersTrustInTheSpeaker) {
  // carol kept a purchase on alice's word; bob is rated by nobody; "zed" is in the graph but not the workspace.
  AddReferralTables();
  AddOrder("o1", "carol", kNow - kDay, "ALICE1");
  auto c = ComputeWorkspaceTrust(*store_, clock_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto ts = SqliteTrustStore::Open(db());
  ASSERT_TRUE(ts.ok());
  ASSERT_TRUE((*ts)->Replace(*c).ok());
  auto dir = std::filesystem::temp_directory_path() / ("vouch_graph_trust_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    // u v: u's word reaches v.
    std::ofstream(dir / "g.txt") << "alice carol\nalice dave\nalice bob\nbob carol\nzed carol\n";
  }
  graph::GraphLoadOptions load;
  load.read_cache = load.write_cache = false;
  auto g = graph::LoadGraph(dir / "g.txt", load);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  auto gt = ReadGraphTrust(*g, *store_, **ts, "generic");
  ASSERT_TRUE(gt.ok()) << gt.status().ToString();
  EXPECT_EQ(gt->nodes_without_person, 1u);
  auto arc = [&](const std::string& u, const std::string& v) {
    auto un = g->FindNode(u), vn = g->FindNode(v);
    const auto& a = g->arrays();
    for (uint64_t e = a.in_offsets[*vn]; e < a.in_offsets[*vn + 1]; ++e) {
      if (a.in_sources[e] == *un) return gt->in_trust[e];
    }
    ADD_FAILURE() << u << " -> " << v << " not found";
    return -1.0f;
  };
  const PairTrustRow* carol_alice = Pair(*c, "carol", "alice");
  ASSERT_NE(carol_alice, nullptr);
  EXPECT_FLOAT_EQ(arc("alice", "carol"), static_cast<float>(carol_alice->trust));  // local trust
  double alice_rep = 0;
  for (const auto& p : c->people) {
    if (p.person == people_["alice"]) alice_rep = p.reputation;
  }
  EXPECT_FLOAT_EQ(arc("alice", "dave"), static_cast<float>(Pair(*c, "dave", "alice")->trust));  // a rating
  EXPECT_FLOAT_EQ(arc("alice", "bob"), static_cast<float>(0.5 * (1 + alice_rep)));  // no evidence: reputation
  EXPECT_FLOAT_EQ(arc("bob", "carol"), kStrangerTrust);  // bob has no trust results at all
  EXPECT_FLOAT_EQ(arc("zed", "carol"), kStrangerTrust);  // zed is nobody in the workspace
  EXPECT_EQ(gt->from_local, 2u);
  EXPECT_EQ(gt->from_reputation, 1u);
  EXPECT_EQ(gt->from_prior, 2u);
}

}  // namespace workspace_evidence_test
}  // namespace vouch::trust
