#include "vouch/listen/post_classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace vouch::listen {
namespace {

// VADER's constants (Hutto & Gilbert 2014, and its reference implementation's documentation).
constexpr float kBoost = 0.293f;      // an intensifier or dampener before a word
constexpr float kCapsBoost = 0.733f;  // a word in capitals in a post that is not
constexpr float kNegationScale = -0.74f;
constexpr float kExclaimBoost = 0.292f;  // per "!", at most four
constexpr float kNormalisation = 15.0f;  // score = s / sqrt(s^2 + alpha)

float Sign(float v) {
  return v < 0 ? -1.0f : 1.0f;
}

bool IsWordLike(const Token& t) {
  return t.kind == TokenKind::kWord || t.kind == TokenKind::kHashtag;
}

void Softmax(const float* scores, size_t n, float* p) {
  const float top = *std::max_element(scores, scores + n);
  float sum = 0;
  for (size_t k = 0; k < n; ++k) sum += p[k] = std::exp(scores[k] - top);
  for (size_t k = 0; k < n; ++k) p[k] /= sum;
}

uint64_t Mix(uint64_t a, uint64_t b) {
  // A 64-bit mix (splitmix-style) so bigram hashes do not collide with unigram ones.
  uint64_t x = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return x;
}

}  // namespace

