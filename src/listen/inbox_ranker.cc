#include "vouch/listen/inbox_ranker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <unordered_set>
#include <utility>

namespace vouch::listen {

InboxRanker::InboxRanker(std::vector<MentionRow> mentions, std::unordered_map<PersonId, int64_t> followers,
                         PersonTrust trust, std::unordered_set<std::string> answered, InboxOptions options)
    : mentions_(std::move(mentions)),
      followers_(std::move(followers)),
      trust_(std::move(trust)),
      answered_(std::move(answered)),
      options_(options) {}

const std::vector<InboxItem>& InboxRanker::items() const {
  assert(done_ && "InboxRanker::items() before run()");
  return items_;
}

Status InboxRanker::run() {
  if (options_.half_life_hours <= 0) return Status::InvalidArgument("--half-life must be positive");
  int64_t now = 0;
  for (const MentionRow& m : mentions_) now = std::max(now, m.time);
  if (options_.now) now = *options_.now;

  std::vector<InboxItem> items;
  std::unordered_set<int64_t> seen;
  for (const MentionRow& m : mentions_) {
    if (m.act != Act::kComplain && m.act != Act::kAsk) continue;
    if (m.act_confidence < options_.min_confidence) continue;
    if (m.time > now) continue;  // after the moment asked about
    if (!seen.insert(m.post_row).second) continue;
    if (answered_.count(fmt::format("{}:{}", m.platform, m.post_id)) > 0) continue;
    InboxItem it;
    it.post = m;
    if (auto f = followers_.find(m.author); f != followers_.end()) {
      it.followers = f->second;
      it.in_graph = true;
    }
    it.age_hours = static_cast<double>(now - m.time) / 3600.0;
    it.reach = 1.0 + std::log2(1.0 + static_cast<double>(it.followers));
    it.trust = 1.0;
    if (trust_.computed) {
      if (auto r = trust_.reputation.find(m.author); r != trust_.reputation.end()) it.reputation = r->second;
      it.trust = (1.0 + std::clamp(it.reputation.value_or(0.0), -1.0, 1.0)) / 2.0;
    }
    it.recency = std::exp2(-it.age_hours / options_.half_life_hours);
    it.score = it.reach * it.trust * it.recency;
    std::string trust_part =
        !trust_.computed ? "trust not computed"
        : it.reputation ? fmt::format("reputation {:+.2f} (trust {:.2f})", *it.reputation, it.trust)
                        : fmt::format("not rated (trust {:.2f})", it.trust);
    it.why = fmt::format("{} {} ({:.0f}% sure); {} (reach {:.1f}); {}; {:.1f} h old (recency {:.2f})",
                         ActName(m.act), m.act == Act::kAsk ? "question" : "post", 100.0 * m.act_confidence,
                         it.in_graph ? fmt::format("{} followers", it.followers) : "not in the social graph",
                         it.reach, trust_part, it.age_hours, it.recency);
    items.push_back(std::move(it));
  }
  std::sort(items.begin(), items.end(), [](const InboxItem& a, const InboxItem& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.post.time != b.post.time ? a.post.time > b.post.time : a.post.id < b.post.id;
  });
  if (items.size() > options_.n) items.resize(options_.n);
  items_ = std::move(items);
  done_ = true;
  return Status::Ok();
}

nlohmann::json InboxJson(const std::vector<InboxItem>& items, bool trust_computed) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& it : items) {
    out.push_back({{"post", fmt::format("{}:{}", it.post.platform, it.post.post_id)},
                   {"time", it.post.time},
                   {"author", it.post.author_handle},
                   {"person", it.post.author},
                   {"act", std::string(ActName(it.post.act))},
                   {"act_confidence", it.post.act_confidence},
                   {"sentiment", std::string(SentimentName(it.post.sentiment))},
                   {"followers", it.in_graph ? nlohmann::json(it.followers) : nlohmann::json()},
                   {"reputation", it.reputation ? nlohmann::json(*it.reputation) : nlohmann::json()},
                   {"reach", it.reach},
                   {"trust", trust_computed ? nlohmann::json(it.trust) : nlohmann::json()},
                   {"recency", it.recency},
                   {"age_hours", it.age_hours},
                   {"score", it.score},
                   {"why", it.why},
                   {"text", it.post.text}});
  }
  return out;
}

Result<std::unordered_map<PersonId, int64_t>> WorkspaceFollowers(Store& store, const graph::Graph& graph,
                                                                 const std::vector<PersonId>& people) {
  std::unordered_map<PersonId, int64_t> out;
  for (PersonId id : people) {
    if (out.count(id) > 0) continue;
    VOUCH_ASSIGN_OR_RETURN(std::optional<Person> person, store.GetPerson(id));
    if (!person) continue;
    std::optional<int64_t> best;
    for (const Identity& identity : person->identities) {
      if (identity.key.kind != IdentityKind::kHandle) continue;
      std::string display = identity.display;
      std::vector<std::string> names = {identity.key.value, display};
      if (!display.empty() && display[0] == '@') names.push_back(display.substr(1));
      for (const std::string& name : names) {
        if (name.empty()) continue;
        if (auto node = graph.FindNode(name)) {
          best = std::max<int64_t>(best.value_or(0), graph.OutDegree(*node));
        }
      }
    }
    if (best) out.emplace(id, *best);
  }
  return out;
}

}  // namespace vouch::listen
