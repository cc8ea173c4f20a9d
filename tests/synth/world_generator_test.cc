#include "vouch/synth/world_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "synth/world_reader.h"
#include "vouch/identity/normalize.h"
#include "vouch/workspace/workspace.h"

namespace vouch::synth {
namespace {

namespace fs = std::filesystem;
using testing::ReadCsv;
using testing::ReadLines;
using testing::ReadPosts;

std::map<std::string, std::string> Generate(SynthConfig config) {
  MemoryOutput output;
  WorldGenerator generator(config, output);
  const Status status = generator.run();
  EXPECT_TRUE(status.ok()) << status.ToString();
  return output.files();
}

TEST(SynthDeterminismTest, SameSeedSameBytesWhateverTheThreadCount) {
  SynthConfig config;
  config.people = 600;
  config.days = 10;
  config.posts_per_chunk = 500;  // many chunks, so threads really interleave
  config.threads = 1;
  const auto one = Generate(config);
  config.threads = 4;
  const auto four = Generate(config);
  ASSERT_EQ(one.size(), four.size());
  for (const auto& [path, bytes] : one) {
    ASSERT_TRUE(four.count(path)) << path;
    EXPECT_TRUE(bytes == four.at(path)) << path << " differs between 1 and 4 threads";
    EXPECT_FALSE(bytes.empty()) << path;
  }
  config.threads = 2;
  const auto again = Generate(config);
  EXPECT_TRUE(one == again);
  config.seed = 2;
  const auto other = Generate(config);
  EXPECT_NE(one.at("truth/posts.csv"), other.at("truth/posts.csv"));
  EXPECT_NE(one.at("graph.txt"), other.at("graph.txt"));
}

TEST(SynthConfigTest, RejectsOutOfRangeValuesNamingTheField) {
  SynthConfig config;
  config.people = 3;
  EXPECT_NE(config.Validate().message().find("--people"), std::string::npos);
  config.people = 100;
  config.days = 0;
  EXPECT_NE(config.Validate().message().find("--days"), std::string::npos);
  config.days = 5;
  EXPECT_TRUE(config.Validate().ok());
  MemoryOutput output;
  config.posts_per_person = -1;
  WorldGenerator generator(config, output);
  EXPECT_EQ(generator.run().code(), StatusCode::kInvalidArgument);
}

TEST(SynthCancelTest, StopsWhenAsked) {
  SynthConfig config;
  config.people = 200;
  std::atomic<bool> cancel{true};
  MemoryOutput output;
  WorldGenerator generator(config, output, RunControl{&cancel, nullptr});
  EXPECT_EQ(generator.run().code(), StatusCode::kCancelled);
}

// One 1,000-person world on disk, read back by every test below.
class SynthWorldTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("vouch_synth_test_" + std::to_string(::getpid())));
    SynthConfig config;  // the defaults: 1,000 people, 30 days, seed 1
    DirectoryOutput output(*dir_);
    WorldGenerator generator(config, output);
    const Status status = generator.run();
    ASSERT_TRUE(status.ok()) << status.ToString();
    summary_ = new SynthSummary(generator.summary());
    posts_ = new std::vector<testing::Post>(ReadPosts(*dir_));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
    delete posts_;
  }
  static const fs::path& dir() { return *dir_; }
  static const std::vector<testing::Post>& posts() { return *posts_; }

  static fs::path* dir_;
  static SynthSummary* summary_;
  static std::vector<testing::Post>* posts_;
};
fs::path* SynthWorldTest::dir_ = nullptr;
SynthSummary* SynthWorldTest::summary_ = nullptr;
std::vector<testing::Post>* SynthWorldTest::posts_ = nullptr;

TEST_F(SynthWorldTest, WritesEveryFileOfTheLayout) {
  for (const char* f : {"brands.toml", "posts/x.jsonl.zst", "posts/reddit.jsonl.gz", "posts/mastodon.jsonl",
                        "graph.txt", "ratings.csv", "people.csv", "orders.csv", "referrals.jsonl", "advocates.csv",
                        "truth/posts.csv", "truth/people.csv", "truth/fraud.csv"}) {
    EXPECT_TRUE(fs::exists(dir() / f)) << f;
    EXPECT_GT(fs::file_size(dir() / f), 0u) << f;
  }
  // Compressed as the layout says (checked by content, as the ingest reader detects it).
  EXPECT_EQ(ingest::LineReader::Open((dir() / "posts/x.jsonl.zst").string()).value()->compression(),
            ingest::Compression::kZstd);
  EXPECT_EQ(ingest::LineReader::Open((dir() / "posts/reddit.jsonl.gz").string()).value()->compression(),
            ingest::Compression::kGzip);
  EXPECT_EQ(summary_->posts, posts().size());
  EXPECT_EQ(summary_->posts, 10000u);  // 1,000 people x 10 posts
}

