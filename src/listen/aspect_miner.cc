#include "vouch/listen/aspect_miner.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <cassert>
#include <cmath>
#include <unordered_map>
#include <utility>

#include "vouch/listen/text_normalizer.h"

namespace vouch::listen {

namespace {

// Sorted, for binary search. Words of any topic stay out: only what carries no aspect of a product or service.
constexpr std::string_view kStopWords[] = {
    "a",       "about",   "above",   "after",  "again",   "against", "ago",     "all",     "also",    "am",
    "amp",     "an",      "and",     "any",    "are",     "aren't",  "as",      "at",      "be",      "because",
    "been",    "before",  "being",   "below",  "between", "both",    "but",     "by",      "can",     "can't",
    "cannot",  "could",   "couldn't", "did",   "didn't",  "do",      "does",    "doesn't", "doing",   "don't",
    "down",    "during",  "each",    "even",   "ever",    "every",   "few",     "for",     "from",    "further",
    "get",     "gets",    "got",     "had",    "hadn't",  "has",     "hasn't",  "have",    "haven't", "having",
    "he",      "her",     "here",    "hers",   "herself", "him",     "himself", "his",     "how",     "i",
    "i'd",     "i'll",    "i'm",     "i've",   "if",      "in",      "into",    "is",      "isn't",   "it",
    "it's",    "its",     "itself",  "just",   "let's",   "me",      "more",    "most",    "much",    "my",
    "myself",  "no",      "nor",     "not",    "now",     "of",      "off",     "on",      "once",    "one",
    "only",    "or",      "other",   "our",    "ours",    "ourselves", "out",   "over",    "own",     "really",
    "rt",      "same",    "she",     "should", "so",      "some",    "still",   "such",    "than",    "that",
    "that's",  "the",     "their",   "theirs", "them",    "themselves", "then", "there",   "these",   "they",
    "they're", "this",    "those",   "through", "to",     "too",     "under",   "until",   "up",      "us",
    "very",    "via",     "was",     "wasn't", "we",      "we're",   "were",    "weren't", "what",    "when",
    "where",   "which",   "while",   "who",    "whom",    "why",     "will",    "with",    "won't",   "would",
    "wouldn't", "yet",    "you",     "you'd",  "you'll",  "you're",  "you've",  "your",    "yours",   "yourself",
    "yourselves", "im",   "ive",     "dont",   "cant",    "we'll",   "we've",   "we'd",    "they'll", "they've",
    "it'll",   "there's", "what's",  "he's",   "she's",   "who's",   "here's",  "how's",   "where's", "i'll"};

std::vector<std::string_view> SortedStopWords() {
  std::vector<std::string_view> words(std::begin(kStopWords), std::end(kStopWords));
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

struct Group {
  std::unordered_map<std::string, int64_t> counts;
  int64_t total = 0;  // sum of counts
  std::vector<size_t> docs;  // indices into the documents, latest first
};

bool Contains(const std::string& longer, const std::string& shorter) {
  if (longer.size() < shorter.size()) return false;
  const std::string l = " " + longer + " ";
  return l.find(" " + shorter + " ") != std::string::npos;
}

nlohmann::json AspectsJson(const std::vector<Aspect>& aspects) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : aspects) {
    nlohmann::json examples = nlohmann::json::array();
    for (const auto& e : a.examples) examples.push_back({{"post", e.post}, {"text", e.text}});
    out.push_back({{"phrase", a.phrase},
                   {"z", a.z},
                   {"log_odds", a.log_odds},
                   {"posts", a.posts},
                   {"other_posts", a.other_posts},
                   {"examples", examples}});
  }
  return out;
}

}  // namespace

bool IsStopWord(std::string_view word) {
  static const std::vector<std::string_view> words = SortedStopWords();
  return std::binary_search(words.begin(), words.end(), word);
}

nlohmann::json AspectResultJson(const AspectResult& r) {
  return {{"brand", r.brand},
          {"posts",
           {{"endorsements", r.endorsements},
            {"complaints", r.complaints},
            {"competitor_endorsements", r.competitor_endorsements}}},
          {"statistic", "log-odds ratio, informative Dirichlet prior (Monroe et al. 2008), z-scores"},
          {"praise", AspectsJson(r.praise)},
          {"complaints", AspectsJson(r.complaint)},
          {"selling_points", AspectsJson(r.selling_points)}};
}

AspectMiner::AspectMiner(std::vector<MentionRow> mentions, std::string brand, std::vector<std::string> competitors,
                         const std::vector<BrandConfig>& brands, AspectOptions options)
    : mentions_(std::move(mentions)),
      brand_(std::move(brand)),
      competitors_(std::move(competitors)),
      options_(options) {
  for (const BrandConfig& b : brands) {
    std::vector<const std::vector<std::string>*> lists = {&b.aliases, &b.handles, &b.hashtags, &b.cashtags};
    std::vector<std::string> terms = {b.name};
    for (const auto* list : lists) terms.insert(terms.end(), list->begin(), list->end());
    for (const std::string& term : terms) {
      for (std::string token : TextNormalizer::TermTokens(term)) {
        brand_words_.push_back(token);
        if (!token.empty() && (token[0] == '@' || token[0] == '#' || token[0] == '$')) {
          brand_words_.push_back(token.substr(1));
        }
      }
    }
  }
  std::sort(brand_words_.begin(), brand_words_.end());
  brand_words_.erase(std::unique(brand_words_.begin(), brand_words_.end()), brand_words_.end());
}

const AspectResult& AspectMiner::result() const {
  assert(done_ && "AspectMiner::result() before run()");
  return result_;
}

