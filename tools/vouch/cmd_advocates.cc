// vouch advocates --graph FILE [--undirected] --k K --model ic|lt|wom --weights SCHEME --epsilon E [--threads T]
//                 --output SEEDS.txt [--json]
// The k people whose word travels furthest (influence maximisation, vouch/influence/opim_c.h). SEEDS.txt holds
// one external node id per line in selection order; --json prints the run record. Benchmark scripts call this
// exact contract: keep it stable.
//
// vouch advocates --workspace DIR [same options] [--brand NAME] [--platform P] [--all-people]
// The same over the workspace's social graph (DIR/graph/social.vgraph), with trust from `vouch trust compute`
// (vouch/trust/graph_trust.h: --weights trust and the wom model use it), candidates restricted to advocates
// (people with first-hand endorsements in the mentions table, when it holds any), and each chosen person listed
// with why: endorsements, complaints, reputation, how much their listeners trust them, expected reach.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "command.h"
#include "terminal.h"
#include "vouch/graph/graph_ingest.h"
#include "vouch/graph/graph_loader.h"
#include "vouch/graph/node_list.h"
#include "vouch/influence/opim_c.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/trust/graph_trust.h"
#include "vouch/trust/trust_store.h"
#include "vouch/trust/workspace_evidence.h"
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
  std::string output;
  bool json = false;
  std::string candidates, exclude, costs;
  double budget = 0;
  influence::WordOfMouthParameters wom;
};

// What the workspace says about each graph node: the person behind it and why they might be an advocate.
struct WorkspaceContext {
  std::unique_ptr<Workspace> workspace;
  std::vector<PersonId> person_of_node;
  std::vector<float> in_trust;  // per in-arc; empty when trust was never computed
  std::unordered_map<PersonId, trust::MentionActs> acts;
  std::unordered_map<PersonId, trust::PersonReputation> reputation;
  bool trust_computed = false;
  std::string candidates_note;
  trust::GraphTrust counts;  // arcs by source of their trust (vectors moved out)
};

Result<WorkspaceContext> LoadWorkspaceContext(const AdvocatesOptions& o, const graph::Graph& g) {
  WorkspaceContext c;
  VOUCH_ASSIGN_OR_RETURN(c.workspace, Workspace::Open(o.workspace));
  auto* sqlite = dynamic_cast<SqliteStore*>(&c.workspace->store());
  if (sqlite == nullptr) return Status::FailedPrecondition("advocates on a workspace need the SQLite store");
  std::string platform = o.platform;
  if (platform.empty()) {
    VOUCH_ASSIGN_OR_RETURN(platform, trust::DetectGraphPlatform(g, c.workspace->store(), sqlite->db(),
                                                                c.workspace->config().default_platform));
  }
  VOUCH_ASSIGN_OR_RETURN(auto ts, trust::SqliteTrustStore::Open(sqlite->db()));
  VOUCH_ASSIGN_OR_RETURN(int64_t computed_at, ts->ComputedAt());
  c.trust_computed = computed_at != 0;
  if (c.trust_computed) {
    VOUCH_ASSIGN_OR_RETURN(c.counts, trust::ReadGraphTrust(g, c.workspace->store(), *ts, platform));
    c.person_of_node = std::move(c.counts.person_of_node);
    c.in_trust = std::move(c.counts.in_trust);
    VOUCH_TRY(ts->ForEachPerson([&](const trust::PersonReputation& p) {
      c.reputation.emplace(p.person, p);
      return true;
    }));
  } else {
    VOUCH_ASSIGN_OR_RETURN(c.person_of_node,
                           trust::GraphPeople(g, c.workspace->store(), platform, &c.counts.nodes_without_person));
  }
  if (c.counts.nodes_without_person == g.num_nodes() && g.num_nodes() > 0) {
    return Status::FailedPrecondition(fmt::format(
        "none of the graph's {} nodes is a {} handle of a person in the workspace: the graph was ingested on "
        "another platform (pass --platform)",
        g.num_nodes(), platform));
  }
  VOUCH_ASSIGN_OR_RETURN(c.acts, trust::ReadMentionActs(sqlite->db(), o.brand));
  return c;
}

std::string DisplayName(Store& store, PersonId person, const std::string& fallback) {
  if (person == 0) return fallback;
  auto p = store.GetPerson(person);
  if (p.ok() && p->has_value() && !(*p)->display_name.empty()) return (*p)->display_name;
  return fallback;
}

