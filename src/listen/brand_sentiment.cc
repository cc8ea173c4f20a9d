#include "vouch/listen/brand_sentiment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace vouch::listen {
namespace {

constexpr float kNormalisation = 15.0f;  // as PostClassifier: score = s / sqrt(s^2 + alpha)

bool OneOf(std::string_view w, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool IsMoveVerb(std::string_view w) {
  return w.starts_with("switch") || w.starts_with("mov") || w.starts_with("chang") || w.starts_with("migrat") ||
         w.starts_with("convert") || OneOf(w, {"went", "go", "going", "gone", "came", "come", "jumped", "upgraded"});
}

bool IsLeaveVerb(std::string_view w) {
  return w.starts_with("ditch") || w.starts_with("dump") || w.starts_with("drop") ||
         OneOf(w, {"left", "leave", "leaving", "quit", "quitting", "abandoned", "replaced", "traded"});
}

bool IsClauseBreak(std::string_view w) {
  return OneOf(w, {".", "!", "?", ";", "but", "however", "though", "although", "whereas", "rt"});
}

// A score at or below this is clearly negative, whatever the label thresholds.
constexpr float kClearlyNegative = -0.3f;

Sentiment PolarityOf(float score) {
  return score > 0 ? Sentiment::kPositive : score < 0 ? Sentiment::kNegative : Sentiment::kNeutral;
}

Sentiment Opposite(Sentiment s) {
  return s == Sentiment::kPositive ? Sentiment::kNegative
         : s == Sentiment::kNegative ? Sentiment::kPositive
                                      : Sentiment::kNeutral;
}

}  // namespace

void BrandSentiment::Assign(const PostClassifier& classifier, const Classification& post,
                            const std::vector<Mention>& mentions, std::vector<BrandSentimentResult>& out) {
  out.assign(mentions.size(), BrandSentimentResult{post.sentiment, post.sentiment_score, "post"});
  if (mentions.size() < 2) return;
  const bool several = std::any_of(mentions.begin(), mentions.end(),
                                   [&](const Mention& m) { return m.brand != mentions[0].brand; });
  if (!several) return;

  const ClassifierModel& model = classifier.model();
  const NormalizedPost& p = classifier.post();
  const std::vector<Token>& toks = p.tokens;
  const std::vector<float>& valence = classifier.token_valence();
  const size_t n = toks.size();
  auto word = [&](size_t i) { return i < n ? p.Text(toks[i]) : std::string_view(); };
  auto label_of = [&](float score) {
    return score >= model.positive_above()   ? Sentiment::kPositive
           : score <= model.negative_below() ? Sentiment::kNegative
                                             : Sentiment::kNeutral;
  };
  auto fixed = [&](Sentiment s, const char* rule) {
    const float score = s == Sentiment::kPositive   ? std::max(model.positive_above(), 0.5f)
                        : s == Sentiment::kNegative ? std::min(model.negative_below(), -0.5f)
                                                    : 0.0f;
    return BrandSentimentResult{s, score, rule};
  };
  // The first token of each mention (a mention's span starts at a token's start).
  std::vector<size_t> at(mentions.size(), n);
  for (size_t k = 0; k < mentions.size(); ++k) {
    for (size_t i = 0; i < n; ++i) {
      if (toks[i].end > mentions[k].begin) {
        at[k] = i;
        break;
      }
    }
  }
  auto mention_token = [&](size_t i) {
    for (size_t k = 0; k < mentions.size(); ++k)
      if (at[k] == i) return true;
    return false;
  };
  // The clause around token i: [begin, end).
  auto clause = [&](size_t i) {
    size_t b = i;
    while (b > 0 && !IsClauseBreak(word(b - 1))) --b;
    size_t e = i;
    while (e < n && !IsClauseBreak(word(e))) ++e;
    return std::pair<size_t, size_t>{b, e};
  };
  std::vector<bool> decided(mentions.size(), false);

  for (size_t k = 0; k < mentions.size(); ++k) {
    const size_t i = at[k];
    if (i >= n) continue;
    // 1. A move: "from X to/for Y" (X is the one left), "left X for Y".
    // Moving to a brand is a vote for it, unless what is said after it is clearly negative ("switched to Y and
    // it has been a nightmare"); a reason ("... for Y after the third delay") is about the brand left.
    auto chosen_at = [&](size_t j) {
      if (j + 1 < n && OneOf(word(j + 1), {"after", "because", "since", "due", "as", "when", "cause", "bc"}))
        return Sentiment::kPositive;
      float after = 0;
      for (size_t t = j + 1; t < n && !IsClauseBreak(word(t)); ++t) after += valence[t];
      return after / std::sqrt(after * after + kNormalisation) <= kClearlyNegative ? Sentiment::kNegative
                                                                                 : Sentiment::kPositive;
    };
    bool moved_from = false;
    if (i >= 2 && word(i - 1) == "from") {
      for (size_t t = i - 2; t + 5 >= i && !moved_from; --t) {
        moved_from = IsMoveVerb(word(t));
        if (t == 0) break;
      }
    }
    if (moved_from || (i >= 1 && IsLeaveVerb(word(i - 1)))) {
      // The destination: the next mention after "to"/"for" within a few tokens.
      for (size_t k2 = 0; k2 < mentions.size(); ++k2) {
        const size_t j = at[k2];
        if (mentions[k2].brand == mentions[k].brand || j <= i || j > i + 4) continue;
        bool via = false;
        for (size_t t = i + 1; t < j; ++t) via = via || OneOf(word(t), {"to", "for", "->", "with"});
        if (!via) continue;
        const Sentiment chosen = chosen_at(j);
        out[k] = fixed(Opposite(chosen), "move");
        out[k2] = fixed(chosen, "move");
        decided[k] = decided[k2] = true;
      }
      if (decided[k]) continue;
    }
    // 2. A comparison: "<comparative> than X".
    if (i >= 2 && word(i - 1) == "than") {
      float polarity = valence[i - 2] + (i >= 3 ? valence[i - 3] : 0.0f);
      Sentiment compared = polarity > 0   ? Sentiment::kPositive
                           : polarity < 0 ? Sentiment::kNegative
                                          : PolarityOf(post.sentiment_score);
      if (compared == Sentiment::kNeutral) continue;
      out[k] = fixed(Opposite(compared), "comparison");
      decided[k] = true;
      // The brands named before "than" in the same clause are the ones compared favourably (or not).
      const auto [cb, ce] = clause(i);
      for (size_t k2 = 0; k2 < mentions.size(); ++k2) {
        if (mentions[k2].brand == mentions[k].brand || at[k2] < cb || at[k2] >= i || decided[k2]) continue;
        out[k2] = fixed(compared, "comparison");
        decided[k2] = true;
      }
      continue;
    }
    // 3. "unlike X": the post's stance (the sign of its score) is toward the others, X gets the opposite.
    const Sentiment stance = PolarityOf(post.sentiment_score);
    if (i >= 1 && word(i - 1) == "unlike" && stance != Sentiment::kNeutral) {
      out[k] = fixed(Opposite(stance), "unlike");
      decided[k] = true;
      for (size_t k2 = 0; k2 < mentions.size(); ++k2) {
        if (mentions[k2].brand == mentions[k].brand || decided[k2]) continue;
        out[k2] = fixed(stance, "unlike");
        decided[k2] = true;
      }
    }
  }

  // 4. The clause; 5. the post.
  for (size_t k = 0; k < mentions.size(); ++k) {
    if (decided[k] || at[k] >= n) continue;
    const auto [b, e] = clause(at[k]);
    // A clause that names every brand of the post says nothing about one against another: the post decides.
    const bool apart = std::any_of(at.begin(), at.end(), [&, b = b, e = e](size_t j) { return j < b || j >= e; });
    if (!apart) continue;
    float s = 0;
    bool any = false;
    for (size_t t = b; t < e; ++t) {
      if (mention_token(t)) continue;
      s += valence[t];
      any = any || valence[t] != 0;
    }
    if (!any) continue;
    const float score = s / std::sqrt(s * s + kNormalisation);
    out[k] = BrandSentimentResult{label_of(score), score, "clause"};
  }
}

}  // namespace vouch::listen
