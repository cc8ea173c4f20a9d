// SentimentLexicon: word valences read at run time from an installed lexicon package, never from the repository.
// The default is the VADER lexicon (Hutto & Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment
// Analysis of Social Media Text", ICWSM 2014) as shipped by the npm package vader-sentiment: one entry per line,
// "token<TAB>mean valence (-4..4)<TAB>...".
//
// Where it is looked for (LocateDefault): $VOUCH_LEXICON, else <source tree>/node_modules/vader-sentiment/
// vader_lexicon.txt (installed by scripts/install-deps.sh).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "vouch/core/status.h"

namespace vouch::listen {

class SentimentLexicon final {
 public:
  // Parses a VADER-format file. Errors name the file and line.
  static Result<SentimentLexicon> Load(const std::filesystem::path& file);
  // The path Load() should read when the user named none (see above); NotFound with the places tried.
  static Result<std::filesystem::path> LocateDefault();

  const std::vector<std::pair<std::string, float>>& entries() const { return entries_; }
  const std::filesystem::path& source() const { return source_; }

 private:
  std::vector<std::pair<std::string, float>> entries_;
  std::filesystem::path source_;
};

}  // namespace vouch::listen
