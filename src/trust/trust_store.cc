#include "vouch/trust/trust_store.h"

#include <fmt/format.h>

#include <string>
#include <tuple>
#include <unordered_map>

#include "vouch/store/rows.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/trust/fairness_goodness.h"
#include "vouch/trust/local_trust.h"
#include "vouch/trust/rating_graph.h"
#include "vouch/trust/reputation.h"
#include "vouch/trust/workspace_evidence.h"

namespace vouch::trust {
namespace {

// The "trust" schema component. Append a step to change it; never edit a step that has shipped.
const std::vector<store::Migration>& TrustMigrations() {
  static const std::vector<store::Migration> steps = {
      {1, R"sql(
CREATE TABLE trust_reputation (
  person_id        INTEGER PRIMARY KEY,
  reputation       REAL NOT NULL,
  fairness         REAL NOT NULL,
  goodness         REAL NOT NULL,
  trust            REAL NOT NULL,
  credibility      REAL NOT NULL,
  ratings_received INTEGER NOT NULL,
  ratings_given    INTEGER NOT NULL,
  seed             INTEGER NOT NULL
);
CREATE INDEX trust_reputation_rank ON trust_reputation(reputation DESC, ratings_received DESC);
CREATE TABLE trust_local (
  truster    INTEGER NOT NULL,
  trustee    INTEGER NOT NULL,
  trust      REAL NOT NULL,
  confidence REAL NOT NULL,
  PRIMARY KEY (truster, trustee)
);
CREATE INDEX trust_local_trustee ON trust_local(trustee);
CREATE TABLE trust_runs (
  id          INTEGER PRIMARY KEY,
  computed_at INTEGER NOT NULL,
  people      INTEGER NOT NULL,
  pairs       INTEGER NOT NULL
);
)sql"},
  };
  return steps;
}

// A row of kReputationColumns.
PersonReputation ReadReputation(const store::Statement& row) {
  PersonReputation p;
  std::tie(p.person, p.reputation, p.fairness, p.goodness, p.trust, p.credibility, p.ratings_received,
           p.ratings_given, p.seed) =
      store::Columns<PersonId, double, double, double, double, double, int64_t, int64_t, bool>(row);
  return p;
}

// A row of "truster, trustee, trust, confidence".
PairTrustRow ReadPair(const store::Statement& row) {
  auto [truster, trustee, trust, confidence] = store::Columns<PersonId, PersonId, double, double>(row);
  return {truster, trustee, trust, confidence};
}

constexpr std::string_view kReputationColumns =
    "person_id, reputation, fairness, goodness, trust, credibility, ratings_received, ratings_given, seed";

}  // namespace

Result<std::unique_ptr<SqliteTrustStore>> SqliteTrustStore::Open(store::SqliteDb& db) {
  VOUCH_TRY(db.Migrate("trust", TrustMigrations()));
  return std::unique_ptr<SqliteTrustStore>(new SqliteTrustStore(db));
}

Status SqliteTrustStore::Replace(const TrustComputation& c) {
  VOUCH_ASSIGN_OR_RETURN(auto tx, store::Transaction::Begin(db_));
  VOUCH_TRY(db_.Exec("DELETE FROM trust_reputation; DELETE FROM trust_local;"));
  VOUCH_ASSIGN_OR_RETURN(
      store::Statement * rep,
      db_.Prepare("INSERT INTO trust_reputation (person_id, reputation, fairness, goodness, trust, "
                  "credibility, ratings_received, ratings_given, seed) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  for (const PersonReputation& p : c.people) {
    VOUCH_TRY(rep->Reset()
                  .Bind(1, p.person)
                  .Bind(2, p.reputation)
                  .Bind(3, p.fairness)
                  .Bind(4, p.goodness)
                  .Bind(5, p.trust)
                  .Bind(6, p.credibility)
                  .Bind(7, p.ratings_received)
                  .Bind(8, p.ratings_given)
                  .Bind(9, p.seed ? 1 : 0)
                  .Run());
  }
  VOUCH_ASSIGN_OR_RETURN(store::Statement * pair,
                         db_.Prepare("INSERT INTO trust_local (truster, trustee, trust, confidence) "
                                     "VALUES (?1, ?2, ?3, ?4)"));
  for (const PairTrustRow& p : c.pairs) {
    VOUCH_TRY(pair->Reset().Bind(1, p.truster).Bind(2, p.trustee).Bind(3, p.trust).Bind(4, p.confidence).Run());
  }
  VOUCH_ASSIGN_OR_RETURN(store::Statement * run,
                         db_.Prepare("INSERT INTO trust_runs (computed_at, people, pairs) VALUES (?1, ?2, ?3)"));
  VOUCH_TRY(run->Reset()
                .Bind(1, c.computed_at)
                .Bind(2, static_cast<int64_t>(c.people.size()))
                .Bind(3, static_cast<int64_t>(c.pairs.size()))
                .Run());
  return tx->Commit();
}

Result<std::optional<PersonReputation>> SqliteTrustStore::Get(PersonId person) {
  VOUCH_ASSIGN_OR_RETURN(
      store::Statement * q,
      db_.Prepare(fmt::format("SELECT {} FROM trust_reputation WHERE person_id = ?1", kReputationColumns)));
  q->Bind(1, person);
  return store::FirstRow(*q, ReadReputation);
}

Result<std::vector<PersonReputation>> SqliteTrustStore::Top(int n) {
  VOUCH_ASSIGN_OR_RETURN(
      store::Statement * q,
      db_.Prepare(fmt::format("SELECT {} FROM trust_reputation ORDER BY reputation DESC, ratings_received DESC, "
                              "person_id LIMIT ?1",
                              kReputationColumns)));
  q->Bind(1, n);
  std::vector<PersonReputation> out;
  VOUCH_TRY(store::ForEachRow(*q, [&](const store::Statement& row) { out.push_back(ReadReputation(row)); }));
  return out;
}

Result<std::vector<PairTrustRow>> SqliteTrustStore::Pairs(std::string_view sql, PersonId person, int limit) {
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q, db_.Prepare(sql));
  q->Bind(1, person).Bind(2, limit);
  std::vector<PairTrustRow> out;
  VOUCH_TRY(store::ForEachRow(*q, [&](const store::Statement& row) { out.push_back(ReadPair(row)); }));
  return out;
}

Result<std::vector<PairTrustRow>> SqliteTrustStore::Outgoing(PersonId person, int limit) {
  return Pairs(
      "SELECT truster, trustee, trust, confidence FROM trust_local WHERE truster = ?1 "
      "ORDER BY confidence DESC, trustee LIMIT ?2",
      person, limit);
}

Result<std::vector<PairTrustRow>> SqliteTrustStore::Incoming(PersonId person, int limit) {
  return Pairs(
      "SELECT truster, trustee, trust, confidence FROM trust_local WHERE trustee = ?1 "
      "ORDER BY confidence DESC, truster LIMIT ?2",
      person, limit);
}

Result<int64_t> SqliteTrustStore::ComputedAt() {
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q, db_.Prepare("SELECT MAX(computed_at) FROM trust_runs"));
  VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> at, store::FirstValue<int64_t>(*q));
  return at.value_or(0);
}

