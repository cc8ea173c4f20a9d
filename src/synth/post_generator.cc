#include "synth/post_generator.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "synth/brand_catalog.h"
#include "synth/frame_compressor.h"
#include "synth/text_format.h"

namespace vouch::synth {
namespace {

// Posting by hour of day (UTC) for a mostly American audience: busy US evenings, quiet US nights.
constexpr std::array<double, 24> kHourWeights = {1.3, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3,  0.3,  0.35, 0.45, 0.6, 0.8,
                                                 1.0, 1.15, 1.25, 1.3, 1.35, 1.4, 1.45, 1.4, 1.35, 1.3, 1.35, 1.35};
constexpr size_t kTweetsPerPage = 100;  // what the X API v2 returns per search page at most
// X's snowflake epoch (2010-11-04): tweet ids carry their creation time in milliseconds above bit 22.
constexpr int64_t kTwitterEpochMs = 1288834974657;
// The Mastodon server the statuses were fetched from: its own accounts have a bare acct.
constexpr std::string_view kHomeInstance = "mastodon.social";

constexpr std::string_view kBrandTopicSubs[] = {"Coffee", "espresso", "BuyItForLife"};
constexpr std::string_view kChatterSubs[] = {"CasualConversation", "AskReddit", "pics", "weather"};

std::string XId(uint64_t index, int64_t time) {
  const uint64_t ms = static_cast<uint64_t>(time * 1000 + static_cast<int64_t>(index % 1000) - kTwitterEpochMs);
  return std::to_string((ms << 22) | (index & 0x3FFFFF));
}
std::string RedditId(uint64_t index) { return Base36(index * 7 + 60466176); }  // 36^5: six-character ids
std::string MastodonId(uint64_t index, int64_t time) {
  const uint64_t ms = static_cast<uint64_t>(time * 1000 + static_cast<int64_t>(index % 1000));
  return std::to_string((ms << 16) | (index & 0xFFFF));
}
// The shortened link X puts in a tweet's text in place of a URL (a retweet shows its original's).
std::string TcoLink(std::string_view url, uint64_t salt) {
  static constexpr std::string_view kTcoAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  uint64_t fnv = 0xcbf29ce484222325ULL;  // FNV-1a: std::hash differs between standard libraries
  for (char c : url) fnv = (fnv ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  uint64_t h = Mix(fnv, salt);
  std::string out = "https://t.co/";
  for (int i = 0; i < 10; ++i) {
    out += kTcoAlphabet[h % 62];
    h = h / 62 + (i == 5 ? Mix(h, 7) : 0);
  }
  return out;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A token of a post's text that X and Mastodon turn into an entity.
struct Entity {
  enum Kind { kMention, kHashtag, kUrl } kind;
  size_t begin, end;  // byte offsets in the text
};

void FindEntities(std::string_view text, std::vector<Entity>& out) {
  out.clear();
  size_t i = 0;
  while (i < text.size()) {
    const bool boundary = i == 0 || !IsWordChar(text[i - 1]);
    if (text.compare(i, 8, "https://") == 0 && boundary) {
      size_t end = i;
      while (end < text.size() && text[end] != ' ') ++end;
      out.push_back({Entity::kUrl, i, end});
      i = end;
      continue;
    }
    if ((text[i] == '@' || text[i] == '#') && boundary && i + 1 < text.size() && IsWordChar(text[i + 1])) {
      size_t end = i + 1;
      bool letter = false;
      while (end < text.size() && IsWordChar(text[end])) {
        letter = letter || !(text[end] >= '0' && text[end] <= '9');
        ++end;
      }
      // "@user@instance" on Mastodon.
      if (text[i] == '@' && end < text.size() && text[end] == '@') {
        ++end;
        while (end < text.size() && (IsWordChar(text[end]) || text[end] == '.')) ++end;
        while (text[end - 1] == '.') --end;
      }
      if (letter) out.push_back({text[i] == '@' ? Entity::kMention : Entity::kHashtag, i, end});
      i = end;
      continue;
    }
    ++i;
  }
}

void AppendHtmlEscaped(std::string_view s, std::string& out) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

}  // namespace

// The first draws of a post: enough to decide whether a later post may answer it.
struct PostGenerator::Core {
  bool response = false;
  uint32_t author = 0;
  Platform platform = Platform::kX;
  int brand = -1;
  bool trap = false;
  Act act = Act::kOther;
  TextKind kind = TextKind::kChatter;
};

struct PostGenerator::Draft {
  uint64_t index = 0;
  Core core;
  int64_t time = 0;
  enum Ref { kNone, kReshare, kReply } ref = kNone;
  uint64_t target = 0;
  uint32_t target_author = 0;
  int product = 0;
  int64_t mentioned = -1;  // a person mentioned in the text
  std::string subreddit;
  Composed composed;
  uint32_t likes = 0, reshares = 0, replies = 0;
};

PostGenerator::PostGenerator(const SynthConfig& config, const Population& people, const FollowGraph& graph)
    : config_(config), people_(people), graph_(graph) {
  total_ = static_cast<uint64_t>(std::llround(static_cast<double>(config.people) * config.posts_per_person));
  chunk_ = config.posts_per_chunk;
  const int days = config.days;
  outage_day_ = days >= 3 ? days * 2 / 3 : -1;
  // Volume by day: weekends quieter, a slow upward trend, day-to-day noise, the outage day busier.
  std::vector<double> weight(days);
  double sum = 0;
  for (int d = 0; d < days; ++d) {
    Rng rng = Rng::For(config.seed, kStreamDays, static_cast<uint64_t>(d));
    const int64_t dow = (config.start_time / 86400 + d + 4) % 7;  // 0 = Sunday (1970-01-01 was a Thursday)
    weight[d] = ((dow == 0 || dow == 6) ? 0.82 : 1.0) * (1.0 + 0.005 * d) * std::exp(0.08 * rng.Normal()) *
                (d == outage_day_ ? 2.4 : 1.0);
    sum += weight[d];
  }
  day_start_.assign(days + 1, 0);
  double acc = 0;
  for (int d = 0; d < days; ++d) {
    acc += weight[d];
    day_start_[d + 1] = static_cast<uint64_t>(std::llround(static_cast<double>(total_) * acc / sum));
  }
  day_start_[days] = total_;
  double hours = 0;
  for (double w : kHourWeights) hours += w;
  hour_cdf_[0] = 0;
  for (size_t h = 0; h < 24; ++h) hour_cdf_[h + 1] = hour_cdf_[h] + kHourWeights[h] / hours;
  hour_cdf_[24] = 1.0;
  window_ = std::max<uint64_t>(64, 2 * total_ / static_cast<uint64_t>(std::max(days, 1)));
}

int64_t PostGenerator::TimeOf(uint64_t index) const {
  const auto it = std::upper_bound(day_start_.begin(), day_start_.end(), index);
  const auto day = static_cast<int64_t>(std::distance(day_start_.begin(), it)) - 1;
  const uint64_t first = day_start_[day];
  const uint64_t count = day_start_[day + 1] - first;
  const double u = (static_cast<double>(index - first) + 0.5) / static_cast<double>(std::max<uint64_t>(count, 1));
  size_t h = 0;
  while (h < 23 && hour_cdf_[h + 1] <= u) ++h;
  const double within = (u - hour_cdf_[h]) / (hour_cdf_[h + 1] - hour_cdf_[h]);
  const auto second = static_cast<int64_t>(std::min(3599.0, std::floor(within * 3600.0)));
  return config_.start_time + day * 86400 + static_cast<int64_t>(h) * 3600 + second;
}

PostGenerator::Core PostGenerator::DrawCore(uint64_t index, Rng& rng) const {
  Core c;
  c.response = index > 0 && rng.Chance(0.3);
  if (c.response) return c;
  c.author = people_.SampleByActivity(rng);
  const Person& p = people_[c.author];
  if (p.Has(kOnReddit) && rng.Chance(0.35)) {
    c.platform = Platform::kReddit;
  } else if (p.Has(kOnMastodon) && rng.Chance(0.45)) {
    c.platform = Platform::kMastodon;
  } else {
    c.platform = Platform::kX;
  }
  const int64_t time = TimeOf(index);
  const bool outage_day = outage_day_ >= 0 && (time - config_.start_time) / 86400 == outage_day_;
  // Topic: people talk most about the brand they own.
  std::array<double, 4> topic = {0.50 * (p.Uses(0) ? 1.5 : 1.0) * (outage_day ? 2.0 : 1.0),
                                 0.12 * (p.Uses(1) ? 3.0 : 1.0), 0.10 * (p.Uses(2) ? 3.0 : 1.0), 0.28};
  double u = rng.Uniform() * (topic[0] + topic[1] + topic[2] + topic[3]);
  c.brand = -1;
  for (int b = 0; b < 3 && c.brand < 0; ++b) {
    if (u < topic[b]) c.brand = b;
    u -= topic[b];
  }
  if (c.brand < 0) {
    c.trap = rng.Chance(0.12);
    c.kind = c.trap ? TextKind::kExclusionTrap : TextKind::kChatter;
    c.act = Act::kOther;
    return c;
  }
  const bool user = p.Uses(c.brand);
  const bool outage = outage_day && c.brand == kOwnBrand;
  const double sat = p.satisfaction;
  std::array<double, kActCount> w = {
      user ? 3.0 * std::clamp(sat + 0.3, 0.0, 1.3) : 0.0,
      user ? 1.6 * std::clamp(0.2 - sat, 0.0, 1.2) + (outage ? 5.0 : 0.0) : 0.0,
      0.7 + (p.Has(kDealSeeker) ? 2.0 : 0.0) + (outage ? 0.8 : 0.0),
      user ? 0.5 : 0.8,
      1.0,
  };
  double total = 0;
  for (double x : w) total += x;
  u = rng.Uniform() * total;
  int act = 0;
  while (act < kActCount - 1 && u >= w[act]) u -= w[act++];
  c.act = static_cast<Act>(act);
  switch (c.act) {
    case Act::kEndorse: c.kind = TextKind::kEndorse; break;
    case Act::kComplain:
      c.kind = outage && rng.Chance(0.8) ? TextKind::kOutageComplaint : TextKind::kComplain;
      break;
    case Act::kShare:
      if (outage && rng.Chance(0.5)) {
        c.kind = TextKind::kOutageNews;
      } else if (p.Has(kEnrolled) && c.brand == kOwnBrand && rng.Chance(0.4)) {
        c.kind = TextKind::kReferralPromo;
      } else {
        c.kind = rng.Chance(p.Has(kDealSeeker) ? 0.8 : 0.4) ? TextKind::kDeal : TextKind::kNews;
      }
      break;
    case Act::kAsk: c.kind = TextKind::kAsk; break;
    case Act::kOther: c.kind = TextKind::kOther; break;
  }
  return c;
}

void PostGenerator::DrawOriginal(uint64_t index, const Core& core, Rng& rng, Draft& d) const {
  d.index = index;
  d.core = core;
  d.time = TimeOf(index);
  d.ref = Draft::kNone;
  const int brand = std::max(core.brand, 0);
  const size_t products = Brand(brand).products.size();
  d.product = rng.Chance(0.35) ? 0 : static_cast<int>(rng.Below(products));
  // Consumables (pods, capsules, beans) are bought and dealt, but "my Nimbus Pods has been flawless" reads wrong:
  // experiences, opinions and questions are about the machines.
  const bool consumable = Brand(brand).products[static_cast<size_t>(d.product)].price_minor < 3000;
  if (consumable && core.kind != TextKind::kDeal && core.kind != TextKind::kNews) d.product = 0;
  d.mentioned = core.kind == TextKind::kDeal ? static_cast<int64_t>(people_.SampleByPopularity(rng)) : -1;
  if (d.mentioned == core.author) d.mentioned = -1;
  TextContext ctx;
  ctx.brand = core.brand;
  ctx.product = d.product;
  ctx.salt = Mix(config_.seed, index);
  std::string refcode;
  if (core.kind == TextKind::kReferralPromo) refcode = people_.ReferralCode(core.author);
  ctx.refcode = refcode;
  ctx.mention = d.mentioned >= 0 ? people_.Handle(static_cast<uint32_t>(d.mentioned)) : std::string_view();
  Phrasebook::Instance().Compose(core.kind, ctx, rng, core.platform == Platform::kReddit, d.composed);
  // Mentions in text are often typed in lower case.
  if (d.mentioned >= 0 && rng.Chance(0.4)) {
    const size_t at = d.composed.text.find('@' + std::string(ctx.mention));
    if (at != std::string::npos) {
      for (size_t i = at; i < at + 1 + ctx.mention.size(); ++i) {
        d.composed.text[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(d.composed.text[i])));
      }
    }
  }
  if (core.platform == Platform::kReddit) {
    if (core.brand < 0) {
      d.subreddit = kChatterSubs[rng.Below(std::size(kChatterSubs))];
    } else if (core.kind == TextKind::kDeal || core.kind == TextKind::kReferralPromo) {
      d.subreddit = "coffeedeals";
    } else if (rng.Chance(0.6)) {
      d.subreddit = Brand(core.brand).subreddit;
    } else {
      d.subreddit = kBrandTopicSubs[rng.Below(std::size(kBrandTopicSubs))];
    }
  } else {
    d.subreddit.clear();
  }
  // Engagement the platform shows: grows with the author's audience and trust; endorsements travel further.
  const Person& p = people_[core.author];
  const double reach = graph_.FollowerCount(core.author) * 0.03 * (0.3 + p.trust) *
                       (core.act == Act::kEndorse ? 2.0 : core.act == Act::kShare ? 1.3 : 1.0);
  d.likes = static_cast<uint32_t>(rng.Poisson(std::min(reach, 2000.0)));
  d.reshares = static_cast<uint32_t>(rng.Poisson(std::min(reach * 0.2, 400.0)));
  d.replies = static_cast<uint32_t>(rng.Poisson(std::min(reach * 0.1, 200.0)));
}

bool PostGenerator::DrawResponse(uint64_t index, Rng& rng, Draft& d, Draft& target) const {
  const uint64_t window = std::min<uint64_t>(index, window_);
  for (int attempt = 0; attempt < 12; ++attempt) {
    const uint64_t t = index - 1 - rng.Below(window);
    Rng trng = Rng::For(config_.seed, kStreamPosts, t);
    const Core tc = DrawCore(t, trng);
    if (tc.response || tc.brand < 0) continue;
    // Trusted authors' posts are answered and passed on far more: their word travels.
    const Person& a = people_[tc.author];
    const double act_factor = tc.act == Act::kEndorse   ? 1.0
                              : tc.act == Act::kComplain ? 0.7
                              : tc.act == Act::kShare    ? 0.6
                              : tc.act == Act::kAsk      ? 0.25
                                                         : 0.3;
    const double audience =
        std::min(1.0, std::log1p(static_cast<double>(graph_.FollowerCount(tc.author))) / std::log(101.0));
    // Scaled by 3 (capped at 1) so that most responses find an original within a few tries; the cap only flattens
    // the very top (trust above 0.7 on an endorsement with a large audience).
    const double accept =
        std::min(1.0, 3.0 * static_cast<double>(a.trust) * a.trust * a.trust * act_factor * (0.3 + 0.7 * audience));
    if (!rng.Chance(accept)) continue;
    // Who answers: a follower of the author (on X and Mastodon), anyone in the thread on Reddit.
    int64_t responder = -1;
    const auto followers = graph_.Followers(tc.author);
    if (tc.platform == Platform::kReddit) {
      for (int k = 0; k < 30 && responder < 0; ++k) {
        const uint32_t r = people_.SampleByActivity(rng);
        if (r != tc.author && people_[r].Has(kOnReddit)) responder = r;
      }
    } else if (!followers.empty()) {
      for (int k = 0; k < 8 && responder < 0; ++k) {
        const uint32_t r = followers[rng.Below(followers.size())];
        if (tc.platform == Platform::kMastodon && !people_[r].Has(kOnMastodon)) continue;
        if (k < 3 && !rng.Chance(std::min(1.0, 0.3 + static_cast<double>(people_[r].activity)))) continue;
        responder = r;
      }
    }
    if (responder < 0) continue;
    DrawOriginal(t, tc, trng, target);

    const auto r = static_cast<uint32_t>(responder);
    const Person& rp = people_[r];
    d.index = index;
    d.time = TimeOf(index);
    d.target = t;
    d.target_author = tc.author;
    d.product = target.product;
    d.mentioned = -1;
    d.subreddit = target.subreddit;
    d.core = Core{};
    d.core.response = true;
    d.core.author = r;
    d.core.platform = tc.platform;
    d.core.brand = tc.brand;
    const bool passable = tc.act == Act::kEndorse || tc.act == Act::kComplain || tc.act == Act::kShare;
    if (tc.platform != Platform::kReddit && rng.Chance(passable ? 0.6 : 0.2)) {
      d.ref = Draft::kReshare;
      d.core.act = Act::kShare;
      d.core.kind = target.core.kind;
      d.composed.text = target.composed.text;
      d.composed.title.clear();
      d.composed.sentiment = target.composed.sentiment;
    } else {
      d.ref = Draft::kReply;
      const bool user = rp.Uses(tc.brand);
      TextKind kind;
      if (user && rp.satisfaction > 0.2f && tc.act != Act::kComplain && rng.Chance(0.6)) {
        kind = TextKind::kReplyEndorse;
      } else if (user && rp.satisfaction < -0.1f && rng.Chance(0.6)) {
        kind = TextKind::kReplyComplain;
      } else if (tc.act != Act::kComplain && rng.Chance(0.45)) {
        kind = TextKind::kReplyAsk;
      } else if (tc.act == Act::kComplain) {
        kind = TextKind::kReplySympathy;
      } else if (tc.act == Act::kEndorse || tc.act == Act::kShare) {
        kind = TextKind::kReplyCheer;
      } else {
        kind = TextKind::kReplyOther;
      }
      d.core.kind = kind;
      d.core.act = kind == TextKind::kReplyEndorse    ? Act::kEndorse
                   : kind == TextKind::kReplyComplain ? Act::kComplain
                   : kind == TextKind::kReplyAsk      ? Act::kAsk
                                                      : Act::kOther;
      TextContext ctx;
      ctx.brand = tc.brand;
      ctx.product = target.product;
      ctx.salt = Mix(config_.seed, index);
      Phrasebook::Instance().Compose(kind, ctx, rng, false, d.composed);
    }
    const double reach = graph_.FollowerCount(r) * 0.01 * (0.3 + rp.trust);
    d.likes = static_cast<uint32_t>(rng.Poisson(std::min(reach, 500.0)));
    d.reshares = d.ref == Draft::kReshare ? 0 : static_cast<uint32_t>(rng.Poisson(std::min(reach * 0.1, 50.0)));
    d.replies = static_cast<uint32_t>(rng.Poisson(std::min(reach * 0.05, 20.0)));
    return true;
  }
  return false;
}

void PostGenerator::Generate(uint64_t index, Draft& d, Draft& target) const {
  Rng rng = Rng::For(config_.seed, kStreamPosts, index);
  const Core core = DrawCore(index, rng);
  if (core.response && DrawResponse(index, rng, d, target)) return;
  Core original = core;
  if (core.response) {
    // No recent post found an answer: this person posts something of their own instead.
    Rng again = Rng::For(config_.seed ^ 0x5bd1e995, kStreamPosts, index);
    original = DrawCore(index, again);
    while (original.response) original = DrawCore(index, again);
    DrawOriginal(index, original, again, d);
    return;
  }
  DrawOriginal(index, original, rng, d);
}

namespace {

// Writes the posts of one chunk in each platform's format.
class ChunkWriter {
 public:
  ChunkWriter(const Population& people, const FollowGraph& graph, PostChunk& out)
      : people_(people), graph_(graph), out_(out) {}

