// LabelSuggester: the unlabelled posts whose labels would teach the classifier most (`vouch listen suggest`),
// for a person to label before `vouch listen train`.
//
// Method: uncertainty sampling by margin (Scheffer et al. 2001; Settles, "Active Learning Literature Survey",
// 2009): a post's uncertainty is 1 - (p1 - p2), the gap between its two most probable acts, plus half the
// sentiment's closeness to a label boundary (zero-shot scores near a threshold are coin flips). Diversity: posts
// are taken greedily, most uncertain first, skipping any whose word uni/bigram set overlaps an already chosen one
// by Jaccard similarity of max_similarity or more, so fifty suggestions are not fifty copies of one retweet.
//
// Inputs borrowed: texts must outlive run(). Results in suggestion order (most useful first).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/listen/act.h"
#include "vouch/listen/classifier_model.h"

namespace vouch::listen {

struct SuggestOptions {
  size_t n = 50;
  float max_similarity = 0.5f;  // Jaccard of hashed word uni/bigrams at or above which a post is a near duplicate
};

struct Suggestion {
  size_t index = 0;  // into the texts given
  Classification guess;
  float uncertainty = 0;  // in [0, 1.5]: act margin part plus half the sentiment part
  std::string why;        // "act complain 0.41 vs endorse 0.38; sentiment score 0.06 near the pos/neu line"
};

struct SuggestRecord {
  size_t posts = 0;
  size_t near_duplicates_skipped = 0;
};

class LabelSuggester final {
 public:
  LabelSuggester(std::shared_ptr<const ClassifierModel> model, std::vector<std::string_view> texts,
                 SuggestOptions options = {})
      : model_(std::move(model)), texts_(std::move(texts)), options_(options) {}

  // Cancelled when control's flag is set.
  Status run(const RunControl& control = {});

  const std::vector<Suggestion>& suggestions() const;
  const SuggestRecord& record() const;

 private:
  std::shared_ptr<const ClassifierModel> model_;
  std::vector<std::string_view> texts_;
  SuggestOptions options_;
  std::vector<Suggestion> suggestions_;
  SuggestRecord record_;
  bool done_ = false;
};

}  // namespace vouch::listen
