// BrandSentiment: the sentiment toward each brand a post names, when it names more than one. "Switched from
// @Delta to @united, so much better" is negative toward Delta and positive toward United; the post's own
// sentiment (PostClassifier) cannot say that.
//
// For a post that names one brand (however many times), every mention gets the post's sentiment. For a post
// that names several, each mention's sentiment comes from the first rule that applies:
//   1. a move between brands: "switched/moved/went ... from X to Y", "left/ditched/dropped X for Y": Y is
//      positive (choosing it is a vote for it) unless the rest of its clause is clearly negative (score <= -0.3:
//      "switched to Y and it has been a nightmare"; not a reason: "... for Y after the third delay"), X the
//      opposite;
//   2. a comparison: "better/worse/more reliable than X": X gets the opposite of the comparative's polarity (the
//      valence of the two words before "than"; the sign of the post's score when they carry none), the brands
//      named before "than" in the same clause get the comparative's own polarity;
//   3. a contrast with another brand: "unlike X": the post's stance (the sign of its score) is toward the other
//      brands, X gets the opposite;
//   4. its clause: the post is split at sentence punctuation (. ! ? ;), contrast words (but, however, though,
//      although, whereas) and a retweet marker; the clause holding the mention is scored from its tokens'
//      sentiment pulls (PostClassifier::token_valence) with the post's score function and thresholds, when
//      those pulls are not all zero;
//   5. otherwise the post's sentiment.
// Words are matched on the normalised (case-folded) tokens, so the rules hold for any brand; nothing is
// specific to a brand or a data set.
//
// Thread safety: stateless apart from the arguments; call from one thread per PostClassifier.
#pragma once

#include <vector>

#include "vouch/listen/act.h"
#include "vouch/listen/mention_detector.h"
#include "vouch/listen/post_classifier.h"

namespace vouch::listen {

struct BrandSentimentResult {
  Sentiment sentiment = Sentiment::kNeutral;
  float score = 0;  // in (-1, 1)
  const char* rule = "post";  // which rule decided: "post", "move", "comparison", "unlike", "clause"
};

class BrandSentiment final {
 public:
  // classifier: has just classified the post (Classify) whose result is `post` and whose mentions are
  // `mentions` (byte spans in the same text). out[i] is the sentiment toward mentions[i].brand at that mention.
  static void Assign(const PostClassifier& classifier, const Classification& post,
                     const std::vector<Mention>& mentions, std::vector<BrandSentimentResult>& out);
};

}  // namespace vouch::listen