  void AddX(uint64_t index, int64_t time, uint32_t author, std::string_view text, int ref_kind,
            const std::string& target_id, uint32_t target_author, int64_t mentioned, uint32_t likes,
            uint32_t reshares, uint32_t replies) {
    std::string& t = tweet_;
    t.clear();
    const std::string id = XId(index, time);
    // X replaces every link with a t.co link in the text and keeps the real one in the entities.
    std::string shown;
    FindEntities(text, entities_);
    size_t at = 0;
    std::vector<std::pair<std::string, std::string>> links;
    for (const Entity& e : entities_) {
      if (e.kind != Entity::kUrl) continue;
      shown.append(text.substr(at, e.begin - at));
      const std::string_view url = text.substr(e.begin, e.end - e.begin);
      std::string tco = TcoLink(url, 0x7c0);
      shown += tco;
      links.emplace_back(std::move(tco), std::string(url));
      at = e.end;
    }
    shown.append(text.substr(at));
    t += "{\"id\":\"";
    t += id;
    t += "\",\"text\":";
    AppendJsonString(shown, t);
    t += ",\"author_id\":\"";
    t += people_.XUserId(author);
    t += "\",\"created_at\":\"";
    AppendRfc3339(time, true, t);
    t += "\",\"lang\":\"en\",\"conversation_id\":\"";
    t += ref_kind == 2 ? target_id : id;
    t += '"';
    if (ref_kind != 0) {
      t += ",\"referenced_tweets\":[{\"type\":\"";
      t += ref_kind == 1 ? "retweeted" : "replied_to";
      t += "\",\"id\":\"";
      t += target_id;
      t += "\"}]";
      if (ref_kind == 2) {
        t += ",\"in_reply_to_user_id\":\"";
        t += people_.XUserId(target_author);
        t += '"';
      }
      users_.push_back(target_author);
    }
    // Entities, with code-point offsets as the API gives them.
    FindEntities(shown, entities_);
    std::string mentions, hashtags, urls;
    size_t link = 0;
    for (const Entity& e : entities_) {
      const size_t start = CodePoints(std::string_view(shown).substr(0, e.begin));
      const size_t end = start + CodePoints(std::string_view(shown).substr(e.begin, e.end - e.begin));
      std::string& list = e.kind == Entity::kMention ? mentions : e.kind == Entity::kHashtag ? hashtags : urls;
      list += list.empty() ? "" : ",";
      fmt::format_to(std::back_inserter(list), "{{\"start\":{},\"end\":{},", start, end);
      const std::string_view token = std::string_view(shown).substr(e.begin + 1, e.end - e.begin - 1);
      if (e.kind == Entity::kMention) {
        list += "\"username\":";
        AppendJsonString(token, list);
      } else if (e.kind == Entity::kHashtag) {
        list += "\"tag\":";
        AppendJsonString(token, list);
      } else {
        const auto& [tco, real] = links[std::min(link++, links.size() - 1)];
        list += "\"url\":";
        AppendJsonString(tco, list);
        list += ",\"expanded_url\":";
        AppendJsonString(real, list);
        list += ",\"display_url\":";
        std::string_view display(real);
        display.remove_prefix(std::min<size_t>(8, display.size()));
        AppendJsonString(display.size() > 26 ? std::string(display.substr(0, 25)) + "…" : std::string(display), list);
      }
      list += '}';
    }
    if (!mentions.empty() || !hashtags.empty() || !urls.empty()) {
      t += ",\"entities\":{";
      bool first = true;
      for (const auto& [name, list] : {std::pair<const char*, std::string*>{"mentions", &mentions},
                                       {"hashtags", &hashtags}, {"urls", &urls}}) {
        if (list->empty()) continue;
        t += first ? "\"" : ",\"";
        first = false;
        t += name;
        t += "\":[";
        t += *list;
        t += ']';
      }
      t += '}';
    }
    fmt::format_to(std::back_inserter(t),
                   ",\"public_metrics\":{{\"retweet_count\":{},\"reply_count\":{},\"like_count\":{},"
                   "\"quote_count\":0}}}}",
                   reshares, replies, likes);
    if (!page_.empty()) page_ += ',';
    page_ += t;
    if (page_count_ == 0) oldest_ = id;
    newest_ = id;
    ++page_count_;
    users_.push_back(author);
    if (mentioned >= 0) users_.push_back(static_cast<uint32_t>(mentioned));
    if (page_count_ == kTweetsPerPage) FlushPage();
  }

