#include "synth/phrasebook.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "synth/brand_catalog.h"

namespace vouch::synth {
namespace {

using SV = std::string_view;
using List = std::span<const SV>;

// ---- the post templates, by kind -------------------------------------------------------------------------------

constexpr SV kEndorse[] = {
    "{open_pos}my {product} [has been|is] {praise}[ {since}|]{emo_pos}",
    "been using [my|the] {product} for {duration} and {praise_clause}{emo_pos}",
    "[honestly|genuinely|no joke,] the best [thing|purchase] I [made|bought] this year [is|was] my {product}. "
    "{praise_sentence}{emo_pos}",
    "{product} [update|check-in|review]: {duration} in, {praise_clause}. {verdict}{emo_pos}",
    "switched from {rival} to {brand} {duration} ago and {praise_clause}{emo_pos}",
    "my {product} {praise_verb} every [single |]morning{emo_pos} {brand_tag}",
    "shoutout to {brand_at}: {good_service}{emo_pos}",
    "if you're on the fence about the {product}, [do it|just get it|go for it]. {praise_sentence}",
    "[ok|okay|alright] I get the hype now. my {product} {praise_verb}. {brand_tag}{emo_pos}",
    "{duration} with my {product} and [still obsessed|still in love with it|zero regrets]{emo_pos}",
    "[made|pulled] [my first|a perfect|the best] [latte|flat white|cappuccino|shot] [at home|ever] on my {product}"
    "{emo_pos} {praise_sentence}",
    "bought a {product} for my [partner|mum|dad|roommate] and now I use it more than they do. {praise_sentence}",
    "[gotta say|have to say|can confirm], {brand} [customer service|support] {good_service_short}{emo_pos}",
    "my {product} [paid for itself|has paid for itself] in [cafe|coffee shop] money [already|by now]. {verdict}",
    "{brand} [fan|convert] here. {praise_sentence} [got mine|had mine] {since}{emo_pos}",
};
constexpr SV kComplain[] = {
    "{open_neg}my {product} [stopped working|died|won't turn on|started leaking|keeps tripping the breaker] after "
    "{duration} and {service_fail}{emo_neg}",
    "{brand_at} {service_fail_direct}. order {order_no}. {frustration}{emo_neg}",
    "never buying {brand} again. {issue_sentence} {frustration}",
    "{brand_at} [why|how] is it [so hard|impossible|this hard] to get a refund?? {service_fail}{emo_neg}",
    "{duration} waiting for a replacement {part} for my {product}. {frustration}",
    "paid {price} for a {product} that {defect}. {service_fail}{emo_neg}",
    "[day {n}|week {n}] of [chasing|emailing|calling] {brand} support about my broken {product}. {frustration}",
    "the {part} on my {product} [cracked|snapped|broke|fell apart] after {duration}. {service_fail} "
    "{brand_tag}{emo_neg}",
    "[honestly|genuinely|seriously] disappointed in {brand}. {issue_sentence}",
    "[warning|heads up|PSA] to anyone buying a {product}: {issue_sentence} {frustration}",
    "[so|sooo] my {product} {defect} and {brand} support {service_fail_short}{emo_neg}",
};
constexpr SV kOutageComplaint[] = {
    "{brand} app [has been|is] down [all day|since this morning|for hours] and my {product} won't "
    "[brew|connect|start] without it{emo_neg}",
    "is {brand_at} down?? I [can't|cannot] [order pods|start my machine|log in|schedule my brew] {emo_neg}",
    "[woke up to|came home to] a {product} that [won't connect|is stuck updating|shows error E{n}] because the "
    "{brand} servers are down. [why does a coffee machine need the cloud|great start to the day]{emo_neg}",
    "{brand_at} my {product} [has been|is] bricked [all morning|since the update] and support "
    "[isn't answering|has a {n_big} minute wait]{emo_neg}",
    "no coffee today thanks to the {brand} outage. {frustration} {brand_tag}",
};
constexpr SV kDeal[] = {
    "{deal_open}{product} [down to|now|for] {sale_price} [(was {price})|] {deal_link}{emo_deal}",
    "{pct}% off the {product} [today only|this weekend|until sunday|while it lasts] {deal_link} {deal_tag}",
    "[grab|get] {pct}% off {brand} [pods|machines|everything] with code {promo} {deal_link}",
    "[via|h/t] {mention}: {product} is {pct}% off {deal_link}",
    "[lowest price I've seen|price drop|all-time low] on the {product}: {sale_price} {deal_link} {deal_tag}",
    "{brand} [spring|flash|weekend] sale is live, {pct}% off [sitewide|the {product}] {deal_link}",
};
constexpr SV kReferralPromo[] = {
    "use my code {refcode} for {pct}% off [your first|a] {brand} order {shop_link}",
    "[if anyone wants|for anyone after] a {product}, my code {refcode} [gets you|is] {pct}% off {shop_link}",
    "{pct}% off {brand} with code {refcode} {shop_link} {deal_tag}",
};
constexpr SV kNews[] = {
    "= {brand} [announces|launches|unveils] a new {new_product} {news_link}",
    "- {brand} recalls [some|a batch of] {product} [water tanks|power adapters|units] over a [leak|overheating] "
    "risk {news_link}",
    "+ {brand} [wins|takes] [best espresso machine of the year|a design award|top spot in a blind taste test] "
    "{news_link}",
    "- {brand} [is raising|raises] pod prices [from next month|by {pct}%] {news_link}",
    "= {brand} [opens|is opening] a pop-up cafe in {city} {news_link}",
    "= [interesting read|worth a read|huh|today in coffee news]: {brand} [and|vs] {rival} "
    "[market share|price war|patent fight] {news_link}",
    "+ {brand} [extends its warranty to|now offers] [three|five] years on the {product} {news_link}",
};
constexpr SV kOutageNews[] = {
    "{brand} [outage|is down]: [the app and connected machines|pod orders and the app] [offline|not working] "
    "[for hours|since this morning], per their status page {status_link}",
    "[looks like|apparently] {brand}'s servers are down [for everyone|nationwide] {news_link}",
};
constexpr SV kAsk[] = {
    "anyone [here |]tried the {product}? [worth it|worth the money|any good|how's the {part}]?",
    "{product} or {rival_product}? [help me decide|which would you get|what's the difference really]?",
    "how do you [descale|clean|reset|calibrate] the {product}? [manual is useless|asking for a friend|first time "
    "owner]",
    "does the {product} work with [oat milk|pre-ground coffee|third-party pods|a 220V outlet]?",
    "{brand_at} do you ship to {country}?",
    "is the {product} [loud|easy to clean|worth the upgrade|good for beginners]?",
    "thinking of getting a {product}: [what should I know|any regrets|is it worth it]?",
    "[quick q|question] for {brand} owners: [how long does the {part} last|do you need the {brand} app|is the "
    "warranty any good]?",
    "where's the best place to buy a {product}? [any codes floating around|is there a sale coming]?",
    "[has anyone|did anyone] [else |]get the {brand} [firmware update|email about pods|survey]? "
    "[what changed|is it legit]?",
};
constexpr SV kOther[] = {
    "+ the new {product} looks [so sleek|gorgeous|really nice]{emo_neu}",
    "- the new {product} looks [kinda ugly tbh|way too big|overpriced]",
    "= might [treat myself to|get] a {product} [next month|for my birthday|after payday]",
    "= {brand} ads [are everywhere lately|keep following me around|are on every podcast]",
    "= saw a {product} at [my friend's|a coworker's|my sister's] place, [looked fancy|interesting]",
    "+ {brand} sponsoring [the city marathon|a podcast I like|the local cafe crawl] is [cute|a nice touch]",
    "= [not a coffee person but|not gonna buy one but] the {brand} [packaging|logo|website] is [clean|nice]",
    "- [not sure|don't get] why people pay {price} for a {product}",
    "= [putting|added] a {product} on my [wishlist|birthday list]{emo_neu}",
    "+ {brand} vs {rival} is the new [iphone vs android|cats vs dogs] lol",
    "= my [boss|neighbour|brother] just [ordered|got] a {product}, we'll see",
    "- {rival} [is|looks] [way|so much] better than {brand} [imo|tbh|from what I've read]",
};
constexpr SV kChatter[] = {
    "= [monday|friday|sunday] mood: [coffee|sleep|more coffee]{emo_neu}",
    "= [finally|just] [finished|started] [a new book|season two|my tax return]",
    "+ [gorgeous|lovely|beautiful] [sunrise|day|evening] [today|out there]{emo_pos}",
    "- [traffic|the train|my wifi] is [a nightmare|so slow] today{emo_neg}",
    "= [anyone|who else] [up this early|still awake] lol",
    "= new [playlist|podcast|recipe] [just dropped|on repeat]{emo_neu}",
    "+ [made|baked] [banana bread|sourdough|pancakes] [this morning|for the team]{emo_pos}",
    "= [3|4|5] meetings before lunch. send [coffee|help]",
};
constexpr SV kExclusionTrap[] = {
    "= [look at|check out] those nimbus clouds [over the bay|this afternoon|rolling in] ☁️",
    "= rewatching harry potter and I still want a Nimbus 2000",
    "= cumulonimbus [season|clouds] [is here|rolling in] [again|], [stay safe|stay dry] out there",
    "= [huge|massive] nimbus clouds [over the city|building up west] [right now|today] ⛈️",
};
constexpr SV kReplyEndorse[] = {
    "[honestly|for what it's worth|fwiw], my {product} [has been|is] {praise}[ {since}|]{emo_pos}",
    "[can vouch|I can vouch for it|big yes from me], had my {product} for {duration} and {praise_clause}",
    "mine's been [great|perfect|flawless] for {duration}. {brand} [really|honestly] [nailed it|got this one "
    "right]{emo_pos}",
    "[{product} owner here|I have the {product}]: {praise_sentence}",
};
constexpr SV kReplyComplain[] = {
    "[owner here|I have one], my {product} {defect} and {brand} support {service_fail_short}{emo_neg}",
    "[careful|be careful|think twice]: my {product} {defect} after {duration}. {frustration}",
    "had [the exact same|a similar] [issue|problem] with my {product}, {service_fail}",
};
constexpr SV kReplyAsk[] = {
    "which [one|model] did you get, the {product}?",
    "how long have you had the {product}? [is it loud|does it last|any issues]?",
    "[wait|ooh] does the {product} [need the app|do milk drinks|come with a grinder]?",
    "did you get the {product} on sale? [what did it cost you|any codes]?",
};
constexpr SV kReplyOther[] = {
    "= [lol|ha] [I keep seeing|everyone's talking about] {brand} [today|lately]",
    "= [following|saving this], [might look at the {product} later|{brand} is on my list to check out]",
    "= [good question|same question here], [curious about the {product} too|following for {brand} answers]",
};
constexpr SV kReplyCheer[] = {
    "[ooh|oh nice|love that], [might get|adding] a {product} [too|to my list]{emo_pos}",
    "[congrats|enjoy] [on|with] the new {product}!",
    "[nice|sweet], the {product} [looks great|is on my list]{emo_pos}",
};
constexpr SV kReplySympathy[] = {
    "[yikes|oof|that sucks], [glad I didn't get|glad I waited on] the {product}",
    "[ugh|oh no], hope {brand} sorts it out{emo_neg}",
    "[that's awful|not great], [was about to order a {product}|was looking at the {product}] [too|myself]",
};

// Reddit titles by kind.
constexpr SV kTitleEndorse[] = {"{product} after {duration}: [love it|worth every penny|no regrets]",
                                "Happy {brand} owner here", "[Review|Long-term review]: {product}"};
constexpr SV kTitleComplain[] = {"[Warning|PSA|Rant]: {brand} support", "My {product} died after {duration}",
                                 "{brand} refund nightmare", "{brand} outage?"};
constexpr SV kTitleShare[] = {"[Deal] {product} {pct}% off", "{brand} news", "[PSA] {brand} sale is live"};
constexpr SV kTitleAsk[] = {"{product} worth it?", "[Question] {brand} {part}", "{product} vs {rival_product}?"};
constexpr SV kTitleOther[] = {"Thoughts on {brand}", "The new {product}", "{brand} ads everywhere"};
constexpr SV kTitleChatter[] = {"Random thought", "Weekend plans", "Morning thread", "Sky photos"};

// ---- the named lists the templates use -------------------------------------------------------------------------

constexpr SV kOpenPos[] = {"", "", "", "ok so ", "not gonna lie, ", "update: ", "real talk: ", "honestly "};
constexpr SV kOpenNeg[] = {"", "", "", "ugh ", "unreal. ", "so annoyed. ", "rant: ", "wow. "};
constexpr SV kPraise[] = {"worth every penny", "the best kitchen purchase I've made", "an absolute game changer",
                          "rock solid", "flawless", "so good", "a total upgrade"};
constexpr SV kSince[] = {"since day one", "since I got it", "since christmas", "since last spring"};
constexpr SV kDuration[] = {"[two|three|four|six|eight] [weeks|months]", "a [year|month]", "almost a year",
                            "[over|about] {n} months", "a couple of weeks"};
constexpr SV kPraiseClause[] = {
    "it [still |]works [perfectly|like a charm|flawlessly|like day one]",
    "the [espresso|crema|milk foam|coffee] is [unreal|so good|better than my local cafe|perfect every time]",
    "I [haven't bought|stopped buying] cafe coffee since",
    "mornings are [so much better|a joy|my favourite part of the day] now",
    "it [heats up|is ready] in [under a minute|about 30 seconds|no time]",
    "it hasn't [missed a beat|given me a single problem|needed anything but descaling]"};
constexpr SV kPraiseSentence[] = {
    "[It|This thing] [just works|is a beast|never lets me down|makes better coffee than my local cafe].",
    "[Easily|Genuinely|Honestly] [10/10|five stars|the best thing on my counter].",
    "The [app|grinder|frother|milk system] is [so|ridiculously|surprisingly] [easy|good|quiet].",
    "Would [buy|recommend] it again in a heartbeat."};
constexpr SV kPraiseVerb[] = {"[makes|pulls] the [best|perfect|most consistent] [shot|cup|latte]",
                              "[never|hasn't once] let me down"};
constexpr SV kVerdict[] = {"would buy again", "10/10 would recommend", "zero regrets", "highly recommend", "no notes"};
constexpr SV kGoodService[] = {
    "they replaced my {part} in [two|three] days, no questions asked",
    "[had|got] an answer in [ten minutes|under an hour] and the fix worked",
    "my warranty [claim|repair] took [two|three] days start to finish",
    "[they sent|I got] a free {part} when mine cracked"};
constexpr SV kGoodServiceShort[] = {"is top notch", "sorted my issue in minutes", "actually cares",
                                    "went above and beyond"};
constexpr SV kServiceFail[] = {
    "support hasn't answered in {n} days", "they closed my ticket without fixing anything",
    "I got charged twice and nobody will refund it", "the replacement never shipped",
    "I've been on hold for {n_big} minutes", "the chat bot keeps sending me back to the FAQ",
    "they want me to pay shipping on a warranty repair", "they keep asking for the same photos over and over"};
constexpr SV kServiceFailDirect[] = {"[still|STILL] waiting on my refund", "you charged me twice",
                                     "my order never arrived",
                                     "your tracking link has said 'label created' for {n} days",
                                     "nobody has replied to my ticket in {n} days"};
constexpr SV kServiceFailShort[] = {"ghosted me", "won't help", "just keeps apologising", "closed my ticket"};
constexpr SV kDefect[] = {"leaks all over the counter", "stopped heating after {duration}",
                          "makes a grinding noise", "won't pair with the app", "shuts off mid-brew",
                          "tastes burnt no matter what"};
constexpr SV kIssueSentence[] = {
    "My {product} {defect} and support {service_fail_short}.",
    "Order {order_no} [arrived broken|never showed up|was missing the {part}] and [nobody answers|the refund is "
    "'processing' forever].",
    "They [charged|billed] me for a subscription I cancelled {duration} ago."};
constexpr SV kFrustration[] = {"unbelievable", "ridiculous", "absolutely done", "so over it", "not ok",
                               "what a joke", "this was supposed to be a premium brand", "never again",
                               "lesson learned"};
constexpr SV kDealOpen[] = {"", "", "DEAL: ", "Deal alert: ", "🔥 ", "PSA: ", "heads up, ", "fyi "};
constexpr SV kPromo[] = {"SPRING{pct}", "BREW{pct}", "WELCOME{pct}", "COFFEE{pct}"};
constexpr SV kDealTag[] = {"#deal", "#deals", "#coffee", "", "#sale"};
constexpr SV kNewProduct[] = {"{product} 2", "cold brew attachment", "travel mug", "milk frother", "bean subscription"};
constexpr SV kCity[] = {"Lisbon", "Austin", "Toronto", "Melbourne", "Berlin", "Osaka", "Denver", "Leeds"};
constexpr SV kCountry[] = {"Canada", "Ireland", "New Zealand", "Mexico", "Portugal", "the UK"};
constexpr SV kEmoPos[] = {"", "", "", " 😍", " ☕", " 🙌", " 👌", " ✨", " ❤️", " 😊", " 💯", " 🔥🔥", " ☕☕☕", "!", "!!"};
constexpr SV kEmoNeg[] = {"", "", "", " 😡", " 😤", " 🙄", " 😩", " 👎", " 💀", "!!", " smh", " 😞😞"};
constexpr SV kEmoNeu[] = {"", "", "", " 👀", " 🤔", " ☕"};
constexpr SV kEmoDeal[] = {"", "", " 🔥", " 👀", " 💸", " ☕"};

constexpr SV kNewsSites[] = {"brewdaily.news", "kitchengear.review", "thecoffeewire.com", "gadgetpost.io"};
constexpr SV kDealSites[] = {"dealhound.net", "bit.ly", "slickpicks.com"};
constexpr SV kNewsSlugWords[] = {"coffee", "machines", "market", "launch", "pods", "prices", "review", "brand",
                                 "espresso", "home", "warranty", "recall"};
constexpr SV kBase62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

// Words of the brands that the noise pass must leave alone (lower case).
constexpr SV kProtected[] = {"nimbus", "coffee", "pro", "mini", "grinder", "pods", "frother", "brewlux", "aria",
                             "solo", "capsules", "kaffio", "duo", "beans", "club", "cloud", "clouds",
                             "cumulonimbus", "2000"};

struct Named {
  SV name;
  List list;
};
constexpr Named kNamed[] = {
    {"open_pos", kOpenPos},           {"open_neg", kOpenNeg},
    {"praise", kPraise},              {"since", kSince},
    {"duration", kDuration},          {"praise_clause", kPraiseClause},
    {"praise_sentence", kPraiseSentence}, {"praise_verb", kPraiseVerb},
    {"verdict", kVerdict},            {"good_service", kGoodService},
    {"good_service_short", kGoodServiceShort}, {"service_fail", kServiceFail},
    {"service_fail_direct", kServiceFailDirect}, {"service_fail_short", kServiceFailShort},
    {"defect", kDefect},              {"issue_sentence", kIssueSentence},
    {"frustration", kFrustration},    {"deal_open", kDealOpen},
    {"promo", kPromo},                {"deal_tag", kDealTag},
    {"new_product", kNewProduct},     {"city", kCity},
    {"country", kCountry},            {"emo_pos", kEmoPos},
    {"emo_neg", kEmoNeg},             {"emo_neu", kEmoNeu},
    {"emo_deal", kEmoDeal},
};

List KindTemplates(TextKind kind) {
  switch (kind) {
    case TextKind::kEndorse: return kEndorse;
    case TextKind::kComplain: return kComplain;
    case TextKind::kOutageComplaint: return kOutageComplaint;
    case TextKind::kDeal: return kDeal;
    case TextKind::kReferralPromo: return kReferralPromo;
    case TextKind::kNews: return kNews;
    case TextKind::kOutageNews: return kOutageNews;
    case TextKind::kAsk: return kAsk;
    case TextKind::kOther: return kOther;
    case TextKind::kChatter: return kChatter;
    case TextKind::kExclusionTrap: return kExclusionTrap;
    case TextKind::kReplyEndorse: return kReplyEndorse;
    case TextKind::kReplyComplain: return kReplyComplain;
    case TextKind::kReplyAsk: return kReplyAsk;
    case TextKind::kReplyOther: return kReplyOther;
    case TextKind::kReplyCheer: return kReplyCheer;
    case TextKind::kReplySympathy: return kReplySympathy;
  }
  return kChatter;
}

List KindTitles(TextKind kind) {
  switch (kind) {
    case TextKind::kEndorse:
    case TextKind::kReplyEndorse: return kTitleEndorse;
    case TextKind::kComplain:
    case TextKind::kOutageComplaint:
    case TextKind::kReplyComplain: return kTitleComplain;
    case TextKind::kDeal:
    case TextKind::kReferralPromo:
    case TextKind::kNews:
    case TextKind::kOutageNews: return kTitleShare;
    case TextKind::kAsk:
    case TextKind::kReplyAsk: return kTitleAsk;
    case TextKind::kOther:
    case TextKind::kReplyOther:
    case TextKind::kReplyCheer:
    case TextKind::kReplySympathy: return kTitleOther;
    case TextKind::kChatter:
    case TextKind::kExclusionTrap: return kTitleChatter;
  }
  return kTitleChatter;
}

Sentiment KindSentiment(TextKind kind) {
  switch (kind) {
    case TextKind::kEndorse:
    case TextKind::kReplyEndorse:
    case TextKind::kReplyCheer: return Sentiment::kPositive;
    case TextKind::kReplySympathy:
    case TextKind::kComplain:
    case TextKind::kOutageComplaint:
    case TextKind::kOutageNews:
    case TextKind::kReplyComplain: return Sentiment::kNegative;
    default: return Sentiment::kNeutral;
  }
}

std::string Money(int64_t minor) {
  if (minor % 100 == 0) return fmt::format("${}", minor / 100);
  return fmt::format("${}.{:02}", minor / 100, minor % 100);
}

void AppendToken(uint64_t h, int length, std::string& out) {
  for (int i = 0; i < length; ++i) {
    out += kBase62[h % kBase62.size()];
    h /= kBase62.size();
    if (h == 0) h = Mix(h, static_cast<uint64_t>(i) + 17);
  }
}

// Expands templates into out. Holds the per-post context; one per Compose call.
class Expander {
 public:
  Expander(const TextContext& ctx, Rng& rng) : ctx_(ctx), rng_(rng) {
    const BrandSpec& b = Brand(std::max(ctx.brand, 0));
    brand_ = &b;
    int rival = ctx.rival;
    if (rival < 0 || rival == ctx.brand) rival = (std::max(ctx.brand, 0) + 1 + static_cast<int>(rng.Below(2))) % kBrandCount;
    rival_ = &Brand(rival);
    product_ = &b.products[static_cast<size_t>(ctx.product) % b.products.size()];
    pct_ = std::array<int, 6>{10, 15, 20, 25, 30, 40}[rng.Below(6)];
  }

