// CueBook: the zero-shot knowledge of the listen module, as data (src/listen/cues.txt), not code.
//
// A cue family is a list of general-language terms ("delay*", "on hold", "recommend") with weights saying how
// much each occurrence pushes the post's sentiment and each act. A signal is a feature computed in code (a
// question mark, a leading "RT @x:", the lexicon's positive mass) whose weights live in the same file. Together
// they are a linear zero-shot model that explains itself: every weight that fired is a named, readable cue.
//
// File format (line-oriented, '#' starts a comment):
//   # comment                 ("#fail", no space, is a hashtag term)
//   [family NAME]   or   [signal NAME]
//   sentiment = -1.5          weights: sentiment (VADER units), endorse, complain, share, ask, other
//   role = negator            optional (families): negator | intensifier | dampener | contrast | neutral
//   scope = own               optional (families): count only in the author's own words (before "RT @x:")
//   position = start          optional (families): only where the author's own words begin ("how", "does")
//   [settings]                then 'name = number' lines (thresholds, see PostClassifier)
//   0 hours                   "0" stands for any number
//   delay*                    a term: one or more words; a trailing * matches any word with that prefix
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/listen/act.h"

namespace vouch::listen {

// Index 0 is sentiment, then one per Act in Act order.
inline constexpr size_t kCueWeights = 1 + kActCount;

struct CueFamily {
  std::string name;
  std::array<float, kCueWeights> weights{};
  uint8_t role = 0;        // WordFlag bits
  bool own_words = false;  // scope = own
  bool at_start = false;   // position = start: only where the author's own words begin (after @handles)
  std::vector<std::string> terms;
};

struct CueSignal {
  std::string name;
  std::array<float, kCueWeights> weights{};
};

class CueBook final {
 public:
  static Result<CueBook> Load(const std::filesystem::path& file);
  // Parses text as if read from `name` (errors cite name:line).
  static Result<CueBook> Parse(std::string_view text, const std::string& name);
  // $VOUCH_CUES, else <source tree>/src/listen/cues.txt.
  static Result<std::filesystem::path> LocateDefault();

  const std::vector<CueFamily>& families() const { return families_; }
  const std::vector<CueSignal>& signals() const { return signals_; }
  // The signal's weights, or zeros when the file does not list it.
  std::array<float, kCueWeights> SignalWeights(std::string_view name) const;
  float Setting(std::string_view name, float fallback) const;

 private:
  std::vector<CueFamily> families_;
  std::vector<CueSignal> signals_;
  std::map<std::string, float> settings_;
};

}  // namespace vouch::listen
