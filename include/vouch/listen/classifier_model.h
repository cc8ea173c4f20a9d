// ClassifierModel: everything PostClassifier needs that is shared and immutable: the vocabulary (lexicon words and
// cue terms), word valences, the cue automaton, the zero-shot weights from the CueBook and, when the user trained
// one, a LinearModel. Build once, then share read-only between threads (each thread has its own PostClassifier).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/listen/act.h"
#include "vouch/listen/cue_book.h"
#include "vouch/listen/linear_model.h"
#include "vouch/listen/phrase_automaton.h"
#include "vouch/listen/sentiment_lexicon.h"
#include "vouch/listen/vocabulary.h"

namespace vouch::listen {

// Signals: features computed in code, named in the cue file ([signal NAME]).
enum class Signal : uint8_t {
  kBias,                // always 1: the prior of each act
  kQuestion,            // the author's own words hold a question mark
  kRetweet,             // "RT @x:" with no words of the author's own before it
  kRetweetComment,      // "my words RT @x: ..." (the author adds something)
  kQuote,               // a quotation ("via @x", a quoted @handle)
  kUrl,                 // a link
  kAddressed,           // the post starts with an @handle: said to someone, a reply or a call-out
  kExclaim,             // an exclamation mark
  kPositive,            // the sentiment score, when positive (0..1)
  kNegative,            // minus the sentiment score, when negative (0..1)
  kPositiveExperience,  // positive x the author relates their own experience (an experience cue, or I/my/we
                        // with a past tense)
  kNegativeExperience,  // negative x the same
  kNegativeAddressed,   // negative x said to someone
  kHashtags,            // three or more hashtags: broadcasting
  kShort,               // fewer than four words
  kNoWords,             // nothing but handles, links, hashtags
  kShouting,            // the whole post in capitals
  kReplyThread,         // starts with two or more @handles: a turn in a conversation
  kHeadline,            // most words capitalised: a headline passed on
  kQuestionLink,        // a question next to a link: a headline's teaser ("Time to sell?")
  kQuestionRun,         // "??", "?!", "!?" in the author's own words: indignation, a rhetorical question
  kExperienceLink,      // a link beside the author's own experience: a photo of what happened to them, not news
};
inline constexpr size_t kSignalCount = 22;
std::string_view SignalName(Signal s);

class ClassifierModel final {
 public:
  static Result<std::shared_ptr<const ClassifierModel>> Create(const SentimentLexicon& lexicon,
                                                               const CueBook& cues,
                                                               std::optional<LinearModel> learnt = std::nullopt);
  // Loads the lexicon and cue book from their default places (SentimentLexicon/CueBook::LocateDefault) unless
  // paths are given, and the learnt model when model_path is non-empty.
  static Result<std::shared_ptr<const ClassifierModel>> Load(const std::string& lexicon_path,
                                                             const std::string& cues_path,
                                                             const std::string& model_path);

  // Names of the dense features, in order: "family:NAME" per cue family, then "signal:NAME" per signal, then
  // "score:sentiment".
  const std::vector<std::string>& dense_names() const { return dense_names_; }
  size_t family_count() const { return families_.size(); }
  const CueFamily& family(size_t i) const { return families_[i]; }
  const std::optional<LinearModel>& learnt() const { return learnt_; }
  // Zero-shot sentiment labels: pos at or above positive_above(), neg at or below negative_below().
  float positive_above() const { return positive_above_; }
  float negative_below() const { return negative_below_; }

 private:
  friend class PostClassifier;
  ClassifierModel() = default;

  Vocabulary vocabulary_;
  std::vector<float> valence_;  // by vocabulary id
  std::vector<CueFamily> families_;
  // Families whose name starts with "first_person" / "experience": they mark the author's own experience.
  std::vector<bool> first_person_family_;
  std::vector<bool> experience_family_;
  PhraseAutomaton automaton_;
  std::vector<uint32_t> pattern_family_;  // automaton pattern -> family
  std::array<std::array<float, kCueWeights>, kSignalCount> signal_weights_{};
  std::vector<std::string> dense_names_;
  std::optional<LinearModel> learnt_;
  float positive_above_ = 0.05f;
  float negative_below_ = -0.05f;
  float sarcasm_discount_ = 0.5f;
  float family_cap_ = 2.0f;
  float question_damping_ = 1.0f;
  float share_damping_ = 1.0f;
  float act_sets_sentiment_ = 2.0f;  // act confidence above which a complaint/endorsement fixes the label
  bool ask_not_positive_ = false;    // a post whose act is ask is never labelled positive (politeness, hope)
};

}  // namespace vouch::listen