TEST_F(SynthWorldTest, BrandsTomlLoadsAsWorkspaceConfiguration) {
  auto config = Workspace::LoadConfig(dir() / "brands.toml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->brands.size(), 3u);
  EXPECT_EQ(config->brands[0].name, "Nimbus");
  EXPECT_FALSE(config->brands[0].exclusions.empty());
  EXPECT_EQ(config->brands[0].competitors.size(), 2u);
}

TEST_F(SynthWorldTest, GroundTruthCoversEveryPostExactlyOnce) {
  const auto truth = ReadCsv(dir() / "truth/posts.csv", {"platform", "id", "act", "sentiment", "brand"});
  std::set<std::pair<std::string, std::string>> in_truth;
  const std::set<std::string> acts = {"endorse", "complain", "share", "ask", "other"};
  const std::set<std::string> sentiments = {"pos", "neg", "neu"};
  const std::set<std::string> brands = {"", "Nimbus", "Brewlux", "Kaffio"};
  std::map<std::string, int> act_count;
  for (const auto& row : truth) {
    EXPECT_TRUE(in_truth.insert({row.at("platform"), row.at("id")}).second) << "twice: " << row.at("id");
    EXPECT_TRUE(acts.count(row.at("act"))) << row.at("act");
    EXPECT_TRUE(sentiments.count(row.at("sentiment"))) << row.at("sentiment");
    EXPECT_TRUE(brands.count(row.at("brand"))) << row.at("brand");
    if (!row.at("brand").empty()) ++act_count[row.at("act")];
    // Sentiment consistent with the act: first-hand praise is positive, complaints negative.
    if (row.at("act") == "endorse") {
      EXPECT_EQ(row.at("sentiment"), "pos");
    }
    if (row.at("act") == "complain") {
      EXPECT_EQ(row.at("sentiment"), "neg");
    }
  }
  std::set<std::pair<std::string, std::string>> in_files;
  for (const auto& p : posts()) EXPECT_TRUE(in_files.insert({p.platform, p.id}).second) << "duplicate id " << p.id;
  EXPECT_EQ(in_truth, in_files);
  // Every act occurs among brand posts, each a real share of them.
  for (const auto& act : acts) EXPECT_GT(act_count[act], 100) << act;
}

TEST_F(SynthWorldTest, PostsUseEveryPlatformAndTheTextsVary) {
  std::map<std::string, int> per_platform;
  std::set<std::string> texts;
  int links = 0, hashtags = 0, mentions = 0, emoji = 0;
  for (const auto& p : posts()) {
    ++per_platform[p.platform];
    texts.insert(p.text);
    links += p.text.find("https://") != std::string::npos;
    hashtags += p.text.find('#') != std::string::npos;
    mentions += p.text.find('@') != std::string::npos;
    emoji += std::any_of(p.text.begin(), p.text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xF0; });
  }
  EXPECT_GT(per_platform["x"], 8000);
  EXPECT_GT(per_platform["reddit"], 100);
  EXPECT_GT(per_platform["mastodon"], 50);
  // Reshares repeat their original's words; originals should rarely repeat each other.
  EXPECT_GT(texts.size(), posts().size() * 6 / 10);
  EXPECT_GT(links, 500);
  EXPECT_GT(hashtags, 300);
  EXPECT_GT(mentions, 1000);
  EXPECT_GT(emoji, 300);
}

