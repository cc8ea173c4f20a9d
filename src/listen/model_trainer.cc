#include "vouch/listen/model_trainer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <random>

#include "vouch/listen/post_classifier.h"

namespace vouch::listen {
namespace {

struct Example {
  std::vector<float> dense;
  std::vector<uint32_t> buckets;
};

// Trains one head in place; returns the mean log loss of each epoch.
std::vector<double> TrainHead(LinearModel::Head& head, const std::vector<Example>& examples,
                              const std::vector<std::pair<size_t, size_t>>& labelled, const TrainOptions& options,
                              const RunControl& control, bool& cancelled) {
  const size_t c = head.labels.size();
  const size_t dense = examples.empty() ? 0 : examples[0].dense.size();
  std::vector<size_t> order(labelled.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  std::vector<float> scores(c);
  std::vector<float> grad(c);
  std::vector<double> losses;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    if (control.Cancelled()) {
      cancelled = true;
      return losses;
    }
    std::shuffle(order.begin(), order.end(), rng);
    const float lr = options.learning_rate / (1.0f + 0.5f * static_cast<float>(epoch));
    double loss = 0;
    for (const size_t o : order) {
      const auto [index, label] = labelled[o];
      const Example& x = examples[index];
      LinearModel::Scores(head, dense, x.dense, x.buckets, scores.data());
      const float top = *std::max_element(scores.begin(), scores.end());
      float sum = 0;
      for (size_t k = 0; k < c; ++k) sum += scores[k] = std::exp(scores[k] - top);
      for (size_t k = 0; k < c; ++k) {
        const float p = scores[k] / sum;
        grad[k] = p - (k == label ? 1.0f : 0.0f);
      }
      loss -= std::log(std::max(scores[label] / sum, 1e-12f));
      for (size_t k = 0; k < c; ++k) head.bias[k] -= lr * grad[k];
      for (size_t i = 0; i < dense; ++i) {
        if (x.dense[i] == 0) continue;
        float* w = &head.dense[i * c];
        for (size_t k = 0; k < c; ++k) w[k] -= lr * (grad[k] * x.dense[i] + options.l2 * w[k]);
      }
      for (const uint32_t b : x.buckets) {
        float* w = &head.sparse[size_t{b} * c];
        for (size_t k = 0; k < c; ++k) w[k] -= lr * grad[k];
      }
    }
    losses.push_back(labelled.empty() ? 0.0 : loss / static_cast<double>(labelled.size()));
  }
  return losses;
}

LinearModel::Head NewHead(std::vector<std::string> labels, size_t dense, uint32_t buckets) {
  LinearModel::Head h;
  const size_t c = labels.size();
  h.labels = std::move(labels);
  h.bias.assign(c, 0.0f);
  h.dense.assign(dense * c, 0.0f);
  h.sparse.assign(size_t{buckets} * c, 0.0f);
  return h;
}

}  // namespace

Status ModelTrainer::run(const RunControl& control) {
  PostClassifier classifier(base_);
  std::vector<Example> examples(posts_.size());
  std::vector<std::pair<size_t, size_t>> act_labelled;
  std::vector<std::pair<size_t, size_t>> sentiment_labelled;
  PostFeatures features;
  for (size_t i = 0; i < posts_.size(); ++i) {
    const InputPost& post = posts_[i];
    if (!post.act && !post.sentiment) continue;
    classifier.Extract(post.text, options_.buckets, features);
    examples[i].dense = features.dense;
    examples[i].buckets = features.buckets;
    if (post.act) act_labelled.emplace_back(i, static_cast<size_t>(*post.act));
    if (post.sentiment) sentiment_labelled.emplace_back(i, static_cast<size_t>(*post.sentiment));
  }
  if (act_labelled.empty() && sentiment_labelled.empty()) {
    return Status::InvalidArgument(
        "no labelled post: each line needs an \"act\" or a \"sentiment\" to learn from");
  }
  const size_t dense = base_->dense_names().size();
  LinearModel model(options_.buckets, base_->dense_names());
  bool cancelled = false;
  if (!act_labelled.empty()) {
    std::vector<std::string> labels;
    for (size_t a = 0; a < kActCount; ++a) labels.emplace_back(ActName(static_cast<Act>(a)));
    model.act() = NewHead(std::move(labels), dense, options_.buckets);
    record_.act_loss = TrainHead(*model.act(), examples, act_labelled, options_, control, cancelled);
  }
  if (!sentiment_labelled.empty() && !cancelled) {
    std::vector<std::string> labels;
    for (size_t s = 0; s < kSentimentCount; ++s) labels.emplace_back(SentimentName(static_cast<Sentiment>(s)));
    model.sentiment() = NewHead(std::move(labels), dense, options_.buckets);
    record_.sentiment_loss =
        TrainHead(*model.sentiment(), examples, sentiment_labelled, options_, control, cancelled);
  }
  if (cancelled) return Status::Cancelled("training interrupted");
  record_.act_examples = act_labelled.size();
  record_.sentiment_examples = sentiment_labelled.size();
  record_.epochs = options_.epochs;
  model_ = std::move(model);
  return Status::Ok();
}

const LinearModel& ModelTrainer::model() const {
  assert(model_ && "ModelTrainer::model() before run() finished");
  return *model_;
}

const TrainRecord& ModelTrainer::record() const {
  assert(model_ && "ModelTrainer::record() before run() finished");
  return record_;
}

}  // namespace vouch::listen
