// InboxRanker: the posts about a brand worth answering now: complaints and questions (act complain or ask),
// ranked so that a team joins first the conversations whose author's voice travels furthest and is most trusted,
// while they are fresh.
//
//   score = reach x trust x recency, with
//   reach   = 1 + log2(1 + followers)         followers: out-degree of the author in the workspace's social graph
//                                             (DIR/graph/social.vgraph: u -> v means v listens to u); 0 when the
//                                             author is not in it. Logarithmic: ten times the audience is worth
//                                             about 3.3 more, not ten times more.
//   trust   = (1 + reputation) / 2 in [0, 1]  when `vouch trust compute` has run (0.5 for a person nobody rated);
//             1 when it has not (the ranking then ignores trust, and says so)
//   recency = 2^(-age / half_life)            age = now - post time (now: the latest mention of the brand unless
//                                             given), half-life 24 hours by default.
// A post the brand already answered (a stored reply to it from one of the brand's handles) is left out.
//
// Thread safety: none needed; one object per run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "vouch/core/status.h"
#include "vouch/graph/graph.h"
#include "vouch/listen/listen_report.h"
#include "vouch/listen/mention_store.h"
#include "vouch/store/store.h"

namespace vouch::listen {

struct InboxOptions {
  std::optional<int64_t> now;     // epoch seconds; default the latest mention's time
  double half_life_hours = 24;
  size_t n = 20;
  float min_confidence = 0;       // leave out posts whose act confidence is below this
};

struct InboxItem {
  MentionRow post;                // the mention (first of the post), with its text
  int64_t followers = 0;
  bool in_graph = false;
  std::optional<double> reputation;
  double age_hours = 0;
  double reach = 0, trust = 0, recency = 0, score = 0;
  std::string why;                // the factors, for a person to read
};

nlohmann::json InboxJson(const std::vector<InboxItem>& items, bool trust_computed);

class InboxRanker final {
 public:
  // mentions: the brand's rows with text; followers: person -> follower count for the authors present in the
  // graph (see WorkspaceFollowers); answered: "platform:id" of posts the brand replied to.
  InboxRanker(std::vector<MentionRow> mentions, std::unordered_map<PersonId, int64_t> followers, PersonTrust trust,
              std::unordered_set<std::string> answered, InboxOptions options = {});
  Status run();
  const std::vector<InboxItem>& items() const;

 private:
  std::vector<MentionRow> mentions_;
  std::unordered_map<PersonId, int64_t> followers_;
  PersonTrust trust_;
  std::unordered_set<std::string> answered_;
  InboxOptions options_;
  bool done_ = false;
  std::vector<InboxItem> items_;
};

// Follower counts (out-degree in graph) of people, through their handle identities: a node whose id is the
// identity's normalised value or its display form (with or without a leading '@'). People without a node are
// absent from the map.
Result<std::unordered_map<PersonId, int64_t>> WorkspaceFollowers(Store& store, const graph::Graph& graph,
                                                                 const std::vector<PersonId>& people);

}  // namespace vouch::listen
