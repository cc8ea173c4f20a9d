// AspectMiner: what people praise and what they complain about, as the phrases that distinguish one group of posts
// from another: the brand's endorsements against its complaints (praise), the complaints against the endorsements
// (complaints), and the brand's endorsements against its competitors' endorsements (selling points).
//
// Phrases: each post is normalised (TextNormalizer: NFKC, case folding, entities) and cut into runs of content
// words: a stop word, a brand's own name, alias, handle, hashtag or cashtag, a number, a link, a handle or any
// punctuation ends a run. Every 1..max_ngram-word span inside a run is a phrase ("battery", "battery life").
// Counts are per post (a phrase said twice in one post counts once), so one ranting post cannot make an aspect.
//
// Statistic: the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
// Words", Political Analysis 16(4), eq. 16-22). With y_w^i the count of phrase w in group i, n^i the group's total,
// and a prior alpha_w = prior_strength * c_w / sum(c) from the counts c over all the brand's and competitors'
// mentions (every act):
//   delta_w = log((y_w^i + a_w) / (n^i + a_0 - y_w^i - a_w)) - log((y_w^j + a_w) / (n^j + a_0 - y_w^j - a_w)),
//   z_w = delta_w / sqrt(1 / (y_w^i + a_w) + 1 / (y_w^j + a_w)).
// A phrase qualifies with at least min_count posts in its group and z >= min_z; phrases are listed by z, and one
// that contains or is contained in a phrase already listed is skipped (so "battery" and "battery life" do not
// both take a line).
//
// Thread safety: none needed; one object per run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "vouch/core/status.h"
#include "vouch/listen/mention_store.h"
#include "vouch/workspace/workspace.h"

namespace vouch::listen {

struct AspectOptions {
  size_t max_ngram = 3;
  int64_t min_count = 3;        // posts in the phrase's own group
  double min_z = 1.96;          // about p < 0.05 two-sided
  double prior_strength = 500;  // a_0: how many pseudo-counts the background spreads over the phrases
  size_t top = 15;              // phrases per list
  size_t examples = 3;          // example posts per phrase
};

struct AspectExample {
  std::string post;  // "platform:id"
  std::string text;
};

struct Aspect {
  std::string phrase;
  double z = 0;
  double log_odds = 0;      // delta_w
  int64_t posts = 0;        // in the group it distinguishes
  int64_t other_posts = 0;  // in the group it is compared with
  std::vector<AspectExample> examples;  // latest first
};

struct AspectResult {
  std::string brand;
  int64_t endorsements = 0, complaints = 0, competitor_endorsements = 0;  // posts in each group
  std::vector<Aspect> praise;           // endorsements vs complaints
  std::vector<Aspect> complaint;        // complaints vs endorsements
  std::vector<Aspect> selling_points;   // endorsements vs competitors' endorsements
};

nlohmann::json AspectResultJson(const AspectResult& result);

// Stop words: English function words (articles, pronouns, auxiliaries, prepositions, conjunctions, a few fillers).
bool IsStopWord(std::string_view folded_word);

class AspectMiner final {
 public:
  // mentions: rows with text (MentionQuery::with_text) of brand and of its competitors; brands: the workspace's
  // [[brand]] entries, whose names, aliases, handles, hashtags and cashtags are not aspects.
  AspectMiner(std::vector<MentionRow> mentions, std::string brand, std::vector<std::string> competitors,
              const std::vector<BrandConfig>& brands, AspectOptions options = {});
  Status run();
  const AspectResult& result() const;

  // The phrases of one text, as run() cuts them (sorted, unique); for tests and diagnostics.
  std::vector<std::string> Phrases(std::string_view text) const;

 private:
  std::vector<MentionRow> mentions_;
  std::string brand_;
  std::vector<std::string> competitors_;
  std::vector<std::string> brand_words_;  // sorted
  AspectOptions options_;
  bool done_ = false;
  AspectResult result_;
};

}  // namespace vouch::listen
