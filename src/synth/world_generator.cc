#include "vouch/synth/world_generator.h"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <cassert>
#include <cctype>
#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "synth/brand_catalog.h"
#include "synth/commerce.h"
#include "synth/follow_graph.h"
#include "synth/population.h"
#include "synth/post_generator.h"
#include "synth/text_format.h"

namespace vouch::synth {

const char* ActName(Act act) {
  switch (act) {
    case Act::kEndorse: return "endorse";
    case Act::kComplain: return "complain";
    case Act::kShare: return "share";
    case Act::kAsk: return "ask";
    case Act::kOther: return "other";
  }
  return "other";
}

Status SynthConfig::Validate() const {
  auto bad = [](const char* field, const std::string& why) {
    return Status::InvalidArgument(fmt::format("synth: {} {}", field, why));
  };
  if (people < 10 || people > 100'000'000) return bad("--people", fmt::format("must be 10 to 100,000,000, not {}", people));
  if (days < 1 || days > 3650) return bad("--days", fmt::format("must be 1 to 3650, not {}", days));
  if (!(posts_per_person >= 0 && posts_per_person <= 10000)) {
    return bad("--posts-per-person", fmt::format("must be 0 to 10000, not {}", posts_per_person));
  }
  if (!(follows_per_person >= 1 && follows_per_person <= 5000)) {
    return bad("--follows-per-person", fmt::format("must be 1 to 5000, not {}", follows_per_person));
  }
  if (!(community_affinity >= 0 && community_affinity <= 1)) {
    return bad("community_affinity", fmt::format("must be in [0, 1], not {}", community_affinity));
  }
  if (threads < 0) return bad("--threads", "must not be negative");
  if (zstd_level < 1 || zstd_level > 19) return bad("zstd_level", "must be 1 to 19");
  if (gzip_level < 1 || gzip_level > 9) return bad("gzip_level", "must be 1 to 9");
  if (posts_per_chunk < 1) return bad("posts_per_chunk", "must be positive");
  return Status::Ok();
}

namespace {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Lap() {
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    return s;
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// A file of the world being written: counts its bytes and records, flushes its buffer in large pieces.
class FileSink {
 public:
  static constexpr size_t kFlushBytes = size_t{4} << 20;
  static Result<FileSink> Open(WorldOutput& output, std::string path) {
    VOUCH_ASSIGN_OR_RETURN(auto file, output.Create(path));
    return FileSink(std::move(path), std::move(file));
  }
  std::string& buffer() { return buffer_; }
  // Writes the buffer out when it is large (or always, with force).
  Status Flush(bool force = false) {
    if (buffer_.empty() || (!force && buffer_.size() < kFlushBytes)) return Status::Ok();
    VOUCH_TRY(Append(buffer_));
    buffer_.clear();
    return Status::Ok();
  }
  Status Append(std::string_view bytes) {
    info_.bytes += bytes.size();
    return file_->Append(bytes);
  }
  void AddRecords(uint64_t n) { info_.records += n; }
  Result<SynthFileInfo> Close() {
    VOUCH_TRY(Flush(true));
    VOUCH_TRY(file_->Close());
    return info_;
  }

