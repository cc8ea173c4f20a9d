// vouch advocates --graph FILE [--undirected] --k K --model ic|lt|wom --weights SCHEME --epsilon E [--threads T]
//                 --output SEEDS.txt [--json]
// The k people whose word travels furthest (influence maximisation, vouch/influence/opim_c.h). SEEDS.txt holds
// one external node id per line in selection order; --json prints the run record. Benchmark scripts call this
// exact contract: keep it stable.
//
// vouch advocates --workspace DIR [same options] [--brand NAME] [--platform P] [--all-people]
// The same over the workspace's social graph (DIR/graph/social.vgraph), with trust from `vouch trust compute`,
// candidates restricted to advocates and each chosen person listed with why: endorsements, complaints,
// reputation, how much their listeners trust them, expected reach (vouch/influence/workspace_advocates.h).
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "command.h"
#include "startup_pages.h"
#include "terminal.h"
#include "vouch/graph/graph_ingest.h"
#include "vouch/graph/graph_loader.h"
#include "vouch/graph/node_list.h"
#include "vouch/influence/opim_c.h"
#include "vouch/influence/workspace_advocates.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct AdvocatesOptions {
  std::string graph;
  std::string workspace, brand, platform;
  bool all_people = false;
  bool undirected = false;
  bool no_cache = false;
  uint32_t k = 50;
  std::string model = "ic";
  std::string weights = "wc";
  double epsilon = 0.1;
  double delta = 0;
  int threads = 0;
  uint64_t seed = 1;
  uint64_t min_rr_sets = 0;
  uint64_t r1_ratio = influence::InfluenceMaximizerOptions{}.r1_ratio;
  uint64_t min_marginal_coverage = influence::InfluenceMaximizerOptions{}.min_marginal_coverage;
  double max_selection_loss = influence::InfluenceMaximizerOptions{}.max_selection_loss;
  double precision_max_growth = influence::InfluenceMaximizerOptions{}.precision_max_growth;
  double precision_far_growth = influence::InfluenceMaximizerOptions{}.precision_far_growth;
  bool fix_settled_seeds = influence::InfluenceMaximizerOptions{}.fix_settled_seeds;
  std::string output;
  bool json = false;
  std::string candidates, exclude, costs;
  double budget = 0;
  influence::WordOfMouthParameters wom;
};

// One external id per line, in selection order: the seed file contract of both modes.
Status WriteSeedFile(const std::string& path, const std::vector<std::string>& ids) {
  std::ofstream out(path);
  for (const auto& id : ids) out << id << '\n';
  out.close();
  if (!out) return Status::IoError(fmt::format("{}: cannot write", path));
  return Status::Ok();
}

// Optional numbers print as null in JSON and as "-" in the table.
nlohmann::json OrNull(const std::optional<double>& x) {
  return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
}
std::string OrDash(const std::optional<double>& x, const char* format) {
  return x ? fmt::format(fmt::runtime(format), *x) : std::string("-");
}

