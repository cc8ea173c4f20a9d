// LinearModel: what `vouch listen train` learns and `vouch classify --model` applies. Two optional heads, act and
// sentiment, each a multinomial logistic regression over (a) the zero-shot cue features of PostClassifier (cue
// family counts, signals, the lexicon score) and (b) hashed word unigrams and bigrams ("feature hashing",
// Weinberger et al., ICML 2009). The cue features carry general knowledge the user's few labels cannot; the
// n-grams learn the user's own domain.
//
// File format: text, one header line "vouch-listen-model 1", then "buckets N", "dense D name1 name2 ...", and per
// head "head NAME C label1 ... labelC", D lines of C dense weights, "sparse K" and K lines "bucket w1 ... wC".
// Loading checks that the dense feature names match the cue book in use, so a model never silently meets other
// features than it was trained on.
//
// Immutable after Load/training; Scores() is thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "vouch/core/status.h"

namespace vouch::listen {

class LinearModel final {
 public:
  struct Head {
    std::vector<std::string> labels;
    std::vector<float> dense;   // dense_names.size() x labels.size(), row-major
    std::vector<float> sparse;  // buckets x labels.size()
    std::vector<float> bias;    // labels.size()
  };

  LinearModel(uint32_t buckets, std::vector<std::string> dense_names)
      : buckets_(buckets), dense_names_(std::move(dense_names)) {}

  static Result<LinearModel> Load(const std::filesystem::path& file);
  Status Save(const std::filesystem::path& file) const;

  // Raw scores (log-odds) of one head for a post's features; `out` gets labels.size() values.
  static void Scores(const Head& head, size_t dense_size, const std::vector<float>& dense,
                     const std::vector<uint32_t>& buckets, float* out);

  uint32_t buckets() const { return buckets_; }
  const std::vector<std::string>& dense_names() const { return dense_names_; }
  std::optional<Head>& act() { return act_; }
  std::optional<Head>& sentiment() { return sentiment_; }
  const std::optional<Head>& act() const { return act_; }
  const std::optional<Head>& sentiment() const { return sentiment_; }

 private:
  uint32_t buckets_;
  std::vector<std::string> dense_names_;
  std::optional<Head> act_;
  std::optional<Head> sentiment_;
};

}  // namespace vouch::listen
