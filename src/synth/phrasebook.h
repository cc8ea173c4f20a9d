// Phrasebook: the wording of the example world's posts, written for Vouch (nothing is taken from real posts).
//
// A post's text is expanded from a template of its kind. Templates are small strings with
//   [a|b|c]  one of the alternatives (nestable; an empty alternative makes the part optional),
//   {name}   a slot: either a named list of further templates (expanded recursively) or a value from the context
//            (the brand as people write it, a product, a price, a link, a handle, a number, ...).
// A template may start with "+ ", "- " or "= " to set the post's sentiment (positive, negative, neutral) where the
// kind alone does not decide it (news, opinions, chatter).
//
// After expansion a noise pass adds what real posts have: occasional typos (a swapped, dropped or doubled letter),
// elongations ("sooo"), mixed case (all lower case, or shouting in a complaint). Handles, hashtags, links and the
// brands' own words are never touched, so mention detection stays answerable from the text.
//
// Thread safety: Instance() is immutable; Compose may be called from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vouch/synth/rng.h"

namespace vouch::synth {

enum class Sentiment : uint8_t { kPositive, kNegative, kNeutral };
const char* SentimentName(Sentiment s);  // "pos", "neg", "neu"

enum class TextKind : uint8_t {
  kEndorse,          // first-hand praise (author used the product)
  kComplain,         // first-hand complaint with a service-failure detail
  kOutageComplaint,  // the outage day's complaint
  kDeal,             // passing on a deal with a link
  kReferralPromo,    // an enrolled advocate passing on their code (a share)
  kNews,             // passing on news with a link
  kOutageNews,       // passing on the outage as news
  kAsk,              // a question about the brand or a product
  kOther,            // an opinion or a plan without experience
  kChatter,          // a post about nothing of the brands
  kExclusionTrap,    // "nimbus clouds": looks like a mention, is none
  kReplyEndorse,     // a reply vouching from experience ("same here, mine ...")
  kReplyComplain,    // a reply with one's own bad experience
  kReplyAsk,         // a question back
  kReplyOther,       // a neutral reaction without experience
  kReplyCheer,       // a happy reaction to someone's praise or deal, without experience
  kReplySympathy,    // a sorry reaction to someone's complaint, without experience
};

struct TextContext {
  int brand = -1;                 // index into the brand catalog; -1 for chatter
  int product = 0;                // index into the brand's products
  int rival = -1;                 // another brand, for comparisons
  std::string_view mention;       // a handle the author might mention (no '@'); may be empty
  std::string_view refcode;       // the author's referral code when enrolled; may be empty
  uint64_t salt = 0;              // makes links and order numbers differ between posts
};

struct Composed {
  std::string text;
  std::string title;  // a Reddit submission title, when asked for
  Sentiment sentiment = Sentiment::kNeutral;
};

class Phrasebook {
 public:
  static const Phrasebook& Instance();

  // Writes the text of a post of this kind into out (replacing it) and its sentiment; with_title also writes a
  // Reddit title. Noise is applied to the text, not the title.
  void Compose(TextKind kind, const TextContext& ctx, Rng& rng, bool with_title, Composed& out) const;

 private:
  Phrasebook() = default;
};

}  // namespace vouch::synth
