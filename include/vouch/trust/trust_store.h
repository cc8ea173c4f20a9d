// TrustStore: where `vouch trust compute` keeps its results, per person: global reputation and the local trust of
// every rated pair. The trust module's own tables, behind an interface (STYLE.md: a module's tables go through its
// own abstract interface); SqliteTrustStore keeps them in the workspace's SQLite file under the "trust" migration
// component.
//
// ComputeWorkspaceTrust() reads the workspace's ratings (Store::ForEachRating: per person, after identity merges),
// computes fairness/goodness, reputation (from the default seeds) and local trust, and replaces the stored results
// in one transaction (a reader never sees half a computation).
//
// Thread safety: one thread at a time, as the Store and SqliteDb beneath.
#pragma once

#include <cstdint>
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

struct TrustComputation {
  int64_t computed_at = 0;  // epoch seconds
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

 private:
  explicit SqliteTrustStore(store::SqliteDb& db) : db_(db) {}
  Result<std::vector<PairTrustRow>> Pairs(std::string_view sql, PersonId person, int limit);
  store::SqliteDb& db_;
};

// Reads ratings from store and computes everything; FailedPrecondition when the workspace has no ratings.
Result<TrustComputation> ComputeWorkspaceTrust(Store& store, const Clock& clock, const RunControl& control = {});

}  // namespace vouch::trust
