#include "vouch/listen/classifier_model.h"

#include <fmt/format.h>

#include "vouch/listen/text_normalizer.h"

namespace vouch::listen {

std::string_view SignalName(Signal s) {
  switch (s) {
    case Signal::kBias: return "bias";
    case Signal::kQuestion: return "question";
    case Signal::kRetweet: return "retweet";
    case Signal::kRetweetComment: return "retweet_comment";
    case Signal::kQuote: return "quote";
    case Signal::kUrl: return "url";
    case Signal::kAddressed: return "addressed";
    case Signal::kExclaim: return "exclaim";
    case Signal::kPositive: return "positive";
    case Signal::kNegative: return "negative";
    case Signal::kPositiveExperience: return "positive_experience";
    case Signal::kNegativeExperience: return "negative_experience";
    case Signal::kNegativeAddressed: return "negative_addressed";
    case Signal::kHashtags: return "hashtags";
    case Signal::kShort: return "short";
    case Signal::kNoWords: return "no_words";
    case Signal::kShouting: return "shouting";
    case Signal::kReplyThread: return "reply_thread";
    case Signal::kHeadline: return "headline";
    case Signal::kQuestionLink: return "question_link";
    case Signal::kQuestionRun: return "question_run";
    case Signal::kExperienceLink: return "experience_link";
  }
  return "bias";
}

Result<std::shared_ptr<const ClassifierModel>> ClassifierModel::Create(const SentimentLexicon& lexicon,
                                                                       const CueBook& cues,
                                                                       std::optional<LinearModel> learnt) {
  std::shared_ptr<ClassifierModel> m(new ClassifierModel());
  for (const auto& [text, valence] : lexicon.entries()) {
    const uint32_t id = m->vocabulary_.Add(text);
    if (m->valence_.size() <= id) m->valence_.resize(id + 1, 0.0f);
    m->valence_[id] = valence;
  }
  m->families_ = cues.families();
  for (const CueFamily& f : m->families_) {
    m->first_person_family_.push_back(f.name.starts_with("first_person"));
    m->experience_family_.push_back(f.name.starts_with("experience"));
  }
  for (uint32_t f = 0; f < m->families_.size(); ++f) {
    const CueFamily& family = m->families_[f];
    for (const std::string& term : family.terms) {
      if (term.size() > 1 && term.back() == '*') {
        const std::vector<std::string> tokens = TextNormalizer::TermTokens(term.substr(0, term.size() - 1));
        if (tokens.size() != 1) {
          return Status::InvalidArgument(fmt::format(
              "cue family '{}': prefix term '{}' must be a single word followed by '*'", family.name, term));
        }
        m->vocabulary_.AddPrefix(tokens[0], f);
        continue;
      }
      std::vector<std::string> tokens = TextNormalizer::TermTokens(term);
      if (tokens.empty()) {
        return Status::InvalidArgument(fmt::format("cue family '{}': term '{}' has no word", family.name, term));
      }
      std::vector<uint32_t> ids;
      for (std::string& t : tokens) {
        // Hashtags count as the word they carry ("#fail" is "fail"), so a term "#fail" is the word "fail".
        if (t.size() > 1 && t.front() == '#') t.erase(t.begin());
        // "0" in a term stands for any number: "0 hours" matches "3 hours" and "12 hours".
        if (t == "0") t = Vocabulary::kNumber;
        ids.push_back(m->vocabulary_.Add(t, tokens.size() == 1 ? family.role : 0));
      }
      m->automaton_.Add(ids);
      m->pattern_family_.push_back(f);
    }
  }
  m->automaton_.Build();
  m->valence_.resize(m->vocabulary_.size(), 0.0f);
  for (uint32_t id = 0; id < m->vocabulary_.size(); ++id) {
    if ((m->vocabulary_.Flags(id) & kWordNeutral) != 0) m->valence_[id] = 0.0f;
  }
  for (size_t s = 0; s < kSignalCount; ++s) {
    m->signal_weights_[s] = cues.SignalWeights(SignalName(static_cast<Signal>(s)));
  }
  for (const auto& f : m->families_) m->dense_names_.push_back("family:" + f.name);
  for (size_t s = 0; s < kSignalCount; ++s) {
    m->dense_names_.push_back("signal:" + std::string(SignalName(static_cast<Signal>(s))));
  }
  m->dense_names_.emplace_back("score:sentiment");
  m->positive_above_ = cues.Setting("positive_above", m->positive_above_);
  m->negative_below_ = cues.Setting("negative_below", m->negative_below_);
  m->sarcasm_discount_ = cues.Setting("sarcasm_discount", m->sarcasm_discount_);
  m->family_cap_ = cues.Setting("family_cap", m->family_cap_);
  m->question_damping_ = cues.Setting("question_damping", m->question_damping_);
  m->share_damping_ = cues.Setting("share_damping", m->share_damping_);
  m->act_sets_sentiment_ = cues.Setting("act_sets_sentiment", m->act_sets_sentiment_);
  m->ask_not_positive_ = cues.Setting("ask_not_positive", m->ask_not_positive_ ? 1.0f : 0.0f) != 0;
  if (learnt) {
    if (learnt->dense_names() != m->dense_names_) {
      return Status::FailedPrecondition(
          "the model was trained with another cue book (its feature names differ); retrain it with `vouch listen "
          "train`");
    }
    m->learnt_ = std::move(learnt);
  }
  return std::shared_ptr<const ClassifierModel>(std::move(m));
}

Result<std::shared_ptr<const ClassifierModel>> ClassifierModel::Load(const std::string& lexicon_path,
                                                                     const std::string& cues_path,
                                                                     const std::string& model_path) {
  std::filesystem::path lexicon_file = lexicon_path;
  if (lexicon_file.empty()) {
    VOUCH_ASSIGN_OR_RETURN(lexicon_file, SentimentLexicon::LocateDefault());
  }
  std::filesystem::path cues_file = cues_path;
  if (cues_file.empty()) {
    VOUCH_ASSIGN_OR_RETURN(cues_file, CueBook::LocateDefault());
  }
  VOUCH_ASSIGN_OR_RETURN(SentimentLexicon lexicon, SentimentLexicon::Load(lexicon_file));
  VOUCH_ASSIGN_OR_RETURN(CueBook cues, CueBook::Load(cues_file));
  std::optional<LinearModel> learnt;
  if (!model_path.empty()) {
    VOUCH_ASSIGN_OR_RETURN(LinearModel model, LinearModel::Load(model_path));
    learnt = std::move(model);
  }
  return Create(lexicon, cues, std::move(learnt));
}

}  // namespace vouch::listen