 private:
  FileSink(std::string path, std::unique_ptr<OutputFile> file) : file_(std::move(file)) { info_.path = std::move(path); }
  std::unique_ptr<OutputFile> file_;
  std::string buffer_;
  SynthFileInfo info_;
};

Status WriteWhole(WorldOutput& output, const std::string& path, std::string_view content, uint64_t records,
                  SynthSummary& summary) {
  VOUCH_ASSIGN_OR_RETURN(FileSink sink, FileSink::Open(output, path));
  VOUCH_TRY(sink.Append(content));
  sink.AddRecords(records);
  VOUCH_ASSIGN_OR_RETURN(SynthFileInfo info, sink.Close());
  summary.files.push_back(std::move(info));
  return Status::Ok();
}

}  // namespace

WorldGenerator::WorldGenerator(SynthConfig config, WorldOutput& output, RunControl control)
    : config_(std::move(config)), output_(output), control_(control) {}

const SynthSummary& WorldGenerator::summary() const {
  assert(done_ && "summary() before run() finished");
  return summary_;
}
const SynthRecord& WorldGenerator::record() const {
  assert(done_ && "record() before run() finished");
  return record_;
}

Status WorldGenerator::run() {
  VOUCH_TRY(config_.Validate());
  summary_ = SynthSummary{};
  record_ = SynthRecord{};
  const int threads = config_.threads > 0 ? config_.threads : tbb::this_task_arena::max_concurrency();
  record_.threads = threads;
  tbb::task_arena arena(threads);
  Status status;
  arena.execute([&] { status = Generate(); });
  VOUCH_TRY(status);
  done_ = true;
  return Status::Ok();
}

Status WorldGenerator::Generate() {
  Stopwatch watch;
  auto cancelled = [&] { return Status::Cancelled("synth: interrupted; the world's files are incomplete"); };
  SynthSummary& s = summary_;

  // People, the program and its planted fraud, the follow graph.
  control_.Report({"people", 0, 0, "people", 0});
  Population people(config_);
  const Program program = PlantProgram(config_, people);
  record_.seconds["people"] = watch.Lap();
  if (control_.Cancelled()) return cancelled();
  control_.Report({"follow graph", 0, 0, "people", 0});
  FollowGraph graph;
  graph.Build(people, config_);
  record_.seconds["graph"] = watch.Lap();
  if (control_.Cancelled()) return cancelled();
  const uint32_t n = people.size();
  s.people = n;
  s.edges = graph.edges();
  s.max_followers = graph.max_followers();
  s.mean_followers = static_cast<double>(graph.edges()) / n;
  for (uint32_t p = 0; p < n; ++p) {
    s.identities += 1 + people[p].Has(kOnReddit) + people[p].Has(kOnMastodon);
    s.true_advocates += people[p].Has(kAdvocate);
  }
  s.enrolled_advocates = program.enrolled.size();
  s.rating_rings = program.rating_rings.size();

  VOUCH_TRY(WriteWhole(output_, "brands.toml", BrandsToml(), kBrandCount, s));
  {
    VOUCH_ASSIGN_OR_RETURN(FileSink sink, FileSink::Open(output_, "graph.txt"));
    fmt::format_to(std::back_inserter(sink.buffer()),
                   "# Follow graph of a vouch synth world (seed {}): one edge a line, \"u v\" = v follows u (u's word "
                   "reaches v).\n"
                   "# Node ids are X handles. Model: degree-corrected stochastic block model (Karrer & Newman 2011), "
                   "{} communities\n"
                   "# of Zipf(0.7) sizes; follows per person log-normal (mean {}, sigma 0.9), {:.0f}% within the "
                   "community, targets in\n"
                   "# proportion to Pareto(1.5) popularity. {} people, {} edges, max followers {}.\n",
                   config_.seed, people.communities(), config_.follows_per_person,
                   config_.community_affinity * 100, n, graph.edges(), graph.max_followers());
    for (uint32_t u = 0; u < n; ++u) {
      const std::string_view hu = people.Handle(u);
      for (uint32_t v : graph.Followers(u)) {
        std::string& b = sink.buffer();
        b += hu;
        b += ' ';
        b += people.Handle(v);
        b += '\n';
      }
      sink.AddRecords(graph.FollowerCount(u));
      VOUCH_TRY(sink.Flush());
    }
    VOUCH_ASSIGN_OR_RETURN(SynthFileInfo info, sink.Close());
    s.files.push_back(std::move(info));
  }
  record_.seconds["graph file"] = watch.Lap();

  // Posts: chunks generated and compressed in parallel, written in order.
  const PostGenerator posts(config_, people, graph);
  s.outage_day = posts.outage_day();
  {
    VOUCH_ASSIGN_OR_RETURN(FileSink x, FileSink::Open(output_, "posts/x.jsonl.zst"));
    VOUCH_ASSIGN_OR_RETURN(FileSink reddit, FileSink::Open(output_, "posts/reddit.jsonl.gz"));
    VOUCH_ASSIGN_OR_RETURN(FileSink mastodon, FileSink::Open(output_, "posts/mastodon.jsonl"));
    VOUCH_ASSIGN_OR_RETURN(FileSink truth, FileSink::Open(output_, "truth/posts.csv"));
    VOUCH_TRY(truth.Append("platform,id,act,sentiment,brand\n"));
    const uint64_t chunks = posts.chunks();
    record_.chunks = chunks;
    uint64_t next = 0;
    bool stopped = false;
    Status write_status;
    const size_t tokens = static_cast<size_t>(std::max(2, 2 * record_.threads));
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, uint64_t>(tbb::filter_mode::serial_in_order,
                                         [&](tbb::flow_control& fc) -> uint64_t {
                                           if (next >= chunks || !write_status.ok() || control_.Cancelled()) {
                                             stopped = next < chunks;
                                             fc.stop();
                                             return 0;
                                           }
                                           return next++;
                                         }) &
            tbb::make_filter<uint64_t, PostChunk*>(tbb::filter_mode::parallel,
                                                   [&](uint64_t c) {
                                                     auto* chunk = new PostChunk;
                                                     posts.GenerateChunk(c, *chunk);
                                                     return chunk;
                                                   }) &
            tbb::make_filter<PostChunk*, void>(tbb::filter_mode::serial_in_order, [&](PostChunk* raw) {
              std::unique_ptr<PostChunk> chunk(raw);
              if (!write_status.ok()) return;
              write_status = chunk->status;
              if (write_status.ok()) write_status = x.Append(chunk->x);
              if (write_status.ok()) write_status = reddit.Append(chunk->reddit);
              if (write_status.ok()) write_status = mastodon.Append(chunk->mastodon);
              if (write_status.ok()) write_status = truth.Append(chunk->truth);
              x.AddRecords(chunk->pages_x);
              reddit.AddRecords(chunk->posts_reddit);
              mastodon.AddRecords(chunk->posts_mastodon);
              truth.AddRecords(chunk->posts);
              s.posts += chunk->posts;
              s.posts_x += chunk->posts_x;
              s.posts_reddit += chunk->posts_reddit;
              s.posts_mastodon += chunk->posts_mastodon;
              s.reshares += chunk->reshares;
              s.replies += chunk->replies;
              for (int a = 0; a < kActCount; ++a) s.acts[a] += chunk->acts[a];
              control_.Report({"posts", s.posts, posts.total_posts(), "posts", s.posts});
            }));
    VOUCH_TRY(write_status);
    if (stopped) return cancelled();
    for (FileSink* sink : {&x, &reddit, &mastodon, &truth}) {
      VOUCH_ASSIGN_OR_RETURN(SynthFileInfo info, sink->Close());
      s.files.push_back(std::move(info));
    }
  }
  record_.seconds["posts"] = watch.Lap();
  if (control_.Cancelled()) return cancelled();

