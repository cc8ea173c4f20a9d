// vouch simulate campaign --graph FILE [--undirected] [--strategy share|wom|both] --price AMOUNT [--currency C]
//                         [--margin PCT] [--discount PCT] [--deal-conversion PCT] [--incentive AMOUNT]
//                         [--commission PCT] [--budget AMOUNT | --k K] [--runs N] [--json] ...
// What a campaign would earn with a shared deal and with word of mouth, side by side on the same budget
// (vouch/influence/campaign.h, docs/models.md "Campaigns").
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "command.h"
#include "graph_file_options.h"
#include "terminal.h"
#include "vouch/core/money.h"
#include "vouch/graph/node_list.h"
#include "vouch/influence/campaign.h"
#include "vouch/influence/opim_c.h"

namespace vouch::cli {
namespace {

struct CampaignCliOptions {
  GraphFileOptions graph;
  std::string strategy = "both";
  std::string weights = "wc";
  std::string currency = "USD";
  std::string price, incentive = "0", budget;
  double margin_pct = 30, discount_pct = 20, conversion_pct = 2, commission_pct = 0;
  uint32_t k = 10;
  std::string share_seeds, wom_seeds, candidates;
  double epsilon = 0.1;
  uint64_t runs = 10000;
  int threads = 0;
  uint64_t seed = 1;
  double confidence = 0.95;
  bool json = false;
  influence::WordOfMouthParameters wom;
};

Result<double> Percent(double pct, const char* flag) {
  if (!(pct >= 0 && pct <= 100)) return Status::InvalidArgument(fmt::format("{} must be between 0 and 100", flag));
  return pct / 100;
}

Result<influence::CampaignEconomics> Economics(const CampaignCliOptions& o) {
  influence::CampaignEconomics e;
  e.currency = o.currency;
  const int exp = CurrencyExponent(o.currency);
  auto price = ParseMoney(o.price, exp);
  if (!price.ok()) return Status::InvalidArgument(fmt::format("--price: {}", price.status().message()));
  e.price = *price;
  auto incentive = ParseMoney(o.incentive, exp);
  if (!incentive.ok()) return Status::InvalidArgument(fmt::format("--incentive: {}", incentive.status().message()));
  e.incentive = *incentive;
  VOUCH_ASSIGN_OR_RETURN(e.margin, Percent(o.margin_pct, "--margin"));
  VOUCH_ASSIGN_OR_RETURN(e.deal_discount, Percent(o.discount_pct, "--discount"));
  VOUCH_ASSIGN_OR_RETURN(e.deal_conversion, Percent(o.conversion_pct, "--deal-conversion"));
  VOUCH_ASSIGN_OR_RETURN(e.commission, Percent(o.commission_pct, "--commission"));
  VOUCH_TRY(e.Validate());
  return e;
}

// How many seeds the budget pays for: budget / incentive, or --k without a budget.
Result<uint32_t> SeedCount(const CampaignCliOptions& o, const influence::CampaignEconomics& e) {
  if (o.budget.empty()) return o.k;
  auto budget = ParseMoney(o.budget, CurrencyExponent(o.currency));
  if (!budget.ok()) return Status::InvalidArgument(fmt::format("--budget: {}", budget.status().message()));
  if (e.incentive <= 0) return Status::InvalidArgument("--budget needs an --incentive per seed to divide it by");
  const int64_t k = *budget / e.incentive;
  if (k < 1) return Status::InvalidArgument("--budget does not cover one seed's --incentive");
  return static_cast<uint32_t>(std::min<int64_t>(k, UINT32_MAX));
}

nlohmann::json IntervalJson(const influence::Interval& i) {
  return {{"mean", i.mean}, {"stddev", i.stddev}, {"low", i.low}, {"high", i.high}};
}

void PrintTable(const graph::Graph& g, const influence::CampaignEconomics& e,
                const std::vector<influence::CampaignPlan>& plans,
                const std::vector<influence::CampaignOutcome>& outcomes, double confidence) {
  const int exp = CurrencyExponent(e.currency);
  fmt::print("campaign: price {} {}, margin {:g}%, deal {:g}% off ({:g}% of those who hear it redeem), incentive {} "
             "per seed, commission {:g}%\n",
             FormatMoney(static_cast<double>(e.price), exp), e.currency, e.margin * 100, e.deal_discount * 100,
             e.deal_conversion * 100, FormatMoney(static_cast<double>(e.incentive), exp), e.commission * 100);
  fmt::print("means over {} runs, {:.0f}% intervals in brackets; money in {}\n\n", outcomes.front().runs,
             confidence * 100, e.currency);
  fmt::print("{:<16}", "");
  for (const auto& o : outcomes) {
    const std::string head = fmt::format("{} ({} seed{})", influence::CampaignStrategyName(o.strategy), o.seeds,
                                         o.seeds == 1 ? "" : "s");
    fmt::print("{:>34}", head);
  }
  fmt::print("\n");
  enum Kind { kPeople, kMoney, kRatio };
  auto row = [&](const char* name, auto get, Kind kind) {
    fmt::print("{:<16}", name);
    for (const auto& o : outcomes) {
      const std::optional<influence::Interval> i = get(o);
      if (!i) {
        fmt::print("{:>34}", "n/a (nothing spent)");
        continue;
      }
      const std::string cell =
          kind == kMoney ? fmt::format("{} [{} .. {}]", FormatMoney(i->mean, exp), FormatMoney(i->low, exp),
                                       FormatMoney(i->high, exp))
          : kind == kRatio ? fmt::format("{:.2f} [{:.2f} .. {:.2f}]", i->mean, i->low, i->high)
                           : fmt::format("{:.1f} [{:.1f} .. {:.1f}]", i->mean, i->low, i->high);
      fmt::print("{:>34}", cell);
    }
    fmt::print("\n");
  };
  using O = influence::CampaignOutcome;
  using I = std::optional<influence::Interval>;
  row("reach (people)", [](const O& o) -> I { return o.reach; }, kPeople);
  row("adoptions", [](const O& o) -> I { return o.adoptions; }, kPeople);
  row("revenue", [](const O& o) -> I { return o.revenue; }, kMoney);
  row("discounts", [](const O& o) -> I { return o.discount_cost; }, kMoney);
  row("gross margin", [](const O& o) -> I { return o.gross_margin; }, kMoney);
  row("incentives", [](const O& o) -> I { return o.incentive_cost; }, kMoney);
  row("net", [](const O& o) -> I { return o.net; }, kMoney);
  row("ROI", [](const O& o) -> I { return o.roi; }, kRatio);
  for (size_t i = 0; i < plans.size(); ++i) {
    std::string ids;
    for (size_t j = 0; j < plans[i].seeds.size() && j < 10; ++j) {
      if (j > 0) ids += ' ';
      ids += g.ExternalId(plans[i].seeds[j]);
    }
    if (plans[i].seeds.size() > 10) ids += fmt::format(" ... ({} in all)", plans[i].seeds.size());
    fmt::print("\n{} seeds: {}", influence::CampaignStrategyName(plans[i].strategy), ids);
  }
  fmt::print("\n");
}

int RunCampaign(const CampaignCliOptions& o) {
  const bool want_share = o.strategy == "share" || o.strategy == "both";
  const bool want_wom = o.strategy == "wom" || o.strategy == "both";
  if (!want_share && !want_wom) {
    return Fail(Status::InvalidArgument(fmt::format("--strategy '{}': expected share, wom or both", o.strategy)));
  }
  auto economics = Economics(o);
  if (!economics.ok()) return Fail(economics.status());
  auto k = SeedCount(o, *economics);
  if (!k.ok()) return Fail(k.status());
  auto scheme = graph::WeightScheme::Parse(o.weights);
  if (!scheme.ok()) return Fail(scheme.status());
  if (o.runs == 0) return Fail(Status::InvalidArgument("--runs must be at least 1"));

  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};
  auto g = LoadGraphFile(o.graph, o.threads, control);
  if (!g.ok()) return Fail(g.status());
  // From the CLI, the listener's trust in the speaker is the edge list's weight column (docs/models.md).
  auto model = influence::DiffusionModel::Make(*g, influence::DiffusionModelKind::kWordOfMouth, *scheme,
                                               g->arrays().in_weights, o.wom);
  if (!model.ok()) return Fail(model.status());

