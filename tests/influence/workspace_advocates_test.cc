#include "vouch/influence/workspace_advocates.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "influence/test_graphs.h"
#include "vouch/core/clock.h"
#include "vouch/listen/mention_store.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/trust/trust_store.h"

namespace vouch::influence {
namespace {

constexpr int64_t kNow = 1'700'000'000;

// Six people whose handles on "generic" are the graph's node ids. Node 0 is a hub (its word reaches four people),
// node 5 reaches one person, node 4 one more: with every person a candidate the hub is the best single advocate.
class WorkspaceAdvocatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(":memory:", true, clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    for (int n = 0; n < 6; ++n) {
      const std::string handle = std::to_string(n);
      auto ref = store_->ResolveIdentity({IdentityKind::kHandle, "generic", handle}, "Person " + handle);
      ASSERT_TRUE(ref.ok()) << ref.status().ToString();
      identity_[n] = ref->identity;
      person_[n] = ref->person;
    }
  }

  // A first-hand act of person n about brand, in a post of theirs.
  void AddAct(int n, const std::string& brand, listen::Act act) {
    Post p;
    p.platform = "generic";
    p.id = "post" + std::to_string(++posts_);
    p.author = std::to_string(n);
    p.time = kNow - 3600;
    p.text = "about " + brand;
    ASSERT_TRUE(store_->InsertPost(p, identity_[n]).ok());
    listen::MentionWrite m;
    m.brand = m.term = brand;
    m.begin = 6;
    m.end = static_cast<uint32_t>(6 + brand.size());
    m.act = act;
    listen::SqliteMentionStore mentions(store_->db());
    auto added = mentions.InsertForPost(p.platform, p.id, {m});
    ASSERT_TRUE(added.ok()) << added.status().ToString();
  }

  WorkspaceAdvocatesOptions Options(uint32_t k, const std::string& weights = "uniform:1") {
    WorkspaceAdvocatesOptions o;
    o.workspace = "ws";
    o.platform = "generic";
    o.weights = *graph::WeightScheme::Parse(weights);
    o.maximizer.k = k;
    o.maximizer.epsilon = 0.3;
    o.maximizer.threads = 1;
    return o;
  }

  Result<std::vector<Advocate>> Run(WorkspaceAdvocatesOptions options, std::string* note = nullptr) {
    WorkspaceAdvocates run(*store_, store_->db(), graph_, std::move(options));
    VOUCH_TRY(run.run());
    if (note != nullptr) *note = run.candidates_note();
    evidence_ = run.evidence();
    return run.advocates();
  }

