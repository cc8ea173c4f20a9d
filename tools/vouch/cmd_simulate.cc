// vouch simulate spread --graph FILE [--undirected] --seeds FILE --runs N --model ic|lt|wom --weights SCHEME
//                       [--threads T] [--seed S] [--json]
// The expected spread of any seed set (ours or another tool's) by Monte Carlo simulation, with its confidence
// interval (vouch/influence/spread_estimator.h).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "command.h"
#include "graph_file_options.h"
#include "terminal.h"
#include "vouch/graph/node_list.h"
#include "vouch/influence/spread_estimator.h"

namespace vouch::cli {
namespace {

struct SpreadOptions {
  GraphFileOptions graph;
  std::string seeds;
  uint64_t runs = 10000;
  std::string model = "ic";
  std::string weights = "wc";
  int threads = 0;
  uint64_t seed = 1;
  double confidence = 0.95;
  bool json = false;
  influence::WordOfMouthParameters wom;
};

int RunSpread(const SpreadOptions& o) {
  auto kind = influence::ParseDiffusionModelKind(o.model);
  if (!kind) return Fail(Status::InvalidArgument(fmt::format("--model '{}': expected ic, lt or wom", o.model)));
  auto scheme = graph::WeightScheme::Parse(o.weights);
  if (!scheme.ok()) return Fail(scheme.status());
  if (o.runs == 0) return Fail(Status::InvalidArgument("--runs must be at least 1"));
  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};
  auto g = LoadGraphFile(o.graph, o.threads, control);
  if (!g.ok()) return Fail(g.status());
  auto seeds = graph::ReadNodeList(*g, o.seeds);
  if (!seeds.ok()) return Fail(seeds.status());
  auto model = influence::DiffusionModel::Make(*g, *kind, *scheme, g->arrays().in_weights, o.wom);
  if (!model.ok()) return Fail(model.status());
  influence::SpreadEstimatorOptions opts;
  opts.runs = o.runs;
  opts.threads = o.threads;
  opts.seed = o.seed;
  opts.confidence = o.confidence;
  influence::SpreadEstimator estimator(*model, *seeds, opts, control);
  Status ran = estimator.run();
  bar.Finish();
  if (!ran.ok()) return Fail(ran);
  const auto& e = estimator.estimate();
  if (o.json) {
    auto interval = [](const influence::Interval& i) {
      return nlohmann::json{{"mean", i.mean}, {"stddev", i.stddev}, {"low", i.low}, {"high", i.high}};
    };
    nlohmann::json j = {{"model", influence::DiffusionModelName(*kind)},
                        {"weights", scheme->ToString()},
                        {"seeds", seeds->size()},
                        {"runs", e.runs},
                        {"confidence", e.confidence},
                        {"spread", interval(e.spread)},
                        {"reach", interval(e.reach)},
                        {"seconds", e.seconds}};
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("spread {:.2f} people ({:.0f}% interval {:.2f} .. {:.2f}) over {} runs\n", e.spread.mean,
             e.confidence * 100, e.spread.low, e.spread.high, e.runs);
  if (*kind == influence::DiffusionModelKind::kWordOfMouth) {
    fmt::print("reach  {:.2f} people ({:.2f} .. {:.2f}) heard of it\n", e.reach.mean, e.reach.low, e.reach.high);
  }
  return kExitOk;
}

void RegisterSimulate(CLI::App& app) {
  auto* sim = app.add_subcommand("simulate", "Simulate word-of-mouth: the spread of a seed set");
  sim->require_subcommand(1);
  auto* cmd = sim->add_subcommand("spread", "Expected spread of a seed set, by Monte Carlo, with a confidence interval");
  auto o = std::make_shared<SpreadOptions>();
  AddGraphFileOptions(cmd, o->graph);
  cmd->add_option("--seeds", o->seeds, "Seed set: one node id per line")->required()->check(CLI::ExistingFile);
  cmd->add_option("--runs", o->runs, "Monte Carlo runs")->capture_default_str();
  cmd->add_option("--model", o->model, "Diffusion model: ic, lt or wom")->capture_default_str();
  cmd->add_option("--weights", o->weights, "Edge probabilities: wc, uniform:P, trivalency[:SEED], trust[:BASE], column")
      ->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads (default: all cores)");
  cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
  cmd->add_option("--confidence", o->confidence, "Of the interval: 0.90, 0.95 or 0.99")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_option("--adoption", o->wom.adoption_at_full_trust, "wom: adoption probability at full trust")
      ->capture_default_str();
  cmd->add_option("--trust-exponent", o->wom.trust_exponent, "wom: adoption grows as trust^exponent")
      ->capture_default_str();
  cmd->add_option("--share", o->wom.share_probability, "wom: probability a non-adopter shares")->capture_default_str();
  cmd->callback([o] { Exit(RunSpread(*o)); });
}

}  // namespace
VOUCH_COMMAND(70, "simulate", RegisterSimulate);
}  // namespace vouch::cli