  void Expand(SV tpl, std::string& out) {
    size_t i = 0;
    while (i < tpl.size()) {
      const char c = tpl[i];
      if (c == '[') {
        const size_t close = Matching(tpl, i);
        Expand(PickAlternative(tpl.substr(i + 1, close - i - 1)), out);
        i = close + 1;
      } else if (c == '{') {
        const size_t close = tpl.find('}', i);
        Slot(tpl.substr(i + 1, close - i - 1), out);
        i = close + 1;
      } else {
        const size_t next = tpl.find_first_of("[{", i);
        const size_t end = next == SV::npos ? tpl.size() : next;
        out.append(tpl.substr(i, end - i));
        i = end;
      }
    }
  }

 private:
  static size_t Matching(SV tpl, size_t open) {
    int depth = 0;
    for (size_t i = open; i < tpl.size(); ++i) {
      if (tpl[i] == '[') ++depth;
      if (tpl[i] == ']' && --depth == 0) return i;
    }
    return tpl.size() - 1;
  }
  SV PickAlternative(SV body) {
    // Count the top-level alternatives, pick one, then find it.
    int depth = 0;
    size_t count = 1;
    for (char c : body) {
      if (c == '[') ++depth;
      if (c == ']') --depth;
      if (c == '|' && depth == 0) ++count;
    }
    size_t want = rng_.Below(count);
    size_t start = 0;
    depth = 0;
    for (size_t i = 0; i < body.size(); ++i) {
      const char c = body[i];
      if (c == '[') ++depth;
      if (c == ']') --depth;
      if (c == '|' && depth == 0) {
        if (want == 0) return body.substr(start, i - start);
        --want;
        start = i + 1;
      }
    }
    return body.substr(start);
  }