  // Ratings, then the shop: orders, the program's traffic, the advocates, the fraud.
  control_.Report({"ratings", 0, 0, "ratings", 0});
  {
    const RatingFiles ratings = WriteRatings(config_, people, graph, program);
    s.ratings = ratings.ratings;
    VOUCH_TRY(WriteWhole(output_, "ratings.csv", ratings.ratings_csv, ratings.ratings, s));
    VOUCH_TRY(WriteWhole(output_, "truth/rating_rings.csv", ratings.rings_csv, ratings.ring_members, s));
  }
  record_.seconds["ratings"] = watch.Lap();
  control_.Report({"orders", 0, 0, "orders", 0});
  {
    const CommerceFiles shop = WriteCommerce(config_, people, graph, program);
    s.orders = shop.orders;
    s.referred_orders = shop.referred_orders;
    s.referral_events = shop.events;
    s.refunds = shop.refunds;
    s.fraud_self_referral = shop.self_referral;
    s.fraud_ring = shop.ring;
    s.fraud_burst = shop.burst;
    VOUCH_TRY(WriteWhole(output_, "orders.csv", shop.orders_csv, shop.orders, s));
    VOUCH_TRY(WriteWhole(output_, "referrals.jsonl", shop.referrals_jsonl, shop.events, s));
    VOUCH_TRY(WriteWhole(output_, "advocates.csv", shop.advocates_csv, program.enrolled.size(), s));
    VOUCH_TRY(WriteWhole(output_, "truth/fraud.csv", shop.fraud_csv,
                         shop.self_referral + shop.ring + shop.burst, s));
  }
  record_.seconds["commerce"] = watch.Lap();

