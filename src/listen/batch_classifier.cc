#include "vouch/listen/batch_classifier.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cassert>
#include <optional>

#include "vouch/listen/post_classifier.h"

namespace vouch::listen {

Status BatchClassifier::run(const RunControl& control) {
  // Every element is overwritten below, so storage recycled from an earlier batch needs no clearing.
  results_.resize(texts_.size());
  const size_t threads = threads_ == 0 ? static_cast<size_t>(tbb::info::default_concurrency()) : threads_;
  std::atomic<bool> cancelled{false};
  // Small inputs are not worth the threads: a classifier answers in microseconds.
  constexpr size_t kChunk = 4096;
  if (threads <= 1 || texts_.size() < 2 * kChunk) {
    PostClassifier classifier(model_);
    for (size_t i = 0; i < texts_.size(); ++i) {
      if (i % kChunk == 0 && control.Cancelled()) return Status::Cancelled("classification interrupted");
      results_[i] = classifier.Classify(texts_[i], explain_, overrides_);
    }
  } else {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    tbb::enumerable_thread_specific<std::optional<PostClassifier>> classifiers;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, texts_.size(), kChunk),
                      [&](const tbb::blocked_range<size_t>& r) {
                        if (control.Cancelled()) {
                          cancelled = true;
                          return;
                        }
                        auto& local = classifiers.local();
                        if (!local) local.emplace(model_);
                        for (size_t i = r.begin(); i < r.end(); ++i)
                          results_[i] = local->Classify(texts_[i], explain_, overrides_);
                      });
    if (cancelled) return Status::Cancelled("classification interrupted");
  }
  record_.posts = texts_.size();
  record_.threads = threads;
  done_ = true;
  return Status::Ok();
}

const std::vector<Classification>& BatchClassifier::results() const {
  assert(done_ && "BatchClassifier::results() before run() finished");
  return results_;
}

}  // namespace vouch::listen
