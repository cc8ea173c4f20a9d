#include "vouch/trust/predict_files.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include "vouch/trust/fairness_goodness.h"
#include "vouch/trust/rating_csv.h"
#include "vouch/trust/reputation.h"

namespace vouch::trust {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Result<File> OpenForWriting(const std::string& path) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return Status::IoError(fmt::format("{}: cannot open for writing", path));
  return f;
}

Status CloseFile(File f, const std::string& path) {
  std::FILE* raw = f.release();
  const bool failed = std::ferror(raw) != 0;
  if (std::fclose(raw) != 0 || failed) return Status::IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

// Reads ratings and builds the graph on the [-1, 1] scale.
struct Loaded {
  RatingTable table;
  RatingGraph graph;
  RatingScale scale;
  uint64_t ratings = 0;
};

Result<Loaded> Load(const std::string& path, const std::optional<RatingScale>& scale) {
  Loaded l;
  VOUCH_ASSIGN_OR_RETURN(l.table, ReadRatingsCsv(path));
  l.ratings = l.table.edges.size();
  if (l.ratings == 0) return Status::InvalidArgument(fmt::format("{}: no ratings", path));
  l.scale = scale ? *scale : InferScale(l.table.min_raw, l.table.max_raw);
  VOUCH_TRY(ScaleRatings(l.table, l.scale, path));
  VOUCH_ASSIGN_OR_RETURN(l.graph, RatingGraph::Build(std::move(l.table.edges), l.table.people.size()));
  return l;
}

}  // namespace

Result<PredictMethod> ParsePredictMethod(std::string_view name) {
  if (name == "model") return PredictMethod::kModel;
  if (name == "fxg") return PredictMethod::kFxg;
  if (name == "mean") return PredictMethod::kMean;
  return Status::InvalidArgument(fmt::format("method '{}': expected model, fxg or mean", name));
}

RatingScale InferScale(double min_raw, double max_raw) {
  if (min_raw < 0 && max_raw > 0) {
    const double m = std::max(-min_raw, max_raw);
    return {-m, m};
  }
  if (min_raw == max_raw) return {min_raw - 1, max_raw + 1};  // one value: any scale around it predicts it
  return {min_raw, max_raw};
}

Result<PredictReport> PredictRatingsFiles(const PredictRequest& request, const RunControl& control) {
  const double start = SteadySeconds();
  PredictReport report;
  VOUCH_ASSIGN_OR_RETURN(Loaded l, Load(request.train_path, request.scale));
  report.scale = l.scale;
  report.train_ratings = l.ratings;
  report.people = l.graph.node_count();
  VOUCH_ASSIGN_OR_RETURN(PairTable pairs, ReadPairsCsv(request.test_path, l.table.people));
  report.pairs = pairs.rater.size();

  std::vector<NodeId> u(report.pairs), v(report.pairs);
  for (size_t i = 0; i < report.pairs; ++i) {
    u[i] = l.table.people.Find(pairs.rater[i]);
    v[i] = l.table.people.Find(pairs.ratee[i]);
    if (u[i] == kNoNode || v[i] == kNoNode) {
      ++report.unseen_pairs;
    } else if (l.graph.FindEdge(u[i], v[i])) {
      ++report.observed_pairs;
    }
  }
  std::vector<double> predicted(report.pairs);
  switch (request.method) {
    case PredictMethod::kMean: {
      double sum = 0;
      for (EdgeId e = 0; e < l.graph.edge_count(); ++e) sum += l.graph.Value(e);
      const double mean = sum / static_cast<double>(std::max<EdgeId>(1, l.graph.edge_count()));
      std::fill(predicted.begin(), predicted.end(), mean);
      break;
    }
    case PredictMethod::kFxg: {
      FairnessGoodness fxg(l.graph, request.params.fairness_goodness);
      VOUCH_TRY(fxg.Run(control));
      for (size_t i = 0; i < report.pairs; ++i) predicted[i] = fxg.Predict(u[i], v[i]);
      report.records.push_back(*fxg.record());
      break;
    }
    case PredictMethod::kModel: {
      RatingPredictor predictor(l.graph, request.params);
      VOUCH_TRY(predictor.Run(control));
      tbb::parallel_for(size_t{0}, report.pairs, [&](size_t i) { predicted[i] = *predictor.Predict(u[i], v[i]); });
      report.records.push_back(*predictor.fairness_goodness()->record());
      report.records.push_back(predictor.reputation()->trust_rank_record());
      report.records.push_back(*predictor.reputation()->record());
      report.records.push_back(*predictor.record());
      report.model = *predictor.model_record();
      const auto& gain = predictor.model().importance();
      for (size_t k = 0; k < gain.size(); ++k) report.importance.emplace_back(kFeatureNames[k], gain[k]);
      std::sort(report.importance.begin(), report.importance.end(),
                [](const auto& a, const auto& b) { return a.second > b.second; });
      break;
    }
  }

  VOUCH_ASSIGN_OR_RETURN(File out, OpenForWriting(request.output_path));
  if (pairs.has_header) fmt::print(out.get(), "rater,ratee,predicted\n");
  for (size_t i = 0; i < report.pairs; ++i) {
    const double raw = std::clamp(l.scale.FromUnit(predicted[i]), l.scale.min, l.scale.max);
    fmt::print(out.get(), "{},{},{:.6g}\n", pairs.rater[i], pairs.ratee[i], raw);
  }
  VOUCH_TRY(CloseFile(std::move(out), request.output_path));
  report.seconds = SteadySeconds() - start;
  return report;
}

