// TrustStore: where `vouch trust compute` keeps its results, per person: global reputation and the local trust of
// every rated pair. The trust module's own tables, behind an interface (STYLE.md: a module's tables go through its
// own abstract interface); SqliteTrustStore keeps them in the workspace's SQLite file under the "trust" migration
// component.
//
// ComputeWorkspaceTrust() reads the workspace's ratings (Store::ForEachRating: per person, after identity merges)
// and the other evidence (workspace_evidence.h: replies, reshares, mentions, referral outcomes), computes fairness/goodness, reputation (from the default seeds) and local trust, and replaces the stored results
// in one transaction (a reader never sees half a computation).
//
// Thread safety: one thread at a time, as the Store and SqliteDb beneath.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "vouch/core/clock.h"
#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/store/records.h"
#include "vouch/store/sqlite_db.h"
#include "vouch/store/store.h"
#include "vouch/trust/algorithm.h"

namespace vouch::trust {

struct PersonReputation {
  PersonId person = 0;
  double reputation = 0;   // Reputation: trust-weighted goodness in [-1, 1]
  double fairness = 1;     // as a rater, against reputation, in [0, 1]
  double goodness = 0;     // plain fairness/goodness (Kumar et al.), for comparison
  double trust = 0;        // TrustRank mass from the seeds
  double credibility = 0;  // weight of this person's ratings, in [0, 1)
  int64_t ratings_received = 0, ratings_given = 0;
  bool seed = false;
};

struct PairTrustRow {
  PersonId truster = 0, trustee = 0;
  double trust = 0.5, confidence = 0;
};

// How much of each kind of evidence a computation used (workspace_evidence.h).
struct EvidenceCounts {
  int64_t ratings = 0, replies = 0, reshares = 0, mentions = 0;
  int64_t kept = 0, refunds = 0, complaints = 0;
  int64_t unresolved_codes = 0;  // referral codes on orders that no referral link names
  bool referral_tables = false;
};

struct TrustComputation {
  int64_t computed_at = 0;  // epoch seconds
  EvidenceCounts evidence;
  std::vector<PersonReputation> people;
  std::vector<PairTrustRow> pairs;
  std::vector<RunRecord> records;
};

class TrustStore {
 public:
  virtual ~TrustStore() = default;
  // Replaces every stored result by these, atomically.
  virtual Status Replace(const TrustComputation& computation) = 0;
  virtual Result<std::optional<PersonReputation>> Get(PersonId person) = 0;
  // The n people of highest reputation (ties: more ratings received first).
  virtual Result<std::vector<PersonReputation>> Top(int n) = 0;
  // Local trust from person (outgoing) or in person (incoming), most confident first, at most limit rows.
  virtual Result<std::vector<PairTrustRow>> Outgoing(PersonId person, int limit) = 0;
  virtual Result<std::vector<PairTrustRow>> Incoming(PersonId person, int limit) = 0;
  // 0 when nothing was ever computed.
  virtual Result<int64_t> ComputedAt() = 0;
  // Every stored row, in no particular order; fn returns false to stop.
  virtual Status ForEachPerson(const std::function<bool(const PersonReputation&)>& fn) = 0;
  virtual Status ForEachPair(const std::function<bool(const PairTrustRow&)>& fn) = 0;
};

class SqliteTrustStore final : public TrustStore {
 public:
  // Migrates the "trust" component of db; db must outlive the store.
  static Result<std::unique_ptr<SqliteTrustStore>> Open(store::SqliteDb& db);
  Status Replace(const TrustComputation& computation) override;
  Result<std::optional<PersonReputation>> Get(PersonId person) override;
  Result<std::vector<PersonReputation>> Top(int n) override;
  Result<std::vector<PairTrustRow>> Outgoing(PersonId person, int limit) override;
  Result<std::vector<PairTrustRow>> Incoming(PersonId person, int limit) override;
  Result<int64_t> ComputedAt() override;
  Status ForEachPerson(const std::function<bool(const PersonReputation&)>& fn) override;
  Status ForEachPair(const std::function<bool(const PairTrustRow&)>& fn) override;

 private:
  explicit SqliteTrustStore(store::SqliteDb& db) : db_(db) {}
  Result<std::vector<PairTrustRow>> Pairs(std::string_view sql, PersonId person, int limit);
  store::SqliteDb& db_;
};

// Reads ratings, interactions and referral outcomes (workspace_evidence.h) from store and computes everything;
// The mentions and refer tables are read when store is a SqliteStore (its own file); other stores give ratings,
// replies, reshares and mentions only. FailedPrecondition when the workspace holds no evidence at all.
Result<TrustComputation> ComputeWorkspaceTrust(Store& store, const Clock& clock, const RunControl& control = {});

}  // namespace vouch::trust
