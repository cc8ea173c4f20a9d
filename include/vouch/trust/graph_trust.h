// GraphTrust: the workspace's computed trust laid onto its social graph, for the `trust` edge-probability scheme
// (graph/edge_probabilities.h) and the word-of-mouth model: one value per in-arc of the graph.
//
// An arc u -> v means u's word reaches v (v follows, listens to, u), so the arc's value is how much the listener
// trusts the speaker, t(v -> u), in [0, 1]:
//   1. local trust, when `vouch trust compute` stored a pair for (person of v, person of u): ratings,
//      interactions and referral outcomes with their decay (local_trust.h);
//   2. otherwise the speaker's standing: 0.5 (1 + reputation(u)). Reputation is already shrunk toward 0
//      ("unknown") for people few credible raters rated, so a stranger with no evidence gets 0.5, the base rate
//      of LocalTrust's prior: the trust of a listener who knows nothing beyond what everyone says of u;
//   3. 0.5 (the same prior) for a speaker the trust computation never saw.
// (A learnt prediction per pair, RatingPredictor, would be a finer fallback; it costs a model training per
// workspace and per-arc features, and is not used here.)
// Nodes are mapped to people through their external id, a handle on `platform` (how `vouch ingest graph`
// created them, identity/normalize.h rules).
//
// Thread safety: one thread at a time (reads the Store and the TrustStore).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/graph/graph.h"
#include "vouch/store/sqlite_db.h"
#include "vouch/store/store.h"
#include "vouch/trust/trust_store.h"

namespace vouch::trust {

struct GraphTrust {
  std::vector<PersonId> person_of_node;  // 0 where the node's handle names nobody in the workspace
  std::vector<float> in_trust;           // per in-arc, in the order of graph.arrays().in_sources
  uint64_t from_local = 0, from_reputation = 0, from_prior = 0;  // arcs by where their value came from
  uint64_t nodes_without_person = 0;
};

inline constexpr float kStrangerTrust = 0.5f;

// The platform whose handles the graph's node ids are: of `preferred` (the workspace's default platform) and
// every platform with handles in the workspace, the one that names the most of the graph's first 256 nodes
// (preferred on ties): what a graph file from before `vouch ingest graph` recorded its platform needs. A graph
// that records its platform (graph.arrays().platform) gets that one.
Result<std::string> DetectGraphPlatform(const graph::Graph& graph, Store& store, store::SqliteDb& db,
                                        std::string_view preferred);

// The people behind the graph's nodes only (in_trust left empty); for callers that need no trust. A workspace
// graph with people pending on `platform` (graph/graph_people.h) gets the missing ones created, in one
// transaction: every node then has a person, as when the ingest created them.
Result<std::vector<PersonId>> GraphPeople(const graph::Graph& graph, Store& store, std::string_view platform,
                                          uint64_t* without_person = nullptr);

// store: the workspace's records (handles to people); trust: what `vouch trust compute` stored.
Result<GraphTrust> ReadGraphTrust(const graph::Graph& graph, Store& store, TrustStore& trust,
                                  std::string_view platform);

}  // namespace vouch::trust
