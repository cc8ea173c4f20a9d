#include "vouch/listen/self_labeller.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#include "vouch/listen/post_classifier.h"

namespace vouch::listen {

Status SelfLabeller::run(const RunControl& control) {
  PostClassifier classifier(model_);
  const float pos_line = model_->positive_above();
  const float neg_line = model_->negative_below();
  const float margin = options_.sentiment_margin;
  // Confident act calls, by act, most confident first; sentiment calls beside them.
  std::array<std::vector<std::pair<float, size_t>>, kActCount> by_act;
  std::vector<std::optional<Sentiment>> sentiment(posts_.size());
  for (size_t i = 0; i < posts_.size(); ++i) {
    if (i % 4096 == 0 && control.Cancelled()) return Status::Cancelled("self-labelling interrupted");
    const Classification c = classifier.Classify(posts_[i].text);
    if (c.act_confidence >= options_.min_act_confidence) {
      by_act[static_cast<size_t>(c.act)].emplace_back(c.act_confidence, i);
    }
    const float s = c.sentiment_score;
    if (s >= pos_line + margin) sentiment[i] = Sentiment::kPositive;
    if (s <= neg_line - margin) sentiment[i] = Sentiment::kNegative;
    if (s > neg_line + margin && s < pos_line - margin) sentiment[i] = Sentiment::kNeutral;
  }
  size_t rarest = 0;
  for (const auto& v : by_act) {
    if (!v.empty()) rarest = rarest == 0 ? v.size() : std::min(rarest, v.size());
  }
  const auto cap = static_cast<size_t>(std::ceil(options_.max_per_act_ratio * static_cast<float>(rarest)));
  std::vector<std::optional<Act>> act(posts_.size());
  for (size_t a = 0; a < kActCount; ++a) {
    auto& v = by_act[a];
    std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    if (v.size() > cap) v.resize(cap);
    for (const auto& [confidence, i] : v) act[i] = static_cast<Act>(a);
    record_.acts[a] = v.size();
  }
  labelled_.clear();
  for (size_t i = 0; i < posts_.size(); ++i) {
    if (!act[i] && !sentiment[i]) continue;
    InputPost p = posts_[i];
    p.act = act[i];
    p.sentiment = sentiment[i];
    if (sentiment[i]) ++record_.sentiments;
    labelled_.push_back(std::move(p));
  }
  record_.posts = posts_.size();
  done_ = true;
  return Status::Ok();
}

const std::vector<InputPost>& SelfLabeller::labelled() const {
  assert(done_ && "SelfLabeller::labelled() before run() finished");
  return labelled_;
}

const SelfLabelRecord& SelfLabeller::record() const {
  assert(done_ && "SelfLabeller::record() before run() finished");
  return record_;
}

}  // namespace vouch::listen
