// vouch listen train --labels FILE.jsonl --output MODEL: learns act and sentiment from the user's labelled posts.
// vouch listen suggest --n 50 [--input POSTS.jsonl | --workspace DIR] [--model FILE]: the unlabelled posts whose
// labels would help most.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/label_suggester.h"
#include "vouch/listen/model_trainer.h"
#include "vouch/listen/post_reader.h"
#include "vouch/listen/self_labeller.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct TrainOptions {
  std::string labels;
  std::string unlabelled;
  listen::SelfLabelOptions self;
  std::string output;
  std::string lexicon;
  std::string cues;
  listen::TrainOptions train;
};

int RunTrain(const TrainOptions& opts) {
  if (opts.labels.empty() && opts.unlabelled.empty()) {
    return Fail(Status::InvalidArgument("listen train: give --labels FILE, --unlabelled FILE, or both"));
  }
  auto base = listen::ClassifierModel::Load(opts.lexicon, opts.cues, "");
  if (!base.ok()) return Fail(base.status());
  std::vector<listen::InputPost> posts;
  size_t rejected = 0;
  for (const std::string* file : {&opts.labels, &opts.unlabelled}) {
    if (file->empty()) continue;
    listen::PostReader reader(*file);
    if (Status s = reader.run(); !s.ok()) return Fail(s);
    for (const auto& reject : reader.rejects()) {
      fmt::print(stderr, "vouch: {}:{}: {}\n", *file, reject.line, reject.reason);
    }
    rejected += reader.rejects().size();
    if (file == &opts.labels) {
      posts = std::move(reader.posts());
      continue;
    }
    // Self-training: the zero-shot classifier's confident calls on the unlabelled posts become labels.
    listen::SelfLabeller labeller(*base, reader.posts(), opts.self);
    if (Status s = labeller.run(); !s.ok()) return Fail(s);
    const auto& rec = labeller.record();
    fmt::print(stderr,
               "vouch: self-labelled {} of {} posts (acts: endorse {}, complain {}, share {}, ask {}, other {}; "
               "{} sentiments)\n",
               labeller.labelled().size(), rec.posts, rec.acts[0], rec.acts[1], rec.acts[2], rec.acts[3],
               rec.acts[4], rec.sentiments);
    posts.insert(posts.end(), labeller.labelled().begin(), labeller.labelled().end());
  }
  listen::ModelTrainer trainer(*base, posts, opts.train);
  if (Status s = trainer.run(); !s.ok()) return Fail(s);
  if (Status s = trainer.model().Save(opts.output); !s.ok()) return Fail(s);
  const auto& rec = trainer.record();
  fmt::print(stderr, "vouch: trained on {} act and {} sentiment labels, {} epochs; model in {}\n",
             rec.act_examples, rec.sentiment_examples, rec.epochs, opts.output);
  return rejected == 0 ? kExitOk : kExitRejected;
}

struct SuggestOptions {
  std::string input;
  std::string workspace;
  std::string model;
  std::string lexicon;
  std::string cues;
  bool json = false;
  listen::SuggestOptions suggest;
};

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

int RunSuggest(const SuggestOptions& opts) {
  if (opts.input.empty() == opts.workspace.empty()) {
    return Fail(Status::InvalidArgument("listen suggest: give exactly one of --input FILE and --workspace DIR"));
  }
  auto model = listen::ClassifierModel::Load(opts.lexicon, opts.cues, opts.model);
  if (!model.ok()) return Fail(model.status());
  // (id as JSON, text) of every unlabelled post.
  std::vector<std::pair<std::string, std::string>> posts;
  size_t rejected = 0;
  if (!opts.input.empty()) {
    listen::PostReader reader(opts.input);
    if (Status s = reader.run(); !s.ok()) return Fail(s);
    for (const auto& reject : reader.rejects()) {
      fmt::print(stderr, "vouch: {}:{}: {}\n", opts.input, reject.line, reject.reason);
    }
    rejected = reader.rejects().size();
    for (auto& p : reader.posts()) {
      if (!p.act) posts.emplace_back(std::move(p.id_json), std::move(p.text));
    }
  } else {
    auto ws = Workspace::Open(opts.workspace);
    if (!ws.ok()) return Fail(ws.status());
    Status s = (*ws)->store().ForEachPost([&posts](const Store::StoredPost& p) {
      posts.emplace_back(JsonString(p.post.id), p.post.text);
      return true;
    });
    if (!s.ok()) return Fail(s);
  }
  std::vector<std::string_view> texts;
  texts.reserve(posts.size());
  for (const auto& p : posts) texts.push_back(p.second);
  listen::LabelSuggester suggester(*model, std::move(texts), opts.suggest);
  if (Status s = suggester.run(); !s.ok()) return Fail(s);
  for (const auto& s : suggester.suggestions()) {
    const auto& [id, text] = posts[s.index];
    if (opts.json) {
      fmt::print(R"({{"id":{},"text":{},"act":"{}","act_confidence":{:.4f},"sentiment":"{}",)"
                 R"("sentiment_score":{:.4f},"uncertainty":{:.4f},"why":{}}})"
                 "\n",
                 id, JsonString(text), listen::ActName(s.guess.act), s.guess.act_confidence,
                 listen::SentimentName(s.guess.sentiment), s.guess.sentiment_score, s.uncertainty,
                 JsonString(s.why));
    } else {
      std::string flat = text;
      std::replace(flat.begin(), flat.end(), '\n', ' ');
      std::replace(flat.begin(), flat.end(), '\t', ' ');
      fmt::print("{}\t{}\t{}/{}\t{}\n", id, flat, listen::ActName(s.guess.act),
                 listen::SentimentName(s.guess.sentiment), s.why);
    }
  }
  fmt::print(stderr, "vouch: {} suggestions from {} unlabelled posts ({} near duplicates skipped)\n",
             suggester.suggestions().size(), suggester.record().posts, suggester.record().near_duplicates_skipped);
  return rejected == 0 ? kExitOk : kExitRejected;
}

