#include "vouch/listen/phrase_overrides.h"

#include <fmt/format.h>

namespace vouch::listen {

Result<PhraseOverrides> PhraseOverrides::Create(
    const std::vector<std::pair<std::string, std::string>>& phrase_effects) {
  PhraseOverrides out;
  TextNormalizer normalizer(nullptr);
  NormalizedPost post;
  for (const auto& [phrase, effect] : phrase_effects) {
    Override o;
    o.phrase = phrase;
    normalizer.Normalize(phrase, post);
    for (const Token& t : post.tokens) {
      if (t.kind != TokenKind::kPunct) o.tokens.push_back(t.hash);
    }
    if (o.tokens.empty()) {
      return Status::InvalidArgument(fmt::format("override phrase '{}' has no words", phrase));
    }
    if (effect == "neutral") {
    } else if (effect == "positive") {
      o.sentiment = kSentimentWeight;
    } else if (effect == "negative") {
      o.sentiment = -kSentimentWeight;
    } else if (auto act = ParseAct(effect)) {
      o.acts[static_cast<size_t>(*act)] = kActWeight;
    } else {
      return Status::InvalidArgument(fmt::format(
          "override phrase '{}': effect '{}' is none of neutral, positive, negative, endorse, complain, share, "
          "ask, other",
          phrase, effect));
    }
    out.overrides_.push_back(std::move(o));
  }
  return out;
}

void PhraseOverrides::Apply(const NormalizedPost& post, std::vector<uint8_t>& masked, float& sentiment,
                            std::array<float, kActCount>& acts, std::vector<uint32_t>& matched) const {
  const std::vector<Token>& toks = post.tokens;
  masked.assign(toks.size(), 0);
  // A handful of phrases per brand: a direct scan is cheaper than building an automaton per workspace.
  for (uint32_t k = 0; k < overrides_.size(); ++k) {
    const Override& o = overrides_[k];
    const size_t m = o.tokens.size();
    for (size_t i = 0; i + m <= toks.size(); ++i) {
      size_t j = 0;
      while (j < m && toks[i + j].hash == o.tokens[j]) ++j;
      if (j < m) continue;
      for (j = 0; j < m; ++j) masked[i + j] = 1;
      sentiment += o.sentiment;
      for (size_t a = 0; a < kActCount; ++a) acts[a] += o.acts[a];
      matched.push_back(k);
      i += m - 1;
    }
  }
}

}  // namespace vouch::listen