int PrintWorkspaceAdvocates(const AdvocatesOptions& o, const graph::Graph& g,
                            const influence::WorkspaceAdvocates& run, influence::DiffusionModelKind kind,
                            const graph::WeightScheme& scheme, const graph::GraphLoadRecord& loaded) {
  const auto& rec = run.record();
  const auto& ev = run.evidence();
  const auto& advocates = run.advocates();
  const std::string_view model = influence::DiffusionModelName(kind);
  const std::string weights = scheme.ToString();
  if (!o.output.empty()) {
    std::vector<std::string> ids;
    for (const auto& a : advocates) ids.push_back(a.handle);
    if (Status s = WriteSeedFile(o.output, ids); !s.ok()) return Fail(s);
  }
  if (o.json) {
    nlohmann::json seeds = nlohmann::json::array();
    for (const auto& a : advocates) {
      nlohmann::json j = {{"id", a.handle},
                          {"person", a.person},
                          {"name", a.name},
                          {"endorsements", a.endorsements},
                          {"complaints", a.complaints},
                          {"listeners", a.listeners},
                          {"marginal_spread", a.marginal_spread}};
      j["reputation"] = OrNull(a.reputation);
      j["ratings_received"] = a.ratings_received;
      j["listener_trust"] = OrNull(a.listener_trust);
      seeds.push_back(std::move(j));
    }
    nlohmann::json j = {
        {"algorithm", rec.algorithm},
        {"model", model},
        {"weights", weights},
        {"k", o.budget > 0 ? advocates.size() : o.k},
        {"budget", o.budget},
        {"epsilon", o.epsilon},
        {"delta", o.delta > 0 ? o.delta : 1.0 / g.num_nodes()},
        {"threads", rec.threads},
        {"workspace", o.workspace},
        {"graph",
         {{"path", loaded.cache_path.empty() ? graph::WorkspaceGraphPath(o.workspace).string()
                                             : loaded.cache_path.string()},
          {"nodes", g.num_nodes()},
          {"arcs", g.num_edges()},
          {"undirected", g.undirected()},
          {"nodes_without_person", ev.nodes_without_person}}},
        {"trust",
         {{"computed", ev.trust_computed},
          {"arcs_from_local_trust", ev.arcs_from_local_trust},
          {"arcs_from_reputation", ev.arcs_from_reputation},
          {"arcs_from_prior", ev.arcs_from_prior}}},
        {"candidates", run.candidates_note()},
        {"seeds", seeds},
        {"spread", {{"estimate", rec.spread}, {"lower", rec.spread_lower}, {"upper", rec.spread_upper}}},
        {"approximation", rec.approximation},
        {"samples", {{"rr_sets", rec.rr_sets}, {"rr_set_entries", rec.rr_set_entries}}},
        {"times", {{"load_seconds", loaded.total_seconds}, {"maximisation_seconds", rec.total_seconds}}},
        {"peak_memory_bytes", rec.peak_memory_bytes}};
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("{}\n", run.candidates_note());
  if (!ev.trust_computed) {
    fmt::print("trust: not computed (run `vouch trust compute`): reputation and listeners' trust unknown\n");
  } else {
    fmt::print(
        "trust of listeners in speakers: {} arcs from local trust, {} from the speaker's reputation, {} the "
        "prior 0.5\n",
        ev.arcs_from_local_trust, ev.arcs_from_reputation, ev.arcs_from_prior);
  }
  fmt::print("{:<4} {:<24} {:<18} {:>8} {:>9} {:>10} {:>9} {:>10} {:>9}\n", "rank", "person", "handle", "endorses",
             "complains", "reputation", "listeners", "their trust", "reach +");
  int rank = 0;
  for (const auto& a : advocates) {
    fmt::print("{:<4} {:<24} {:<18} {:>8} {:>9} {:>10} {:>9} {:>10} {:>9.1f}\n", ++rank, a.name.substr(0, 24),
               a.handle.substr(0, 18), a.endorsements, a.complaints, OrDash(a.reputation, "{:+.3f}"), a.listeners,
               OrDash(a.listener_trust, "{:.3f}"), a.marginal_spread);
  }
  fmt::print(
      "expected reach {:.1f} people (between {:.1f} and {:.1f}), {} model, {} weights; guarantee {:.3f} of the "
      "best\n",
      rec.spread, rec.spread_lower, rec.spread_upper, model, weights, rec.approximation);
  fmt::print(
      "endorses/complains: first-hand mentions{}; reputation: trust received from credible raters "
      "([-1, 1], 0 unknown); their trust: mean trust of their listeners in them; reach +: people their word "
      "adds\n",
      o.brand.empty() ? "" : " of " + o.brand);
  return kExitOk;
}

// The workspace mode: the library gathers the workspace's people, trust and acts and chooses among its advocates.
int RunOnWorkspace(const AdvocatesOptions& o, const graph::Graph& g, const graph::GraphLoadRecord& loaded,
                   influence::DiffusionModelKind kind, const graph::WeightScheme& scheme,
                   influence::InfluenceMaximizerOptions maximizer, const RunControl& control, ProgressBar& bar) {
  auto ws = Workspace::Open(o.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto* sqlite = dynamic_cast<SqliteStore*>(&(*ws)->store());
  if (sqlite == nullptr) return Fail(Status::FailedPrecondition("advocates on a workspace need the SQLite store"));
  influence::WorkspaceAdvocatesOptions options;
  options.workspace = o.workspace;
  options.brand = o.brand;
  options.platform = o.platform;
  options.default_platform = (*ws)->config().default_platform;
  options.all_people = o.all_people;
  options.model = kind;
  options.weights = scheme;
  options.word_of_mouth = o.wom;
  options.maximizer = std::move(maximizer);
  influence::WorkspaceAdvocates run(*sqlite, sqlite->db(), g, std::move(options), control);
  Status ran = run.run();
  bar.Finish();
  if (!ran.ok()) return Fail(ran);
  return PrintWorkspaceAdvocates(o, g, run, kind, scheme, loaded);
}

// The --graph mode: trust comes from the edge list's weight column (docs/models.md).
int RunOnGraph(const AdvocatesOptions& o, const graph::Graph& g, const graph::GraphLoadRecord& loaded,
               influence::DiffusionModelKind kind, const graph::WeightScheme& scheme,
               influence::InfluenceMaximizerOptions maximizer, const RunControl& control, ProgressBar& bar) {
  auto model = influence::DiffusionModel::Make(g, kind, scheme, g.arrays().in_weights, o.wom);
  if (!model.ok()) return Fail(model.status());
  // The seeds and the record are copied out and the maximiser, with its working memory (RR sets, index), is gone
  // before the output is written: the code that writes it (JSON, formatting) then adds its pages to a smaller
  // resident set, not to the selection's peak.
  std::vector<influence::SeedChoice> chosen;
  influence::InfluenceMaximizerRecord rec;
  {
    influence::OpimC opim(*model, std::move(maximizer), control);
    Status ran = opim.run();
    bar.Finish();
    if (!ran.ok()) return Fail(ran);
    chosen = opim.seeds();
    rec = opim.record();
  }

  if (!o.output.empty()) {
    std::vector<std::string> ids;
    for (const auto& s : chosen) ids.push_back(g.ExternalId(s.node));
    if (Status s = WriteSeedFile(o.output, ids); !s.ok()) return Fail(s);
  }
  if (o.json) {
    nlohmann::json seeds = nlohmann::json::array();
    for (const auto& s : chosen) {
      seeds.push_back({{"id", g.ExternalId(s.node)}, {"marginal_spread", s.marginal_spread}});
    }
    nlohmann::json j = {
        {"algorithm", rec.algorithm},
        {"model", influence::DiffusionModelName(kind)},
        {"weights", scheme.ToString()},
        {"k", o.budget > 0 ? chosen.size() : o.k},
        {"budget", o.budget},
        {"epsilon", o.epsilon},
        {"delta", o.delta > 0 ? o.delta : 1.0 / g.num_nodes()},
        {"threads", rec.threads},
        {"graph",
         {{"path", o.graph},
          {"nodes", g.num_nodes()},
          {"arcs", g.num_edges()},
          {"undirected", g.undirected()},
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
        {"samples",
         {{"rr_sets", rec.rr_sets},
          {"rr_sets_r1", rec.rr_sets_r1},
          {"rr_set_entries", rec.rr_set_entries},
          {"theta_0", rec.theta_0},
          {"theta_max", rec.theta_max},
          {"min_rr_sets", o.min_rr_sets},
          {"r1_ratio", o.r1_ratio},
          {"min_marginal_coverage", o.min_marginal_coverage},
          {"precision_steps", rec.precision_steps},
          {"last_marginal_coverage", rec.last_marginal_coverage},
          {"max_selection_loss", o.max_selection_loss},
          {"precision_max_growth", o.precision_max_growth},
          {"precision_far_growth", o.precision_far_growth},
          {"selection_loss", rec.selection_loss},
          {"selection_loss_before_growth", rec.selection_loss_before_growth},
          {"fixed_seeds", rec.fixed_seeds}}},
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
  for (const auto& s : chosen)
    fmt::print("{:<4} {:<20} {:>14.1f}\n", ++rank, g.ExternalId(s.node), s.marginal_spread);
  fmt::print("expected spread {:.1f} (between {:.1f} and {:.1f}); guarantee {:.3f} of the best (target {:.3f})\n",
             rec.spread, rec.spread_lower, rec.spread_upper, rec.approximation, rec.target_approximation);
  fmt::print("{} RR sets in {} rounds; load {:.3f} s{}, selection {:.3f} s; peak memory {:.1f} MB\n", rec.rr_sets,
             rec.rounds, loaded.total_seconds, loaded.from_cache ? " (cache)" : "", rec.total_seconds,
             static_cast<double>(rec.peak_memory_bytes) / 1e6);
  return kExitOk;
}

int RunAdvocates(const AdvocatesOptions& o) {
  auto kind = influence::ParseDiffusionModelKind(o.model);
  if (!kind) return Fail(Status::InvalidArgument(fmt::format("--model '{}': expected ic, lt or wom", o.model)));
  auto scheme = graph::WeightScheme::Parse(o.weights);
  if (!scheme.ok()) return Fail(scheme.status());
  ProgressBar bar;
  RunControl control{InstallInterruptFlag(), &bar};
  const bool on_workspace = !o.workspace.empty();
  if (on_workspace == !o.graph.empty()) {
    return Fail(Status::InvalidArgument("give either --graph FILE or --workspace DIR"));
  }
  if (on_workspace && o.undirected) {
    return Fail(Status::InvalidArgument("--undirected is for --graph: a workspace graph keeps its own arcs"));
  }
  const std::string graph_path = on_workspace ? graph::WorkspaceGraphPath(o.workspace).string() : o.graph;
  if (on_workspace && !std::filesystem::exists(graph_path)) {
    return Fail(Status::FailedPrecondition(
        fmt::format("{} has no social graph ({}): run `vouch ingest graph` first", o.workspace, graph_path)));
  }
  // Start-up is over: its code pages leave the resident set before the selection's data joins it
  // (startup_pages.h).
  ReleaseStartupPages();
  // The workers start while the graph loads (the selection's timer then measures the selection, not thread
  // creation).
  influence::StartWorkerThreads(o.threads);
  graph::GraphLoadOptions load;
  load.undirected = o.undirected;
  load.read_cache = load.write_cache = !o.no_cache && !on_workspace;
  load.threads = o.threads;
  load.warm_in_arcs = true;  // reverse sampling reads the in-arc rows first thing
  graph::GraphLoadRecord loaded;
  auto g = graph::LoadGraph(graph_path, load, control, &loaded);
  if (!g.ok()) return Fail(g.status());

  influence::InfluenceMaximizerOptions opts;
  opts.k = o.k;
  opts.epsilon = o.epsilon;
  opts.delta = o.delta;
  opts.threads = o.threads;
  opts.seed = o.seed;
  opts.min_rr_sets = o.min_rr_sets;
  opts.r1_ratio = o.r1_ratio;
  opts.min_marginal_coverage = o.min_marginal_coverage;
  opts.max_selection_loss = o.max_selection_loss;
  opts.precision_max_growth = o.precision_max_growth;
  opts.precision_far_growth = o.precision_far_growth;
  opts.fix_settled_seeds = o.fix_settled_seeds;
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
  if (on_workspace) return RunOnWorkspace(o, *g, loaded, *kind, *scheme, std::move(opts), control, bar);
  return RunOnGraph(o, *g, loaded, *kind, *scheme, std::move(opts), control, bar);
}

void RegisterAdvocates(CLI::App& app) {
  auto* cmd = app.add_subcommand("advocates", "The k people whose word-of-mouth reaches the most others");
  auto o = std::make_shared<AdvocatesOptions>();
  auto* graph_opt =
      cmd->add_option("--graph", o->graph, "SNAP-style edge list (or a .vgraph file)")->check(CLI::ExistingFile);
  cmd->add_option("--workspace,-w", o->workspace, "Choose among the people of this workspace (its social graph)")
      ->excludes(graph_opt)
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--brand", o->brand, "Workspace: advocates are people who endorsed this brand (default: any)");
  cmd->add_option("--platform", o->platform,
                  "Workspace: the platform of the graph's handles (default: the one naming the most nodes)");
  cmd->add_flag("--all-people", o->all_people, "Workspace: every person is a candidate, endorser or not");
  cmd->add_flag("--undirected", o->undirected, "Each line is an undirected edge");
  cmd->add_flag("--no-cache", o->no_cache, "Neither read nor write FILE.vgraph");
  cmd->add_option("--k", o->k, "Number of advocates to choose")->capture_default_str();
  cmd->add_option("--model", o->model, "Diffusion model: ic, lt or wom")->capture_default_str();
  cmd->add_option("--weights", o->weights,
                  "Edge probabilities: wc, uniform:P, trivalency[:SEED], trust[:BASE], column")
      ->capture_default_str();
  cmd->add_option("--epsilon", o->epsilon, "Approximation slack: the guarantee is 1 - 1/e - epsilon")
      ->capture_default_str();
  cmd->add_option("--delta", o->delta, "Failure probability (default 1/n)");
  cmd->add_option("--threads", o->threads, "Threads (default: all cores)");
  cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
  cmd->add_option("--min-rr-sets", o->min_rr_sets,
                  "Quality: sample at least this many RR sets per collection (capped at theta_max) before "
                  "choosing; better seeds on average for more sampling time, guarantee unchanged (0: stop as "
                  "soon as OPIM-C's bound allows)")
      ->capture_default_str();
  cmd->add_option("--r1-ratio", o->r1_ratio,
                  "Quality: the greedy's RR collection (R1) holds this many times the validating one's (R2); "
                  "better seeds for more sampling of R1 only, guarantee unchanged (1: OPIM-C's equal collections)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1024}))
      ->capture_default_str();
  cmd->add_option("--min-marginal-coverage", o->min_marginal_coverage,
                  fmt::format("Quality: once OPIM-C's bounds pass, grow the greedy's collection (R1) alone while "
                              "the last seed covers fewer than this many of its RR sets (relative noise ~1/sqrt of "
                              "it: 100 is ~10%), at most {}x, seeds re-certified, guarantee unchanged (0: off)",
                              influence::OpimC::kMaxPrecisionGrowth))
      ->capture_default_str();
  cmd->add_option("--max-selection-loss", o->max_selection_loss,
                  "Quality: once OPIM-C's bounds pass, grow the greedy's collection (R1) alone while the share of "
                  "the seeds' coverage that sampling noise is estimated to cost the greedy (from the near-ties at "
                  "the last seed's gain) exceeds this, up to --precision-max-growth, seeds re-certified, "
                  "guarantee unchanged (0: off; not with --budget)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--precision-max-growth", o->precision_max_growth,
                  "Cap of --max-selection-loss: R1 grows to at most this many times the round's R1")
      ->check(CLI::Range(1.0, 1024.0))
      ->capture_default_str();
  cmd->add_option("--precision-far-growth", o->precision_far_growth,
                  "Far cap of --max-selection-loss: where the estimate is still above twice its target at "
                  "--precision-max-growth and fell in proportion to R1's growth, R1 grows on toward the target, to "
                  "at most this many times the round's R1 (1: no far growth)")
      ->check(CLI::Range(1.0, 1024.0))
      ->capture_default_str();
  cmd->add_option("--fix-settled-seeds", o->fix_settled_seeds,
                  "Speed: once a round's seeds stand clear of the cut, take them as given in every later greedy "
                  "and stop R1's later RR sets at them (every model; guarantee unchanged; false: sample R1 whole)")
      ->capture_default_str();
  cmd->add_option("--output", o->output, "Write the chosen ids here, one per line, in selection order");
  cmd->add_flag("--json", o->json, "Print the run record as JSON");
  cmd->add_option("--candidates", o->candidates, "Only people listed in this file (one id per line) may be chosen")
      ->check(CLI::ExistingFile);
  cmd->add_option("--exclude", o->exclude, "People listed in this file are never chosen")
      ->check(CLI::ExistingFile);
  cmd->add_option("--costs", o->costs, "'ID COST' per line (others cost 1); use with --budget")
      ->check(CLI::ExistingFile);
  cmd->add_option("--budget", o->budget, "Choose people of total cost at most this instead of k people");
  cmd->add_option("--adoption", o->wom.adoption_at_full_trust, "wom: adoption probability at full trust")
      ->capture_default_str();
  cmd->add_option("--trust-exponent", o->wom.trust_exponent, "wom: adoption grows as trust^exponent")
      ->capture_default_str();
  cmd->add_option("--share", o->wom.share_probability, "wom: probability a non-adopter shares")
      ->capture_default_str();
  cmd->callback([o] { Exit(RunAdvocates(*o)); });
}

}  // namespace
VOUCH_COMMAND(60, "advocates", RegisterAdvocates);
}  // namespace vouch::cli