int PrintWorkspaceAdvocates(const AdvocatesOptions& o, const graph::Graph& g, WorkspaceContext& ws,
                            const influence::OpimC& opim, influence::DiffusionModelKind kind,
                            const graph::WeightScheme& scheme, const graph::GraphLoadRecord& loaded) {
  const auto& rec = opim.record();
  if (!o.output.empty()) {
    std::ofstream out(o.output);
    for (const auto& s : opim.seeds()) out << g.ExternalId(s.node) << '\n';
    out.close();
    if (!out) return Fail(Status::IoError(fmt::format("{}: cannot write", o.output)));
  }
  // How much each chosen person's listeners trust them: the mean of t(listener -> them) over their out-arcs.
  std::unordered_map<graph::NodeId, std::pair<double, uint64_t>> listened;
  for (const auto& s : opim.seeds()) listened[s.node] = {0.0, 0};
  if (!ws.in_trust.empty()) {
    const graph::GraphArrays& a = g.arrays();
    for (uint64_t e = 0; e < a.num_edges; ++e) {
      if (auto it = listened.find(a.in_sources[e]); it != listened.end()) {
        it->second.first += ws.in_trust[e];
        ++it->second.second;
      }
    }
  }
  Store& store = ws.workspace->store();
  struct Row {
    std::string handle, name;
    PersonId person = 0;
    trust::MentionActs acts;
    const trust::PersonReputation* rep = nullptr;
    double listener_trust = -1;
    uint64_t listeners = 0;
    double reach = 0;
  };
  std::vector<Row> rows;
  for (const auto& s : opim.seeds()) {
    Row r;
    r.handle = g.ExternalId(s.node);
    r.person = ws.person_of_node[s.node];
    r.name = DisplayName(store, r.person, r.handle);
    if (auto it = ws.acts.find(r.person); r.person != 0 && it != ws.acts.end()) r.acts = it->second;
    if (auto it = ws.reputation.find(r.person); r.person != 0 && it != ws.reputation.end()) r.rep = &it->second;
    r.listeners = g.OutDegree(s.node);
    if (const auto& [sum, n] = listened[s.node]; n > 0) r.listener_trust = sum / static_cast<double>(n);
    r.reach = s.marginal_spread;
    rows.push_back(std::move(r));
  }
  if (o.json) {
    nlohmann::json seeds = nlohmann::json::array();
    for (const Row& r : rows) {
      nlohmann::json j = {{"id", r.handle},
                          {"person", r.person},
                          {"name", r.name},
                          {"endorsements", r.acts.endorsements},
                          {"complaints", r.acts.complaints},
                          {"listeners", r.listeners},
                          {"marginal_spread", r.reach}};
      j["reputation"] = r.rep ? nlohmann::json(r.rep->reputation) : nlohmann::json(nullptr);
      j["ratings_received"] = r.rep ? r.rep->ratings_received : 0;
      j["listener_trust"] = r.listener_trust >= 0 ? nlohmann::json(r.listener_trust) : nlohmann::json(nullptr);
      seeds.push_back(std::move(j));
    }
    nlohmann::json j = {
        {"algorithm", rec.algorithm},
        {"model", influence::DiffusionModelName(kind)},
        {"weights", scheme.ToString()},
        {"k", o.budget > 0 ? opim.seeds().size() : o.k},
        {"budget", o.budget},
        {"epsilon", o.epsilon},
        {"delta", o.delta > 0 ? o.delta : 1.0 / g.num_nodes()},
        {"threads", rec.threads},
        {"workspace", o.workspace},
        {"graph", {{"path", loaded.cache_path.empty() ? graph::WorkspaceGraphPath(o.workspace).string()
                                                      : loaded.cache_path.string()},
                   {"nodes", g.num_nodes()},
                   {"arcs", g.num_edges()},
                   {"undirected", g.undirected()},
                   {"nodes_without_person", ws.counts.nodes_without_person}}},
        {"trust", {{"computed", ws.trust_computed},
                   {"arcs_from_local_trust", ws.counts.from_local},
                   {"arcs_from_reputation", ws.counts.from_reputation},
                   {"arcs_from_prior", ws.counts.from_prior}}},
        {"candidates", ws.candidates_note},
        {"seeds", seeds},
        {"spread", {{"estimate", rec.spread}, {"lower", rec.spread_lower}, {"upper", rec.spread_upper}}},
        {"approximation", rec.approximation},
        {"samples", {{"rr_sets", rec.rr_sets}, {"rr_set_entries", rec.rr_set_entries}}},
        {"times", {{"load_seconds", loaded.total_seconds}, {"maximisation_seconds", rec.total_seconds}}},
        {"peak_memory_bytes", rec.peak_memory_bytes}};
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("{}\n", ws.candidates_note);
  if (!ws.trust_computed) {
    fmt::print("trust: not computed (run `vouch trust compute`): reputation and listeners' trust unknown\n");
  } else {
    fmt::print("trust of listeners in speakers: {} arcs from local trust, {} from the speaker's reputation, {} the "
               "prior 0.5\n",
               ws.counts.from_local, ws.counts.from_reputation, ws.counts.from_prior);
  }
  fmt::print("{:<4} {:<24} {:<18} {:>8} {:>9} {:>10} {:>9} {:>10} {:>9}\n", "rank", "person", "handle", "endorses",
             "complains", "reputation", "listeners", "their trust", "reach +");
  int rank = 0;
  for (const Row& r : rows) {
    fmt::print("{:<4} {:<24} {:<18} {:>8} {:>9} {:>10} {:>9} {:>10} {:>9.1f}\n", ++rank, r.name.substr(0, 24),
               r.handle.substr(0, 18), r.acts.endorsements, r.acts.complaints,
               r.rep ? fmt::format("{:+.3f}", r.rep->reputation) : std::string("-"), r.listeners,
               r.listener_trust >= 0 ? fmt::format("{:.3f}", r.listener_trust) : std::string("-"), r.reach);
  }
  fmt::print("expected reach {:.1f} people (between {:.1f} and {:.1f}), {} model, {} weights; guarantee {:.3f} of the "
             "best\n",
             rec.spread, rec.spread_lower, rec.spread_upper, influence::DiffusionModelName(kind), scheme.ToString(),
             rec.approximation);
  fmt::print("endorses/complains: first-hand mentions{}; reputation: trust received from credible raters "
             "([-1, 1], 0 unknown); their trust: mean trust of their listeners in them; reach +: people their word "
             "adds\n",
             o.brand.empty() ? "" : " of " + o.brand);
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
  graph::GraphLoadOptions load;
  load.undirected = o.undirected;
  load.read_cache = load.write_cache = !o.no_cache && !on_workspace;
  load.threads = o.threads;
  graph::GraphLoadRecord loaded;
  auto g = graph::LoadGraph(graph_path, load, control, &loaded);
  if (!g.ok()) return Fail(g.status());
  // From --graph, trust comes from the edge list's weight column; on a workspace, from `vouch trust compute`
  // (docs/models.md).
  std::span<const float> trust = g->arrays().in_weights;
  std::optional<WorkspaceContext> ws;
  if (on_workspace) {
    auto c = LoadWorkspaceContext(o, *g);
    if (!c.ok()) return Fail(c.status());
    ws = std::move(*c);
    const bool needs_trust = scheme->kind == graph::WeightSchemeKind::kTrust ||
                             *kind == influence::DiffusionModelKind::kWordOfMouth;
    if (needs_trust && !ws->trust_computed) {
      return Fail(Status::FailedPrecondition(fmt::format(
          "--weights trust and --model wom need the workspace's trust: run `vouch trust compute --workspace {}` first",
          o.workspace)));
    }
    trust = ws->in_trust;
  }
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
  } else if (ws && !o.all_people) {
    // Advocates: people with first-hand endorsements (of --brand, or any brand).
    if (ws->acts.empty()) {
      ws->candidates_note = "the workspace holds no endorsements or complaints (no mentions stored): every person "
                            "is a candidate";
    } else {
      for (graph::NodeId u = 0; u < g->num_nodes(); ++u) {
        auto it = ws->acts.find(ws->person_of_node[u]);
        if (ws->person_of_node[u] != 0 && it != ws->acts.end() && it->second.endorsements > 0) {
          opts.candidates.push_back(u);
        }
      }
      ws->candidates_note =
          opts.candidates.empty()
              ? "nobody in the graph has endorsed" + (o.brand.empty() ? std::string() : " " + o.brand) +
                    " first-hand: every person is a candidate"
              : fmt::format("candidates: the {} people in the graph with first-hand endorsements{}",
                            opts.candidates.size(), o.brand.empty() ? std::string() : " of " + o.brand);
    }
  } else if (ws) {
    ws->candidates_note = "--all-people: every person is a candidate";
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
  if (ws) return PrintWorkspaceAdvocates(o, *g, *ws, opim, *kind, *scheme, loaded);
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