  void FlushPage() {
    if (page_count_ == 0) return;
    std::sort(users_.begin(), users_.end());
    users_.erase(std::unique(users_.begin(), users_.end()), users_.end());
    std::string& x = x_raw_;
    x += "{\"data\":[";
    x += page_;
    x += "],\"includes\":{\"users\":[";
    for (size_t i = 0; i < users_.size(); ++i) {
      const uint32_t u = users_[i];
      if (i) x += ',';
      x += "{\"id\":\"";
      x += people_.XUserId(u);
      x += "\",\"username\":";
      AppendJsonString(people_.Handle(u), x);
      x += ",\"name\":";
      AppendJsonString(people_.Name(u), x);
      fmt::format_to(std::back_inserter(x), ",\"public_metrics\":{{\"followers_count\":{},\"following_count\":{}}}}}",
                     graph_.FollowerCount(u), graph_.FollowingCount(u));
    }
    fmt::format_to(std::back_inserter(x),
                   "]}},\"meta\":{{\"result_count\":{},\"newest_id\":\"{}\",\"oldest_id\":\"{}\"}}}}\n", page_count_,
                   newest_, oldest_);
    page_.clear();
    users_.clear();
    page_count_ = 0;
    ++out_.pages_x;
  }

  std::string& x_raw() { return x_raw_; }
  std::string& reddit_raw() { return reddit_raw_; }

