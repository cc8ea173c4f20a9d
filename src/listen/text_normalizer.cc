#include "vouch/listen/text_normalizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

namespace vouch::listen {
namespace {

bool IsAsciiAlpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAsciiDigit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool IsAsciiAlnum(unsigned char c) {
  return IsAsciiAlpha(c) || IsAsciiDigit(c);
}
bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
char Lower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

// Whether s holds `lit` at i. Compares bytes in place: the checks run at most tokens, and a library compare per
// check (a call and a memcmp) was a measurable part of the classifier's time.
template <size_t N>
bool HasAt(std::string_view s, size_t i, const char (&lit)[N]) {
  if (s.size() - i < N - 1) return false;
  for (size_t k = 0; k + 1 < N; ++k) {
    if (s[i + k] != lit[k]) return false;
  }
  return true;
}
// Whether a token's text is exactly `lit`.
template <size_t N>
bool Is(std::string_view text, const char (&lit)[N]) {
  return text.size() == N - 1 && HasAt(text, 0, lit);
}

// Decodes one code point at s[i]; returns its length (1 for an invalid byte, whose code point is then -1).
size_t Decode(std::string_view s, size_t i, int32_t& cp) {
  utf8proc_int32_t c = -1;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &c);
  if (n <= 0) {
    cp = -1;
    return 1;
  }
  cp = c;
  return static_cast<size_t>(n);
}

bool IsWordCodePoint(int32_t cp) {
  if (cp < 0) return false;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return true;
    default: return false;
  }
}

bool IsSpaceCodePoint(int32_t cp) {
  if (cp < 0) return false;
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

// Pictographs, dingbats, flags and the like: each is a token of its own (an emoji often is the whole sentiment).
bool IsEmojiCodePoint(int32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x2300 && cp <= 0x23FF) ||
         (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0x2764 || cp == 0x00A9 || cp == 0x00AE;
}
// Code points that modify the emoji before them and belong to its token.
bool IsEmojiModifier(int32_t cp) {
  return cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x20E3;
}

// Emoticons, longest first among those sharing a start. Matched only as whole tokens.
constexpr std::array<std::string_view, 34> kEmoticons = {
    ":-)", ":)",  ":-(", ":(",  ":-D", ":D",  ";-)", ";)",  ":-P", ":P", ":p", ":-/",
    ":/",  ":'(", ":|",  "</3", "<3",  ":-o", ":o",  ":O",  "=)",  "=(", "xD", "XD",
    ":]",  ":[",  "^_^", ":*",  ";(",  ":-*", "D:",  ":-|", ":\\", "-_-"};

// The bytes some emoticon starts with: every other byte skips the emoticon scan (which was a tenth of the
// classifier's instructions when each '@', '#' or capital D tried all of them).
constexpr std::array<bool, 256> EmoticonStarts() {
  std::array<bool, 256> starts{};
  for (const std::string_view e : kEmoticons) starts[static_cast<unsigned char>(e[0])] = true;
  return starts;
}
constexpr std::array<bool, 256> kEmoticonStart = EmoticonStarts();

bool IsBoundary(std::string_view s, size_t i) {
  if (i >= s.size()) return true;
  const auto c = static_cast<unsigned char>(s[i]);
  return IsAsciiSpace(c) || c == '.' || c == ',' || c == '!' || c == '?' || c >= 0x80;
}

// Decodes HTML character references: the five named ones tweets carry, numeric ones, &nbsp;.
// Returns the decoded length consumed from s[i] (0 if none) and appends the character to out.
size_t DecodeEntity(std::string_view s, size_t i, std::string& out) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kNamed = {{{"&amp;", "&"},
                                                                                           {"&lt;", "<"},
                                                                                           {"&gt;", ">"},
                                                                                           {"&quot;", "\""},
                                                                                           {"&apos;", "'"},
                                                                                           {"&nbsp;", " "},
                                                                                           {"&#39;", "'"}}};
  for (const auto& [name, value] : kNamed) {
    if (s.compare(i, name.size(), name) == 0) {
      out += value;
      return name.size();
    }
  }
  if (i + 3 < s.size() && s[i + 1] == '#') {
    size_t j = i + 2;
    const bool hex = s[j] == 'x' || s[j] == 'X';
    if (hex) ++j;
    int32_t cp = 0;
    size_t digits = 0;
    while (j < s.size() && digits < 7) {
      const auto c = static_cast<unsigned char>(s[j]);
      int v = -1;
      if (IsAsciiDigit(c))
        v = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
      if (v < 0) break;
      cp = cp * (hex ? 16 : 10) + v;
      ++digits;
      ++j;
    }
    if (digits > 0 && j < s.size() && s[j] == ';' && utf8proc_codepoint_valid(cp)) {
      utf8proc_uint8_t buf[4];
      const auto n = utf8proc_encode_char(cp, buf);
      out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
      return j + 1 - i;
    }
  }
  return 0;
}

}  // namespace