void PostClassifier::Extract(std::string_view text, uint32_t buckets, PostFeatures& out,
                             const PhraseOverrides* overrides) {
  const ClassifierModel& m = *model_;
  normalizer_.Normalize(text, post_);
  const std::vector<Token>& toks = post_.tokens;
  const size_t n = toks.size();
  const size_t families = m.families_.size();
  out.dense.assign(families + kSignalCount + 1, 0.0f);
  out.buckets.clear();
  out.fired.clear();
  out.act_push.fill(0.0f);
  out.overrides.clear();
  token_valence_.assign(n, 0.0f);
  float override_sentiment = 0;
  const bool masking = overrides != nullptr && !overrides->empty();
  if (masking) overrides->Apply(post_, masked_, override_sentiment, out.act_push, out.overrides);
  auto is_masked = [&](size_t first, size_t last) {
    if (!masking) return false;
    for (size_t i = first; i <= last; ++i) {
      if (masked_[i] != 0) return true;
    }
    return false;
  };

  // The author's own words: everything before a retweet marker. Where they begin: after leading @handles.
  const size_t own_end = post_.retweet ? post_.retweet_at : n;
  size_t own_start = 0;
  while (own_start < own_end && toks[own_start].kind == TokenKind::kHandle) ++own_start;

  // Cue families: phrases through the automaton, prefixes ("delay*") through the vocabulary.
  matches_.clear();
  m.automaton_.MatchAll(
      n, [&toks](size_t i) { return toks[i].kind == TokenKind::kHashtag ? toks[i].word_id : toks[i].id; },
      matches_);
  float cue_positive = 0;
  float cue_negative = 0;
  bool experience = false;    // an experience cue in the author's own words
  bool first_person = false;  // the author speaks of themselves
  auto fire = [&](uint32_t f, uint32_t first, uint32_t last) {
    const CueFamily& family = m.families_[f];
    if (family.own_words && first >= own_end) return;
    if (family.at_start && first != own_start) return;
    if (is_masked(first, last)) return;
    out.dense[f] += 1.0f;
    const float w = family.weights[0];
    // A negated cue ("not delayed", "no problem") pulls the other way, and less.
    const float pull = (toks[first].flags & kTokenNegated) != 0 ? -0.5f * w : w;
    (pull > 0 ? cue_positive : cue_negative) += pull;
    token_valence_[first] += pull;
    if (first < own_end && m.first_person_family_[f]) first_person = true;
    if (first < own_end && m.experience_family_[f]) experience = true;
    out.fired.push_back({f, toks[first].begin, toks[last].end});
  };
  for (const auto& match : matches_) fire(m.pattern_family_[match.pattern], match.first, match.last);
  for (uint32_t i = 0; i < n; ++i) {
    if (toks[i].prefix_tag != Vocabulary::kUnknown) fire(toks[i].prefix_tag, i, i);
  }

  // Past tense in the author's own words ("-ed"; not "-eed": need, speed): with "I/my/we" it relates an
  // experience rather than an opinion or a plan.
  bool past = false;
  for (size_t i = 0; i < own_end && !past; ++i) {
    if (toks[i].kind != TokenKind::kWord) continue;
    const std::string_view w = post_.Text(toks[i]);
    past = w.size() >= 5 && w.ends_with("ed") && !w.ends_with("eed");
  }
  experience = experience || (first_person && past);
  // A headline: most of the author's words capitalised ("Apple Is Warming Up To Social Media").
  size_t own_words = 0;
  size_t capitalised = 0;
  for (size_t i = 0; i < own_end; ++i) {
    if (toks[i].kind != TokenKind::kWord) continue;
    ++own_words;
    if ((toks[i].flags & (kTokenCapitalised | kTokenAllCaps)) != 0) ++capitalised;
  }
  const bool headline = own_words >= 4 && !post_.all_caps && capitalised * 10 >= own_words * 6;
  size_t leading_handles = 0;
  while (leading_handles < n && toks[leading_handles].kind == TokenKind::kHandle) ++leading_handles;

  // Lexicon valences, VADER-style.
  size_t last_contrast = n;
  for (size_t i = 0; i < n; ++i) {
    if (IsWordLike(toks[i]) && (m.vocabulary_.Flags(toks[i].word_id) & kWordContrast) != 0) last_contrast = i;
  }
  float positive = 0;
  float negative = 0;
  size_t exclaims = 0;
  bool question = false;
  bool question_run = false;  // "??", "?!", "!?"
  size_t words = 0;
  size_t hashtags = 0;
  bool url = false;
  for (size_t i = 0; i < n; ++i) {
    const Token& t = toks[i];
    if (t.kind == TokenKind::kPunct) {
      const std::string_view p = post_.Text(t);
      if (p == "!") exclaims += std::min<size_t>(t.end - t.begin, 4);
      if (p == "?" && i < own_end) question = true;
      // A run of "?" and "!" holding a "?" is one "?" token ("??", "?!"): indignation more than a question.
      if (p == "?" && i < own_end && t.end - t.begin >= 2) question_run = true;
      continue;
    }
    if (t.kind == TokenKind::kUrl) url = true;
    if (t.kind == TokenKind::kHashtag) ++hashtags;
    if (t.kind == TokenKind::kWord) ++words;
    const uint32_t id = IsWordLike(t) ? t.word_id : (t.kind == TokenKind::kEmoticon ? t.id : Vocabulary::kUnknown);
    if (id == Vocabulary::kUnknown || id >= m.valence_.size() || is_masked(i, i)) continue;
    float v = m.valence_[id];
    if (v == 0) continue;
    if ((t.flags & kTokenAllCaps) != 0) v += Sign(v) * kCapsBoost;
    if ((t.flags & kTokenElongated) != 0) v += Sign(v) * kBoost;
    for (size_t back = 1; back <= 3 && back <= i; ++back) {
      const Token& b = toks[i - back];
      if (!IsWordLike(b)) break;
      const uint8_t flags = m.vocabulary_.Flags(b.word_id);
      const float scale = kBoost * (1.0f - 0.05f * static_cast<float>(back - 1));
      if ((flags & kWordIntensifier) != 0) v += Sign(v) * scale;
      if ((flags & kWordDampener) != 0) v -= Sign(v) * scale;
    }
    if ((t.flags & kTokenNegated) != 0) v *= kNegationScale;
    token_valence_[i] += v;
    if (last_contrast < n) v *= i < last_contrast ? 0.5f : 1.5f;
    if (v > 0)
      positive += v;
    else
      negative -= v;
  }
  (override_sentiment > 0 ? cue_positive : cue_negative) += override_sentiment;
  // Failure language next to praise is sarcasm or politeness around a complaint, not praise.
  // Cue praise (thanks, a recommendation) is explicit enough to stand: "thanks to the crew for getting us
  // through the delays" is praise.
  if (cue_negative < -0.5f) positive *= m.sarcasm_discount_;

  float* signal = &out.dense[families];
  auto set = [signal](Signal s, float v) { signal[static_cast<size_t>(s)] = v; };
  set(Signal::kBias, 1);
  set(Signal::kQuestion, question ? 1.0f : 0.0f);
  set(Signal::kRetweet, post_.retweet && own_end == 0 ? 1.0f : 0.0f);
  set(Signal::kRetweetComment, post_.retweet && own_end > 0 ? 1.0f : 0.0f);
  set(Signal::kQuote, post_.quote ? 1.0f : 0.0f);
  set(Signal::kUrl, url ? 1.0f : 0.0f);
  set(Signal::kAddressed, n > 0 && toks[0].kind == TokenKind::kHandle ? 1.0f : 0.0f);
  set(Signal::kExclaim, exclaims > 0 ? 1.0f : 0.0f);
  set(Signal::kHashtags, hashtags >= 3 ? 1.0f : 0.0f);
  set(Signal::kShort, words < 4 ? 1.0f : 0.0f);
  set(Signal::kNoWords, words == 0 ? 1.0f : 0.0f);

  set(Signal::kShouting, post_.all_caps ? 1.0f : 0.0f);
  set(Signal::kReplyThread, leading_handles >= 2 ? 1.0f : 0.0f);
  set(Signal::kHeadline, headline ? 1.0f : 0.0f);
  set(Signal::kQuestionLink, question && url ? 1.0f : 0.0f);
  set(Signal::kQuestionRun, question_run ? 1.0f : 0.0f);
  set(Signal::kExperienceLink, url && (experience || first_person) ? 1.0f : 0.0f);

  float s = positive - negative + cue_positive + cue_negative;
  for (size_t k = 0; k < kSignalCount; ++k) s += signal[k] * m.signal_weights_[k][0];
  // A question about a failure ("will my flight be delayed?") asks more than it condemns.
  if (question) s *= m.question_damping_;
  // Passed-on content (a headline, a link with no word of the author's own experience, a retweet) reports; its
  // words are the source's tone, seldom the author's stance.
  if (headline || (url && !first_person) || (post_.retweet && own_end == 0)) s *= m.share_damping_;
  if (s != 0) s += Sign(s) * kExclaimBoost * static_cast<float>(std::min<size_t>(exclaims, 4));
  const float score = s / std::sqrt(s * s + kNormalisation);
  out.sentiment_score = score;
  const float pos = std::max(0.0f, score);
  const float neg = std::max(0.0f, -score);
  set(Signal::kPositive, pos);
  set(Signal::kNegative, neg);
  set(Signal::kPositiveExperience, experience ? pos : 0.0f);
  set(Signal::kNegativeExperience, experience ? neg : 0.0f);
  set(Signal::kNegativeAddressed, signal[static_cast<size_t>(Signal::kAddressed)] * neg);
  out.dense[families + kSignalCount] = score;
  for (size_t f = 0; f < families; ++f) out.dense[f] = std::min(out.dense[f], m.family_cap_);

  if (buckets == 0) return;
  // Hashed word unigrams and bigrams (negated words hashed apart: "not good" is not "good").
  uint64_t prev = 0x51ED270B27F1A1ull;
  for (size_t i = 0; i < n; ++i) {
    const Token& t = toks[i];
    uint64_t h = t.hash;
    if ((t.flags & kTokenNegated) != 0) h = Mix(h, 0x6E6F74ull);
    if (i >= own_end) h = Mix(h, 0x7274ull);  // words inside a retweet are someone else's
    out.buckets.push_back(static_cast<uint32_t>(Mix(h, 1) % buckets));
    out.buckets.push_back(static_cast<uint32_t>(Mix(prev, h) % buckets));
    prev = h;
  }
  out.buckets.push_back(static_cast<uint32_t>(Mix(prev, 0x454E44ull) % buckets));
}

