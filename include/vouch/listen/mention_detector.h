// MentionDetector: finds the brands a post mentions, from the terms of each [[brand]] in vouch.toml (name,
// aliases, handles, hashtags, cashtags, products) and its exclusions ("apple pie" cancels the "apple" inside it).
//
// Matching is on normalised tokens (TextNormalizer: NFKC, case folding, HTML entities), so it is Unicode-aware and
// case-insensitive and respects word boundaries ("apple" does not match "pineapple" or "applesauce"; "Apple Inc."
// matches as a phrase). An alias matches words only; "@apple" matches the handle, "#apple" the hashtag, "$AAPL"
// the cashtag (a term's own prefix decides). One Aho-Corasick pass (PhraseAutomaton) finds all terms of all
// brands, so thousands of terms cost what a few do. Overlapping matches of one brand keep the longest; an
// exclusion of any brand cancels every match it overlaps.
//
// Thread safety: Detect(text) uses scratch state (one detector per thread); Detect(post) is const and may be
// called from many threads, each with its own TextNormalizer and NormalizedPost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/listen/phrase_automaton.h"
#include "vouch/listen/text_normalizer.h"
#include "vouch/listen/vocabulary.h"
#include "vouch/workspace/workspace.h"

namespace vouch::listen {

enum class TermKind : uint8_t { kName, kAlias, kHandle, kHashtag, kCashtag, kProduct };
std::string_view TermKindName(TermKind kind);

struct Mention {
  uint32_t brand = 0;  // index into the brands given to the constructor
  std::string brand_name;
  std::string term;  // the configured term that matched, as configured ("Apple Inc")
  TermKind kind = TermKind::kAlias;
  uint32_t begin = 0;  // byte span [begin, end) in the post's original text
  uint32_t end = 0;
};

class MentionDetector final {
 public:
  // Builds the automaton. InvalidArgument (naming the brand and field) for a term with no token, such as "" or
  // "!!".
  static Result<MentionDetector> Create(const std::vector<BrandConfig>& brands);

  // Mentions in order of their position in the text.
  std::vector<Mention> Detect(std::string_view text);
  // Same over a post already normalised with a TextNormalizer over vocabulary(); thread-safe.
  std::vector<Mention> Detect(const NormalizedPost& post) const;

  const Vocabulary& vocabulary() const { return vocabulary_; }
  size_t term_count() const { return terms_.size(); }

 private:
  struct Term {
    uint32_t brand;
    TermKind kind;
    bool exclusion;
    std::string text;
  };
  MentionDetector() = default;

  std::vector<std::string> brand_names_;
  std::vector<Term> terms_;  // indexed by automaton pattern
  Vocabulary vocabulary_;
  PhraseAutomaton automaton_;
  NormalizedPost scratch_;
};

}  // namespace vouch::listen
