// Each kind of evidence on its own, time decay, reciprocity, and the merge of ratings with other evidence.
#include "vouch/trust/local_trust.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vouch::trust {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1000 * kDay;

// Trust of 0 -> 1 given only inputs (over 3 people).
PairTrust Only(const LocalTrustInputs& in, const LocalTrustParams& params = {}) {
  LocalTrust lt(in, 3, kNow, params);
  EXPECT_TRUE(lt.Run().ok());
  return *lt.Trust(0, 1);
}

TEST(LocalTrustTest, NoEvidenceIsTheBaseRateWithNoConfidence) {
  PairTrust p = Only({});
  EXPECT_FLOAT_EQ(p.trust, 0.5f);
  EXPECT_FLOAT_EQ(p.confidence, 0.0f);
  LocalTrust lt({}, 3, kNow);
  EXPECT_EQ(lt.Trust(0, 1).status().code(), StatusCode::kFailedPrecondition);
}

TEST(LocalTrustTest, ExplicitRating) {
  RatingEdges e;
  e.Add(0, 1, 0.5f, kNow);
  RatingGraph g = *RatingGraph::Build(std::move(e), 3);
  LocalTrustInputs in;
  in.ratings = &g;
  PairTrust p = Only(in);
  // r = 0.75, s = 0.25, W = 2: t = (0.75 + 1) / 3, confidence = 1 / 3.
  EXPECT_NEAR(p.trust, 1.75 / 3, 1e-6);
  EXPECT_NEAR(p.confidence, 1.0 / 3, 1e-6);
  EXPECT_NEAR(p.positive, 0.75, 1e-5);
  LocalTrust lt(in, 3, kNow);
  ASSERT_TRUE(lt.Run().ok());
  EXPECT_NEAR((*lt.rated_trust())[0], 1.75 / 3, 1e-6);
}

TEST(LocalTrustTest, EachInteractionKindIsPositiveAndWeighedOnItsOwn) {
  const Interaction one[] = {{0, 1, kNow, 1.0f}};
  LocalTrustInputs reply, mention, reshare;
  reply.replies = one;
  mention.mentions = one;
  reshare.reshares = one;
  const PairTrust r = Only(reply), m = Only(mention), s = Only(reshare);
  EXPECT_GT(r.trust, 0.5f);
  EXPECT_GT(m.trust, 0.5f);
  EXPECT_GT(s.trust, 0.5f);
  // Default weights: reshare 0.3 > reply 0.2 > mention 0.1.
  EXPECT_GT(s.trust, r.trust);
  EXPECT_GT(r.trust, m.trust);
  EXPECT_NEAR(r.positive, 0.2, 1e-6);
  // A weight of zero switches a kind off.
  LocalTrustParams off;
  off[EvidenceKind::kReply].weight = 0;
  EXPECT_FLOAT_EQ(Only(reply, off).confidence, 0.0f);
  // A hostile reply (tone -1) is negative evidence.
  const Interaction hostile[] = {{0, 1, kNow, -1.0f}};
  LocalTrustInputs h;
  h.replies = hostile;
  EXPECT_LT(Only(h).trust, 0.5f);
}

TEST(LocalTrustTest, ReciprocityNeedsBothDirections) {
  const Interaction one_way[] = {{0, 1, kNow, 1.0f}};
  const Interaction both_ways[] = {{0, 1, kNow, 1.0f}, {1, 0, kNow, 1.0f}};
  LocalTrustInputs a, b;
  a.replies = one_way;
  b.replies = both_ways;
  const PairTrust pa = Only(a), pb = Only(b);
  // 0.2 (the reply) + 0.5 * min(1, 1) (reciprocity).
  EXPECT_NEAR(pb.positive, 0.7, 1e-6);
  EXPECT_NEAR(pa.positive, 0.2, 1e-6);
  LocalTrustParams no_reciprocity;
  no_reciprocity[EvidenceKind::kReciprocity].weight = 0;
  EXPECT_NEAR(Only(b, no_reciprocity).positive, 0.2, 1e-6);
}

