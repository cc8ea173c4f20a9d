// CampaignSimulator: what a campaign would earn, by Monte Carlo simulation over the social graph, with the
// strategies side by side on the same budget (docs/models.md, "Campaigns"):
//
//   share  The brand hands a deal (a discount off the list price) to the people with the largest audiences, paying
//          each the same incentive, and they post it. A deal travels by sharing: whoever hears it passes it on
//          with the share probability s, and each person who hears it redeems it with the deal conversion rate c,
//          whoever they heard it from (a deal moves deal-seekers, not through trust). Buyers pay the discounted
//          price.
//   wom    The same budget pays advocates chosen for their word-of-mouth reach (OPIM-C under the word-of-mouth
//          model, or a given seed set). They endorse; listeners adopt in proportion to their trust in the speaker
//          and endorse in turn; people who heard but did not adopt share, which makes others aware but sells
//          nothing (diffusion_model.h). Buyers pay the list price; the advocate may earn a commission per sale.
//
// Seeds are not counted as buyers: they are the people the budget paid. Money is integer minor units per run
// (a commission is rounded down to the minor unit per sale, as refer/rewards.h does); means and intervals over
// runs are reported in minor units as real numbers because an expectation is not a whole number of cents.
//
// Inputs in the constructor, work in run(), results through outcomes() once run() succeeded. Runs are split into
// fixed blocks with their own random streams, so results depend on the seed and the number of runs, not on the
// number of threads. Cancellable between blocks; reports progress in runs. The model and its graph must outlive
// the simulator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/influence/diffusion_model.h"
#include "vouch/influence/spread_estimator.h"

namespace vouch::influence {

enum class CampaignStrategy { kShare, kWordOfMouth };
const char* CampaignStrategyName(CampaignStrategy strategy);  // "share", "wom"

// The money side of a campaign. Amounts in minor units of currency; rates are fractions in [0, 1].
struct CampaignEconomics {
  std::string currency = "USD";
  int64_t price = 0;             // list price of one sale
  double margin = 0.3;           // gross margin as a fraction of the list price (before any discount)
  double deal_discount = 0.2;    // share: the deal's discount off the list price
  double deal_conversion = 0.02; // share: chance that a person who hears of the deal redeems it
  int64_t incentive = 0;         // paid to each seed (sharer or advocate) for taking part
  double commission = 0;         // wom: fraction of each referred sale paid to the advocates
  Status Validate() const;       // InvalidArgument naming the field that is out of range
};

// One strategy to simulate: who the budget pays, and how they talk.
struct CampaignPlan {
  CampaignStrategy strategy = CampaignStrategy::kWordOfMouth;
  std::vector<NodeId> seeds;
};

struct CampaignOptions {
  uint64_t runs = 10000;
  int threads = 0;  // 0: all cores
  uint64_t seed = 1;
  double confidence = 0.95;  // of the intervals: 0.90, 0.95 or 0.99
};

// Per strategy, each figure the mean over runs with its interval (spread_estimator.h's Interval).
struct CampaignOutcome {
  CampaignStrategy strategy = CampaignStrategy::kWordOfMouth;
  uint64_t seeds = 0;
  Interval reach;           // people who heard of it, seeds included
  Interval adoptions;       // buyers, seeds excluded
  Interval revenue;         // what buyers paid, after discounts (minor units)
  Interval discount_cost;   // list price minus what deal buyers paid (minor units)
  Interval gross_margin;    // margin at list price minus the discounts (minor units)
  Interval incentive_cost;  // seeds x incentive + commissions (minor units)
  Interval net;             // gross margin minus incentive cost (minor units)
  // mean net / mean (incentive cost + discount cost): the return on what the campaign spent, a ratio of means
  // with a delta-method interval. Absent when the campaign spent nothing in every run.
  std::optional<Interval> roi;
  uint64_t runs = 0;
  double seconds = 0;
};

class CampaignSimulator final {
 public:
  // model: a word-of-mouth model (its hearing() probabilities carry deals and shares; its influence() the
  // adoption). Seeds must be node ids of model.graph().
  CampaignSimulator(const DiffusionModel& model, CampaignEconomics economics, std::vector<CampaignPlan> plans,
                    CampaignOptions options, RunControl control = {});
  Status run();
  // One per plan, in the plans' order.
  const std::vector<CampaignOutcome>& outcomes() const;

 private:
  const DiffusionModel& model_;
  CampaignEconomics economics_;
  std::vector<CampaignPlan> plans_;
  CampaignOptions options_;
  RunControl control_;
  bool done_ = false;
  std::vector<CampaignOutcome> outcomes_;
};

// The k people with the largest audiences (out-degree: how many listen to them), ties by node id, skipping
// excluded: whom a deal-sharing campaign usually pays.
std::vector<NodeId> LargestAudiences(const graph::Graph& graph, uint32_t k, const std::vector<NodeId>& excluded = {});

}  // namespace vouch::influence