  void Slot(SV name, std::string& out) {
    const BrandSpec& b = *brand_;
    if (name == "product") {
      out += product_->name;
    } else if (name == "brand") {
      const double u = rng_.Uniform();
      if (u < 0.75 || b.aliases.size() < 2) {
        out += b.name;
      } else if (u < 0.87) {
        out += b.aliases[1];
      } else {
        out += b.handles[0];
      }
    } else if (name == "brand_at") {
      out += b.handles[rng_.Below(b.handles.size())];
    } else if (name == "brand_tag") {
      if (!b.cashtags.empty() && rng_.Chance(0.05)) {
        out += b.cashtags[0];
      } else if (rng_.Chance(0.6)) {
        out += b.hashtags[rng_.Below(b.hashtags.size())];
      }
    } else if (name == "part") {
      out += product_->part;
    } else if (name == "rival") {
      out += rival_->name;
    } else if (name == "rival_product") {
      out += rival_->products[rng_.Below(rival_->products.size())].name;
    } else if (name == "price") {
      out += Money(product_->price_minor);
    } else if (name == "sale_price") {
      out += Money(product_->price_minor * (100 - pct_) / 100 / 100 * 100 - (product_->price_minor > 5000 ? 1 : 0));
    } else if (name == "pct") {
      fmt::format_to(std::back_inserter(out), "{}", pct_);
    } else if (name == "n") {
      fmt::format_to(std::back_inserter(out), "{}", rng_.Between(2, 14));
    } else if (name == "n_big") {
      fmt::format_to(std::back_inserter(out), "{}", rng_.Between(20, 95));
    } else if (name == "order_no") {
      fmt::format_to(std::back_inserter(out), "#{}", rng_.Between(100000, 999999));
    } else if (name == "mention") {
      if (ctx_.mention.empty()) {
        out += "a friend";
      } else {
        out += '@';
        out += ctx_.mention;
      }
    } else if (name == "refcode") {
      out += ctx_.refcode.empty() ? SV("WELCOME10") : ctx_.refcode;
    } else if (name == "deal_link") {
      const SV site = kDealSites[rng_.Below(std::size(kDealSites))];
      if (site == "bit.ly") {
        out += "https://bit.ly/";
        AppendToken(Mix(ctx_.salt, 1), 7, out);
      } else if (rng_.Chance(0.5)) {
        fmt::format_to(std::back_inserter(out), "https://{}/shop/{}?utm_source=social", b.site, product_->slug);
      } else {
        fmt::format_to(std::back_inserter(out), "https://{}/d/", site);
        AppendToken(Mix(ctx_.salt, 2), 8, out);
      }
    } else if (name == "shop_link") {
      fmt::format_to(std::back_inserter(out), "https://{}/r/{}", Brand(kOwnBrand).site,
                     ctx_.refcode.empty() ? SV("welcome") : ctx_.refcode);
    } else if (name == "news_link") {
      fmt::format_to(std::back_inserter(out), "https://{}/2026/{}-{}-", kNewsSites[rng_.Below(std::size(kNewsSites))],
                     kNewsSlugWords[rng_.Below(std::size(kNewsSlugWords))],
                     kNewsSlugWords[rng_.Below(std::size(kNewsSlugWords))]);
      AppendToken(Mix(ctx_.salt, 3), 5, out);
    } else if (name == "status_link") {
      fmt::format_to(std::back_inserter(out), "https://status.{}/incidents/", b.site);
      AppendToken(Mix(ctx_.salt, 4), 6, out);
    } else {
      for (const Named& named : kNamed) {
        if (named.name == name) {
          Expand(named.list[rng_.Below(named.list.size())], out);
          return;
        }
      }
      out += name;  // unreachable with the lists above; visible in output if a template names a missing slot
    }
  }

