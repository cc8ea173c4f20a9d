// LocalTrust: t(u -> v) in [0, 1], how much u trusts v, with a confidence, from evidence of several kinds, each
// with its own weight and half-life.
//
// The model is the beta reputation system (A. Jøsang, R. Ismail, "The Beta Reputation System", Bled 2002), i.e.
// subjective logic's opinion from evidence counts. Every piece of evidence e about u -> v adds
//   positive mass  m_e * (1 + x_e) / 2     and     negative mass  m_e * (1 - x_e) / 2,
//   m_e = weight(kind) * 0.5 ^ (age_e / half_life(kind))
// where x_e in [-1, 1] is its sign and strength and age_e = now - time (future times count as age 0). With r and
// s the summed positive and negative masses, W the prior weight and a the base rate (the trust of a stranger):
//   t(u -> v)   = (r + W a) / (r + s + W)      (the expected value of Beta(r + W a, s + W (1 - a)))
//   confidence  = (r + s) / (r + s + W)        (1 - subjective logic's uncertainty)
//
// Kinds of evidence, each a separate input (LocalTrustInputs) with its own EvidenceParams:
//   rating       explicit ratings, x = the rating on [-1, 1] (a RatingGraph: repeated ratings are already merged)
//   reply        u replied to v; x = the tone in [-1, 1] (+1 when unknown)
//   mention      u mentioned v; x as for reply
//   reshare      u reshared v's post; x as for reply
//   reciprocity  derived, never an input: when u and v interact both ways, each direction gains positive mass
//                weight * min(I(u->v), I(v->u)), I the decayed number of replies, mentions and reshares one way
//   kept         u bought through v's referral and kept it (no refund, no complaint): strong positive, x = +1
//   refund       u refunded a purchase made on v's word: x = -1
//   complaint    u complained after acting on v's word: x = -1
//
// Results: for every rated pair an entry aligned with the rating graph's edge ids (so trust of a 10-million-edge
// graph costs two floats per edge), and for pairs with other evidence only a list sorted by (truster, trustee).
//
// Thread safety: Run() is parallel over truster; getters are thread safe after Run().
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vouch/trust/algorithm.h"
#include "vouch/trust/rating_graph.h"

namespace vouch::trust {

enum class EvidenceKind : uint8_t {
  kRating,
  kReply,
  kMention,
  kReshare,
  kReciprocity,
  kKept,
  kRefund,
  kComplaint
};
inline constexpr size_t kEvidenceKinds = 8;
std::string_view EvidenceKindName(EvidenceKind kind);  // "rating", "reply", ...
std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name);

struct EvidenceParams {
  double weight = 1;          // mass of one fresh, full-strength piece of evidence
  double half_life_days = 0;  // <= 0: no decay
};

struct LocalTrustParams {
  // Indexed by EvidenceKind. Defaults: an outcome (money spent and kept, or lost) weighs three ratings and is
  // remembered for two years; a rating one year; interactions are weak and fade in half a year.
  std::array<EvidenceParams, kEvidenceKinds> kinds = {{
      {1.0, 365},  // rating
      {0.2, 180},  // reply
      {0.1, 180},  // mention
      {0.3, 180},  // reshare
      {0.5, 180},  // reciprocity
      {3.0, 730},  // kept
      {3.0, 730},  // refund
      {3.0, 730},  // complaint
  }};
  double prior_weight = 2.0;  // W
  double base_rate = 0.5;     // a
  EvidenceParams& operator[](EvidenceKind k) { return kinds[static_cast<size_t>(k)]; }
  const EvidenceParams& operator[](EvidenceKind k) const { return kinds[static_cast<size_t>(k)]; }
};

// u replied to, mentioned or reshared v.
struct Interaction {
  NodeId from = 0, to = 0;
  int64_t time = 0;   // epoch seconds
  float tone = 1.0f;  // [-1, 1]; +1 when unknown
};

// customer acted on referrer's recommendation (bought through the referral).
struct Outcome {
  NodeId customer = 0, referrer = 0;
  int64_t time = 0;
};

// Each kind is its own input; all may be empty. Spans must outlive Run().
struct LocalTrustInputs {
  const RatingGraph* ratings = nullptr;
  std::span<const Interaction> replies, mentions, reshares;
  std::span<const Outcome> kept, refunds, complaints;
};

struct PairTrust {
  NodeId truster = 0, trustee = 0;
  float trust = 0.5f;                // t(truster -> trustee) in [0, 1]
  float confidence = 0;              // in [0, 1)
  float positive = 0, negative = 0;  // r and s
};

class LocalTrust final : public TrustAlgorithm {
 public:
  // node_count: people ids are below it (the rating graph's node count when there is one). now: epoch seconds
  // that ages are measured from (from vouch::Clock).
  LocalTrust(LocalTrustInputs inputs, NodeId node_count, int64_t now, LocalTrustParams params = {});
  Status Run(const RunControl& control = {}) override;

  // t and confidence of every rated pair, indexed by the rating graph's edge id.
  Result<std::span<const float>> rated_trust() const { return Checked(rated_trust_); }
  Result<std::span<const float>> rated_confidence() const { return Checked(rated_confidence_); }
  // Pairs with evidence but no rating, sorted by (truster, trustee).
  Result<std::span<const PairTrust>> other_pairs() const { return Checked(other_); }
  // Any pair; a pair with no evidence gets the base rate and confidence 0.
  Result<PairTrust> Trust(NodeId truster, NodeId trustee) const;

 private:
  double Decay(EvidenceKind kind, int64_t time) const;
  PairTrust Finish(NodeId u, NodeId v, double r, double s) const;

  LocalTrustInputs inputs_;
  NodeId node_count_;
  int64_t now_;
  LocalTrustParams params_;
  std::vector<float> rated_trust_, rated_confidence_;
  std::vector<PairTrust> other_;
};

}  // namespace vouch::trust
