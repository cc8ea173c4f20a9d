#include "vouch/listen/label_suggester.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#include "vouch/listen/post_classifier.h"

namespace vouch::listen {
namespace {

// Jaccard similarity of two sorted, deduplicated sets.
float Jaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() && b.empty()) return 1.0f;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] == b[j]) {
      ++common;
      ++i;
      ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<float>(common) / static_cast<float>(a.size() + b.size() - common);
}

}  // namespace

Status LabelSuggester::run(const RunControl& control) {
  constexpr uint32_t kBuckets = 1u << 22;
  const float pos_line = model_->positive_above();
  const float neg_line = model_->negative_below();
  PostClassifier classifier(model_);
  PostFeatures features;
  std::vector<Suggestion> scored(texts_.size());
  std::vector<std::vector<uint32_t>> grams(texts_.size());
  for (size_t i = 0; i < texts_.size(); ++i) {
    if (i % 4096 == 0 && control.Cancelled()) return Status::Cancelled("suggesting interrupted");
    Suggestion& s = scored[i];
    s.index = i;
    s.guess = classifier.Classify(texts_[i]);
    const auto& p = s.guess.act_probabilities;
    std::array<size_t, kActCount> order{};
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&p](size_t a, size_t b) { return p[a] > p[b]; });
    const float margin = p[order[0]] - p[order[1]];
    // Sentiment: 1 on a label boundary, 0 at 0.3 or more away from the nearest one.
    const float score = s.guess.sentiment_score;
    const float to_line = std::min(std::fabs(score - pos_line), std::fabs(score - neg_line));
    const float sentiment_doubt = std::max(0.0f, 1.0f - to_line / 0.3f);
    s.uncertainty = (1.0f - margin) + 0.5f * sentiment_doubt;
    s.why = fmt::format("act {} {:.2f} vs {} {:.2f} (margin {:.2f}); sentiment score {:.2f}{}",
                        ActName(static_cast<Act>(order[0])), p[order[0]], ActName(static_cast<Act>(order[1])),
                        p[order[1]], margin, score,
                        sentiment_doubt > 0.5f ? (std::fabs(score - pos_line) < std::fabs(score - neg_line)
                                                      ? " near the pos/neu line"
                                                      : " near the neg/neu line")
                                               : "");
    classifier.Extract(texts_[i], kBuckets, features);
    grams[i] = features.buckets;
    std::sort(grams[i].begin(), grams[i].end());
    grams[i].erase(std::unique(grams[i].begin(), grams[i].end()), grams[i].end());
  }
  std::vector<size_t> order(texts_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Ties (identical posts) keep input order, so the result is deterministic.
  std::stable_sort(order.begin(), order.end(),
                   [&scored](size_t a, size_t b) { return scored[a].uncertainty > scored[b].uncertainty; });
  suggestions_.clear();
  for (const size_t i : order) {
    if (suggestions_.size() >= options_.n) break;
    bool near_duplicate = false;
    for (const Suggestion& chosen : suggestions_) {
      if (Jaccard(grams[i], grams[chosen.index]) >= options_.max_similarity) {
        near_duplicate = true;
        break;
      }
    }
    if (near_duplicate) {
      ++record_.near_duplicates_skipped;
      continue;
    }
    suggestions_.push_back(std::move(scored[i]));
  }
  record_.posts = texts_.size();
  done_ = true;
  return Status::Ok();
}

const std::vector<Suggestion>& LabelSuggester::suggestions() const {
  assert(done_ && "LabelSuggester::suggestions() before run() finished");
  return suggestions_;
}

const SuggestRecord& LabelSuggester::record() const {
  assert(done_ && "LabelSuggester::record() before run() finished");
  return record_;
}

}  // namespace vouch::listen