Classification PostClassifier::Classify(std::string_view text, bool explain, const PhraseOverrides* overrides) {
  const ClassifierModel& m = *model_;
  const uint32_t buckets = m.learnt_ ? m.learnt_->buckets() : 0;
  Extract(text, buckets, features_, overrides);
  Classification out;
  ZeroShot(text, out, explain, overrides);
  if (!m.learnt_) return out;
  const size_t dense = features_.dense.size();
  std::array<float, 64> scores{};
  std::array<float, 64> p{};
  if (const auto& head = m.learnt_->act()) {
    const size_t c = head->labels.size();
    LinearModel::Scores(*head, dense, features_.dense, features_.buckets, scores.data());
    for (size_t k = 0; k < c; ++k) {
      if (auto act = ParseAct(head->labels[k])) scores[k] += features_.act_push[static_cast<size_t>(*act)];
    }
    Softmax(scores.data(), c, p.data());
    out.act_probabilities.fill(0.0f);
    for (size_t k = 0; k < c; ++k) {
      if (auto act = ParseAct(head->labels[k])) out.act_probabilities[static_cast<size_t>(*act)] = p[k];
    }
    const size_t best = static_cast<size_t>(std::max_element(p.begin(), p.begin() + c) - p.begin());
    if (auto act = ParseAct(head->labels[best])) {
      out.act = *act;
      out.act_confidence = p[best];
      if (explain) out.reasons.insert(out.reasons.begin(), {"model", "learnt act head", scores[best]});
    }
  }
  if (const auto& head = m.learnt_->sentiment()) {
    const size_t c = head->labels.size();
    LinearModel::Scores(*head, dense, features_.dense, features_.buckets, scores.data());
    Softmax(scores.data(), c, p.data());
    const size_t best = static_cast<size_t>(std::max_element(p.begin(), p.begin() + c) - p.begin());
    float score = 0;
    for (size_t k = 0; k < c; ++k) {
      const auto label = ParseSentiment(head->labels[k]);
      if (label == Sentiment::kPositive) score += p[k];
      if (label == Sentiment::kNegative) score -= p[k];
    }
    if (auto label = ParseSentiment(head->labels[best])) out.sentiment = *label;
    out.sentiment_score = score;
  }
  return out;
}

