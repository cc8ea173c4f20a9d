// vouch trust predict|reputation: who trusts whom, learnt from ratings (vouch/trust/).
#include <fmt/format.h>
#include <tbb/global_control.h>

#include <memory>
#include <optional>

#include "command.h"
#include "vouch/trust/predict_files.h"

namespace vouch::cli {
namespace {

struct PredictOptions {
  std::string train, test, output, scale, method = "model";
  int threads = 0;
  uint64_t seed = 1;
  bool quiet = false;
};

struct ReputationOptions {
  std::string ratings, output, scale, seeds;
  size_t seed_count = 0;
  int threads = 0;
  bool quiet = false;
};

std::unique_ptr<tbb::global_control> LimitThreads(int threads) {
  if (threads <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<size_t>(threads));
}

Result<std::optional<trust::RatingScale>> ScaleOption(const std::string& text) {
  if (text.empty()) return std::optional<trust::RatingScale>();
  VOUCH_ASSIGN_OR_RETURN(trust::RatingScale s, trust::RatingScale::Parse(text));
  return std::optional<trust::RatingScale>(s);
}

void PrintRecords(const std::vector<trust::RunRecord>& records) {
  for (const auto& r : records) {
    fmt::print(stderr, "  {:<18} {:>4} iterations{} in {:.3f} s on {} threads\n", r.algorithm, r.iterations,
               r.converged ? "" : " (not converged)", r.seconds, r.threads);
  }
}

int RunPredict(const PredictOptions& opts) {
  auto limit = LimitThreads(opts.threads);
  trust::PredictRequest req;
  req.train_path = opts.train;
  req.test_path = opts.test;
  req.output_path = opts.output;
  auto scale = ScaleOption(opts.scale);
  if (!scale.ok()) return Fail(scale.status());
  req.scale = *scale;
  auto method = trust::ParsePredictMethod(opts.method);
  if (!method.ok()) return Fail(method.status());
  req.method = *method;
  req.params.model.seed = opts.seed;
  auto report = trust::PredictRatingsFiles(req);
  if (!report.ok()) return Fail(report.status());
  if (!opts.quiet) {
    fmt::print(stderr, "trained on {} ratings of {} people (scale {}:{}); predicted {} pairs ({} with an unseen "
                       "person, {} already rated) in {:.2f} s\n",
               report->train_ratings, report->people, report->scale.min, report->scale.max, report->pairs,
               report->unseen_pairs, report->observed_pairs, report->seconds);
    PrintRecords(report->records);
    if (report->model) {
      fmt::print(stderr, "  model: {} trees, train RMSE {:.4f}, validation RMSE {:.4f} (on [-1, 1])\n",
                 report->model->trees, report->model->train_rmse, report->model->validation_rmse);
    }
  }
  return kExitOk;
}

int RunReputation(const ReputationOptions& opts) {
  auto limit = LimitThreads(opts.threads);
  trust::ReputationRequest req;
  req.ratings_path = opts.ratings;
  req.output_path = opts.output;
  req.seeds_path = opts.seeds;
  req.seed_count = opts.seed_count;
  auto scale = ScaleOption(opts.scale);
  if (!scale.ok()) return Fail(scale.status());
  req.scale = *scale;
  auto report = trust::ReputationFiles(req);
  if (!report.ok()) return Fail(report.status());
  if (!opts.quiet) {
    fmt::print(stderr, "{} ratings of {} people (scale {}:{}), {} seeds\n", report->ratings, report->people,
               report->scale.min, report->scale.max, report->seeds);
    PrintRecords(report->records);
  }
  return kExitOk;
}

void RegisterTrust(CLI::App& app) {
  auto* cmd = app.add_subcommand("trust", "Who trusts whom: rating prediction and reputation");
  cmd->require_subcommand(1);

  auto* predict = cmd->add_subcommand(
      "predict",
      "Learn from ratings (rater,ratee,rating[,time]; header optional) and predict a rating for every rater,ratee "
      "pair of --test, written as rater,ratee,predicted in the test file's order on the ratings' scale");
  auto p = std::make_shared<PredictOptions>();
  predict->add_option("--train", p->train, "Ratings CSV: rater,ratee,rating[,time]")->required();
  predict->add_option("--test", p->test, "Pairs CSV: rater,ratee")->required();
  predict->add_option("--output", p->output, "Where to write rater,ratee,predicted")->required();
  predict->add_option("--scale", p->scale,
                      "Rating scale MIN:MAX (default: [-M, M] when ratings have both signs, M the largest "
                      "|rating|; else the ratings' [min, max])");
  predict->add_option("--method", p->method, "model (supervised, default), fxg (fairness x goodness) or mean")
      ->capture_default_str();
  predict->add_option("--threads", p->threads, "Worker threads (default: all cores)");
  predict->add_option("--seed", p->seed, "Random seed of the model's row sampling")->capture_default_str();
  predict->add_flag("--quiet,-q", p->quiet, "No summary on stderr");
  predict->callback([p] { Exit(RunPredict(*p)); });

  auto* rep = cmd->add_subcommand(
      "reputation", "Global reputation (trust-weighted goodness from seeds), fairness and trust of every person "
                    "in a ratings CSV");
  auto r = std::make_shared<ReputationOptions>();
  rep->add_option("--ratings", r->ratings, "Ratings CSV: rater,ratee,rating[,time]")->required();
  rep->add_option("--output", r->output,
                  "Where to write person,reputation,fairness,goodness,fxg_fairness,trust,credibility,...")
      ->required();
  rep->add_option("--scale", r->scale, "Rating scale MIN:MAX (default as for predict)");
  rep->add_option("--seeds", r->seeds, "Trusted people, one per line (default: the earliest people in good "
                                       "standing)");
  rep->add_option("--seed-count", r->seed_count, "How many default seeds (default max(10, people/100))");
  rep->add_option("--threads", r->threads, "Worker threads (default: all cores)");
  rep->add_flag("--quiet,-q", r->quiet, "No summary on stderr");
  rep->callback([r] { Exit(RunReputation(*r)); });
}

}  // namespace
VOUCH_COMMAND(40, RegisterTrust);
}  // namespace vouch::cli
