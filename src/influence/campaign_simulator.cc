#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>
#include <numeric>
#include <optional>

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "graph/stopwatch.h"
#include "influence/interval_sums.h"
#include "vouch/influence/campaign.h"
#include "vouch/influence/random.h"

namespace vouch::influence {
namespace {

constexpr uint64_t kCampaignRunsPerStream = 64;  // runs per random stream
// Streams of different plans never overlap: plan i uses streams i * kPlanStreams + block.
constexpr uint64_t kPlanStreams = uint64_t{1} << 40;

// What one simulated campaign did, in people.
struct RunPeople {
  uint32_t aware = 0;        // heard of it, seeds included
  uint32_t full_price = 0;   // bought at the list price (wom adopters), seeds excluded
  uint32_t deal = 0;         // redeemed the deal (share), seeds excluded
};

// Per-thread marks, stamped with a run epoch so nothing is cleared between runs.
struct Marks {
  explicit Marks(NodeId n) : adopted(n, 0), aware(n, 0) {}
  uint32_t Next() {
    if (++epoch == 0) {
      std::fill(adopted.begin(), adopted.end(), 0);
      std::fill(aware.begin(), aware.end(), 0);
      epoch = 1;
    }
    return epoch;
  }
  uint32_t epoch = 0;
  std::vector<uint32_t> adopted, aware;
  std::vector<NodeId> queue, share_queue;
};

// Word of mouth (diffusion_model.h): endorsements adopt through influence() = q, are heard through hearing() = p;
// whoever heard without adopting shares with probability s, which makes others aware and nobody adopt.
RunPeople SimulateWordOfMouth(const DiffusionModel& model, std::span<const NodeId> seeds, Rng& rng, Marks& m) {
  const graph::GraphArrays& a = model.graph().arrays();
  const graph::EdgeProbabilities& q = model.influence();
  const graph::EdgeProbabilities& p = model.hearing();
  const double share = model.word_of_mouth().share_probability;
  const uint32_t ep = m.Next();
  m.queue.clear();
  m.share_queue.clear();
  for (NodeId s : seeds) {
    if (m.adopted[s] == ep) continue;
    m.adopted[s] = m.aware[s] = ep;
    m.queue.push_back(s);
  }
  const size_t seed_count = m.queue.size();
  for (size_t head = 0; head < m.queue.size(); ++head) {
    const NodeId u = m.queue[head];
    for (graph::EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
      const NodeId v = a.out_targets[e];
      if (m.adopted[v] == ep) continue;
      const double x = rng.Uniform();  // below q: adopts (and so heard); below p: only heard
      if (x < q.Out(e)) {
        m.adopted[v] = m.aware[v] = ep;
        m.queue.push_back(v);
      } else if (x < p.Out(e) && m.aware[v] != ep) {
        m.aware[v] = ep;
        m.share_queue.push_back(v);
      }
    }
  }
  RunPeople out;
  out.full_price = static_cast<uint32_t>(m.queue.size() - seed_count);
  out.aware = static_cast<uint32_t>(m.queue.size());
  for (size_t head = 0; head < m.share_queue.size(); ++head) {
    const NodeId u = m.share_queue[head];
    if (m.adopted[u] == ep) continue;  // adopted later through an endorsement: counted as an adopter
    ++out.aware;
    if (rng.Uniform() >= share) continue;
    for (graph::EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
      const NodeId v = a.out_targets[e];
      if (m.aware[v] == ep) continue;
      if (rng.Uniform() < p.Out(e)) {
        m.aware[v] = ep;
        m.share_queue.push_back(v);
      }
    }
  }
  return out;
}

// A shared deal: seeds post it (they were paid to), everyone who hears it passes it on with probability s and
// redeems it with probability c. Trust plays no part: a deal is not a recommendation.
RunPeople SimulateShare(const DiffusionModel& model, std::span<const NodeId> seeds, double conversion, Rng& rng,
                        Marks& m) {
  const graph::GraphArrays& a = model.graph().arrays();
  const graph::EdgeProbabilities& p = model.hearing();
  const double share = model.word_of_mouth().share_probability;
  const uint32_t ep = m.Next();
  m.queue.clear();
  for (NodeId s : seeds) {
    if (m.aware[s] == ep) continue;
    m.aware[s] = m.adopted[s] = ep;  // `adopted` marks the seeds here: they post for certain and never buy
    m.queue.push_back(s);
  }
  RunPeople out;
  for (size_t head = 0; head < m.queue.size(); ++head) {
    const NodeId u = m.queue[head];
    if (m.adopted[u] != ep && rng.Uniform() >= share) continue;
    for (graph::EdgeIndex e = a.out_offsets[u]; e < a.out_offsets[u + 1]; ++e) {
      const NodeId v = a.out_targets[e];
      if (m.aware[v] == ep) continue;
      if (rng.Uniform() < p.Out(e)) {
        m.aware[v] = ep;
        m.queue.push_back(v);
        if (rng.Uniform() < conversion) ++out.deal;
      }
    }
  }
  out.aware = static_cast<uint32_t>(m.queue.size());
  return out;
}

// Money of one run, in minor units. Commission and discount are rounded down per sale.
struct RunMoney {
  int64_t revenue = 0, discount = 0, gross_margin = 0, incentive = 0, net = 0;
};

RunMoney Price(const CampaignEconomics& e, uint64_t seeds, const RunPeople& people) {
  const int64_t discount_each = static_cast<int64_t>(static_cast<double>(e.price) * e.deal_discount);
  const int64_t margin_each = static_cast<int64_t>(static_cast<double>(e.price) * e.margin);
  const int64_t commission_each = static_cast<int64_t>(static_cast<double>(e.price) * e.commission);
  const int64_t buyers = int64_t{people.full_price} + people.deal;
  RunMoney m;
  m.discount = discount_each * people.deal;
  m.revenue = e.price * buyers - m.discount;
  m.gross_margin = margin_each * buyers - m.discount;
  m.incentive = e.incentive * static_cast<int64_t>(seeds) + commission_each * people.full_price;
  m.net = m.gross_margin - m.incentive;
  return m;
}

// Sums for a ratio of means, net / spent, with its interval by the delta method:
// Var(R) ~ Var(net - R * spent) / (n * mean(spent)^2).
struct RatioSums {
  double x = 0, y = 0, xx = 0, yy = 0, xy = 0;
  uint64_t n = 0;
  void Add(double net, double spent) {
    x += net, y += spent, xx += net * net, yy += spent * spent, xy += net * spent;
    ++n;
  }
  void Merge(const RatioSums& o) {
    x += o.x, y += o.y, xx += o.xx, yy += o.yy, xy += o.xy;
    n += o.n;
  }
  std::optional<Interval> ToInterval(double z) const {
    if (n == 0 || y <= 0) return std::nullopt;
    const double dn = static_cast<double>(n);
    Interval i;
    i.mean = x / y;
    if (n > 1) {
      const double var_x = (xx - x * x / dn) / (dn - 1), var_y = (yy - y * y / dn) / (dn - 1);
      const double cov = (xy - x * y / dn) / (dn - 1);
      const double mean_y = y / dn;
      const double var = (var_x - 2 * i.mean * cov + i.mean * i.mean * var_y) / (dn * mean_y * mean_y);
      i.stddev = std::sqrt(std::max(0.0, var * dn));  // per-run scale, as Interval's stddev elsewhere
    }
    const double half = z * i.stddev / std::sqrt(dn);
    i.low = i.mean - half;
    i.high = i.mean + half;
    return i;
  }
};

struct PlanSums {
  detail::Sums reach, adoptions, revenue, discount, gross_margin, incentive, net;
  RatioSums roi;
  void Merge(const PlanSums& o) {
    reach.Merge(o.reach);
    adoptions.Merge(o.adoptions);
    revenue.Merge(o.revenue);
    discount.Merge(o.discount);
    gross_margin.Merge(o.gross_margin);
    incentive.Merge(o.incentive);
    net.Merge(o.net);
    roi.Merge(o.roi);
  }
};

}  // namespace

const char* CampaignStrategyName(CampaignStrategy strategy) {
  return strategy == CampaignStrategy::kShare ? "share" : "wom";
}

Status CampaignEconomics::Validate() const {
  auto fraction = [](double x, const char* name) -> Status {
    if (!(x >= 0 && x <= 1)) return Status::InvalidArgument(fmt::format("{} must be between 0 and 1, got {}", name, x));
    return Status::Ok();
  };
  if (price < 0) return Status::InvalidArgument("price must not be negative");
  if (incentive < 0) return Status::InvalidArgument("incentive must not be negative");
  VOUCH_TRY(fraction(margin, "margin"));
  VOUCH_TRY(fraction(deal_discount, "deal discount"));
  VOUCH_TRY(fraction(deal_conversion, "deal conversion"));
  VOUCH_TRY(fraction(commission, "commission"));
  if (currency.size() != 3) return Status::InvalidArgument(fmt::format("currency '{}': expected a 3-letter code", currency));
  return Status::Ok();
}

CampaignSimulator::CampaignSimulator(const DiffusionModel& model, CampaignEconomics economics,
                                     std::vector<CampaignPlan> plans, CampaignOptions options, RunControl control)
    : model_(model), economics_(std::move(economics)), plans_(std::move(plans)), options_(options),
      control_(control) {}

const std::vector<CampaignOutcome>& CampaignSimulator::outcomes() const {
  assert(done_ && "CampaignSimulator::outcomes before run() succeeded");
  return outcomes_;
}

Status CampaignSimulator::run() {
  VOUCH_TRY(economics_.Validate());
  if (model_.kind() != DiffusionModelKind::kWordOfMouth) {
    return Status::InvalidArgument("a campaign is simulated on the word-of-mouth model");
  }
  if (options_.runs == 0) return Status::InvalidArgument("runs must be at least 1");
  const NodeId n = model_.graph().num_nodes();
  for (const CampaignPlan& plan : plans_) {
    for (NodeId s : plan.seeds) {
      if (s >= n) return Status::InvalidArgument(fmt::format("{} seed outside the graph", CampaignStrategyName(plan.strategy)));
    }
  }
  const uint64_t runs = options_.runs;
  const uint64_t blocks = (runs + kCampaignRunsPerStream - 1) / kCampaignRunsPerStream;
  const uint64_t total_runs = runs * plans_.size();
  const int threads = options_.threads > 0 ? std::min(options_.threads, tbb::info::default_concurrency())
                                           : tbb::info::default_concurrency();
  tbb::task_arena arena(threads);
  tbb::enumerable_thread_specific<Marks> marks([n] { return Marks(n); });
  std::atomic<uint64_t> finished{0};
  std::atomic<bool> cancelled{false};
  const double z = detail::ZFor(options_.confidence);
  outcomes_.clear();
  for (size_t pi = 0; pi < plans_.size(); ++pi) {
    const CampaignPlan& plan = plans_[pi];
    // Distinct seeds: a person paid twice is still one person.
    std::vector<NodeId> seeds = plan.seeds;
    std::sort(seeds.begin(), seeds.end());
    seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
    Stopwatch clock;
    std::vector<PlanSums> per_block(blocks);
    arena.execute([&] {
      tbb::parallel_for(uint64_t{0}, blocks, [&](uint64_t b) {
        if (cancelled.load(std::memory_order_relaxed)) return;
        if (control_.Cancelled()) {
          cancelled = true;
          return;
        }
        Rng rng(options_.seed, pi * kPlanStreams + b);
        Marks& m = marks.local();
        PlanSums sums;
        const uint64_t end = std::min(runs, (b + 1) * kCampaignRunsPerStream);
        for (uint64_t r = b * kCampaignRunsPerStream; r < end; ++r) {
          const RunPeople people = plan.strategy == CampaignStrategy::kShare
                                       ? SimulateShare(model_, seeds, economics_.deal_conversion, rng, m)
                                       : SimulateWordOfMouth(model_, seeds, rng, m);
          const RunMoney money = Price(economics_, seeds.size(), people);
          sums.reach.Add(people.aware);
          sums.adoptions.Add(static_cast<double>(people.full_price) + people.deal);
          sums.revenue.Add(static_cast<double>(money.revenue));
          sums.discount.Add(static_cast<double>(money.discount));
          sums.gross_margin.Add(static_cast<double>(money.gross_margin));
          sums.incentive.Add(static_cast<double>(money.incentive));
          sums.net.Add(static_cast<double>(money.net));
          sums.roi.Add(static_cast<double>(money.net), static_cast<double>(money.incentive + money.discount));
        }
        per_block[b] = sums;
        const uint64_t done = finished.fetch_add(end - b * kCampaignRunsPerStream) + (end - b * kCampaignRunsPerStream);
        if ((b & 63) == 0) control_.Report({"simulating campaigns", done, total_runs, "runs", 0});
      });
    });
    if (cancelled) return Status::Cancelled("campaign simulation cancelled");
    PlanSums total;
    for (const PlanSums& s : per_block) total.Merge(s);  // block order: independent of scheduling
    CampaignOutcome o;
    o.strategy = plan.strategy;
    o.seeds = seeds.size();
    o.reach = total.reach.ToInterval(z);
    o.adoptions = total.adoptions.ToInterval(z);
    o.revenue = total.revenue.ToInterval(z);
    o.discount_cost = total.discount.ToInterval(z);
    o.gross_margin = total.gross_margin.ToInterval(z);
    o.incentive_cost = total.incentive.ToInterval(z);
    o.net = total.net.ToInterval(z);
    o.roi = total.roi.ToInterval(z);
    o.runs = runs;
    o.seconds = clock.Seconds();
    outcomes_.push_back(o);
  }
  done_ = true;
  return Status::Ok();
}

std::vector<NodeId> LargestAudiences(const graph::Graph& graph, uint32_t k, const std::vector<NodeId>& excluded) {
  std::vector<char> skip(graph.num_nodes(), 0);
  for (NodeId x : excluded) {
    if (x < graph.num_nodes()) skip[x] = 1;
  }
  std::vector<NodeId> order;
  order.reserve(graph.num_nodes());
  for (NodeId u = 0; u < graph.num_nodes(); ++u) {
    if (!skip[u]) order.push_back(u);
  }
  const size_t take = std::min<size_t>(k, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end(),
                    [&](NodeId a, NodeId b) {
                      const uint32_t da = graph.OutDegree(a), db = graph.OutDegree(b);
                      return da != db ? da > db : a < b;
                    });
  order.resize(take);
  return order;
}

}  // namespace vouch::influence
