// PostClassifier: the act and sentiment of one post, zero-shot from the cue book and the lexicon, or from a
// learnt LinearModel when the ClassifierModel carries one.
//
// Sentiment (zero-shot): a VADER-style sum of word valences (Hutto & Gilbert 2014: intensifiers, dampeners,
// negation scope flips and damps a valence by -0.74, ALL CAPS and elongation emphasise, words after "but" weigh
// 1.5x and before it 0.5x, "!" emphasises), plus the cue families' sentiment weights (service failure such as
// delays, cancellations, lost bags, hold times, missing refunds; complaint phrases; sarcasm). When failure
// language is present, positive words are discounted (sarcasm: "thanks for the 3 hour delay"). The sum s becomes
// score = s / sqrt(s^2 + 15) in (-1, 1); labels by the cue book's thresholds.
//
// Act (zero-shot): a linear score per act over capped cue-family counts and signals (weights in the cue book),
// turned into probabilities by a softmax; the act is the most probable, its probability the confidence.
//
// Learnt: the LinearModel's heads replace the zero-shot answers for the heads it has (features: the zero-shot
// ones plus hashed word uni- and bigrams).
//
// Sentiment label: pos at or above the cue book's positive_above, neg at or below negative_below; then a clear
// complaint is negative and a clear endorsement positive (act_sets_sentiment), and a post whose act is ask is
// never positive (ask_not_positive: the positive words of a question are politeness or hope, "can you help",
// "what's my best option?").
//
// Per-brand overrides (PhraseOverrides, from vouch.toml): when given, the phrases' words are masked from the
// lexicon and the cues, and their sentiment and act pushes added (docs/listen.md).
//
// Not thread-safe (scratch buffers); one per thread over a shared ClassifierModel.
#pragma once

#include <array>
#include <memory>
#include <string_view>
#include <vector>

#include "vouch/listen/act.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/phrase_overrides.h"
#include "vouch/listen/text_normalizer.h"

namespace vouch::listen {

// What PostClassifier computes from a post before any decision: the input of both the zero-shot scorer and
// LinearModel (and of its training).
struct PostFeatures {
  std::vector<float> dense;       // ClassifierModel::dense_names() order
  std::vector<uint32_t> buckets;  // hashed n-grams
  float sentiment_score = 0;      // zero-shot, in (-1, 1)
  struct Fired {
    uint32_t family;
    uint32_t begin, end;  // byte span in the original text
  };
  std::vector<Fired> fired;
  std::array<float, kActCount> act_push{};  // from PhraseOverrides, added to the act scores (zero-shot and learnt)
  std::vector<uint32_t> overrides;          // indices of the PhraseOverrides that matched
};

class PostClassifier final {
 public:
  explicit PostClassifier(std::shared_ptr<const ClassifierModel> model)
      : model_(std::move(model)), normalizer_(&model_->vocabulary_) {}

  // explain: also fill Classification::reasons (slower; off for bulk runs). overrides: the brand's phrase
  // overrides, or null; must outlive the call.
  Classification Classify(std::string_view text, bool explain = false, const PhraseOverrides* overrides = nullptr);
  // The features alone (training, diagnostics). buckets: hashed n-grams into this many buckets (0: none).
  void Extract(std::string_view text, uint32_t buckets, PostFeatures& out,
               const PhraseOverrides* overrides = nullptr);

  // The last Classify/Extract's normalised post, and each token's sentiment pull in VADER units (its lexicon
  // valence after intensifiers and negation, before the post-level "but" weighting; a cue family's pull on its
  // first token). For sentiment toward parts of the post (BrandSentiment); valid until the next call.
  const NormalizedPost& post() const { return post_; }
  const std::vector<float>& token_valence() const { return token_valence_; }
  const ClassifierModel& model() const { return *model_; }

 private:
  void ZeroShot(std::string_view text, Classification& out, bool explain, const PhraseOverrides* overrides);

  std::shared_ptr<const ClassifierModel> model_;
  TextNormalizer normalizer_;
  NormalizedPost post_;
  PostFeatures features_;
  std::vector<PhraseAutomaton::Match> matches_;
  std::vector<uint8_t> masked_;  // tokens inside an override phrase
  std::vector<float> token_valence_;
};

}  // namespace vouch::listen