  std::vector<influence::CampaignPlan> plans;
  if (want_share) {
    influence::CampaignPlan plan{influence::CampaignStrategy::kShare, {}};
    if (!o.share_seeds.empty()) {
      auto list = graph::ReadNodeList(*g, o.share_seeds);
      if (!list.ok()) return Fail(list.status());
      plan.seeds = std::move(list).value();
    } else {
      plan.seeds = influence::LargestAudiences(*g, *k);
    }
    plans.push_back(std::move(plan));
  }
  if (want_wom) {
    influence::CampaignPlan plan{influence::CampaignStrategy::kWordOfMouth, {}};
    if (!o.wom_seeds.empty()) {
      auto list = graph::ReadNodeList(*g, o.wom_seeds);
      if (!list.ok()) return Fail(list.status());
      plan.seeds = std::move(list).value();
    } else {
      // The advocates whose endorsements make the most people adopt: OPIM-C under the word-of-mouth model.
      influence::InfluenceMaximizerOptions opts;
      opts.k = *k;
      opts.epsilon = o.epsilon;
      opts.threads = o.threads;
      opts.seed = o.seed;
      if (!o.candidates.empty()) {
        auto list = graph::ReadNodeList(*g, o.candidates);
        if (!list.ok()) return Fail(list.status());
        opts.candidates = std::move(list).value();
      }
      influence::OpimC opim(*model, opts, control);
      Status ran = opim.run();
      if (!ran.ok()) {
        bar.Finish();
        return Fail(ran);
      }
      for (const auto& s : opim.seeds()) plan.seeds.push_back(s.node);
    }
    plans.push_back(std::move(plan));
  }