Result<ReputationReport> ReputationFiles(const ReputationRequest& request, const RunControl& control) {
  ReputationReport report;
  VOUCH_ASSIGN_OR_RETURN(Loaded l, Load(request.ratings_path, request.scale));
  report.scale = l.scale;
  report.ratings = l.ratings;
  report.people = l.graph.node_count();
  std::vector<NodeId> seeds;
  if (!request.seeds_path.empty()) {
    std::ifstream in(request.seeds_path);
    if (!in) return Status::IoError(fmt::format("{}: cannot open for reading", request.seeds_path));
    std::string line;
    int64_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty()) continue;
      const NodeId s = l.table.people.Find(line);
      if (s == kNoNode) {
        return Status::InvalidArgument(fmt::format("{}:{}: seed '{}' has no ratings in {}", request.seeds_path,
                                                   number, line, request.ratings_path));
      }
      seeds.push_back(s);
    }
  } else {
    seeds = DefaultSeeds(l.graph, request.seed_count > 0 ? request.seed_count : DefaultSeedCount(l.graph));
    if (seeds.empty()) seeds.push_back(0);
  }
  report.seeds = seeds.size();
  FairnessGoodness fxg(l.graph);
  VOUCH_TRY(fxg.Run(control));
  Reputation rep(l.graph, std::move(seeds), request.params);
  VOUCH_TRY(rep.Run(control));
  report.records = {*fxg.record(), rep.trust_rank_record(), *rep.record()};
  auto r = *rep.reputation();
  auto f = *rep.fairness();
  auto t = *rep.trust();
  auto c = *rep.credibility();
  auto g = *fxg.goodness();
  auto ff = *fxg.fairness();
  VOUCH_ASSIGN_OR_RETURN(File out, OpenForWriting(request.output_path));
  fmt::print(out.get(),
             "person,reputation,fairness,goodness,fxg_fairness,trust,credibility,ratings_received,"
             "ratings_given\n");
  for (NodeId p = 0; p < l.graph.node_count(); ++p) {
    fmt::print(out.get(), "{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{},{}\n", l.table.people.Name(p), r[p],
               f[p], g[p], ff[p], t[p], c[p], l.graph.InDegree(p), l.graph.OutDegree(p));
  }
  VOUCH_TRY(CloseFile(std::move(out), request.output_path));
  return report;
}

}  // namespace vouch::trust
