#include "vouch/influence/workspace_advocates.h"

#include <fmt/format.h>

#include <cassert>
#include <unordered_map>

#include "vouch/influence/opim_c.h"
#include "vouch/trust/graph_trust.h"
#include "vouch/trust/trust_store.h"
#include "vouch/trust/workspace_evidence.h"

namespace vouch::influence {
namespace {

std::string DisplayName(Store& store, PersonId person, const std::string& fallback) {
  if (person == 0) return fallback;
  auto p = store.GetPerson(person);
  if (p.ok() && p->has_value() && !(*p)->display_name.empty()) return (*p)->display_name;
  return fallback;
}

}  // namespace

WorkspaceAdvocates::WorkspaceAdvocates(Store& store, store::SqliteDb& db, const graph::Graph& graph,
                                       WorkspaceAdvocatesOptions options, RunControl control)
    : store_(store), db_(db), graph_(graph), options_(std::move(options)), control_(control) {}

Status WorkspaceAdvocates::run() {
  done_ = false;
  advocates_.clear();
  const graph::Graph& g = graph_;
  std::string platform = options_.platform;
  if (platform.empty()) {
    VOUCH_ASSIGN_OR_RETURN(platform, trust::DetectGraphPlatform(g, store_, db_, options_.default_platform));
  }
  evidence_ = {};
  evidence_.platform = platform;

  // The people behind the nodes and, once trust was computed, each listener's trust in each speaker.
  VOUCH_ASSIGN_OR_RETURN(auto trust_store, trust::SqliteTrustStore::Open(db_));
  VOUCH_ASSIGN_OR_RETURN(int64_t computed_at, trust_store->ComputedAt());
  evidence_.trust_computed = computed_at != 0;
  trust::GraphTrust on_graph;
  if (evidence_.trust_computed) {
    VOUCH_ASSIGN_OR_RETURN(on_graph, trust::ReadGraphTrust(g, store_, *trust_store, platform));
  } else {
    VOUCH_ASSIGN_OR_RETURN(on_graph.person_of_node,
                           trust::GraphPeople(g, store_, platform, &on_graph.nodes_without_person));
  }
  evidence_.arcs_from_local_trust = on_graph.from_local;
  evidence_.arcs_from_reputation = on_graph.from_reputation;
  evidence_.arcs_from_prior = on_graph.from_prior;
  evidence_.nodes_without_person = on_graph.nodes_without_person;
  const std::vector<PersonId>& person_of_node = on_graph.person_of_node;
  if (on_graph.nodes_without_person == g.num_nodes() && g.num_nodes() > 0) {
    return Status::FailedPrecondition(fmt::format(
        "none of the graph's {} nodes is a {} handle of a person in the workspace: the graph was ingested on "
        "another platform (pass --platform)",
        g.num_nodes(), platform));
  }
  const bool needs_trust = options_.weights.kind == graph::WeightSchemeKind::kTrust ||
                           options_.model == DiffusionModelKind::kWordOfMouth;
  if (needs_trust && !evidence_.trust_computed) {
    return Status::FailedPrecondition(
        fmt::format("--weights trust and --model wom need the workspace's trust: run `vouch trust compute "
                    "--workspace {}` first",
                    options_.workspace));
  }
  VOUCH_ASSIGN_OR_RETURN(auto acts, trust::ReadMentionActs(db_, options_.brand));
  VOUCH_ASSIGN_OR_RETURN(auto model, DiffusionModel::Make(g, options_.model, options_.weights, on_graph.in_trust,
                                                          options_.word_of_mouth));

  // Advocates: people with first-hand endorsements (of the brand, or any brand).
  InfluenceMaximizerOptions maximizer = options_.maximizer;
  candidates_note_.clear();
  if (!maximizer.candidates.empty()) {
    // The caller's list stands.
  } else if (options_.all_people) {
    candidates_note_ = "--all-people: every person is a candidate";
  } else if (acts.empty()) {
    candidates_note_ =
        "the workspace holds no endorsements or complaints (no mentions stored): every person is a "
        "candidate";
  } else {
    for (graph::NodeId u = 0; u < g.num_nodes(); ++u) {
      auto it = acts.find(person_of_node[u]);
      if (person_of_node[u] != 0 && it != acts.end() && it->second.endorsements > 0) {
        maximizer.candidates.push_back(u);
      }
    }
    candidates_note_ = maximizer.candidates.empty()
                           ? "nobody in the graph has endorsed" +
                                 (options_.brand.empty() ? std::string() : " " + options_.brand) +
                                 " first-hand: every person is a candidate"
                           : fmt::format("candidates: the {} people in the graph with first-hand endorsements{}",
                                         maximizer.candidates.size(),
                                         options_.brand.empty() ? std::string() : " of " + options_.brand);
  }

  OpimC opim(model, std::move(maximizer), control_);
  VOUCH_TRY(opim.run());
  record_ = opim.record();

  // How much each chosen person's listeners trust them: the mean of t(listener -> them) over their out-arcs.
  std::unordered_map<graph::NodeId, std::pair<double, uint64_t>> listened;
  for (const SeedChoice& s : opim.seeds()) listened[s.node] = {0.0, 0};
  if (!on_graph.in_trust.empty()) {
    const graph::GraphArrays& a = g.arrays();
    for (uint64_t e = 0; e < a.num_edges; ++e) {
      if (auto it = listened.find(a.in_sources[e]); it != listened.end()) {
        it->second.first += on_graph.in_trust[e];
        ++it->second.second;
      }
    }
  }
  for (const SeedChoice& s : opim.seeds()) {
    Advocate a;
    a.node = s.node;
    a.handle = g.ExternalId(s.node);
    a.person = person_of_node[s.node];
    a.name = DisplayName(store_, a.person, a.handle);
    if (auto it = acts.find(a.person); a.person != 0 && it != acts.end()) {
      a.endorsements = it->second.endorsements;
      a.complaints = it->second.complaints;
    }
    if (a.person != 0 && evidence_.trust_computed) {
      VOUCH_ASSIGN_OR_RETURN(auto reputation, trust_store->Get(a.person));
      if (reputation) {
        a.reputation = reputation->reputation;
        a.ratings_received = reputation->ratings_received;
      }
    }
    a.listeners = g.OutDegree(s.node);
    if (const auto& [sum, n] = listened[s.node]; n > 0) a.listener_trust = sum / static_cast<double>(n);
    a.marginal_spread = s.marginal_spread;
    advocates_.push_back(std::move(a));
  }
  done_ = true;
  return Status::Ok();
}

const std::vector<Advocate>& WorkspaceAdvocates::advocates() const {
  assert(done_ && "WorkspaceAdvocates::advocates before run() succeeded");
  return advocates_;
}

const InfluenceMaximizerRecord& WorkspaceAdvocates::record() const {
  assert(done_ && "WorkspaceAdvocates::record before run() succeeded");
  return record_;
}

const WorkspaceAdvocatesEvidence& WorkspaceAdvocates::evidence() const {
  assert(done_ && "WorkspaceAdvocates::evidence before run() succeeded");
  return evidence_;
}

const std::string& WorkspaceAdvocates::candidates_note() const {
  assert(done_ && "WorkspaceAdvocates::candidates_note before run() succeeded");
  return candidates_note_;
}

}  // namespace vouch::influence