  // The shop's CRM (part of the people, with their identities linked by customer id) and the people's truth.
  {
    VOUCH_ASSIGN_OR_RETURN(FileSink crm, FileSink::Open(output_, "people.csv"));
    VOUCH_ASSIGN_OR_RETURN(FileSink truth, FileSink::Open(output_, "truth/people.csv"));
    crm.buffer() = "customer_id,email,platform,handle,name\n";
    truth.buffer() = "platform,handle,person,trustworthiness,used_product,deal_seeking,advocate\n";
    for (uint32_t p = 0; p < n; ++p) {
      const Person& person = people[p];
      auto truth_row = [&](std::string_view platform, std::string_view handle) {
        fmt::format_to(std::back_inserter(truth.buffer()), "{},{},p{},{:.3f},{},{},{}\n", platform, handle, p,
                       person.trust, person.Has(kUsedProduct) ? 1 : 0, person.Has(kDealSeeker) ? 1 : 0,
                       person.Has(kAdvocate) ? 1 : 0);
        truth.AddRecords(1);
      };
      const std::string reddit = person.Has(kOnReddit) ? people.RedditHandle(p) : std::string();
      const std::string mastodon = person.Has(kOnMastodon)
                                       ? people.MastodonUser(p) + "@" + std::string(people.MastodonInstance(p))
                                       : std::string();
      truth_row("x", people.Handle(p));
      if (!reddit.empty()) truth_row("reddit", reddit);
      if (!mastodon.empty()) truth_row("mastodon", mastodon);
      if (person.Has(kInCrm)) {
        Rng rng = Rng::For(config_.seed, kStreamCrm, p);
        // Customers have a customer id; newsletter subscribers only an e-mail.
        const std::string customer = person.Has(kUsedProduct) ? people.CustomerId(p) : std::string();
        std::string email = people.Email(p);
        if (rng.Chance(0.3)) {  // typed with capitals at signup
          email[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(email[0])));
          const size_t at = email.find('@');
          email[at + 1] = static_cast<char>(std::toupper(static_cast<unsigned char>(email[at + 1])));
        }
        std::string& b = crm.buffer();
        auto row = [&](std::string_view cid, std::string_view mail, std::string_view platform,
                       std::string_view handle, std::string_view name) {
          AppendCsvField(cid, b);
          b += ',';
          AppendCsvField(mail, b);
          b += ',';
          b += platform;
          b += ',';
          AppendCsvField(handle, b);
          b += ',';
          AppendCsvField(name, b);
          b += '\n';
          crm.AddRecords(1);
        };
        const std::string name = people.Name(p);
        if (rng.Chance(0.8)) {
          row(customer, email, "x", people.Handle(p), name);
        } else {
          row(customer, email, "", "", name);
        }
        if (!customer.empty() && !reddit.empty() && rng.Chance(0.6)) row(customer, "", "reddit", reddit, "");
        if (!customer.empty() && !mastodon.empty() && rng.Chance(0.6)) row(customer, "", "mastodon", mastodon, "");
      }
      VOUCH_TRY(crm.Flush());
      VOUCH_TRY(truth.Flush());
    }
    VOUCH_ASSIGN_OR_RETURN(SynthFileInfo crm_info, crm.Close());
    s.crm_rows = crm_info.records;
    s.files.push_back(std::move(crm_info));
    VOUCH_ASSIGN_OR_RETURN(SynthFileInfo truth_info, truth.Close());
    s.files.push_back(std::move(truth_info));
  }
  {
    std::string events = "kind,start,end,detail\n";
    if (posts.outage_day() >= 0) {
      const int64_t day = config_.start_time + int64_t{posts.outage_day()} * 86400;
      events += "outage,";
      AppendRfc3339(day, false, events);
      events += ',';
      AppendRfc3339(day + 86400, false, events);
      events += ",Nimbus app and connected machines down: 2.4x the day's posts and a burst of complaints\n";
    }
    VOUCH_TRY(WriteWhole(output_, "truth/events.csv", events, posts.outage_day() >= 0 ? 1 : 0, s));
  }
  record_.seconds["people files"] = watch.Lap();
  if (control_.progress != nullptr) control_.progress->Finish();
  return Status::Ok();
}

}  // namespace vouch::synth
