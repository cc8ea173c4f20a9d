// vouch trust predict|reputation: who trusts whom, learnt from ratings (vouch/trust/).
#include <fmt/format.h>
#include <tbb/global_control.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "command.h"
#include "vouch/core/clock.h"
#include "vouch/graph/graph_people.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/trust/predict_files.h"
#include "vouch/trust/trust_store.h"
#include "vouch/workspace/workspace.h"

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
    fmt::print(stderr,
               "trained on {} ratings of {} people (scale {}:{}); predicted {} pairs ({} with an unseen "
               "person, {} already rated) in {:.2f} s\n",
               report->train_ratings, report->people, report->scale.min, report->scale.max, report->pairs,
               report->unseen_pairs, report->observed_pairs, report->seconds);
    PrintRecords(report->records);
    if (report->model) {
      fmt::print(stderr, "  model: {} trees, train RMSE {:.4f}, validation RMSE {:.4f} (on [-1, 1])\n",
                 report->model->trees, report->model->train_rmse, report->model->validation_rmse);
      double total = 0;
      for (const auto& [name, gain] : report->importance) total += gain;
      std::string top;
      for (size_t k = 0; k < std::min<size_t>(8, report->importance.size()); ++k) {
        top += fmt::format("{}{} {:.0f}%", k == 0 ? "" : ", ", report->importance[k].first,
                           total > 0 ? 100 * report->importance[k].second / total : 0.0);
      }
      fmt::print(stderr, "  most used features (share of split gain): {}\n", top);
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

struct WorkspaceTrustOptions {
  std::string workspace;
  std::string person;
  int n = 20;
  int threads = 0;
  bool json = false;
};

// The trust tables live beside the core tables in the workspace's SQLite file.
Result<std::unique_ptr<trust::SqliteTrustStore>> OpenTrustStore(Workspace& ws) {
  auto* sqlite = dynamic_cast<SqliteStore*>(&ws.store());
  if (sqlite == nullptr) return Status::FailedPrecondition("trust results need the SQLite store");
  return trust::SqliteTrustStore::Open(sqlite->db());
}

std::string Display(Store& store, PersonId person) {
  auto p = store.GetPerson(person);
  if (p.ok() && p->has_value() && !(*p)->display_name.empty()) return (*p)->display_name;
  return fmt::format("person {}", person);
}

int RunCompute(const WorkspaceTrustOptions& opts) {
  auto limit = LimitThreads(opts.threads);
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  // Mentions of people known only from the social graph are evidence too: their people first (graph_people.h).
  if (auto s = graph::GraphPeopleMapper(**ws).run(); !s.ok()) return Fail(s);
  auto ts = OpenTrustStore(**ws);
  if (!ts.ok()) return Fail(ts.status());
  auto c = trust::ComputeWorkspaceTrust((*ws)->store(), SystemClock::Instance());
  if (!c.ok()) return Fail(c.status());
  if (auto s = (*ts)->Replace(*c); !s.ok()) return Fail(s);
  fmt::print("computed trust of {} people and {} pairs\n", c->people.size(), c->pairs.size());
  const trust::EvidenceCounts& e = c->evidence;
  fmt::print("evidence: {} ratings, {} replies, {} reshares, {} mentions between people; referred purchases: {} kept, "
             "{} refunded, {} followed by a complaint\n",
             e.ratings, e.replies, e.reshares, e.mentions, e.kept, e.refunds, e.complaints);
  if (!e.referral_tables && e.unresolved_codes > 0) {
    fmt::print("note: {} orders carry a referral code but the workspace has no referral links to say whose code it "
               "is; they are no evidence yet\n",
               e.unresolved_codes);
  } else if (e.unresolved_codes > 0) {
    fmt::print("note: {} orders carry a referral code that no referral link names\n", e.unresolved_codes);
  }
  PrintRecords(c->records);
  return kExitOk;
}

int RunShow(const WorkspaceTrustOptions& opts) {
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto ts = OpenTrustStore(**ws);
  if (!ts.ok()) return Fail(ts.status());
  PersonId person = 0;
  try {
    person = std::stoll(opts.person);
  } catch (const std::exception&) {
    return Fail(Status::InvalidArgument(
        fmt::format("person '{}': expected a person id (see vouch trust top)", opts.person)));
  }
  auto rep = (*ts)->Get(person);
  if (!rep.ok()) return Fail(rep.status());
  if (!rep->has_value()) {
    return Fail(
        Status::NotFound(fmt::format("person {} has no trust results: not rated, or run `vouch trust "
                                     "compute` first",
                                     person)));
  }
  const auto& p = **rep;
  auto out = (*ts)->Outgoing(person, opts.n);
  auto in = (*ts)->Incoming(person, opts.n);
  if (!out.ok()) return Fail(out.status());
  if (!in.ok()) return Fail(in.status());
  Store& store = (*ws)->store();
  if (opts.json) {
    nlohmann::json j = {{"person", p.person},
                        {"name", Display(store, p.person)},
                        {"reputation", p.reputation},
                        {"fairness", p.fairness},
                        {"goodness", p.goodness},
                        {"trust", p.trust},
                        {"credibility", p.credibility},
                        {"ratings_received", p.ratings_received},
                        {"ratings_given", p.ratings_given},
                        {"seed", p.seed}};
    for (const auto& r : *out)
      j["trusts"].push_back({{"person", r.trustee}, {"trust", r.trust}, {"confidence", r.confidence}});
    for (const auto& r : *in)
      j["trusted_by"].push_back({{"person", r.truster}, {"trust", r.trust}, {"confidence", r.confidence}});
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("{} (person {}){}\n", Display(store, p.person), p.person, p.seed ? ", a trust seed" : "");
  fmt::print("reputation   {:.4f}   (plain fairness/goodness goodness {:.4f})\n", p.reputation, p.goodness);
  fmt::print("fairness     {:.4f}   credibility as a rater {:.4f}, trust mass {:.3g}\n", p.fairness, p.credibility,
             p.trust);
  fmt::print("ratings      {} received, {} given\n", p.ratings_received, p.ratings_given);
  fmt::print("trusts (t, confidence):\n");
  for (const auto& r : *out)
    fmt::print("  {:<30} {:.3f}  {:.3f}\n", Display(store, r.trustee), r.trust, r.confidence);
  fmt::print("trusted by (t, confidence):\n");
  for (const auto& r : *in)
    fmt::print("  {:<30} {:.3f}  {:.3f}\n", Display(store, r.truster), r.trust, r.confidence);
  return kExitOk;
}

int RunTop(const WorkspaceTrustOptions& opts) {
  auto ws = Workspace::Open(opts.workspace);
  if (!ws.ok()) return Fail(ws.status());
  auto ts = OpenTrustStore(**ws);
  if (!ts.ok()) return Fail(ts.status());
  auto at = (*ts)->ComputedAt();
  if (!at.ok()) return Fail(at.status());
  if (*at == 0) return Fail(Status::FailedPrecondition("no trust computed yet: run `vouch trust compute`"));
  auto top = (*ts)->Top(opts.n);
  if (!top.ok()) return Fail(top.status());
  Store& store = (*ws)->store();
  if (opts.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& p : *top) {
      j.push_back({{"person", p.person},
                   {"name", Display(store, p.person)},
                   {"reputation", p.reputation},
                   {"fairness", p.fairness},
                   {"ratings_received", p.ratings_received}});
    }
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("{:>4}  {:>8}  {:<30} {:>10} {:>9} {:>9}\n", "rank", "person", "name", "reputation", "fairness",
             "received");
  int rank = 0;
  for (const auto& p : *top) {
    fmt::print("{:>4}  {:>8}  {:<30} {:>10.4f} {:>9.4f} {:>9}\n", ++rank, p.person, Display(store, p.person),
               p.reputation, p.fairness, p.ratings_received);
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
      "reputation",
      "Global reputation (trust-weighted goodness from seeds), fairness and trust of every person "
      "in a ratings CSV");
  auto r = std::make_shared<ReputationOptions>();
  rep->add_option("--ratings", r->ratings, "Ratings CSV: rater,ratee,rating[,time]")->required();
  rep->add_option("--output", r->output,
                  "Where to write person,reputation,fairness,goodness,fxg_fairness,trust,credibility,...")
      ->required();
  rep->add_option("--scale", r->scale, "Rating scale MIN:MAX (default as for predict)");
  rep->add_option("--seeds", r->seeds,
                  "Trusted people, one per line (default: the earliest people in good "
                  "standing)");
  rep->add_option("--seed-count", r->seed_count, "How many default seeds (default max(10, people/100))");
  rep->add_option("--threads", r->threads, "Worker threads (default: all cores)");
  rep->add_flag("--quiet,-q", r->quiet, "No summary on stderr");
  rep->callback([r] { Exit(RunReputation(*r)); });

  auto w = std::make_shared<WorkspaceTrustOptions>();
  auto* compute = cmd->add_subcommand(
      "compute", "Compute reputation and local trust from the workspace's ratings and store them");
  AddWorkspaceOption(*compute, w->workspace);
  compute->add_option("--threads", w->threads, "Worker threads (default: all cores)");
  compute->callback([w] { Exit(RunCompute(*w)); });
  auto* show = cmd->add_subcommand("show", "One person's reputation and whom they trust / are trusted by");
  AddWorkspaceOption(*show, w->workspace);
  show->add_option("person", w->person, "Person id")->required();
  show->add_option("--n", w->n, "Pairs listed each way")->capture_default_str();
  show->add_flag("--json", w->json, "Print JSON");
  show->callback([w] { Exit(RunShow(*w)); });
  auto* top = cmd->add_subcommand("top", "The people of highest reputation");
  AddWorkspaceOption(*top, w->workspace);
  top->add_option("--n", w->n, "How many")->capture_default_str();
  top->add_flag("--json", w->json, "Print JSON");
  top->callback([w] { Exit(RunTop(*w)); });
}

}  // namespace
VOUCH_COMMAND(40, "trust", RegisterTrust);
}  // namespace vouch::cli
