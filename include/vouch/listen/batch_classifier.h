// BatchClassifier: classifies many posts on all cores (TBB), results in input order. Each worker thread has its
// own PostClassifier over the shared ClassifierModel.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/listen/act.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/phrase_overrides.h"

namespace vouch::listen {

struct BatchRecord {
  size_t posts = 0;
  size_t threads = 0;
};

class BatchClassifier final {
 public:
  // texts (and overrides, when given) must outlive run(). threads: 0 = all cores, 1 = this thread only.
  // storage: an earlier batch's results (from TakeResults), whose memory this batch's results reuse; a caller
  // classifying a stream batch by batch then touches no fresh pages per batch (page faults were a tenth of
  // `vouch classify`'s time). Its contents are overwritten.
  BatchClassifier(std::shared_ptr<const ClassifierModel> model, std::vector<std::string_view> texts,
                  size_t threads = 0, bool explain = false, const PhraseOverrides* overrides = nullptr,
                  std::vector<Classification> storage = {})
      : model_(std::move(model)),
        texts_(std::move(texts)),
        threads_(threads),
        explain_(explain),
        overrides_(overrides),
        results_(std::move(storage)) {}

  // Cancelled when control's flag is set (checked between chunks).
  Status run(const RunControl& control = {});

  const std::vector<Classification>& results() const;
  // Moves the results out (for the caller to keep, or to hand to the next batch as its storage).
  std::vector<Classification> TakeResults() && { return std::move(results_); }
  const BatchRecord& record() const { return record_; }

 private:
  std::shared_ptr<const ClassifierModel> model_;
  std::vector<std::string_view> texts_;
  size_t threads_;
  bool explain_;
  const PhraseOverrides* overrides_;
  std::vector<Classification> results_;
  BatchRecord record_;
  bool done_ = false;
};

}  // namespace vouch::listen
