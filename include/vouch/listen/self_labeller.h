// SelfLabeller: self-training's first step (`vouch listen train --unlabelled FILE`): the classifier labels the
// user's unlabelled posts, and only its confident calls are kept as training labels (Yarowsky 1995; "pseudo-
// labelling", Lee 2013). ModelTrainer then learns from them (with any human labels), so the word n-grams of the
// user's own domain that co-occur with confident cues ("gate agent", "boarding pass") learn their pull.
//
// An act label is kept when the act's probability is at least min_act_confidence; a sentiment label when the
// score is at least sentiment_margin beyond the label's threshold (neutral: within the neutral band, at least
// sentiment_margin from both thresholds). Each act keeps at most max_per_act_ratio x the count of the rarest act
// kept, so the majority act of a corpus does not drown the others.
//
// Inputs borrowed: posts must outlive run().
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/post_reader.h"

namespace vouch::listen {

struct SelfLabelOptions {
  float min_act_confidence = 0.8f;
  float sentiment_margin = 0.2f;
  float max_per_act_ratio = 3.0f;
};

struct SelfLabelRecord {
  size_t posts = 0;
  std::array<size_t, kActCount> acts{};  // act labels kept, by Act
  size_t sentiments = 0;                 // sentiment labels kept
};

class SelfLabeller final {
 public:
  SelfLabeller(std::shared_ptr<const ClassifierModel> model, const std::vector<InputPost>& posts,
               SelfLabelOptions options = {})
      : model_(std::move(model)), posts_(posts), options_(options) {}

  Status run(const RunControl& control = {});

  // The posts that got at least one label, with the labels set.
  const std::vector<InputPost>& labelled() const;
  const SelfLabelRecord& record() const;

 private:
  std::shared_ptr<const ClassifierModel> model_;
  const std::vector<InputPost>& posts_;
  SelfLabelOptions options_;
  std::vector<InputPost> labelled_;
  SelfLabelRecord record_;
  bool done_ = false;
};

}  // namespace vouch::listen
