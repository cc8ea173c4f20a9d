// The redirect's hot path: time-ordered click and visitor ids, the cached-link RecordClick overload, and the WAL
// syncer that releases answers only after their commit is on disk.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/test_paths.h"
#include "vouch/core/clock.h"
#include "vouch/refer/codes.h"
#include "vouch/refer/referral_service.h"
#include "vouch/refer/sqlite_referral_store.h"
#include "vouch/refer/wal_syncer.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::refer {
namespace {

bool IsBase62(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

TEST(TimeOrderedTokenTest, SixteenBase62CharactersSortedByTime) {
  std::vector<int64_t> times = {0, 1, 61, 62, 1'700'000'000'000, 1'700'000'000'001, 1'800'000'000'000};
  std::vector<std::string> tokens;
  for (int64_t t : times) {
    auto token = TimeOrderedToken(t);
    ASSERT_TRUE(token.ok());
    EXPECT_EQ(token->size(), kTimeOrderedTokenLength);
    EXPECT_TRUE(IsBase62(*token)) << *token;
    tokens.push_back(*token);
  }
  // Base62 digits in ASCII order: byte order of the 7-character prefix is time order.
  for (size_t i = 1; i < tokens.size(); ++i) EXPECT_LT(tokens[i - 1].substr(0, 7), tokens[i].substr(0, 7));
  EXPECT_EQ(tokens[0].substr(0, 7), "0000000");
}

TEST(TimeOrderedTokenTest, SameMillisecondStillUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto token = TimeOrderedToken(1'700'000'000'000);
    ASSERT_TRUE(token.ok());
    EXPECT_TRUE(seen.insert(*token).second) << "repeated " << *token;
  }
}

TEST(RandomTokenTest, PooledDrawsStayUniformish) {
  // Many draws cross the 4 KiB pool boundary; every character of the alphabet shows up and none dominates.
  std::map<char, int> counts;
  for (int i = 0; i < 2000; ++i) {
    auto token = RandomToken(31);
    ASSERT_TRUE(token.ok());
    ASSERT_EQ(token->size(), 31u);
    for (char c : *token) ++counts[c];
  }
  EXPECT_EQ(counts.size(), 62u);
  for (const auto& [c, n] : counts) EXPECT_LT(n, 2 * 2000 * 31 / 62) << c;
}

class CachedClickTest : public ::testing::Test {
 protected:
  void SetUp() override {
    identity_ = std::move(SqliteStore::Open(":memory:", true, clock_)).value();
    refer_ = std::move(SqliteReferralStore::Open(identity_->db())).value();
    service_ = std::make_unique<ReferralService>(*refer_, *identity_, clock_);
    Program p;
    p.name = "Friends";
    p.destination_url = "https://shop.example/welcome?from=vouch#top";
    p.rewards = {{RewardEvent::kSale, RewardType::kPercent, 1000}};
    ASSERT_TRUE(service_->CreateProgram(p).ok());
    ASSERT_TRUE(service_->CreateAdvocate({"Jane", "jane@example.com", "", "", ""}).ok());
    ASSERT_TRUE(service_->CreateLink(1, 1, "JANE").ok());
    link_ = *std::move(refer_->FindLink("JANE")).value();
    program_ = *std::move(refer_->GetProgram(1)).value();
  }

  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<SqliteStore> identity_;
  std::unique_ptr<SqliteReferralStore> refer_;
  std::unique_ptr<ReferralService> service_;
  Link link_;
  Program program_;
};

TEST_F(CachedClickTest, NewVisitorCountedRepeatWithinTheHourNot) {
  ClickInput in{"", "198.51.100.7", "Mozilla/5.0", "", false, false};
  auto first = service_->RecordClick(link_, program_, in);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->counted);
  EXPECT_EQ(first->location, "https://shop.example/welcome?from=vouch&vouch_click=" + first->token + "#top");
  EXPECT_EQ(first->visitor.size(), kTimeOrderedTokenLength);
  in.visitor = first->visitor;  // the cookie came back
  auto again = service_->RecordClick(link_, program_, in);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->counted);
  EXPECT_NE(again->token, first->token);
  // Both raw clicks are stored, findable by their ids.
  EXPECT_TRUE(refer_->FindClick(first->token).value().has_value());
  EXPECT_TRUE(refer_->FindClick(again->token).value().has_value());
}

