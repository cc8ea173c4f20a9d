// TextNormalizer: turns a post's raw UTF-8 text into tokens whose text is normalised (Unicode NFKC + case folding
// via utf8proc, HTML entities decoded, elongations collapsed) while each token keeps its byte span in the original
// text, so a mention or an explanation can point at what the author wrote.
//
// What it recognises: URLs, @handles, #hashtags, $cashtags, numbers, words (Unicode letters and marks, inner
// apostrophes), emoji (one token each), ASCII emoticons (":)", ":-(", "<3", ...), punctuation (runs of "!" or "?"
// are one token). Post-level markers: a leading "RT @x:" / "MT @x:" (retweet), a post that is a quotation (starts
// with a quote mark followed by an @handle, or "via @x"). Negation scope: after a negator word (Vocabulary flag,
// or any word ending in "n't"), the next three words are marked negated; punctuation or a contrast word ends it.
//
// Thread safety: one TextNormalizer per thread (it keeps scratch buffers); the Vocabulary is shared read-only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/listen/vocabulary.h"

namespace vouch::listen {

enum class TokenKind : uint8_t { kWord, kNumber, kHandle, kHashtag, kCashtag, kUrl, kEmoji, kEmoticon, kPunct };

enum TokenFlag : uint8_t {
  kTokenNegated = 1,       // inside a negation scope
  kTokenElongated = 2,     // "sooo", "loooove": a letter repeated three times or more
  kTokenAllCaps = 4,       // two or more letters, all upper case, in a post that is not all upper case
  kTokenNegator = 8,       // opens a negation scope
  kTokenCapitalised = 16,  // starts with an upper-case letter ("Apple", "Is")
};

struct Token {
  TokenKind kind = TokenKind::kWord;
  uint8_t flags = 0;
  uint32_t begin = 0;  // byte span [begin, end) in the original text
  uint32_t end = 0;
  uint32_t text_begin = 0;  // span of the normalised text in NormalizedPost::folded
  uint32_t text_size = 0;
  uint32_t id = Vocabulary::kUnknown;       // vocabulary id of the normalised text ("#fail" for a hashtag)
  uint32_t word_id = Vocabulary::kUnknown;  // id of the word it carries: a word's own, a hashtag's body ("fail")
  uint32_t prefix_tag = Vocabulary::kUnknown;  // Vocabulary::FindPrefix of the word
  uint64_t hash = 0;                           // hash of the normalised text (features for learnt models)
};

struct NormalizedPost {
  std::string folded;  // normalised token texts, back to back
  std::vector<Token> tokens;
  bool retweet = false;     // "RT @x:" / "MT @x:" at the start
  bool quote = false;       // a quotation of someone else's words
  uint32_t retweet_at = 0;  // token index of the "RT" of a retweet marker (tokens before it are the author's)
  uint32_t body_token = 0;  // first token after the retweet marker (0 when none)
  bool all_caps = false;    // the whole post shouts: per-token caps carry no emphasis then

  std::string_view Text(const Token& t) const { return {folded.data() + t.text_begin, t.text_size}; }
  void Clear() {
    folded.clear();
    tokens.clear();
    retweet = quote = all_caps = false;
    retweet_at = body_token = 0;
  }
};

class TextNormalizer final {
 public:
  // vocabulary may be null: tokens then carry no ids (used while building a vocabulary from terms).
  explicit TextNormalizer(const Vocabulary* vocabulary) : vocabulary_(vocabulary) {}

  // Fills `out` (cleared first). Invalid UTF-8 bytes are treated as punctuation; never fails.
  void Normalize(std::string_view text, NormalizedPost& out);

  // The normalised form of a single term as Normalize would produce it, for building vocabularies: token texts
  // joined by single spaces ("Apple Inc." -> "apple inc .").
  static std::vector<std::string> TermTokens(std::string_view term);

 private:
  void AddToken(NormalizedPost& out, TokenKind kind, uint32_t begin, uint32_t end, std::string_view text);
  // Adds a token whose normalised text the caller has already appended to out.folded from text_begin on.
  static Token& PushToken(NormalizedPost& out, TokenKind kind, uint32_t begin, uint32_t end, size_t text_begin);
  // Appends raw's normalised form (folded, elongations collapsed) to out. ascii: raw has no byte >= 0x80 (the
  // caller's scan knows, and then no Unicode folding is needed).
  void FoldWord(std::string_view raw, bool ascii, std::string& out, bool& elongated);
  void AppendLower(std::string_view raw, std::string& out);
  void Lookup(NormalizedPost& out, Token& token);
  void MarkNegation(NormalizedPost& out) const;

  const Vocabulary* vocabulary_;
  std::string scratch_;
  std::string scratch2_;
  std::vector<char> fold_;  // FoldWord's and AppendLower's output before it joins the post's text
};

}  // namespace vouch::listen
