#include "vouch/listen/mention_detector.h"

#include <fmt/format.h>

#include <algorithm>

namespace vouch::listen {

std::string_view TermKindName(TermKind kind) {
  switch (kind) {
    case TermKind::kName: return "name";
    case TermKind::kAlias: return "alias";
    case TermKind::kHandle: return "handle";
    case TermKind::kHashtag: return "hashtag";
    case TermKind::kCashtag: return "cashtag";
    case TermKind::kProduct: return "product";
  }
  return "alias";
}

Result<MentionDetector> MentionDetector::Create(const std::vector<BrandConfig>& brands) {
  MentionDetector d;
  auto add = [&d](uint32_t brand, const std::string& term, TermKind kind, bool exclusion,
                  std::string_view field) -> Status {
    std::string text = term;
    // A handle, hashtag or cashtag listed without its sigil gets it: handles = ["delta"] means "@delta".
    if (kind == TermKind::kHandle && !text.starts_with('@')) text.insert(text.begin(), '@');
    if (kind == TermKind::kHashtag && !text.starts_with('#')) text.insert(text.begin(), '#');
    if (kind == TermKind::kCashtag && !text.starts_with('$')) text.insert(text.begin(), '$');
    const std::vector<std::string> tokens = TextNormalizer::TermTokens(text);
    const bool has_word = std::any_of(tokens.begin(), tokens.end(), [](const std::string& t) {
      return std::any_of(t.begin(), t.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z');
      });
    });
    if (!has_word) {
      return Status::InvalidArgument(
          fmt::format("brand '{}': {} '{}' has no word in it", d.brand_names_[brand], field, term));
    }
    std::vector<uint32_t> ids;
    ids.reserve(tokens.size());
    for (const std::string& t : tokens) ids.push_back(d.vocabulary_.Add(t));
    const uint32_t pattern = d.automaton_.Add(ids);
    if (pattern != d.terms_.size()) return Status::Internal("mention automaton numbering out of step");
    d.terms_.push_back({brand, kind, exclusion, term});
    return Status::Ok();
  };
  for (uint32_t b = 0; b < brands.size(); ++b) {
    const BrandConfig& brand = brands[b];
    d.brand_names_.push_back(brand.name);
    if (!brand.name.empty()) VOUCH_TRY(add(b, brand.name, TermKind::kName, false, "name"));
    for (const auto& t : brand.aliases) VOUCH_TRY(add(b, t, TermKind::kAlias, false, "aliases"));
    for (const auto& t : brand.handles) VOUCH_TRY(add(b, t, TermKind::kHandle, false, "handles"));
    for (const auto& t : brand.hashtags) VOUCH_TRY(add(b, t, TermKind::kHashtag, false, "hashtags"));
    for (const auto& t : brand.cashtags) VOUCH_TRY(add(b, t, TermKind::kCashtag, false, "cashtags"));
    for (const auto& t : brand.products) VOUCH_TRY(add(b, t, TermKind::kProduct, false, "products"));
    for (const auto& t : brand.exclusions) VOUCH_TRY(add(b, t, TermKind::kAlias, true, "exclusions"));
  }
  d.automaton_.Build();
  return d;
}

std::vector<Mention> MentionDetector::Detect(std::string_view text) {
  TextNormalizer normalizer(&vocabulary_);
  normalizer.Normalize(text, scratch_);
  return Detect(scratch_);
}

std::vector<Mention> MentionDetector::Detect(const NormalizedPost& post) const {
  std::vector<PhraseAutomaton::Match> matches;
  automaton_.MatchAll(
      post.tokens.size(), [&post](size_t i) { return post.tokens[i].id; }, matches);
  if (matches.empty()) return {};
  // Exclusions cancel every match they overlap, whichever brand it is for ("apple pie" is not about Apple).
  std::vector<std::pair<uint32_t, uint32_t>> excluded;
  for (const auto& m : matches) {
    if (terms_[m.pattern].exclusion) excluded.emplace_back(m.first, m.last);
  }
  std::vector<PhraseAutomaton::Match> kept;
  for (const auto& m : matches) {
    if (terms_[m.pattern].exclusion) continue;
    const bool cancelled = std::any_of(excluded.begin(), excluded.end(),
                                       [&m](const auto& x) { return m.first <= x.second && x.first <= m.last; });
    if (!cancelled) kept.push_back(m);
  }
  // Of overlapping matches for the same brand keep the longest ("Apple Inc" over "Apple"); leftmost on ties.
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.last > b.last;
  });
  std::vector<Mention> out;
  std::vector<PhraseAutomaton::Match> chosen;
  for (const auto& m : kept) {
    const uint32_t brand = terms_[m.pattern].brand;
    bool overlaps = false;
    for (const auto& c : chosen) {
      if (terms_[c.pattern].brand == brand && m.first <= c.last && c.first <= m.last) {
        overlaps = true;
        break;
      }
    }
    if (overlaps) continue;
    chosen.push_back(m);
    const Term& term = terms_[m.pattern];
    out.push_back(
        {brand, brand_names_[brand], term.text, term.kind, post.tokens[m.first].begin, post.tokens[m.last].end});
  }
  return out;
}

}  // namespace vouch::listen
