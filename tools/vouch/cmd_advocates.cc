// vouch advocates --graph FILE [--undirected] --k K --model ic|lt|wom --weights SCHEME --epsilon E [--threads T]
//                 --output SEEDS.txt [--json]
// The k people whose word travels furthest (influence maximisation, vouch/influence/opim_c.h). SEEDS.txt holds
// one external node id per line in selection order; --json prints the run record. Benchmark scripts call this
// exact contract: keep it stable.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "command.h"
#include "terminal.h"
#include "vouch/graph/graph_loader.h"
#include "vouch/graph/node_list.h"
#include "vouch/influence/opim_c.h"

namespace vouch::cli {
namespace {

struct AdvocatesOptions {
  std::string graph;
  bool undirected = false;
  bool no_cache = false;
  uint32_t k = 50;
  std::string model = "ic";
  std::string weights = "wc";
  double epsilon = 0.1;
  double delta = 0;
  int threads = 0;
  uint64_t seed = 1;
  std::string output;
  bool json = false;
  std::string candidates, exclude, costs;
  double budget = 0;
  influence::WordOfMouthParameters wom;
};

int RunAdvocates(const AdvocatesOptions& o) {
  auto kind = influence::ParseDiffusionModelKind(o.model);
  if (!kind) return Fail(Status::InvalidArgument(fmt::format("--model '{}': expected ic, lt or wom", o.model)));
  auto scheme = graph::WeightScheme::Parse(o.weights);
  if (!scheme.ok()) return Fail(scheme.status());
  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};
  graph::GraphLoadOptions load;
  load.undirected = o.undirected;
  load.read_cache = load.write_cache = !o.no_cache;
  load.threads = o.threads;
  graph::GraphLoadRecord loaded;
  auto g = graph::LoadGraph(o.graph, load, control, &loaded);
  if (!g.ok()) return Fail(g.status());
  // From the CLI, trust comes from the edge list's weight column (docs/models.md).
  std::span<const float> trust = g->arrays().in_weights;
  auto model = influence::DiffusionModel::Make(*g, *kind, *scheme, trust, o.wom);
  if (!model.ok()) return Fail(model.status());

  influence::InfluenceMaximizerOptions opts;
  opts.k = o.k;
  opts.epsilon = o.epsilon;
  opts.delta = o.delta;
  opts.threads = o.threads;
  opts.seed = o.seed;
  opts.budget = o.budget;
  if (!o.candidates.empty()) {
    auto list = graph::ReadNodeList(*g, o.candidates);
    if (!list.ok()) return Fail(list.status());
    opts.candidates = std::move(list).value();
  }
  if (!o.exclude.empty()) {
    auto list = graph::ReadNodeList(*g, o.exclude);
    if (!list.ok()) return Fail(list.status());
    opts.excluded = std::move(list).value();
  }
  if (!o.costs.empty()) {
    auto costs = graph::ReadNodeCosts(*g, o.costs, 1.0);
    if (!costs.ok()) return Fail(costs.status());
    opts.cost = std::move(costs).value();
  }
  if (o.budget > 0 && opts.cost.empty()) opts.cost.assign(g->num_nodes(), 1.0);
  influence::OpimC opim(*model, opts, control);
  Status ran = opim.run();
  bar.Finish();
  if (!ran.ok()) return Fail(ran);