void PostClassifier::ZeroShot(std::string_view text, Classification& out, bool explain,
                              const PhraseOverrides* overrides) {
  const ClassifierModel& m = *model_;
  const size_t families = m.families_.size();
  const std::vector<float>& x = features_.dense;
  // Only the few families and signals that fired contribute: the zero terms are skipped, which leaves each act's
  // sum (in the same order) bit for bit what the dense product gave.
  std::array<float, kActCount> scores{};
  for (size_t f = 0; f < families + kSignalCount; ++f) {
    if (x[f] == 0) continue;
    const auto& w = f < families ? m.families_[f].weights : m.signal_weights_[f - families];
    for (size_t a = 0; a < kActCount; ++a) scores[a] += x[f] * w[1 + a];
  }
  for (size_t a = 0; a < kActCount; ++a) scores[a] += features_.act_push[a];
  std::array<float, kActCount>& p = out.act_probabilities;
  Softmax(scores.data(), kActCount, p.data());
  const size_t best = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
  out.act = static_cast<Act>(best);
  out.act_confidence = p[best];
  out.sentiment_score = features_.sentiment_score;
  out.sentiment = features_.sentiment_score >= m.positive_above_   ? Sentiment::kPositive
                  : features_.sentiment_score <= m.negative_below_ ? Sentiment::kNegative
                                                                   : Sentiment::kNeutral;
  // A complaint is negative and an endorsement positive by definition; when the act is clear and the lexicon
  // missed the tone ("still sitting at the gate, 3rd hour"), the act decides the label.
  if (out.act_confidence >= m.act_sets_sentiment_) {
    if (out.act == Act::kComplain && out.sentiment != Sentiment::kNegative) {
      out.sentiment = Sentiment::kNegative;
      out.sentiment_score = std::min(out.sentiment_score, m.negative_below_);
    } else if (out.act == Act::kEndorse && out.sentiment != Sentiment::kPositive) {
      out.sentiment = Sentiment::kPositive;
      out.sentiment_score = std::max(out.sentiment_score, m.positive_above_);
    }
  }
  if (m.ask_not_positive_ && out.act == Act::kAsk && out.sentiment == Sentiment::kPositive) {
    out.sentiment = Sentiment::kNeutral;
    out.sentiment_score = 0;
  }
  if (!explain) return;
  for (const uint32_t k : features_.overrides) {
    const auto& o = overrides->overrides()[k];
    out.reasons.push_back({"override", o.phrase, o.acts[best] != 0 ? o.acts[best] : o.sentiment});
  }
  for (const auto& fired : features_.fired) {
    const CueFamily& family = m.families_[fired.family];
    out.reasons.push_back({"family " + family.name, std::string(text.substr(fired.begin, fired.end - fired.begin)),
                           family.weights[1 + best]});
  }
  for (size_t k = 0; k < kSignalCount; ++k) {
    const float v = x[families + k];
    const float w = m.signal_weights_[k][1 + best];
    if (v != 0 && w != 0 && static_cast<Signal>(k) != Signal::kBias) {
      out.reasons.push_back({"signal " + std::string(SignalName(static_cast<Signal>(k))), "", v * w});
    }
  }
  std::stable_sort(out.reasons.begin(), out.reasons.end(),
                   [](const Reason& a, const Reason& b) { return std::fabs(a.weight) > std::fabs(b.weight); });
}

}  // namespace vouch::listen