TEST_F(CachedClickTest, ClickParameterJoinsTheDestinationsQueryBeforeItsFragment) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"https://shop.example/welcome", "https://shop.example/welcome?vouch_click=ID"},
      {"https://shop.example/welcome?", "https://shop.example/welcome?vouch_click=ID"},
      {"https://shop.example/welcome?a=1&", "https://shop.example/welcome?a=1&vouch_click=ID"},
      {"https://shop.example/welcome?a=1", "https://shop.example/welcome?a=1&vouch_click=ID"},
      {"https://shop.example/welcome#top", "https://shop.example/welcome?vouch_click=ID#top"},
      {"https://shop.example/w?a=1#x?y", "https://shop.example/w?a=1&vouch_click=ID#x?y"},
  };
  for (const auto& [destination, expected] : cases) {
    Program program = program_;
    program.destination_url = destination;
    auto out = service_->RecordClick(link_, program, ClickInput{"", "198.51.100.7", "Mozilla/5.0", "", false, false});
    ASSERT_TRUE(out.ok()) << out.status().message();
    std::string want = expected;
    want.replace(want.find("ID"), 2, out->token);
    EXPECT_EQ(out->location, want) << destination;
  }
}

// The click's strings are bound without SQLite's copy (Statement::BindStatic): the stored row must hold them
// exactly, also after the next click has reused the statement.
TEST_F(CachedClickTest, StoredClickKeepsItsStrings) {
  std::string agent(300, 'x');  // past any inline buffer
  auto first = service_->RecordClick(link_, program_, ClickInput{"", "203.0.113.9", agent, "", false, false});
  ASSERT_TRUE(first.ok());
  auto second = service_->RecordClick(link_, program_, ClickInput{"", "198.51.100.7", "Mozilla/5.0", "", true, false});
  ASSERT_TRUE(second.ok());
  auto row = refer_->FindClick(first->token).value();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->token, first->token);
  EXPECT_EQ(row->ip, "203.0.113.9");
  EXPECT_EQ(row->user_agent, agent);
  EXPECT_EQ(row->visitor, first->visitor);
  EXPECT_FALSE(row->head);
  auto other = refer_->FindClick(second->token).value();
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->ip, "198.51.100.7");
  EXPECT_EQ(other->user_agent, "Mozilla/5.0");
  EXPECT_TRUE(other->head);
  // A user agent longer than the bot filter's stack buffer is still lower-cased and matched.
  auto long_bot = service_->RecordClick(link_, program_,
                                        ClickInput{"", "198.51.100.7", std::string(600, 'y') + "SomeBot/1.0", "",
                                                   false, false});
  ASSERT_TRUE(long_bot.ok());
  EXPECT_TRUE(refer_->FindClick(long_bot->token).value()->bot);
  EXPECT_FALSE(row->bot);
}

TEST_F(CachedClickTest, DisabledLinkIsNotFound) {
  link_.disabled = true;
  auto out = service_->RecordClick(link_, program_, {"", "198.51.100.7", "Mozilla/5.0", "", false, false});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
}

TEST(WalSyncerTest, EveryCompletionRunsOnceAfterASync) {
  auto path = std::filesystem::temp_directory_path() / "vouch_wal_syncer_test.wal";
  { std::ofstream(path) << "frames"; }
  WalSyncer syncer(3);
  ASSERT_TRUE(syncer.Start(path.string()).ok());
  std::atomic<int> ran{0}, ok{0};
  for (int batch = 0; batch < 50; ++batch) {
    std::vector<WalSyncer::Completion> completions;
    for (int i = 0; i < 4; ++i) {
      completions.push_back([&](bool durable) {
        ++ran;
        if (durable) ++ok;
      });
    }
    syncer.Submit(std::move(completions));
  }
  syncer.Stop();  // drains: nothing submitted is dropped
  EXPECT_EQ(ran.load(), 200);
  EXPECT_EQ(ok.load(), 200);
  EXPECT_GE(syncer.syncs(), 1u);
  EXPECT_LE(syncer.syncs(), 50u);
  std::filesystem::remove(path);
}

TEST(WalSyncerTest, MissingWalIsAnError) {
  WalSyncer syncer;
  Status s = syncer.Start((std::filesystem::temp_directory_path() / "vouch_no_such_dir" / "x-wal").string());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("x-wal"), std::string::npos);
}

}  // namespace
}  // namespace vouch::refer