  const auto& rec = opim.record();
  if (!o.output.empty()) {
    std::ofstream out(o.output);
    for (const auto& s : opim.seeds()) out << g->ExternalId(s.node) << '\n';
    out.close();
    if (!out) return Fail(Status::IoError(fmt::format("{}: cannot write", o.output)));
  }
  if (o.json) {
    nlohmann::json seeds = nlohmann::json::array();
    for (const auto& s : opim.seeds()) {
      seeds.push_back({{"id", g->ExternalId(s.node)}, {"marginal_spread", s.marginal_spread}});
    }
    nlohmann::json j = {
        {"algorithm", rec.algorithm},
        {"model", influence::DiffusionModelName(*kind)},
        {"weights", scheme->ToString()},
        {"k", o.budget > 0 ? opim.seeds().size() : o.k},
        {"budget", o.budget},
        {"epsilon", o.epsilon},
        {"delta", o.delta > 0 ? o.delta : 1.0 / g->num_nodes()},
        {"threads", rec.threads},
        {"graph",
         {{"path", o.graph},
          {"nodes", g->num_nodes()},
          {"arcs", g->num_edges()},
          {"undirected", g->undirected()},
          {"from_cache", loaded.from_cache},
          {"cache", loaded.cache_path.string()},
          {"cache_note", loaded.cache_note}}},
        {"seeds", seeds},
        {"spread", {{"estimate", rec.spread}, {"lower", rec.spread_lower}, {"upper", rec.spread_upper}}},
        {"optimum_upper", rec.optimum_upper},
        {"approximation", rec.approximation},
        {"target_approximation", rec.target_approximation},
        {"stopped_early", rec.stopped_early},
        {"rounds", rec.rounds},
        {"max_rounds", rec.max_rounds},
        {"samples", {{"rr_sets", rec.rr_sets}, {"rr_set_entries", rec.rr_set_entries},
                     {"theta_0", rec.theta_0}, {"theta_max", rec.theta_max}}},
        {"times",
         {{"load_seconds", loaded.total_seconds},
          {"parse_seconds", loaded.parse_seconds},
          {"build_seconds", loaded.build_seconds},
          {"cache_seconds", loaded.cache_seconds},
          {"sampling_seconds", rec.sampling_seconds},
          {"selection_seconds", rec.selection_seconds},
          {"maximisation_seconds", rec.total_seconds}}},
        {"peak_memory_bytes", rec.peak_memory_bytes}};
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("{:<4} {:<20} {:>14}\n", "rank", "person", "adds (people)");
  int rank = 0;
  for (const auto& s : opim.seeds()) fmt::print("{:<4} {:<20} {:>14.1f}\n", ++rank, g->ExternalId(s.node), s.marginal_spread);
  fmt::print("expected spread {:.1f} (between {:.1f} and {:.1f}); guarantee {:.3f} of the best (target {:.3f})\n",
             rec.spread, rec.spread_lower, rec.spread_upper, rec.approximation, rec.target_approximation);
  fmt::print("{} RR sets in {} rounds; load {:.3f} s{}, selection {:.3f} s; peak memory {:.1f} MB\n", rec.rr_sets,
             rec.rounds, loaded.total_seconds, loaded.from_cache ? " (cache)" : "", rec.total_seconds,
             static_cast<double>(rec.peak_memory_bytes) / 1e6);
  return kExitOk;
}

void RegisterAdvocates(CLI::App& app) {
  auto* cmd = app.add_subcommand("advocates", "The k people whose word-of-mouth reaches the most others");
  auto o = std::make_shared<AdvocatesOptions>();
  cmd->add_option("--graph", o->graph, "SNAP-style edge list (or a .vgraph file)")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--undirected", o->undirected, "Each line is an undirected edge");
  cmd->add_flag("--no-cache", o->no_cache, "Neither read nor write FILE.vgraph");
  cmd->add_option("--k", o->k, "Number of advocates to choose")->capture_default_str();
  cmd->add_option("--model", o->model, "Diffusion model: ic, lt or wom")->capture_default_str();
  cmd->add_option("--weights", o->weights, "Edge probabilities: wc, uniform:P, trivalency[:SEED], trust[:BASE], column")
      ->capture_default_str();
  cmd->add_option("--epsilon", o->epsilon, "Approximation slack: the guarantee is 1 - 1/e - epsilon")->capture_default_str();
  cmd->add_option("--delta", o->delta, "Failure probability (default 1/n)");
  cmd->add_option("--threads", o->threads, "Threads (default: all cores)");
  cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
  cmd->add_option("--output", o->output, "Write the chosen ids here, one per line, in selection order");
  cmd->add_flag("--json", o->json, "Print the run record as JSON");
  cmd->add_option("--candidates", o->candidates, "Only people listed in this file (one id per line) may be chosen")
      ->check(CLI::ExistingFile);
  cmd->add_option("--exclude", o->exclude, "People listed in this file are never chosen")->check(CLI::ExistingFile);
  cmd->add_option("--costs", o->costs, "'ID COST' per line (others cost 1); use with --budget")->check(CLI::ExistingFile);
  cmd->add_option("--budget", o->budget, "Choose people of total cost at most this instead of k people");
  cmd->add_option("--adoption", o->wom.adoption_at_full_trust, "wom: adoption probability at full trust")
      ->capture_default_str();
  cmd->add_option("--trust-exponent", o->wom.trust_exponent, "wom: adoption grows as trust^exponent")
      ->capture_default_str();
  cmd->add_option("--share", o->wom.share_probability, "wom: probability a non-adopter shares")->capture_default_str();
  cmd->callback([o] { Exit(RunAdvocates(*o)); });
}

}  // namespace
VOUCH_COMMAND(60, RegisterAdvocates);
}  // namespace vouch::cli
