// ModelTrainer: learns a LinearModel from the user's labelled posts (`vouch listen train`). Each head (act,
// sentiment) is trained on the posts that carry its label; a file with only sentiment labels gives a model with
// only a sentiment head, and classification keeps the zero-shot act.
//
// Method: multinomial logistic regression by stochastic gradient descent (shuffled each epoch with a seeded
// generator, learning rate decaying as lr / (1 + 0.5 epoch), L2 on the dense cue features), over PostClassifier's
// features: the zero-shot cue features plus hashed word unigrams and bigrams. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/linear_model.h"
#include "vouch/listen/post_reader.h"

namespace vouch::listen {

struct TrainOptions {
  uint32_t buckets = 1u << 18;  // hashed n-gram buckets
  int epochs = 10;
  float learning_rate = 0.1f;
  float l2 = 1e-5f;
  uint64_t seed = 1;
};

struct TrainRecord {
  size_t act_examples = 0;
  size_t sentiment_examples = 0;
  int epochs = 0;
  std::vector<double> act_loss;  // mean log loss per epoch
  std::vector<double> sentiment_loss;
};

class ModelTrainer final {
 public:
  ModelTrainer(std::shared_ptr<const ClassifierModel> base, const std::vector<InputPost>& posts,
               TrainOptions options = {})
      : base_(std::move(base)), posts_(posts), options_(options) {}

  // InvalidArgument when no post carries an act or a sentiment label; Cancelled between epochs.
  Status run(const RunControl& control = {});

  const LinearModel& model() const;
  const TrainRecord& record() const;

 private:
  std::shared_ptr<const ClassifierModel> base_;
  const std::vector<InputPost>& posts_;
  TrainOptions options_;
  std::optional<LinearModel> model_;
  TrainRecord record_;
};

}  // namespace vouch::listen
