// PhraseOverrides: a brand's own corrections to the zero-shot classifier, from vouch.toml's [brand.phrases]
// (docs/listen.md). General language misreads some brands' words: "War Zone" is a game title, not a complaint;
// "Sold Out" may be a band. Each override is a phrase and its effect:
//   neutral                      the phrase's words carry no sentiment and fire no cue (a name or title);
//   positive / negative          the phrase's words are replaced by one strong positive / negative word;
//   endorse / complain / share / ask / other
//                                the phrase's words carry no sentiment or cue, and the phrase pushes the post
//                                toward that act.
// Phrases are matched on normalised tokens (case-folded, NFKC; "war zone" matches "WAR ZONE" and "War  Zone"),
// on word boundaries.
//
// Immutable after Create; share read-only between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/listen/act.h"
#include "vouch/listen/text_normalizer.h"

namespace vouch::listen {

class PhraseOverrides final {
 public:
  // Effect weights: in VADER units for positive/negative (a strong word), in act log-odds for acts.
  static constexpr float kSentimentWeight = 2.5f;
  static constexpr float kActWeight = 3.0f;

  struct Override {
    std::string phrase;
    std::vector<uint64_t> tokens;  // Token::hash of each normalised token
    float sentiment = 0;
    std::array<float, kActCount> acts{};
  };

  // phrase_effects: (phrase, effect) pairs. InvalidArgument naming the phrase for an unknown effect or a phrase
  // with no words.
  static Result<PhraseOverrides> Create(const std::vector<std::pair<std::string, std::string>>& phrase_effects);

  bool empty() const { return overrides_.empty(); }
  const std::vector<Override>& overrides() const { return overrides_; }

  // What the overrides do to one normalised post: masked[i] is set for tokens inside a matched phrase (they are
  // skipped by the lexicon and the cues); the sentiment and act pushes are summed over the matches. matched gets
  // the index of each override that matched (for explanations).
  void Apply(const NormalizedPost& post, std::vector<uint8_t>& masked, float& sentiment,
             std::array<float, kActCount>& acts, std::vector<uint32_t>& matched) const;

 private:
  std::vector<Override> overrides_;
};

}  // namespace vouch::listen