Status SqliteTrustStore::ForEachPerson(const std::function<bool(const PersonReputation&)>& fn) {
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db_.Prepare(fmt::format("SELECT {} FROM trust_reputation", kReputationColumns)));
  return store::ForEachRow(*q, [&](const store::Statement& row) { return fn(ReadReputation(row)); });
}

Status SqliteTrustStore::ForEachPair(const std::function<bool(const PairTrustRow&)>& fn) {
  VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                         db_.Prepare("SELECT truster, trustee, trust, confidence FROM trust_local"));
  return store::ForEachRow(*q, [&](const store::Statement& row) { return fn(ReadPair(row)); });
}

Result<TrustComputation> ComputeWorkspaceTrust(Store& store, const Clock& clock, const RunControl& control) {
  auto* sqlite = dynamic_cast<SqliteStore*>(&store);
  store::SqliteDb* db = sqlite != nullptr ? &sqlite->db() : nullptr;
  TrustComputation c;
  c.computed_at = clock.NowSeconds();
  // Person ids to dense node ids.
  std::unordered_map<PersonId, NodeId> node_of;
  std::vector<PersonId> person_of;
  RatingEdges edges;
  bool any_time = false;
  auto node = [&](PersonId p) {
    auto [it, added] = node_of.emplace(p, static_cast<NodeId>(person_of.size()));
    if (added) person_of.push_back(p);
    return it->second;
  };
  VOUCH_TRY(store.ForEachRating([&](const Store::StoredRating& r) {
    edges.Add(node(r.rater), node(r.ratee), static_cast<float>(r.rating.value), r.rating.time);
    any_time = any_time || r.rating.time != 0;
    return true;
  }));
  if (!any_time) std::vector<int64_t>().swap(edges.time);

  // Interactions (replies, reshares, mentions) and outcomes of referred purchases (workspace_evidence.h).
  VOUCH_ASSIGN_OR_RETURN(WorkspaceEvidence ev, ReadWorkspaceEvidence(store, db));
  auto interactions = [&](const std::vector<PersonInteraction>& in) {
    std::vector<Interaction> out;
    out.reserve(in.size());
    for (const auto& i : in) out.push_back({node(i.from), node(i.to), i.time, 1.0f});
    return out;
  };
  auto outcomes = [&](const std::vector<PersonOutcome>& in) {
    std::vector<Outcome> out;
    out.reserve(in.size());
    for (const auto& o : in) out.push_back({node(o.customer), node(o.referrer), o.time});
    return out;
  };
  const std::vector<Interaction> replies = interactions(ev.replies), reshares = interactions(ev.reshares),
                                 mentions = interactions(ev.mentions);
  const std::vector<Outcome> kept = outcomes(ev.kept), refunds = outcomes(ev.refunds),
                             complaints = outcomes(ev.complaints);
  if (edges.size() == 0 && replies.empty() && reshares.empty() && mentions.empty() && kept.empty() &&
      refunds.empty() && complaints.empty()) {
    return Status::FailedPrecondition(
        "the workspace has no ratings, no interactions between people (replies, reshares, mentions) and no "
        "referred purchases: ingest some first");
  }
  // People met only through interactions join the graph without ratings (their node ids follow the raters').
  const auto people = static_cast<NodeId>(person_of.size());
  const size_t edges_count = edges.size();
  VOUCH_ASSIGN_OR_RETURN(RatingGraph graph, RatingGraph::Build(std::move(edges), people));
  FairnessGoodness fxg(graph);
  VOUCH_TRY(fxg.Run(control));
  auto seeds = DefaultSeeds(graph, DefaultSeedCount(graph));
  if (seeds.empty()) seeds.push_back(0);
  Reputation rep(graph, seeds);
  VOUCH_TRY(rep.Run(control));
  LocalTrustInputs inputs;
  inputs.ratings = &graph;
  inputs.replies = replies;
  inputs.reshares = reshares;
  inputs.mentions = mentions;
  inputs.kept = kept;
  inputs.refunds = refunds;
  inputs.complaints = complaints;
  LocalTrust local(inputs, graph.node_count(), c.computed_at);
  VOUCH_TRY(local.Run(control));
  c.records = {*fxg.record(), rep.trust_rank_record(), *rep.record(), *local.record()};
  c.evidence = {static_cast<int64_t>(edges_count), static_cast<int64_t>(replies.size()),
                static_cast<int64_t>(reshares.size()), static_cast<int64_t>(mentions.size()),
                static_cast<int64_t>(kept.size()), static_cast<int64_t>(refunds.size()),
                static_cast<int64_t>(complaints.size()), ev.unresolved_codes, ev.referral_tables};

  std::vector<char> is_seed(graph.node_count(), 0);
  for (NodeId s : rep.seeds()) is_seed[s] = 1;
  auto r = *rep.reputation();
  auto f = *rep.fairness();
  auto t = *rep.trust();
  auto cr = *rep.credibility();
  auto g = *fxg.goodness();
  for (NodeId v = 0; v < graph.node_count(); ++v) {
    c.people.push_back(
        {person_of[v], r[v], f[v], g[v], t[v], cr[v], graph.InDegree(v), graph.OutDegree(v), is_seed[v] != 0});
  }
  auto lt = *local.rated_trust();
  auto lc = *local.rated_confidence();
  for (NodeId u = 0; u < graph.node_count(); ++u) {
    for (EdgeId e = graph.OutBegin(u); e < graph.OutEnd(u); ++e) {
      c.pairs.push_back({person_of[u], person_of[graph.Ratee(e)], lt[e], lc[e]});
    }
  }
  const auto others = *local.other_pairs();  // a named span: the Result is a temporary
  for (const PairTrust& p : others) {
    c.pairs.push_back({person_of[p.truster], person_of[p.trustee], p.trust, p.confidence});
  }
  return c;
}

}  // namespace vouch::trust