 private:
  const Population& people_;
  const FollowGraph& graph_;
  PostChunk& out_;
  std::string tweet_, page_, x_raw_, reddit_raw_, newest_, oldest_;
  std::vector<uint32_t> users_;
  std::vector<Entity> entities_;
  size_t page_count_ = 0;
};

// A Mastodon account object.
void AppendMastodonAccount(const Population& people, const FollowGraph& graph, uint32_t p, std::string& out) {
  const std::string user = people.MastodonUser(p);
  const std::string_view instance = people.MastodonInstance(p);
  const std::string acct = instance == kHomeInstance ? user : user + "@" + std::string(instance);
  out += "{\"id\":\"";
  AppendUint(100000 + uint64_t{p} * 13, out);
  out += "\",\"username\":";
  AppendJsonString(user, out);
  out += ",\"acct\":";
  AppendJsonString(acct, out);
  out += ",\"display_name\":";
  AppendJsonString(people.Name(p), out);
  fmt::format_to(std::back_inserter(out), ",\"url\":\"https://{}/@{}\",\"followers_count\":{}}}", instance, user,
                 graph.FollowerCount(p));
}

// Post text as Mastodon's HTML: links, hashtags and mentions become anchors.
void AppendMastodonHtml(std::string_view text, std::vector<Entity>& entities, std::string& out) {
  FindEntities(text, entities);
  out += "<p>";
  size_t at = 0;
  for (const Entity& e : entities) {
    AppendHtmlEscaped(text.substr(at, e.begin - at), out);
    const std::string_view token = text.substr(e.begin, e.end - e.begin);
    if (e.kind == Entity::kUrl) {
      out += "<a href=\"";
      AppendHtmlEscaped(token, out);
      out += "\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">";
      AppendHtmlEscaped(token, out);
      out += "</a>";
    } else if (e.kind == Entity::kHashtag) {
      out += "<a href=\"https://mastodon.social/tags/";
      out += token.substr(1);
      out += "\" class=\"mention hashtag\" rel=\"tag\">#<span>";
      out += token.substr(1);
      out += "</span></a>";
    } else {
      std::string_view user = token.substr(1);
      std::string_view host = kHomeInstance;
      if (const size_t sep = user.find('@'); sep != std::string_view::npos) {
        host = user.substr(sep + 1);
        user = user.substr(0, sep);
      }
      fmt::format_to(std::back_inserter(out),
                     "<span class=\"h-card\"><a href=\"https://{}/@{}\" class=\"u-url mention\">@<span>{}</span></a>"
                     "</span>",
                     host, user, user);
    }
    at = e.end;
  }
  AppendHtmlEscaped(text.substr(at), out);
  out += "</p>";
}

}  // namespace

void PostGenerator::GenerateChunk(uint64_t c, PostChunk& out) const {
  out = PostChunk{};
  const uint64_t begin = c * chunk_;
  const uint64_t end = std::min(total_, begin + chunk_);
  ChunkWriter writer(people_, graph_, out);
  std::string mastodon_raw;
  std::vector<Entity> entities;
  Draft d, target;
  std::string status, original;
  for (uint64_t i = begin; i < end; ++i) {
    Generate(i, d, target);
    const uint32_t author = d.core.author;
    const int ref = d.ref == Draft::kReshare ? 1 : d.ref == Draft::kReply ? 2 : 0;
    std::string id;
    switch (d.core.platform) {
      case Platform::kX: {
        id = XId(i, d.time);
        std::string text;
        if (ref == 1) {
          text = fmt::format("RT @{}: {}", people_.Handle(d.target_author), d.composed.text);
        } else if (ref == 2) {
          text = fmt::format("@{} {}", people_.Handle(d.target_author), d.composed.text);
        } else {
          text = d.composed.text;
        }
        writer.AddX(i, d.time, author, text, ref, ref ? XId(d.target, target.time) : std::string(), d.target_author,
                    d.mentioned, d.likes, d.reshares, d.replies);
        ++out.posts_x;
        break;
      }
      case Platform::kReddit: {
        id = RedditId(i);
        std::string& r = writer.reddit_raw();
        r += "{\"id\":\"";
        r += id;
        r += "\",\"author\":";
        AppendJsonString(people_.RedditHandle(author), r);
        r += ",\"created_utc\":";
        AppendUint(static_cast<uint64_t>(d.time), r);
        if (ref == 0) {
          r += ",\"title\":";
          AppendJsonString(d.composed.title, r);
          r += ",\"selftext\":";
          AppendJsonString(d.composed.text, r);
          r += ",\"subreddit\":";
          AppendJsonString(d.subreddit, r);
          fmt::format_to(std::back_inserter(r),
                         ",\"url\":\"https://www.reddit.com/r/{}/comments/{}/\",\"score\":{},\"num_comments\":{}}}\n",
                         d.subreddit, id, d.likes + 1, d.replies);
        } else {
          const std::string parent = RedditId(d.target);
          r += ",\"body\":";
          AppendJsonString(d.composed.text, r);
          fmt::format_to(std::back_inserter(r), ",\"parent_id\":\"t3_{}\",\"link_id\":\"t3_{}\",\"subreddit\":", parent,
                         parent);
          AppendJsonString(d.subreddit, r);
          fmt::format_to(std::back_inserter(r), ",\"score\":{}}}\n", d.likes + 1);
        }
        ++out.posts_reddit;
        break;
      }
      case Platform::kMastodon: {
        id = MastodonId(i, d.time);
        auto append_status = [&](const std::string& sid, int64_t time, uint32_t who, std::string_view text,
                                 const std::string* reply_to, uint32_t likes, uint32_t boosts, uint32_t replies,
                                 const std::string* reblog, std::string& s) {
          s += "{\"id\":\"";
          s += sid;
          s += "\",\"created_at\":\"";
          AppendRfc3339(time, true, s);
          s += "\",\"in_reply_to_id\":";
          if (reply_to != nullptr) {
            AppendJsonString(*reply_to, s);
          } else {
            s += "null";
          }
          std::string html;
          if (!text.empty()) AppendMastodonHtml(text, entities, html);
          s += ",\"content\":";
          AppendJsonString(html, s);
          s += ",\"language\":\"en\",\"account\":";
          AppendMastodonAccount(people_, graph_, who, s);
          s += ",\"mentions\":[";
          FindEntities(text, entities);
          bool first = true;
          for (const Entity& e : entities) {
            if (e.kind != Entity::kMention) continue;
            s += first ? "" : ",";
            first = false;
            s += "{\"acct\":";
            AppendJsonString(text.substr(e.begin + 1, e.end - e.begin - 1), s);
            s += '}';
          }
          s += "],\"tags\":[";
          first = true;
          for (const Entity& e : entities) {
            if (e.kind != Entity::kHashtag) continue;
            s += first ? "" : ",";
            first = false;
            s += "{\"name\":";
            AppendJsonString(text.substr(e.begin + 1, e.end - e.begin - 1), s);
            s += '}';
          }
          fmt::format_to(std::back_inserter(s), "],\"replies_count\":{},\"reblogs_count\":{},\"favourites_count\":{}",
                         replies, boosts, likes);
          s += ",\"reblog\":";
          s += reblog != nullptr ? *reblog : std::string("null");
          s += '}';
        };
        const std::string target_id = ref ? MastodonId(d.target, target.time) : std::string();
        status.clear();
        if (ref == 1) {
          original.clear();
          append_status(target_id, target.time, d.target_author, target.composed.text, nullptr, target.likes,
                        target.reshares, target.replies, nullptr, original);
          append_status(id, d.time, author, std::string_view(), nullptr, 0, 0, 0, &original, status);
        } else if (ref == 2) {
          const std::string user = people_.MastodonUser(d.target_author);
          const std::string_view host = people_.MastodonInstance(d.target_author);
          const std::string text = fmt::format("@{}{}{} {}", user, host == kHomeInstance ? "" : "@",
                                               host == kHomeInstance ? std::string_view() : host, d.composed.text);
          append_status(id, d.time, author, text, &target_id, d.likes, d.reshares, d.replies, nullptr, status);
        } else {
          append_status(id, d.time, author, d.composed.text, nullptr, d.likes, d.reshares, d.replies, nullptr,
                        status);
        }
        mastodon_raw += status;
        mastodon_raw += '\n';
        ++out.posts_mastodon;
        break;
      }
    }
    // Ground truth: platform, id, act, sentiment, brand.
    out.truth += d.core.platform == Platform::kX ? "x," : d.core.platform == Platform::kReddit ? "reddit," : "mastodon,";
    out.truth += id;
    out.truth += ',';
    out.truth += ActName(d.core.act);
    out.truth += ',';
    out.truth += SentimentName(d.composed.sentiment);
    out.truth += ',';
    if (d.core.brand >= 0) out.truth += Brand(d.core.brand).name;
    out.truth += '\n';
    ++out.acts[static_cast<size_t>(d.core.act)];
    out.reshares += ref == 1;
    out.replies += ref == 2;
    ++out.posts;
  }
  writer.FlushPage();
  if (!writer.x_raw().empty()) {
    out.status = AppendZstdFrame(writer.x_raw(), config_.zstd_level, out.x);
    if (!out.status.ok()) return;
  }
  if (!writer.reddit_raw().empty()) {
    out.status = AppendGzipMember(writer.reddit_raw(), config_.gzip_level, out.reddit);
    if (!out.status.ok()) return;
  }
  out.mastodon = std::move(mastodon_raw);
}

}  // namespace vouch::synth