void RegisterListen(CLI::App& app) {
  auto* listen = app.add_subcommand("listen", "Brand listening: train the act and sentiment classifier");
  listen->require_subcommand(1);
  auto* train = listen->add_subcommand("train", "Learn act and sentiment from labelled posts");
  auto opts = std::make_shared<TrainOptions>();
  train->add_option("--labels,-l", opts->labels,
                    "JSON Lines: \"id\", \"text\" and \"act\" (endorse/complain/share/ask/other) and/or "
                    "\"sentiment\" (pos/neg/neu)");
  train->add_option("--unlabelled,-u", opts->unlabelled,
                    "Self-training: unlabelled posts (JSON Lines, \"id\", \"text\"); the zero-shot classifier's "
                    "confident calls on them are learnt as labels (docs/listen.md: measure before relying on it)");
  train
      ->add_option("--self-confidence", opts->self.min_act_confidence,
                   "Self-training: least act probability kept as a label")
      ->capture_default_str();
  train
      ->add_option("--self-margin", opts->self.sentiment_margin,
                   "Self-training: least distance of the sentiment score beyond its label's threshold")
      ->capture_default_str();
  train->add_option("--output,-o", opts->output, "Model file to write")->required();
  train->add_option("--lexicon", opts->lexicon, "VADER-format lexicon (default: as for classify)");
  train->add_option("--cues", opts->cues, "Cue book (default: as for classify)");
  train->add_option("--epochs", opts->train.epochs, "Passes over the labels")->capture_default_str();
  train->add_option("--learning-rate", opts->train.learning_rate, "SGD step size")->capture_default_str();
  train->add_option("--buckets", opts->train.buckets, "Hashed n-gram buckets")->capture_default_str();
  train->add_option("--seed", opts->train.seed, "Shuffling seed")->capture_default_str();
  train->footer(
      "Exit status: 0 trained; 1 error; 2 bad usage or no labels; 3 some lines were rejected (the rest "
      "was learnt from).");
  train->callback([opts] { Exit(RunTrain(*opts)); });

  auto* suggest =
      listen->add_subcommand("suggest", "The unlabelled posts whose labels would help the classifier most");
  auto sopts = std::make_shared<SuggestOptions>();
  suggest->add_option("--n,-n", sopts->suggest.n, "How many posts to suggest")->capture_default_str();
  suggest->add_option("--input,-i", sopts->input,
                      "Posts, JSON Lines (\"id\", \"text\"); lines that already carry an \"act\" are skipped");
  suggest->add_option("--workspace,-w", sopts->workspace, "Suggest from the posts stored in this workspace");
  suggest->add_option("--model,-m", sopts->model, "A model from `vouch listen train` (default: zero-shot)");
  suggest->add_option("--lexicon", sopts->lexicon, "VADER-format lexicon (default: as for classify)");
  suggest->add_option("--cues", sopts->cues, "Cue book (default: as for classify)");
  suggest
      ->add_option("--max-similarity", sopts->suggest.max_similarity,
                   "Word-overlap (Jaccard) at which a post counts as a near duplicate of a chosen one")
      ->capture_default_str();
  suggest->add_flag("--json", sopts->json, "JSON Lines instead of id<TAB>text<TAB>act/sentiment<TAB>why");
  suggest->footer(
      "Most useful first: the classifier's least certain calls (smallest margin between its two likeliest acts, "
      "sentiment near a label boundary), skipping near duplicates. Label them (\"act\", \"sentiment\") and "
      "give them to `vouch listen train --labels`.\nExit status: 0 ok; 1 error; 2 bad usage; 3 some input lines "
      "were rejected.");
  suggest->callback([sopts] { Exit(RunSuggest(*sopts)); });
}

}  // namespace
VOUCH_COMMAND(45, "listen", RegisterListen);
}  // namespace vouch::cli