TEST_F(SynthWorldTest, ResponsesPointBackToEarlierPostsOfFollowedAuthors) {
  std::map<std::pair<std::string, std::string>, const testing::Post*> by_id;
  for (const auto& p : posts()) by_id[{p.platform, p.id}] = &p;
  // graph.txt: "u v" = v follows u.
  std::set<std::pair<std::string, std::string>> follows;
  for (const auto& line : ReadLines(dir() / "graph.txt")) {
    if (line.empty() || line[0] == '#') continue;
    const size_t sp = line.find(' ');
    ASSERT_NE(sp, std::string::npos) << line;
    follows.insert({line.substr(sp + 1), line.substr(0, sp)});  // (follower, followed)
  }
  int reshares = 0, replies = 0, followed = 0;
  for (const auto& p : posts()) {
    for (const std::string* ref : {&p.reshare_of, &p.reply_to}) {
      if (ref->empty()) continue;
      const auto it = by_id.find({p.platform, *ref});
      ASSERT_NE(it, by_id.end()) << p.platform << " post " << p.id << " refers to missing " << *ref;
      const testing::Post& target = *it->second;
      EXPECT_LT(target.order, p.order);
      EXPECT_LE(target.created, p.created);
      (ref == &p.reshare_of ? reshares : replies)++;
      if (p.platform == "x") followed += follows.count({p.author, target.author});
      if (p.platform == "x" && ref == &p.reshare_of) {
        EXPECT_EQ(p.text.rfind("RT @" + target.author + ": ", 0), 0u) << p.text;
      }
    }
  }
  EXPECT_GT(reshares, 300);
  EXPECT_GT(replies, 300);
  int x_responses = 0;
  for (const auto& p : posts()) x_responses += p.platform == "x" && (!p.reshare_of.empty() || !p.reply_to.empty());
  EXPECT_EQ(followed, x_responses) << "every X reshare and reply comes from a follower of the original's author";
}

TEST_F(SynthWorldTest, OnlyUsersEndorseOrComplainAboutTheBrand) {
  const auto people = ReadCsv(dir() / "truth/people.csv", {"platform", "handle", "person", "trustworthiness",
                                                           "used_product", "deal_seeking", "advocate"});
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> by_handle;
  for (const auto& row : people) by_handle[{row.at("platform"), row.at("handle")}] = row;
  const auto truth = ReadCsv(dir() / "truth/posts.csv", {"platform", "id", "act", "sentiment", "brand"});
  std::map<std::pair<std::string, std::string>, std::string> act_of;
  for (const auto& row : truth) {
    if (row.at("brand") == "Nimbus") act_of[{row.at("platform"), row.at("id")}] = row.at("act");
  }
  int checked = 0;
  for (const auto& p : posts()) {
    const auto act = act_of.find({p.platform, p.id});
    if (act == act_of.end() || (act->second != "endorse" && act->second != "complain")) continue;
    const auto person = by_handle.find({p.platform, p.author});
    ASSERT_NE(person, by_handle.end()) << p.platform << " author " << p.author << " not in truth/people.csv";
    EXPECT_EQ(person->second.at("used_product"), "1") << p.author << " " << act->second << "s without using";
    ++checked;
  }
  EXPECT_GT(checked, 200);
  int advocates = 0;
  for (const auto& row : people) advocates += row.at("advocate") == "1";
  EXPECT_GT(advocates, 5);
}

TEST_F(SynthWorldTest, TheOutageDayHasAComplaintSpike) {
  ASSERT_GE(summary_->outage_day, 0);
  const auto truth = ReadCsv(dir() / "truth/posts.csv", {"platform", "id", "act", "sentiment", "brand"});
  std::map<std::pair<std::string, std::string>, bool> complaint;
  for (const auto& row : truth) complaint[{row.at("platform"), row.at("id")}] = row.at("act") == "complain";
  std::map<std::string, int> per_day;
  for (const auto& p : posts()) {
    if (p.platform != "x" || !complaint[{p.platform, p.id}]) continue;
    ++per_day[p.created.substr(0, 10)];
  }
  const std::string outage = "2026-03-" + std::to_string(2 + summary_->outage_day);
  int others = 0;
  for (const auto& [day, n] : per_day) others += day == outage ? 0 : n;
  const double mean_other = static_cast<double>(others) / static_cast<double>(per_day.size() - 1);
  EXPECT_GT(per_day[outage], 4 * mean_other) << "outage " << outage << ": " << per_day[outage];
}