TEST(LocalTrustTest, OutcomesAreStrong) {
  const Outcome bought[] = {{0, 1, kNow}};
  LocalTrustInputs kept, refund, complaint;
  kept.kept = bought;
  refund.refunds = bought;
  complaint.complaints = bought;
  const PairTrust k = Only(kept), r = Only(refund), c = Only(complaint);
  EXPECT_NEAR(k.trust, (3.0 + 1.0) / 5.0, 1e-6);  // r = 3: (3 + 2 * 0.5) / (3 + 2)
  EXPECT_NEAR(r.trust, 1.0 / 5.0, 1e-6);
  EXPECT_NEAR(c.trust, 1.0 / 5.0, 1e-6);
  EXPECT_NEAR(k.confidence, 0.6, 1e-6);
  // A kept purchase outweighs a reshare; a refund outweighs a reshare.
  const Interaction share[] = {{0, 1, kNow, 1.0f}};
  LocalTrustInputs mixed;
  mixed.reshares = share;
  mixed.refunds = bought;
  EXPECT_LT(Only(mixed).trust, 0.5f);
}

TEST(LocalTrustTest, EvidenceDecaysWithItsOwnHalfLife) {
  const Outcome fresh[] = {{0, 1, kNow}};
  const Outcome old[] = {{0, 1, kNow - 730 * kDay}};  // one half-life of kept
  const Outcome older[] = {{0, 1, kNow - 2 * 730 * kDay}};
  LocalTrustInputs a, b, c;
  a.kept = fresh;
  b.kept = old;
  c.kept = older;
  EXPECT_NEAR(Only(a).positive, 3.0, 1e-5);
  EXPECT_NEAR(Only(b).positive, 1.5, 1e-5);
  EXPECT_NEAR(Only(c).positive, 0.75, 1e-5);
  // Interactions fade faster (180 days) than outcomes: the same age halves a reply once per 180 days.
  const Interaction reply[] = {{0, 1, kNow - 180 * kDay, 1.0f}};
  LocalTrustInputs d;
  d.replies = reply;
  EXPECT_NEAR(Only(d).positive, 0.1, 1e-6);
  // Ratings decay too (365 days).
  RatingEdges e;
  e.Add(0, 1, 1.0f, kNow - 365 * kDay);
  RatingGraph g = *RatingGraph::Build(std::move(e), 3);
  LocalTrustInputs rated;
  rated.ratings = &g;
  EXPECT_NEAR(Only(rated).positive, 0.5, 1e-5);
  // No decay when the half-life is 0; future evidence counts as fresh.
  LocalTrustParams keep;
  keep[EvidenceKind::kKept].half_life_days = 0;
  EXPECT_NEAR(Only(c, keep).positive, 3.0, 1e-5);
  const Outcome future[] = {{0, 1, kNow + 10 * kDay}};
  LocalTrustInputs f;
  f.kept = future;
  EXPECT_NEAR(Only(f).positive, 3.0, 1e-5);
}

TEST(LocalTrustTest, RatingsAndOtherEvidenceMergeOnTheSamePair) {
  RatingEdges e;
  e.Add(0, 1, 1.0f, kNow);
  e.Add(1, 2, 1.0f, kNow);
  RatingGraph g = *RatingGraph::Build(std::move(e), 3);
  const Outcome refunded[] = {{0, 1, kNow}, {2, 0, kNow}};
  LocalTrustInputs in;
  in.ratings = &g;
  in.refunds = refunded;
  LocalTrust lt(in, 3, kNow);
  ASSERT_TRUE(lt.Run().ok());
  PairTrust p = *lt.Trust(0, 1);
  EXPECT_NEAR(p.positive, 1.0, 1e-4);
  EXPECT_NEAR(p.negative, 3.0, 1e-4);
  ASSERT_EQ(lt.other_pairs()->size(), 1u);  // 2 -> 0 has no rating
  EXPECT_EQ((*lt.other_pairs())[0].truster, 2u);
  EXPECT_LT(lt.Trust(2, 0)->trust, 0.5f);
}

TEST(LocalTrustTest, RejectsPeopleBeyondTheCount) {
  const Interaction bad[] = {{0, 7, kNow, 1.0f}};
  LocalTrustInputs in;
  in.mentions = bad;
  LocalTrust lt(in, 3, kNow);
  Status s = lt.Run();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("mention 0"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace vouch::trust
