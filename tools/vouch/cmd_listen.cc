// vouch listen train --labels FILE.jsonl --output MODEL: learns act and sentiment from the user's labelled posts.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "command.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/model_trainer.h"
#include "vouch/listen/post_reader.h"

namespace vouch::cli {
namespace {

struct TrainOptions {
  std::string labels;
  std::string output;
  std::string lexicon;
  std::string cues;
  listen::TrainOptions train;
};

int RunTrain(const TrainOptions& opts) {
  auto base = listen::ClassifierModel::Load(opts.lexicon, opts.cues, "");
  if (!base.ok()) return Fail(base.status());
  listen::PostReader reader(opts.labels);
  if (Status s = reader.run(); !s.ok()) return Fail(s);
  for (const auto& reject : reader.rejects()) {
    fmt::print(stderr, "vouch: {}:{}: {}\n", opts.labels, reject.line, reject.reason);
  }
  listen::ModelTrainer trainer(*base, reader.posts(), opts.train);
  if (Status s = trainer.run(); !s.ok()) return Fail(s);
  if (Status s = trainer.model().Save(opts.output); !s.ok()) return Fail(s);
  const auto& rec = trainer.record();
  fmt::print(stderr, "vouch: trained on {} act and {} sentiment labels, {} epochs; model in {}\n",
             rec.act_examples, rec.sentiment_examples, rec.epochs, opts.output);
  return reader.rejects().empty() ? kExitOk : kExitRejected;
}

void RegisterListen(CLI::App& app) {
  auto* listen = app.add_subcommand("listen", "Brand listening: train the act and sentiment classifier");
  listen->require_subcommand(1);
  auto* train = listen->add_subcommand("train", "Learn act and sentiment from labelled posts");
  auto opts = std::make_shared<TrainOptions>();
  train
      ->add_option("--labels,-l", opts->labels,
                   "JSON Lines: \"id\", \"text\" and \"act\" (endorse/complain/share/ask/other) and/or "
                   "\"sentiment\" (pos/neg/neu)")
      ->required();
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
}

}  // namespace
VOUCH_COMMAND(45, RegisterListen);
}  // namespace vouch::cli