void TextNormalizer::FoldWord(std::string_view raw, bool ascii, std::string& out, bool& elongated) {
  std::string_view source = raw;
  if (!ascii) {
    // NFKC with case folding (utf8proc's NFKC_Casefold minus ignorable stripping): "Ｃａｆé" -> "café",
    // "ＡＰＰＬＥ" -> "apple", ligatures split. The typographic apostrophe becomes ASCII so "don’t" = "don't".
    utf8proc_uint8_t* mapped = nullptr;
    const auto n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(raw.data()), static_cast<utf8proc_ssize_t>(raw.size()), &mapped,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    if (n >= 0 && mapped != nullptr) {
      scratch2_.assign(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
    } else {
      scratch2_.assign(raw);
    }
    std::free(mapped);
    if (scratch2_.find("\xE2\x80\x99") != std::string::npos) {
      std::string plain;
      for (size_t k = 0; k < scratch2_.size(); ++k) {
        if (scratch2_.compare(k, 3, "\xE2\x80\x99") == 0) {
          plain += '\'';
          k += 2;
        } else {
          plain += scratch2_[k];
        }
      }
      scratch2_.swap(plain);
    }
    source = scratch2_;
  }
  // Elongation: three or more of the same letter collapse to two ("sooo" -> "soo", "goood" -> "good"); Lookup
  // also tries one ("soo" -> "so").
  // The folded text is never longer than the source: written through a pointer into a scratch buffer kept
  // between calls, then appended at once (a byte-at-a-time append, or a resize of `out`, costs more than this).
  elongated = false;
  if (fold_.size() < source.size()) fold_.resize(std::max<size_t>(source.size(), 2 * fold_.size()));
  char* const first = fold_.data();
  char* dst = first;
  size_t run = 0;
  char prev = 0;
  for (const char ch : source) {
    const char c = Lower(static_cast<unsigned char>(ch));
    run = (c == prev) ? run + 1 : 1;
    prev = c;
    if (run >= 3 && IsAsciiAlpha(static_cast<unsigned char>(c))) {
      elongated = true;
      continue;
    }
    *dst++ = c;
  }
  out.append(first, static_cast<size_t>(dst - first));
}

void TextNormalizer::AppendLower(std::string_view raw, std::string& out) {
  if (fold_.size() < raw.size()) fold_.resize(std::max<size_t>(raw.size(), 2 * fold_.size()));
  char* dst = fold_.data();
  for (const char ch : raw) *dst++ = Lower(static_cast<unsigned char>(ch));
  out.append(fold_.data(), raw.size());
}

void TextNormalizer::Lookup(NormalizedPost& out, Token& token) {
  std::string_view text = out.Text(token);
  token.hash = Vocabulary::HashOf(text);
  if (vocabulary_ == nullptr) return;
  token.id = vocabulary_->Find(text, token.hash);
  // Any number not known by itself is the number placeholder, so a phrase "0 hours" covers "3 hours".
  if (token.kind == TokenKind::kNumber && token.id == Vocabulary::kUnknown) {
    token.id = vocabulary_->Find(Vocabulary::kNumber);
  }
  std::string_view word = text;
  if (token.kind == TokenKind::kHashtag) word = text.substr(1);
  if (token.kind == TokenKind::kWord || token.kind == TokenKind::kHashtag) {
    token.word_id = token.kind == TokenKind::kWord ? token.id : vocabulary_->Find(word);
    if (word.size() < 3) return;  // no prefix pattern is that short
    if (token.word_id == Vocabulary::kUnknown && (token.flags & kTokenElongated) != 0) {
      // "soo" (from "sooooo") is "so"; "goood" stayed "good" already.
      scratch_.clear();
      for (const char c : word) {
        if (scratch_.empty() || scratch_.back() != c) scratch_ += c;
      }
      token.word_id = vocabulary_->Find(scratch_);
      if (token.kind == TokenKind::kWord) token.id = token.word_id;
    }
    token.prefix_tag = vocabulary_->FindPrefix(word);
  }
}

void TextNormalizer::AddToken(NormalizedPost& out, TokenKind kind, uint32_t begin, uint32_t end,
                              std::string_view text) {
  const size_t text_begin = out.folded.size();
  out.folded.append(text);
  PushToken(out, kind, begin, end, text_begin);
}

Token& TextNormalizer::PushToken(NormalizedPost& out, TokenKind kind, uint32_t begin, uint32_t end,
                                 size_t text_begin) {
  Token& t = out.tokens.emplace_back();
  t.kind = kind;
  t.begin = begin;
  t.end = end;
  t.text_begin = static_cast<uint32_t>(text_begin);
  t.text_size = static_cast<uint32_t>(out.folded.size() - text_begin);
  return t;
}

void TextNormalizer::Normalize(std::string_view original, NormalizedPost& out) {
  out.Clear();
  // HTML entities are decoded first (tweets arrive with "&amp;" and "&lt;3"), keeping a map from each decoded
  // byte back to its original offset so spans stay true to the original text.
  std::string decoded;
  std::vector<uint32_t> origin;
  std::string_view s = original;
  const bool has_entities = original.find('&') != std::string_view::npos;
  if (has_entities) {
    decoded.reserve(original.size());
    origin.reserve(original.size() + 1);
    for (size_t i = 0; i < original.size();) {
      const size_t before = decoded.size();
      size_t consumed = original[i] == '&' ? DecodeEntity(original, i, decoded) : 0;
      if (consumed == 0) {
        decoded += original[i];
        consumed = 1;
      }
      for (size_t k = before; k < decoded.size(); ++k) origin.push_back(static_cast<uint32_t>(i));
      i += consumed;
    }
    origin.push_back(static_cast<uint32_t>(original.size()));
    s = decoded;
  }
  auto orig = [&](size_t i) -> uint32_t { return has_entities ? origin[i] : static_cast<uint32_t>(i); };

  size_t caps_words = 0;
  size_t letter_words = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (IsAsciiSpace(c)) {
      ++i;
      continue;
    }
    const size_t start = i;
    // URL
    if ((c == 'h' || c == 'H' || c == 'w' || c == 'W') &&
        (HasAt(s, i, "http://") || HasAt(s, i, "https://") || HasAt(s, i, "www.") || HasAt(s, i, "HTTP://") ||
         HasAt(s, i, "HTTPS://"))) {
      while (i < s.size() && !IsAsciiSpace(static_cast<unsigned char>(s[i]))) ++i;
      AddToken(out, TokenKind::kUrl, orig(start), orig(i), "<url>");
      Lookup(out, out.tokens.back());
      continue;
    }
    // @handle, $cashtag
    if ((c == '@' || c == '$') && i + 1 < s.size() &&
        (c == '@' ? (IsAsciiAlnum(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '_')
                  : IsAsciiAlpha(static_cast<unsigned char>(s[i + 1])))) {
      ++i;
      while (i < s.size()) {
        const auto d = static_cast<unsigned char>(s[i]);
        if (!(IsAsciiAlnum(d) || (c == '@' && d == '_'))) break;
        ++i;
      }
      const size_t text_begin = out.folded.size();
      AppendLower(s.substr(start, i - start), out.folded);
      Lookup(out, PushToken(out, c == '@' ? TokenKind::kHandle : TokenKind::kCashtag, orig(start), orig(i),
                            text_begin));
      continue;
    }
    // Emoticon: only as a whole token (":)" yes, "a:)b" no).
    if (kEmoticonStart[c]) {
      bool matched = false;
      const bool left_ok = start == 0 || IsAsciiSpace(static_cast<unsigned char>(s[start - 1]));
      if (left_ok) {
        for (const std::string_view e : kEmoticons) {
          if (e[0] == static_cast<char>(c) && s.substr(i, e.size()) == e && IsBoundary(s, i + e.size())) {
            i += e.size();
            AddToken(out, TokenKind::kEmoticon, orig(start), orig(i), e);
            Lookup(out, out.tokens.back());
            matched = true;
            break;
          }
        }
      }
      if (matched) continue;
    }
    // Number: digits with inner separators, and letters glued to them ("2nd", "4pm", "$50" handled as "$" "50").
    if (IsAsciiDigit(c)) {
      while (i < s.size()) {
        const auto d = static_cast<unsigned char>(s[i]);
        if (IsAsciiAlnum(d) || ((d == '.' || d == ',' || d == ':') && i + 1 < s.size() &&
                                IsAsciiDigit(static_cast<unsigned char>(s[i + 1])))) {
          ++i;
        } else {
          break;
        }
      }
      const size_t text_begin = out.folded.size();
      AppendLower(s.substr(start, i - start), out.folded);
      Lookup(out, PushToken(out, TokenKind::kNumber, orig(start), orig(i), text_begin));
      continue;
    }
    // Word or #hashtag: letters, marks, digits, inner apostrophes; Unicode-aware.
    const bool hashtag = c == '#' && i + 1 < s.size();
    size_t j = hashtag ? i + 1 : i;
    size_t letters = 0;
    bool ascii = true;  // whether every byte of the word is ASCII (then it needs no Unicode folding)
    size_t upper = 0;
    while (j < s.size()) {
      const auto d = static_cast<unsigned char>(s[j]);
      if (d < 0x80) {
        if (IsAsciiAlnum(d) || (hashtag && d == '_')) {
          letters += IsAsciiAlpha(d) ? 1 : 0;
          upper += (d >= 'A' && d <= 'Z') ? 1 : 0;
          ++j;
          continue;
        }
        // An apostrophe inside a word ("don't", "I'm").
        if (d == '\'' && j > i && j + 1 < s.size() && IsAsciiAlpha(static_cast<unsigned char>(s[j + 1]))) {
          ++j;
          continue;
        }
        break;
      }
      int32_t cp = 0;
      const size_t n = Decode(s, j, cp);
      if (cp == 0x2019 && j > i && j + n < s.size() && IsAsciiAlpha(static_cast<unsigned char>(s[j + n]))) {
        ascii = false;
        j += n;
        continue;
      }
      if (!IsWordCodePoint(cp)) break;
      ascii = false;
      ++letters;
      j += n;
    }
    if (j > (hashtag ? i + 1 : i)) {
      bool elongated = false;
      const size_t text_begin = out.folded.size();
      if (hashtag) out.folded += '#';
      FoldWord(s.substr(hashtag ? i + 1 : i, j - (hashtag ? i + 1 : i)), ascii, out.folded, elongated);
      Token& t =
          PushToken(out, hashtag ? TokenKind::kHashtag : TokenKind::kWord, orig(start), orig(j), text_begin);
      if (elongated) t.flags |= kTokenElongated;
      if (!hashtag && c >= 'A' && c <= 'Z') t.flags |= kTokenCapitalised;
      if (!hashtag && letters >= 2) {
        ++letter_words;
        if (upper == letters) {
          ++caps_words;
          t.flags |= kTokenAllCaps;
        }
      }
      Lookup(out, t);
      i = j;
      continue;
    }
    // Anything else is one code point: an emoji (with its modifiers), a space, or punctuation.
    int32_t cp = 0;
    size_t n = Decode(s, i, cp);
    if (IsSpaceCodePoint(cp)) {
      i += n;
      continue;
    }
    if (IsEmojiCodePoint(cp)) {
      const std::string_view base = s.substr(i, n);
      i += n;
      // Modifiers (skin tone, variation selector) and ZWJ sequences stay in the token's span; the text is the
      // base pictograph so "thumbs up" in any skin tone is one word.
      while (i < s.size()) {
        int32_t next = 0;
        const size_t m = Decode(s, i, next);
        if (IsEmojiModifier(next)) {
          i += m;
          if (next == 0x200D && i < s.size()) {
            const size_t k = Decode(s, i, next);
            if (IsEmojiCodePoint(next)) i += k;
          }
          continue;
        }
        break;
      }
      AddToken(out, TokenKind::kEmoji, orig(start), orig(i), base);
      Lookup(out, out.tokens.back());
      continue;
    }
    if (c == '!' || c == '?') {
      // "?!?" is one question token; "!!!" one exclamation (features count the span's length).
      bool question = false;
      while (i < s.size() && (s[i] == '!' || s[i] == '?')) question |= s[i++] == '?';
      AddToken(out, TokenKind::kPunct, orig(start), orig(i), question ? "?" : "!");
      Lookup(out, out.tokens.back());
      continue;
    }
    if (c == '.' && i + 1 < s.size() && s[i + 1] == '.') {
      while (i < s.size() && s[i] == '.') ++i;
      AddToken(out, TokenKind::kPunct, orig(start), orig(i), "...");
      Lookup(out, out.tokens.back());
      continue;
    }
    i += n;
    // Typographic quotes become ASCII ones so quote markers are one symbol.
    std::string_view text = s.substr(start, n);
    if (cp == 0x201C || cp == 0x201D || cp == 0x00AB || cp == 0x00BB) text = "\"";
    if (cp == 0x2018 || cp == 0x2019) text = "'";
    AddToken(out, TokenKind::kPunct, orig(start), orig(i), text);
    Lookup(out, out.tokens.back());
  }

  // A post in capitals throughout shouts everywhere, which says nothing about any one word.
  if (letter_words >= 3 && caps_words == letter_words) {
    out.all_caps = true;
    for (Token& t : out.tokens) t.flags &= static_cast<uint8_t>(~kTokenAllCaps);
  }

  // Retweet and quotation markers.
  const auto& toks = out.tokens;
  for (size_t k = 0; k + 1 < toks.size(); ++k) {
    const std::string_view text = out.Text(toks[k]);
    if (toks[k].kind == TokenKind::kWord && (Is(text, "rt") || Is(text, "mt")) &&
        toks[k + 1].kind == TokenKind::kHandle) {
      out.retweet = true;
      out.retweet_at = static_cast<uint32_t>(k);
      size_t body = k + 2;
      if (body < toks.size() && Is(out.Text(toks[body]), ":")) ++body;
      out.body_token = static_cast<uint32_t>(body);
      break;
    }
    if (toks[k].kind == TokenKind::kWord && Is(text, "via") && toks[k + 1].kind == TokenKind::kHandle)
      out.quote = true;
  }
  if (toks.size() >= 2 && toks[0].kind == TokenKind::kPunct && Is(out.Text(toks[0]), "\"") &&
      toks[1].kind == TokenKind::kHandle) {
    out.quote = true;
  }
  MarkNegation(out);
}

void TextNormalizer::MarkNegation(NormalizedPost& out) const {
  int scope = 0;
  for (Token& t : out.tokens) {
    const std::string_view text = out.Text(t);
    if (t.kind == TokenKind::kPunct) {
      if (!Is(text, "'") && !Is(text, "\"")) scope = 0;
      continue;
    }
    if (t.kind != TokenKind::kWord && t.kind != TokenKind::kHashtag) continue;
    const uint8_t flags = vocabulary_ != nullptr ? vocabulary_->Flags(t.word_id) : 0;
    if ((flags & kWordContrast) != 0) {
      scope = 0;
      continue;
    }
    const bool negator = (flags & kWordNegator) != 0 || (text.size() > 3 && HasAt(text, text.size() - 3, "n't"));
    if (negator) {
      t.flags |= kTokenNegator;
      scope = 3;
      continue;
    }
    if (scope > 0) {
      t.flags |= kTokenNegated;
      --scope;
    }
  }
}

std::vector<std::string> TextNormalizer::TermTokens(std::string_view term) {
  TextNormalizer normalizer(nullptr);
  NormalizedPost post;
  normalizer.Normalize(term, post);
  std::vector<std::string> tokens;
  tokens.reserve(post.tokens.size());
  for (const Token& t : post.tokens) tokens.emplace_back(post.Text(t));
  return tokens;
}

}  // namespace vouch::listen
