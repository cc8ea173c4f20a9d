// The vocabulary of the listen module's answers: the act of a post (DESIGN.md) and its sentiment label.
//
// endorse: first-hand positive word-of-mouth (the author's own experience, vouching for the brand);
// complain: first-hand negative word-of-mouth (a question whose point is a complaint is a complaint);
// share: passing content on (news, a deal, a link, a retweet) with no experience of the author's own;
// ask: seeking information or advice; other: the rest (opinions without experience, plans, chit-chat).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vouch::listen {

enum class Act : uint8_t { kEndorse, kComplain, kShare, kAsk, kOther };
inline constexpr size_t kActCount = 5;
std::string_view ActName(Act act);
std::optional<Act> ParseAct(std::string_view name);

enum class Sentiment : uint8_t { kPositive, kNegative, kNeutral };
inline constexpr size_t kSentimentCount = 3;
std::string_view SentimentName(Sentiment s);  // "pos", "neg", "neu"
// Accepts pos/neg/neu and positive/negative/neutral.
std::optional<Sentiment> ParseSentiment(std::string_view name);

// One cue behind a decision: which family or signal, what it matched, and its pull on the winning act.
struct Reason {
  std::string cue;      // "family service_failure" / "signal question" / "model"
  std::string matched;  // the text that fired it ("on hold"), empty for signals
  float weight = 0;     // contribution to the chosen act's score
};

struct Classification {
  Act act = Act::kOther;
  float act_confidence = 0;  // probability of the chosen act, in [0, 1]
  std::array<float, kActCount> act_probabilities{};  // of every act, in Act order (sum 1)
  Sentiment sentiment = Sentiment::kNeutral;
  float sentiment_score = 0;    // in [-1, 1]
  std::vector<Reason> reasons;  // filled only when explanations are asked for, strongest first
};

}  // namespace vouch::listen