TEST_F(SynthWorldTest, FollowGraphIsHeavyTailed) {
  // A larger world for the degree distribution: 5,000 people, no posts.
  SynthConfig config;
  config.people = 5000;
  config.posts_per_person = 0;
  const auto files = Generate(config);
  std::map<std::string, int> followers;
  size_t edges = 0;
  std::string_view text = files.at("graph.txt");
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (line.empty() || line[0] == '#') continue;
    ++followers[std::string(line.substr(0, line.find(' ')))];
    ++edges;
  }
  int max = 0;
  for (const auto& [u, n] : followers) max = std::max(max, n);
  const double mean = static_cast<double>(edges) / 5000.0;
  EXPECT_GT(mean, 10);
  EXPECT_GT(max, 20 * mean) << "max followers " << max << ", mean " << mean;
}

TEST_F(SynthWorldTest, RatingsFollowTrustworthinessAndRingsArePlanted) {
  const auto people = ReadCsv(dir() / "truth/people.csv", {"platform", "handle", "person", "trustworthiness",
                                                           "used_product", "deal_seeking", "advocate"});
  std::map<std::string, double> trust;
  for (const auto& row : people)
    if (row.at("platform") == "x") trust[row.at("handle")] = std::stod(row.at("trustworthiness"));
  const auto ratings = ReadCsv(dir() / "ratings.csv", {"rater", "ratee", "rating", "time"});
  ASSERT_GT(ratings.size(), 300u);
  double hi_sum = 0, lo_sum = 0;
  int hi = 0, lo = 0;
  std::set<std::tuple<std::string, std::string, std::string>> keys;
  for (const auto& r : ratings) {
    const int rating = std::stoi(r.at("rating"));
    EXPECT_GE(rating, -10);
    EXPECT_LE(rating, 10);
    ASSERT_TRUE(trust.count(r.at("ratee"))) << r.at("ratee");
    ASSERT_TRUE(trust.count(r.at("rater"))) << r.at("rater");
    EXPECT_TRUE(keys.insert({r.at("rater"), r.at("ratee"), r.at("time")}).second) << "natural key repeated";
    (trust[r.at("ratee")] >= 0.6 ? hi_sum : lo_sum) += rating;
    (trust[r.at("ratee")] >= 0.6 ? hi : lo)++;
  }
  EXPECT_GT(hi_sum / hi, lo_sum / lo + 3);
  const auto rings = ReadCsv(dir() / "truth/rating_rings.csv", {"ring", "platform", "handle"});
  ASSERT_GE(rings.size(), 4u);
  // Ring members rate each other at the top of the scale.
  std::set<std::string> members;
  for (const auto& r : rings) members.insert(r.at("handle"));
  int inside = 0;
  for (const auto& r : ratings) {
    if (members.count(r.at("rater")) && members.count(r.at("ratee"))) {
      EXPECT_GE(std::stoi(r.at("rating")), 9);
      ++inside;
    }
  }
  EXPECT_GE(inside, static_cast<int>(members.size() * (members.size() - 1)));
}