  influence::CampaignOptions opts;
  opts.runs = o.runs;
  opts.threads = o.threads;
  opts.seed = o.seed;
  opts.confidence = o.confidence;
  influence::CampaignSimulator sim(*model, *economics, plans, opts, control);
  Status ran = sim.run();
  bar.Finish();
  if (!ran.ok()) return Fail(ran);

  if (!o.json) {
    PrintTable(*g, *economics, plans, sim.outcomes(), o.confidence);
    return kExitOk;
  }
  const auto& e = *economics;
  nlohmann::json strategies = nlohmann::json::array();
  for (size_t i = 0; i < plans.size(); ++i) {
    const auto& out = sim.outcomes()[i];
    nlohmann::json ids = nlohmann::json::array();
    for (graph::NodeId s : plans[i].seeds) ids.push_back(g->ExternalId(s));
    strategies.push_back({{"strategy", influence::CampaignStrategyName(out.strategy)},
                          {"seeds", ids},
                          {"reach", IntervalJson(out.reach)},
                          {"adoptions", IntervalJson(out.adoptions)},
                          {"revenue_minor", IntervalJson(out.revenue)},
                          {"discount_cost_minor", IntervalJson(out.discount_cost)},
                          {"gross_margin_minor", IntervalJson(out.gross_margin)},
                          {"incentive_cost_minor", IntervalJson(out.incentive_cost)},
                          {"net_minor", IntervalJson(out.net)},
                          {"roi", out.roi ? IntervalJson(*out.roi) : nlohmann::json(nullptr)},
                          {"seconds", out.seconds}});
  }
  nlohmann::json j = {{"economics",
                       {{"currency", e.currency},
                        {"price_minor", e.price},
                        {"margin", e.margin},
                        {"deal_discount", e.deal_discount},
                        {"deal_conversion", e.deal_conversion},
                        {"incentive_minor", e.incentive},
                        {"commission", e.commission}}},
                      {"model",
                       {{"weights", scheme->ToString()},
                        {"adoption", o.wom.adoption_at_full_trust},
                        {"trust_exponent", o.wom.trust_exponent},
                        {"share", o.wom.share_probability}}},
                      {"runs", o.runs},
                      {"confidence", o.confidence},
                      {"strategies", strategies}};
  fmt::print("{}\n", j.dump(2));
  return kExitOk;
}

void RegisterSimulateCampaign(CLI::App& app) {
  // `vouch simulate` is made by cmd_simulate.cc, registered before this (order 70 < 71).
  auto* sim = app.get_subcommand("simulate");
  auto* cmd = sim->add_subcommand("campaign", "What a campaign earns: a shared deal against word of mouth, same budget");
  auto o = std::make_shared<CampaignCliOptions>();
  AddGraphFileOptions(cmd, o->graph, "; a third column is the trust");
  cmd->add_option("--strategy", o->strategy, "share, wom, or both side by side")->capture_default_str();
  cmd->add_option("--price", o->price, "List price of one sale, e.g. 49.99")->required();
  cmd->add_option("--currency", o->currency, "ISO 4217 code")->capture_default_str();
  cmd->add_option("--margin", o->margin_pct, "Gross margin, percent of the list price")->capture_default_str();
  cmd->add_option("--discount", o->discount_pct, "share: the deal's discount, percent")->capture_default_str();
  cmd->add_option("--deal-conversion", o->conversion_pct, "share: percent of those who hear of the deal who redeem it")
      ->capture_default_str();
  cmd->add_option("--incentive", o->incentive, "Paid to each seed (sharer or advocate), e.g. 25")->capture_default_str();
  cmd->add_option("--commission", o->commission_pct, "wom: percent of each referred sale paid to advocates")
      ->capture_default_str();
  cmd->add_option("--budget", o->budget, "Seeds = budget / incentive (instead of --k)");
  cmd->add_option("--k", o->k, "Seeds per strategy without a budget")->capture_default_str();
  cmd->add_option("--share-seeds", o->share_seeds, "share: these people post the deal (default: largest audiences)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--wom-seeds", o->wom_seeds, "wom: these advocates endorse (default: chosen by OPIM-C)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--candidates", o->candidates, "wom: choose advocates only among these people")
      ->check(CLI::ExistingFile);
  cmd->add_option("--weights", o->weights, "Hearing probabilities: wc, uniform:P, trivalency[:SEED], column")
      ->capture_default_str();
  cmd->add_option("--adoption", o->wom.adoption_at_full_trust, "wom: adoption probability at full trust")
      ->capture_default_str();
  cmd->add_option("--trust-exponent", o->wom.trust_exponent, "wom: adoption grows as trust^exponent")
      ->capture_default_str();
  cmd->add_option("--share", o->wom.share_probability, "Probability that someone who heard passes it on")
      ->capture_default_str();
  cmd->add_option("--epsilon", o->epsilon, "wom: OPIM-C's approximation slack when choosing advocates")
      ->capture_default_str();
  cmd->add_option("--runs", o->runs, "Monte Carlo runs per strategy")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads (default: all cores)");
  cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
  cmd->add_option("--confidence", o->confidence, "Of the intervals: 0.90, 0.95 or 0.99")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON (money in minor units)");
  cmd->callback([o] { Exit(RunCampaign(*o)); });
}

}  // namespace
VOUCH_COMMAND(71, "simulate", RegisterSimulateCampaign);
}  // namespace vouch::cli