  const TextContext& ctx_;
  Rng& rng_;
  const BrandSpec* brand_;
  const BrandSpec* rival_;
  const ProductSpec* product_;
  int pct_;
};

bool IsProtected(SV word) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(std::begin(kProtected), std::end(kProtected), lower) != std::end(kProtected);
}

// Plain lower-case words of at least four letters that the noise pass may alter: [start, end) byte ranges.
void CandidateWords(const std::string& text, std::vector<std::pair<size_t, size_t>>& words) {
  words.clear();
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    SV token(text.data() + start, i - start);
    while (!token.empty() && (token.back() == '.' || token.back() == ',' || token.back() == '!' ||
                              token.back() == '?' || token.back() == ':')) {
      token.remove_suffix(1);
    }
    if (token.size() < 4) continue;
    bool letters = true;
    for (char c : token) letters = letters && c >= 'a' && c <= 'z';
    if (letters && !IsProtected(token)) words.emplace_back(start, start + token.size());
  }
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// Words that people stretch ("sooo good", "loooove").
constexpr SV kStretchable[] = {"so", "love", "good", "great", "yes", "nice", "ugh", "really", "best", "please"};

void ApplyNoise(TextKind kind, Sentiment sentiment, Rng& rng, std::string& text) {
  std::vector<std::pair<size_t, size_t>> words;
  if (rng.Chance(0.14)) {  // one typo: a swapped, dropped or doubled letter
    CandidateWords(text, words);
    if (!words.empty()) {
      const auto [start, end] = words[rng.Below(words.size())];
      const size_t at = start + 1 + rng.Below(end - start - 2);
      switch (rng.Below(3)) {
        case 0: std::swap(text[at], text[at + 1]); break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, text[at]); break;
      }
    }
  }
  if (sentiment != Sentiment::kNeutral && rng.Chance(0.10)) {  // an elongation
    for (SV w : kStretchable) {
      size_t at = text.find(w);
      if (at == std::string::npos) continue;
      const size_t end = at + w.size();
      const bool word_start = at == 0 || text[at - 1] == ' ';
      const bool word_end = end == text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
      if (!word_start || !word_end) continue;
      size_t vowel = end;
      while (vowel > at && !IsVowel(text[vowel - 1])) --vowel;
      if (vowel > at) text.insert(vowel, static_cast<size_t>(rng.Between(2, 4)), text[vowel - 1]);
      break;
    }
  }
  // Case: all lower case (a quarter of posts), or shouting (some complaints). Links, handles and codes keep theirs.
  const bool shout = (kind == TextKind::kComplain || kind == TextKind::kOutageComplaint) && rng.Chance(0.07);
  const bool lower = !shout && rng.Chance(0.25);
  if (!shout && !lower) return;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    SV token(text.data() + start, i - start);
    bool plain = token.find("://") == SV::npos && token.find('@') == SV::npos;
    for (char c : token) plain = plain && !std::isdigit(static_cast<unsigned char>(c));
    if (plain) {
      for (size_t j = start; j < i; ++j) {
        const auto u = static_cast<unsigned char>(text[j]);
        if (u < 0x80) text[j] = static_cast<char>(shout ? std::toupper(u) : std::tolower(u));
      }
    }
    while (i < text.size() && text[i] == ' ') ++i;
  }
}

