#include "vouch/trust/graph_trust.h"

#include <algorithm>
#include <unordered_map>

#include "vouch/identity/normalize.h"
#include "vouch/store/rows.h"

namespace vouch::trust {
namespace {

struct PairHash {
  size_t operator()(const std::pair<PersonId, PersonId>& p) const {
    return std::hash<int64_t>{}(p.first * 1'000'003 ^ p.second);
  }
};

}  // namespace

Result<std::string> DetectGraphPlatform(const graph::Graph& graph, Store& store, store::SqliteDb& db,
                                        std::string_view preferred) {
  // A workspace graph records the platform it was ingested on.
  if (!graph.arrays().platform.empty()) return std::string(graph.arrays().platform);
  std::vector<std::string> platforms{std::string(preferred)};
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db.Prepare("SELECT DISTINCT scope FROM identities WHERE kind = 'handle' ORDER BY scope"));
  VOUCH_TRY(store::ForEachRow(*q, [&](const store::Statement& row) {
    if (std::string scope = row.Text(0); scope != preferred) platforms.push_back(std::move(scope));
  }));
  const graph::NodeId probe = std::min<graph::NodeId>(graph.num_nodes(), 256);
  std::string best(preferred);
  graph::NodeId best_found = 0;
  for (const std::string& platform : platforms) {
    graph::NodeId found = 0;
    for (graph::NodeId u = 0; u < probe; ++u) {
      IdentityKey key = identity::HandleKey(platform, graph.ExternalId(u));
      if (key.value.empty()) continue;
      VOUCH_ASSIGN_OR_RETURN(auto identity, store.FindIdentity(key));
      found += identity.has_value() ? 1 : 0;
    }
    if (found > best_found) {
      best_found = found;
      best = platform;
    }
  }
  return best;
}

Result<std::vector<PersonId>> GraphPeople(const graph::Graph& graph, Store& store, std::string_view platform,
                                          uint64_t* without_person) {
  std::vector<PersonId> people(graph.num_nodes(), 0);
  // A workspace graph whose people are pending (graph/graph_people.h) gets them now, on its own platform: the
  // nodes no identity names yet become people, as GraphPeopleMapper would make them.
  const bool create = graph.arrays().people_pending && graph.arrays().platform == platform;
  std::vector<IdentityKey> missing_keys;
  std::vector<std::string> missing_ids;
  std::vector<graph::NodeId> missing_nodes;
  uint64_t missing = 0;
  for (graph::NodeId u = 0; u < graph.num_nodes(); ++u) {
    std::string id = graph.ExternalId(u);
    IdentityKey key = identity::HandleKey(platform, id);
    std::optional<Identity> found;
    if (!key.value.empty()) {
      VOUCH_ASSIGN_OR_RETURN(found, store.FindIdentity(key));
    }
    if (found) {
      people[u] = found->person;
    } else if (create && !key.value.empty()) {
      missing_keys.push_back(std::move(key));
      missing_ids.push_back(std::move(id));
      missing_nodes.push_back(u);
    } else {
      ++missing;
    }
  }
  if (!missing_keys.empty()) {
    std::vector<std::string_view> displays(missing_ids.begin(), missing_ids.end());
    std::vector<IdentityRef> refs;
    VOUCH_TRY(store.Begin());
    Status s = store.ResolveIdentities(missing_keys, displays, refs);
    if (s.ok()) s = store.Commit();
    if (!s.ok()) {
      store.Rollback();
      return s;
    }
    for (size_t i = 0; i < refs.size(); ++i) people[missing_nodes[i]] = refs[i].person;
  }
  if (without_person != nullptr) *without_person = missing;
  return people;
}

Result<GraphTrust> ReadGraphTrust(const graph::Graph& graph, Store& store, TrustStore& trust,
                                  std::string_view platform) {
  GraphTrust out;
  VOUCH_ASSIGN_OR_RETURN(out.person_of_node, GraphPeople(graph, store, platform, &out.nodes_without_person));
  std::unordered_map<PersonId, float> standing;
  VOUCH_TRY(trust.ForEachPerson([&](const PersonReputation& p) {
    standing.emplace(p.person, static_cast<float>(std::clamp(0.5 * (1.0 + p.reputation), 0.0, 1.0)));
    return true;
  }));
  std::unordered_map<std::pair<PersonId, PersonId>, float, PairHash> local;
  VOUCH_TRY(trust.ForEachPair([&](const PairTrustRow& r) {
    local.emplace(std::pair{r.truster, r.trustee}, static_cast<float>(std::clamp(r.trust, 0.0, 1.0)));
    return true;
  }));
  const graph::GraphArrays& a = graph.arrays();
  out.in_trust.assign(a.num_edges, kStrangerTrust);
  for (graph::NodeId v = 0; v < graph.num_nodes(); ++v) {
    const PersonId listener = out.person_of_node[v];
    for (uint64_t e = a.in_offsets[v]; e < a.in_offsets[v + 1]; ++e) {
      const PersonId speaker = out.person_of_node[a.in_sources[e]];
      if (listener != 0 && speaker != 0) {
        if (auto it = local.find({listener, speaker}); it != local.end()) {
          out.in_trust[e] = it->second;
          ++out.from_local;
          continue;
        }
      }
      if (speaker != 0) {
        if (auto it = standing.find(speaker); it != standing.end()) {
          out.in_trust[e] = it->second;
          ++out.from_reputation;
          continue;
        }
      }
      ++out.from_prior;
    }
  }
  return out;
}

}  // namespace vouch::trust