TEST_F(SynthWorldTest, OrdersReferralsAndPlantedFraudHangTogether) {
  const auto advocates = ReadCsv(dir() / "advocates.csv", {"name", "email", "code"});
  std::map<std::string, std::string> email_of_code;
  for (const auto& a : advocates) email_of_code[a.at("code")] = a.at("email");
  ASSERT_GT(advocates.size(), 5u);
  const auto orders = ReadCsv(dir() / "orders.csv", {"order_id", "customer_id", "email", "amount_minor", "currency",
                                                     "time", "referral_code"});
  std::map<std::string, std::map<std::string, std::string>> order_by_id;
  int referred = 0;
  for (const auto& o : orders) {
    EXPECT_TRUE(order_by_id.emplace(o.at("order_id"), o).second) << "order id twice: " << o.at("order_id");
    EXPECT_FALSE(o.at("customer_id").empty() && o.at("email").empty()) << o.at("order_id");
    EXPECT_GT(std::stoll(o.at("amount_minor")), 0);
    EXPECT_EQ(o.at("currency"), "USD");
    if (!o.at("email").empty()) {
      EXPECT_TRUE(identity::NormalizeEmail(o.at("email")).ok()) << o.at("email");
    }
    if (o.at("referral_code").empty()) continue;
    ++referred;
    EXPECT_TRUE(email_of_code.count(o.at("referral_code"))) << "code " << o.at("referral_code") << " not enrolled";
  }
  EXPECT_GT(referred, 20);
  const auto fraud = ReadCsv(dir() / "truth/fraud.csv", {"kind", "order_id_or_code", "detail"});
  std::map<std::string, int> kinds;
  for (const auto& f : fraud) {
    ++kinds[f.at("kind")];
    const auto order = order_by_id.find(f.at("order_id_or_code"));
    ASSERT_NE(order, order_by_id.end()) << f.at("order_id_or_code");
    const std::string& code = order->second.at("referral_code");
    ASSERT_FALSE(code.empty());
    if (f.at("kind") == "self_referral") {
      // The buyer's address is the advocate's own mailbox, spelled differently.
      EXPECT_NE(order->second.at("email"), email_of_code[code]);
      EXPECT_EQ(identity::NormalizeEmail(order->second.at("email")).value(),
                identity::NormalizeEmail(email_of_code[code]).value());
    }
  }
  EXPECT_GT(kinds["self_referral"], 0);
  EXPECT_GT(kinds["ring"], 0);
  EXPECT_GE(kinds["burst"], 15);

  // The program's traffic: every line a known event; every sale an order through a code; refunds of known sales.
  simdjson::dom::parser parser;
  std::set<std::string> sold;
  int clicks = 0, refunds = 0;
  for (const auto& line : ReadLines(dir() / "referrals.jsonl")) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
    const std::string type = testing::Str(e, "type");
    testing::Str(e, "time");
    if (type == "click") {
      ++clicks;
      EXPECT_TRUE(email_of_code.count(testing::Str(e, "code")));
      testing::Str(e, "visitor");
      testing::Str(e, "ip");
      testing::Str(e, "user_agent");
    } else if (type == "lead") {
      EXPECT_TRUE(email_of_code.count(testing::Str(e, "code")));
    } else if (type == "sale") {
      const std::string invoice = testing::Str(e, "invoice_id");
      ASSERT_TRUE(order_by_id.count(invoice)) << invoice;
      EXPECT_EQ(order_by_id[invoice].at("referral_code"), testing::Str(e, "code"));
      int64_t amount = 0;
      EXPECT_EQ(e["amount"].get(amount), simdjson::SUCCESS);
      EXPECT_EQ(std::to_string(amount), order_by_id[invoice].at("amount_minor"));
      sold.insert(invoice);
    } else if (type == "refund") {
      EXPECT_TRUE(sold.count(testing::Str(e, "invoice_id"))) << "refund before its sale";
      ++refunds;
    } else {
      ADD_FAILURE() << "unknown event type " << type;
    }
  }
  EXPECT_EQ(static_cast<int>(sold.size()), referred);
  EXPECT_GT(clicks, referred);
  EXPECT_GT(refunds, 5);
}

TEST_F(SynthWorldTest, CrmCoversPartOfThePeopleWithLinkedIdentities) {
  const auto crm = ReadCsv(dir() / "people.csv", {"customer_id", "email", "platform", "handle", "name"});
  const auto people = ReadCsv(dir() / "truth/people.csv", {"platform", "handle", "person", "trustworthiness",
                                                           "used_product", "deal_seeking", "advocate"});
  std::map<std::pair<std::string, std::string>, std::string> person_of;
  std::set<std::string> persons;
  for (const auto& row : people) {
    person_of[{row.at("platform"), row.at("handle")}] = row.at("person");
    persons.insert(row.at("person"));
  }
  std::map<std::string, std::set<std::string>> persons_of_customer;
  int variants = 0, linked = 0;
  for (const auto& row : crm) {
    EXPECT_FALSE(row.at("customer_id").empty() && row.at("email").empty() && row.at("handle").empty());
    if (!row.at("email").empty()) {
      EXPECT_TRUE(identity::NormalizeEmail(row.at("email")).ok());
      variants += row.at("email") != identity::NormalizeEmail(row.at("email")).value();
    }
    if (row.at("handle").empty()) continue;
    const auto it = person_of.find({row.at("platform"), row.at("handle")});
    ASSERT_NE(it, person_of.end()) << row.at("platform") << " " << row.at("handle");
    if (!row.at("customer_id").empty()) persons_of_customer[row.at("customer_id")].insert(it->second);
    linked += row.at("platform") != "x";
  }
  // A customer id is one person, whatever platforms it links.
  for (const auto& [customer, ps] : persons_of_customer) EXPECT_EQ(ps.size(), 1u) << customer;
  EXPECT_GT(variants, 20);
  EXPECT_GT(linked, 10);
  EXPECT_LT(persons_of_customer.size(), persons.size() / 2);
}

}  // namespace
}  // namespace vouch::synth