std::vector<std::string> AspectMiner::Phrases(std::string_view text) const {
  TextNormalizer normalizer(nullptr);
  NormalizedPost post;
  normalizer.Normalize(text, post);
  std::vector<std::string> phrases;
  std::vector<std::string_view> run;
  auto flush = [&] {
    for (size_t i = 0; i < run.size(); ++i) {
      std::string phrase;
      for (size_t n = 0; n < options_.max_ngram && i + n < run.size(); ++n) {
        if (n > 0) phrase.push_back(' ');
        phrase.append(run[i + n]);
        phrases.push_back(phrase);
      }
    }
    run.clear();
  };
  for (const Token& t : post.tokens) {
    const std::string_view word = post.Text(t);
    const bool content = t.kind == TokenKind::kWord && word.size() > 1 && !IsStopWord(word) &&
                         !std::binary_search(brand_words_.begin(), brand_words_.end(), word);
    if (content) {
      run.push_back(word);
    } else {
      flush();
    }
  }
  flush();
  std::sort(phrases.begin(), phrases.end());
  phrases.erase(std::unique(phrases.begin(), phrases.end()), phrases.end());
  return phrases;
}

Status AspectMiner::run() {
  if (brand_.empty()) return Status::InvalidArgument("listen aspects: no brand given");
  if (options_.prior_strength <= 0) return Status::InvalidArgument("the prior's strength must be positive");
  AspectResult r;
  r.brand = brand_;

  // One document per post and brand side (the brand, or any competitor), latest first.
  std::vector<const MentionRow*> rows;
  for (const MentionRow& m : mentions_) rows.push_back(&m);
  std::stable_sort(rows.begin(), rows.end(), [](const MentionRow* a, const MentionRow* b) {
    return a->time != b->time ? a->time > b->time : a->id > b->id;
  });
  struct Doc {
    const MentionRow* row;
    std::vector<std::string> phrases;
  };
  std::vector<Doc> docs;
  std::unordered_map<std::string, int64_t> background;
  int64_t background_total = 0;
  Group endorse, complain, rival_endorse;
  std::unordered_map<int64_t, uint8_t> seen;  // post row -> 1 brand, 2 competitor
  for (const MentionRow* m : rows) {
    const bool ours = m->brand == brand_;
    const bool rival = !ours && std::find(competitors_.begin(), competitors_.end(), m->brand) != competitors_.end();
    if (!ours && !rival) continue;
    uint8_t& mark = seen[m->post_row];
    const uint8_t side = ours ? 1 : 2;
    if ((mark & side) != 0) continue;
    mark = static_cast<uint8_t>(mark | side);
    docs.push_back({m, Phrases(m->text)});
    const Doc& doc = docs.back();
    for (const auto& p : doc.phrases) ++background[p];
    background_total += static_cast<int64_t>(doc.phrases.size());
    Group* group = nullptr;
    if (ours && m->act == Act::kEndorse) group = &endorse;
    if (ours && m->act == Act::kComplain) group = &complain;
    if (rival && m->act == Act::kEndorse) group = &rival_endorse;
    if (group == nullptr) continue;
    for (const auto& p : doc.phrases) ++group->counts[p];
    group->total += static_cast<int64_t>(doc.phrases.size());
    group->docs.push_back(docs.size() - 1);
  }
  r.endorsements = static_cast<int64_t>(endorse.docs.size());
  r.complaints = static_cast<int64_t>(complain.docs.size());
  r.competitor_endorsements = static_cast<int64_t>(rival_endorse.docs.size());

  const double a0 = options_.prior_strength;
  auto contrast = [&](const Group& focal, const Group& other) {
    std::vector<Aspect> ranked;
    if (background_total == 0) return ranked;
    for (const auto& [phrase, y_i] : focal.counts) {
      if (y_i < options_.min_count) continue;
      const auto it = other.counts.find(phrase);
      const double y_j = it == other.counts.end() ? 0.0 : static_cast<double>(it->second);
      const double a = a0 * static_cast<double>(background.at(phrase)) / static_cast<double>(background_total);
      const double yi = static_cast<double>(y_i);
      const double ni = static_cast<double>(focal.total);
      const double nj = static_cast<double>(other.total);
      const double delta = std::log((yi + a) / (ni + a0 - yi - a)) - std::log((y_j + a) / (nj + a0 - y_j - a));
      const double z = delta / std::sqrt(1.0 / (yi + a) + 1.0 / (y_j + a));
      if (z < options_.min_z) continue;
      ranked.push_back({phrase, z, delta, y_i, static_cast<int64_t>(y_j), {}});
    }
    std::sort(ranked.begin(), ranked.end(), [](const Aspect& x, const Aspect& y) {
      return x.z != y.z ? x.z > y.z : x.phrase < y.phrase;
    });
    std::vector<Aspect> picked;
    for (Aspect& cand : ranked) {
      if (picked.size() >= options_.top) break;
      bool overlaps = false;
      for (const Aspect& p : picked) {
        overlaps = overlaps || Contains(p.phrase, cand.phrase) || Contains(cand.phrase, p.phrase);
      }
      if (overlaps) continue;
      for (size_t d : focal.docs) {
        if (cand.examples.size() >= options_.examples) break;
        const Doc& doc = docs[d];
        if (std::binary_search(doc.phrases.begin(), doc.phrases.end(), cand.phrase)) {
          cand.examples.push_back({fmt::format("{}:{}", doc.row->platform, doc.row->post_id), doc.row->text});
        }
      }
      picked.push_back(std::move(cand));
    }
    return picked;
  };
  r.praise = contrast(endorse, complain);
  r.complaint = contrast(complain, endorse);
  r.selling_points = contrast(endorse, rival_endorse);
  result_ = std::move(r);
  done_ = true;
  return Status::Ok();
}

}  // namespace vouch::listen
