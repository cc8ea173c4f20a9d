#include "vouch/listen/act.h"

namespace vouch::listen {

std::string_view ActName(Act act) {
  switch (act) {
    case Act::kEndorse: return "endorse";
    case Act::kComplain: return "complain";
    case Act::kShare: return "share";
    case Act::kAsk: return "ask";
    case Act::kOther: return "other";
  }
  return "other";
}

std::optional<Act> ParseAct(std::string_view name) {
  for (size_t a = 0; a < kActCount; ++a) {
    if (ActName(static_cast<Act>(a)) == name) return static_cast<Act>(a);
  }
  return std::nullopt;
}

std::string_view SentimentName(Sentiment s) {
  switch (s) {
    case Sentiment::kPositive: return "pos";
    case Sentiment::kNegative: return "neg";
    case Sentiment::kNeutral: return "neu";
  }
  return "neu";
}

std::optional<Sentiment> ParseSentiment(std::string_view name) {
  if (name == "pos" || name == "positive") return Sentiment::kPositive;
  if (name == "neg" || name == "negative") return Sentiment::kNegative;
  if (name == "neu" || name == "neutral") return Sentiment::kNeutral;
  return std::nullopt;
}

}  // namespace vouch::listen
