// WorkspaceAdvocates: the advocates of a workspace whose word travels furthest (`vouch advocates --workspace`):
// influence maximisation (OpimC, opim_c.h) over the workspace's social graph, among the people who endorsed the
// brand first-hand, with each chosen advocate's why.
//
// What run() gathers from the workspace before choosing:
//   people      the person behind each graph node: its external id is a handle on `platform` (detected when empty,
//               trust::DetectGraphPlatform); FailedPrecondition when no node names a person (wrong platform);
//   trust       when `vouch trust compute` ran, t(listener -> speaker) per in-arc (trust::ReadGraphTrust,
//               graph_trust.h) and each person's reputation (TrustStore); the `trust` weights and the
//               word-of-mouth model need it (FailedPrecondition naming `vouch trust compute` otherwise);
//   acts        first-hand endorsements and complaints per person in the mentions table, of `brand` or of every
//               brand when empty (trust::ReadMentionActs).
// Candidates: options.maximizer.candidates when the caller gives some; otherwise, unless all_people, the people of
// the graph with at least one first-hand endorsement; everybody when the mentions table is empty or nobody in the
// graph endorsed. candidates_note() says which rule applied (empty when the caller gave the candidates).
// Each advocate's listener trust is the mean of t(listener -> them) over their out-arcs (unknown without trust).
//
// Results (advocates()), the maximiser's run record (record()) and what the gathering found (evidence()) are
// separate values; the getters assert that run() succeeded.
//
// Thread safety: one thread at a time (reads the Store and the SqliteDb); OpimC's sampling uses the threads of
// options.maximizer.threads internally. Cancellable through control (between OpimC's sampling blocks).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/graph/edge_probabilities.h"
#include "vouch/graph/graph.h"
#include "vouch/influence/diffusion_model.h"
#include "vouch/influence/influence_maximizer.h"
#include "vouch/store/sqlite_db.h"
#include "vouch/store/store.h"

namespace vouch::influence {

struct WorkspaceAdvocatesOptions {
  std::string workspace;         // its directory, named in errors
  std::string brand;             // advocates endorsed this brand; empty: any brand
  std::string platform;          // of the graph's handles; empty: detected
  std::string default_platform;  // the workspace's, preferred when detecting
  bool all_people = false;       // every person is a candidate, endorser or not
  DiffusionModelKind model = DiffusionModelKind::kIndependentCascade;
  graph::WeightScheme weights;
  WordOfMouthParameters word_of_mouth;
  // k, epsilon, budget, costs, exclusions; candidates given here replace the endorsers.
  InfluenceMaximizerOptions maximizer;
};

// One chosen advocate and why.
struct Advocate {
  graph::NodeId node = 0;
  std::string handle;                        // the node's external id
  PersonId person = 0;                       // 0: the handle names nobody in the workspace
  std::string name;                          // the person's display name, else the handle
  int64_t endorsements = 0, complaints = 0;  // first-hand mentions (of the brand)
  std::optional<double> reputation;          // [-1, 1]; unknown without trust or for people it never saw
  int64_t ratings_received = 0;
  uint64_t listeners = 0;                // out-arcs: people their word reaches directly
  std::optional<double> listener_trust;  // mean trust of their listeners in them, [0, 1]
  double marginal_spread = 0;            // people their word adds (SeedChoice)
};

// What the gathering found, for the record.
struct WorkspaceAdvocatesEvidence {
  std::string platform;
  bool trust_computed = false;
  uint64_t arcs_from_local_trust = 0, arcs_from_reputation = 0, arcs_from_prior = 0;
  uint64_t nodes_without_person = 0;
};

class WorkspaceAdvocates final {
 public:
  // store and db are the workspace's (db: its SQLite file, SqliteStore::db()); graph is its social graph. All
  // three must outlive the object.
  WorkspaceAdvocates(Store& store, store::SqliteDb& db, const graph::Graph& graph,
                     WorkspaceAdvocatesOptions options, RunControl control = {});
  Status run();

  // In selection order.
  const std::vector<Advocate>& advocates() const;
  const InfluenceMaximizerRecord& record() const;
  const WorkspaceAdvocatesEvidence& evidence() const;
  // How candidates were chosen, in words; empty when the caller gave them.
  const std::string& candidates_note() const;

 private:
  Store& store_;
  store::SqliteDb& db_;
  const graph::Graph& graph_;
  WorkspaceAdvocatesOptions options_;
  RunControl control_;
  bool done_ = false;
  std::vector<Advocate> advocates_;
  InfluenceMaximizerRecord record_;
  WorkspaceAdvocatesEvidence evidence_;
  std::string candidates_note_;
};

}  // namespace vouch::influence