  FakeClock clock_{kNow * 1000};
  std::unique_ptr<SqliteStore> store_;
  std::map<int, IdentityId> identity_;
  std::map<int, PersonId> person_;
  int posts_ = 0;
  graph::Graph graph_ = test::MakeGraph({{0, 1}, {0, 2}, {0, 3}, {0, 4}, {5, 1}, {4, 2}});
  WorkspaceAdvocatesEvidence evidence_;
};

TEST_F(WorkspaceAdvocatesTest, ChoosesAmongFirstHandEndorsersWithTheirWhy) {
  AddAct(5, "Nimbus", listen::Act::kEndorse);
  AddAct(5, "Nimbus", listen::Act::kComplain);
  AddAct(3, "Nimbus", listen::Act::kComplain);  // complaining makes nobody an advocate
  std::string note;
  auto advocates = Run(Options(1), &note);
  ASSERT_TRUE(advocates.ok()) << advocates.status().ToString();
  ASSERT_EQ(advocates->size(), 1u);
  const Advocate& a = advocates->front();
  EXPECT_EQ(a.handle, "5");
  EXPECT_EQ(a.person, person_[5]);
  EXPECT_EQ(a.name, "Person 5");
  EXPECT_EQ(a.endorsements, 1);
  EXPECT_EQ(a.complaints, 1);
  EXPECT_EQ(a.listeners, 1u);
  EXPECT_GT(a.marginal_spread, 0);
  // No trust computed: reputation and listeners' trust are unknown, not zero.
  EXPECT_FALSE(a.reputation.has_value());
  EXPECT_FALSE(a.listener_trust.has_value());
  EXPECT_FALSE(evidence_.trust_computed);
  EXPECT_EQ(evidence_.nodes_without_person, 0u);
  EXPECT_EQ(note, "candidates: the 1 people in the graph with first-hand endorsements");
}

TEST_F(WorkspaceAdvocatesTest, AllPeopleLetsTheHubBeChosen) {
  AddAct(5, "Nimbus", listen::Act::kEndorse);
  auto options = Options(1);
  options.all_people = true;
  std::string note;
  auto advocates = Run(std::move(options), &note);
  ASSERT_TRUE(advocates.ok()) << advocates.status().ToString();
  ASSERT_EQ(advocates->size(), 1u);
  EXPECT_EQ(advocates->front().handle, "0");
  EXPECT_EQ(advocates->front().listeners, 4u);
  EXPECT_EQ(advocates->front().endorsements, 0);
  EXPECT_EQ(note, "--all-people: every person is a candidate");
}

TEST_F(WorkspaceAdvocatesTest, EverybodyIsACandidateWithoutEndorsements) {
  std::string note;
  auto advocates = Run(Options(1), &note);
  ASSERT_TRUE(advocates.ok()) << advocates.status().ToString();
  EXPECT_EQ(advocates->front().handle, "0");
  EXPECT_NE(note.find("no endorsements"), std::string::npos) << note;

  // Only complaints about the brand: acts are stored, but nobody endorsed it.
  AddAct(5, "Nimbus", listen::Act::kComplain);
  AddAct(4, "Other", listen::Act::kEndorse);
  auto options = Options(1);
  options.brand = "Nimbus";
  advocates = Run(std::move(options), &note);
  ASSERT_TRUE(advocates.ok()) << advocates.status().ToString();
  EXPECT_EQ(advocates->front().handle, "0");
  EXPECT_EQ(note, "nobody in the graph has endorsed Nimbus first-hand: every person is a candidate");
}

TEST_F(WorkspaceAdvocatesTest, CallersCandidatesReplaceTheEndorsers) {
  AddAct(5, "Nimbus", listen::Act::kEndorse);
  auto options = Options(1);
  options.maximizer.candidates = {4};
  std::string note = "unset";
  auto advocates = Run(std::move(options), &note);
  ASSERT_TRUE(advocates.ok()) << advocates.status().ToString();
  EXPECT_EQ(advocates->front().handle, "4");
  EXPECT_EQ(note, "");
}

TEST_F(WorkspaceAdvocatesTest, RefusesWhatItCannotAnswer) {
  // Trust weights and the word-of-mouth model need `vouch trust compute` first.
  auto advocates = Run(Options(1, "trust"));
  ASSERT_FALSE(advocates.ok());
  EXPECT_EQ(advocates.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(advocates.status().message().find("vouch trust compute --workspace ws"), std::string::npos);
  auto wom = Options(1);
  wom.model = DiffusionModelKind::kWordOfMouth;
  EXPECT_FALSE(Run(std::move(wom)).ok());
  // A graph of handles on another platform names nobody.
  auto elsewhere = Options(1);
  elsewhere.platform = "x";
  advocates = Run(std::move(elsewhere));
  ASSERT_FALSE(advocates.ok());
  EXPECT_NE(advocates.status().message().find("another platform"), std::string::npos)
      << advocates.status().ToString();
}

TEST_F(WorkspaceAdvocatesTest, ComputedTrustGivesReputationAndListenersTrust) {
  // Person 1 rates person 5 highly: 5 gets a reputation, and 1 (5's only listener) trusts 5 above a stranger.
  Rating r{"1", "5", 10, 1.0, kNow - 86400};
  ASSERT_TRUE(store_->InsertRating(r, identity_[1], identity_[5]).ok());
  auto computed = trust::ComputeWorkspaceTrust(*store_, clock_);
  ASSERT_TRUE(computed.ok()) << computed.status().ToString();
  auto ts = trust::SqliteTrustStore::Open(store_->db());
  ASSERT_TRUE(ts.ok());
  ASSERT_TRUE((*ts)->Replace(*computed).ok());
  AddAct(5, "Nimbus", listen::Act::kEndorse);

  auto advocates = Run(Options(1, "trust"));
  ASSERT_TRUE(advocates.ok()) << advocates.status().ToString();
  const Advocate& a = advocates->front();
  EXPECT_EQ(a.handle, "5");
  EXPECT_TRUE(evidence_.trust_computed);
  EXPECT_EQ(evidence_.arcs_from_local_trust + evidence_.arcs_from_reputation + evidence_.arcs_from_prior,
            graph_.num_edges());
  // Known (the computation saw 5), though one rater is too few to move it far from 0.
  ASSERT_TRUE(a.reputation.has_value());
  EXPECT_GE(*a.reputation, 0);
  EXPECT_EQ(a.ratings_received, 1);
  ASSERT_TRUE(a.listener_trust.has_value());
  EXPECT_GT(*a.listener_trust, 0.5);  // above the stranger's prior
  EXPECT_LE(*a.listener_trust, 1.0);
}

}  // namespace
}  // namespace vouch::influence