// Collapses the double spaces and trailing spaces left by empty slots.
void Tidy(std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  // " ." and " ," from an empty slot before punctuation.
  size_t at;
  while ((at = out.find(" .")) != std::string::npos && (at + 2 == out.size() || out[at + 2] == ' ')) out.erase(at, 1);
  text.swap(out);
}

}  // namespace

const char* SentimentName(Sentiment s) {
  switch (s) {
    case Sentiment::kPositive: return "pos";
    case Sentiment::kNegative: return "neg";
    case Sentiment::kNeutral: return "neu";
  }
  return "neu";
}

const Phrasebook& Phrasebook::Instance() {
  static const Phrasebook instance;
  return instance;
}

void Phrasebook::Compose(TextKind kind, const TextContext& ctx, Rng& rng, bool with_title, Composed& out) const {
  Expander expander(ctx, rng);
  const List templates = KindTemplates(kind);
  SV tpl = templates[rng.Below(templates.size())];
  out.sentiment = KindSentiment(kind);
  if (tpl.size() > 2 && tpl[1] == ' ' && (tpl[0] == '+' || tpl[0] == '-' || tpl[0] == '=')) {
    out.sentiment = tpl[0] == '+' ? Sentiment::kPositive : tpl[0] == '-' ? Sentiment::kNegative : Sentiment::kNeutral;
    tpl.remove_prefix(2);
  }
  out.text.clear();
  expander.Expand(tpl, out.text);
  Tidy(out.text);
  ApplyNoise(kind, out.sentiment, rng, out.text);
  out.title.clear();
  if (with_title) {
    const List titles = KindTitles(kind);
    expander.Expand(titles[rng.Below(titles.size())], out.title);
    Tidy(out.title);
  }
}

}  // namespace vouch::synth
