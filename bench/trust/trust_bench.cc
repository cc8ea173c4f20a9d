// trust_bench: all trust of a generated signed rating graph, timed stage by stage, with peak memory.
//
//   trust_bench [--edges 10000000] [--people 1000000] [--threads 2] [--seed 1]
//
// Generates the edge arrays (rater, ratee, value, time: 20 bytes an edge) of a skewed signed graph (people's
// activity and popularity follow power laws; ratings follow each person's hidden quality, with 10% noisy raters),
// then times: building the CSR graph (consuming the arrays), fairness/goodness, reputation (TrustRank from the
// default seeds + trust-weighted fairness/goodness) and local trust of every rated pair. As the in-process
// baseline it times one streaming pass over the edge arrays (sum of values per ratee: what any computation over
// the edges must at least pay). Peak memory is the process's maximum resident set (getrusage), reported beside
// the edge arrays' size. Run once with --threads 1 and once with 2 for the speed-up (bench/trust/run_bench.sh).
#include <fmt/format.h>
#include <sys/resource.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "vouch/trust/algorithm.h"
#include "vouch/trust/fairness_goodness.h"
#include "vouch/trust/local_trust.h"
#include "vouch/trust/rating_graph.h"
#include "vouch/trust/reputation.h"

using namespace vouch::trust;

namespace {

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
double Unit(uint64_t& s) {
  return static_cast<double>(SplitMix(s) >> 11) * 0x1.0p-53;
}

double PeakRssMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

int Die(const vouch::Status& s) {
  fmt::print(stderr, "trust_bench: {}\n", s.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t edges = 10'000'000, people = 1'000'000, seed = 1;
  int threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const uint64_t value = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--edges")
      edges = value;
    else if (flag == "--people")
      people = value;
    else if (flag == "--threads")
      threads = static_cast<int>(value);
    else if (flag == "--seed")
      seed = value;
    else {
      fmt::print(stderr, "usage: trust_bench [--edges N] [--people N] [--threads N] [--seed N]\n");
      return 2;
    }
  }
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  const double rss_start = PeakRssMiB();

  double t0 = SteadySeconds();
  RatingEdges e;
  e.rater.resize(edges);
  e.ratee.resize(edges);
  e.value.resize(edges);
  e.time.resize(edges);
  {
    uint64_t s = seed;
    std::vector<float> quality(people);
    for (auto& q : quality) q = static_cast<float>(std::tanh(2.0 * Unit(s) - 0.5));
    const auto n = static_cast<double>(people);
    for (uint64_t i = 0; i < edges; ++i) {
      // Power-law activity and popularity: id = n * x^3 puts most edges on low ids.
      const double a = Unit(s), b = Unit(s);
      const auto u = static_cast<NodeId>(std::min(n - 1, n * a * a * a));
      const auto v = static_cast<NodeId>(std::min(n - 1, n * b * b * b));
      const bool noisy = u % 10 == 3;
      const double w = noisy ? 2 * Unit(s) - 1 : quality[v] + 0.3 * (Unit(s) - 0.5);
      e.rater[i] = u;
      e.ratee[i] = v;
      e.value[i] = static_cast<float>(std::clamp(w, -1.0, 1.0));
      // Early people were active early: times grow with id, over three years.
      e.time[i] = 1'500'000'000 + static_cast<int64_t>((0.3 * u / n + 0.7 * Unit(s)) * 3 * 365 * 86400);
    }
  }
  const double gen_s = SteadySeconds() - t0;
  const double edge_mib = static_cast<double>(e.Bytes()) / (1024.0 * 1024.0);

  // Baseline: one streaming pass over the edge arrays.
  t0 = SteadySeconds();
  std::vector<double> sink(people, 0.0);
  for (uint64_t i = 0; i < edges; ++i) sink[e.ratee[i]] += e.value[i];
  const double pass_s = SteadySeconds() - t0;
  double checksum = 0;
  for (double x : sink) checksum += x;
  std::vector<double>().swap(sink);

  const double all_start = SteadySeconds();
  t0 = SteadySeconds();
  auto graph = RatingGraph::Build(std::move(e), static_cast<NodeId>(people));
  if (!graph.ok()) return Die(graph.status());
  const double build_s = SteadySeconds() - t0;

  FairnessGoodness fxg(*graph);
  if (auto s = fxg.Run(); !s.ok()) return Die(s);
  auto seeds = DefaultSeeds(*graph, DefaultSeedCount(*graph));
  t0 = SteadySeconds();
  Reputation rep(*graph, seeds);
  if (auto s = rep.Run(); !s.ok()) return Die(s);
  const double rep_s = SteadySeconds() - t0;
  LocalTrustInputs in;
  in.ratings = &*graph;
  LocalTrust local(in, graph->node_count(), 1'500'000'000 + 3 * 365 * 86400);
  if (auto s = local.Run(); !s.ok()) return Die(s);
  const double all_s = SteadySeconds() - all_start;
  const double peak = PeakRssMiB();

  const auto fr = *fxg.record();
  const auto lr = *local.record();
  const auto tr = rep.trust_rank_record();
  const auto rr = *rep.record();
  fmt::print("threads {}  people {}  edges {} (kept {}, merged repeats {}, self-ratings {})  checksum {:.3f}\n",
             threads, people, edges, graph->edge_count(), graph->merged_repeats(), graph->dropped_self(),
             checksum);
  fmt::print("generate edge arrays        {:8.3f} s   ({:.1f} MiB of edge arrays)\n", gen_s, edge_mib);
  fmt::print("baseline: one pass          {:8.3f} s\n", pass_s);
  fmt::print("build CSR graph             {:8.3f} s   ({:.1f} MiB)\n", build_s, graph->MemoryBytes() / 1048576.0);
  fmt::print("fairness/goodness           {:8.3f} s   {} iterations{}\n", fr.seconds, fr.iterations,
             fr.converged ? "" : " (not converged)");
  fmt::print(
      "reputation                  {:8.3f} s   trust rank {} iterations {:.3f} s{}, weighted f/g {} iterations "
      "{:.3f} s, {} seeds\n",
      rep_s, tr.iterations, tr.seconds, tr.converged ? "" : " (not converged)", rr.iterations,
      rr.seconds - tr.seconds, seeds.size());
  fmt::print("local trust, rated pairs    {:8.3f} s\n", lr.seconds);
  fmt::print("ALL TRUST (build..local)    {:8.3f} s   = {:.1f} x the one-pass baseline\n", all_s, all_s / pass_s);
  fmt::print("peak RSS                    {:8.1f} MiB = {:.2f} x the edge arrays (process start {:.1f} MiB)\n",
             peak, peak / edge_mib, rss_start);
  return 0;
}
