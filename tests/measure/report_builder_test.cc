#include "vouch/measure/report_builder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "refer/refer_schema.h"
#include "vouch/measure/people_export.h"
#include "vouch/measure/report_render.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kT0 = 1772409600;  // 2026-03-02 00:00 UTC
constexpr int64_t kDay = 86400;

// A workspace with brand Acme (competitor Rival), ten days of mentions with a complaint spike on the last day, and
// a small referral program: every expected figure below is worked out by hand from these rows.
class ReportBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("vouch_measure_{}_{}", ::getpid(), ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    ASSERT_TRUE(Workspace::Init(dir_).ok());
    std::ofstream(dir_ / "vouch.toml", std::ios::app)
        << "\n[[brand]]\nname = \"Acme\"\naliases = [\"acme\"]\ncompetitors = [\"Rival\"]\n"
           "[[brand]]\nname = \"Rival\"\naliases = [\"rival\"]\n"
           "[measure]\nmargin = 0.5\nprogram_cost = 1000\n[measure.cpm]\nx = 1000\n";
    auto ws = Workspace::Open(dir_);
    ASSERT_TRUE(ws.ok()) << ws.status().ToString();
    ws_ = std::move(*ws);
    auto db = store::SqliteDb::Open((dir_ / "vouch.db").string(), false);
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    ws_.reset();
    fs::remove_all(dir_);
  }

  void Sql(const std::string& sql) { ASSERT_TRUE(db_->Exec(sql).ok()) << sql; }

  int64_t Person(const std::string& handle) {
    auto ref = ws_->store().ResolveIdentity({IdentityKind::kHandle, "x", handle}, handle);
    EXPECT_TRUE(ref.ok());
    ids_[handle] = ref->identity;
    return ref->person;
  }

  // One post by handle at time t with one mention.
  void Mention(const std::string& handle, int64_t t, const std::string& brand, const std::string& act,
               const std::string& sentiment) {
    ++posts_;
    Sql(fmt::format("INSERT INTO posts (id, platform, external_id, author_identity, time, body_offset, body_length) "
                    "VALUES ({0}, 'x', 'p{0}', {1}, {2}, 0, 0)", posts_, ids_[handle], t));
    Sql(fmt::format("INSERT INTO mentions (post_id, brand, term, span_begin, span_end, act, act_confidence, sentiment, "
                    "sentiment_score) VALUES ({}, '{}', 'acme', 0, 4, '{}', 0.9, '{}', 0)",
                    posts_, brand, act, sentiment));
  }

  void FillMentions() {
    Person("ann");
    Person("bob");
    for (int d = 0; d < 10; ++d) {
      int64_t t = kT0 + d * kDay + 3600;
      Mention("ann", t, "Acme", "endorse", "pos");
      Mention("ann", t, "Acme", "endorse", "pos");
      Mention("bob", t, "Acme", "complain", "neg");
      Mention("bob", t, "Acme", "share", "neu");
      Mention("bob", t, "Acme", "share", "neu");
      for (int i = 0; i < 5; ++i) Mention("bob", t, "Rival", "share", "neu");
    }
    for (int i = 0; i < 20; ++i) Mention("bob", kT0 + 9 * kDay + 7200, "Acme", "complain", "neg");
  }

  void FillReferrals() {
    ASSERT_TRUE(db_->Migrate("refer", refer::ReferMigrations()).ok());
    int64_t ann = Person("ann");
    int64_t ms = kT0 * 1000;
    Sql(fmt::format(
        "INSERT INTO refer_programs VALUES (1, 'p', 'https://shop.example/', 'USD', '[]', 30, 30, 'last_click', "
        "'strict', 3, {0});"
        "INSERT INTO refer_advocates (id, name, email, email_canonical, person_id, created_at) VALUES "
        "(1, 'Ann', 'ann@example.com', 'ann@example.com', {1}, {0}), (2, 'Cy', 'cy@example.com', 'cy@example.com', 0, {0});"
        "INSERT INTO refer_links (id, code, program_id, advocate_id, vanity, created_at) VALUES "
        "(1, 'ANN', 1, 1, 1, {0}), (2, 'CY', 1, 2, 1, {0});"
        "INSERT INTO refer_customers (id, external_id) VALUES (1, 'c1'), (2, 'c2');",
        kT0, ann));
    // 10 counted clicks (8 on ANN, 2 on CY), 2 bot clicks not counted.
    for (int i = 1; i <= 12; ++i) {
      Sql(fmt::format("INSERT INTO refer_clicks (id, token, link_id, at_ms, ip, user_agent, visitor, counted, bot, "
                      "head) VALUES ({0}, 't{0}', {1}, {2}, 'ip', 'ua', 'v{0}', {3}, {4}, 0)",
                      i, i <= 8 ? 1 : 2, ms + i * 1000, i <= 10 ? 1 : 0, i <= 10 ? 0 : 1));
    }
    Sql(fmt::format(
        "INSERT INTO refer_leads (id, click_id, customer_id, link_id, at) VALUES (1, 1, 1, 1, {0}), (2, 2, 2, 1, {0}),"
        " (3, 3, 1, 1, {0}), (4, 9, 2, 2, {0});"
        "INSERT INTO refer_sales (id, invoice_id, customer_id, amount, currency, at, lead_id, refunded) VALUES "
        "(1, 'i1', 1, 10000, 'USD', {1}, 1, 0), (2, 'i2', 2, 5000, 'USD', {1}, 2, 5000);"
        "INSERT INTO refer_refunds (sale_id, amount, at) VALUES (2, 5000, {1});"
        "INSERT INTO refer_commissions (program_id, advocate_id, event, sale_id, invoice_id, amount, reversed, "
        "currency, status, approve_at, created_at) VALUES "
        "(1, 1, 'sale', 1, 'i1', 1000, 0, 'USD', 'approved', {1}, {1}),"
        "(1, 1, 'sale', 2, 'i2', 500, 500, 'USD', 'reversed', {1}, {1}),"
        "(1, 2, 'sale', NULL, NULL, 700, 0, 'USD', 'hold', {1}, {1});",
        kT0 + 10, kT0 + 2 * kDay));
  }

  const ReportData& Build(ReportOptions options = {}) {
    builder_ = std::make_unique<ReportBuilder>(*ws_, options);
    Status s = builder_->run();
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto d = builder_->data();
    EXPECT_TRUE(d.ok());
    return **d;
  }

  fs::path dir_;
  std::unique_ptr<Workspace> ws_;
  std::unique_ptr<store::SqliteDb> db_;
  std::unique_ptr<ReportBuilder> builder_;
  std::map<std::string, int64_t> ids_;
  int64_t posts_ = 0;
};

TEST_F(ReportBuilderTest, DataRefusedBeforeRun) {
  ReportBuilder b(*ws_, {});
  EXPECT_FALSE(b.data().ok());
}

TEST_F(ReportBuilderTest, EmptyWorkspaceSaysWhatToRunForEverySection) {
  const ReportData& d = Build();
  EXPECT_EQ(d.brand, "Acme");
  for (const SectionState* s : {&d.volume.state, &d.share_of_voice.state, &d.sentiment.state, &d.wom.state,
                                &d.advocates.state, &d.alerts.state, &d.funnel.state, &d.growth.state,
                                &d.economics.state, &d.emv.state, &d.campaign.state}) {
    EXPECT_FALSE(s->available);
    EXPECT_FALSE(s->missing.empty());
  }
  EXPECT_NE(d.funnel.state.missing.find("vouch serve"), std::string::npos);
  EXPECT_NE(d.campaign.state.missing.find("simulate campaign"), std::string::npos);
  nlohmann::json j = ReportToJson(d);
  EXPECT_TRUE(j["kpis"]["mentions"].is_null());
  EXPECT_TRUE(j["kpis"]["roi"].is_null());
}

TEST_F(ReportBuilderTest, MentionSections) {
  FillMentions();
  const ReportData& d = Build();
  ASSERT_TRUE(d.volume.state.available);
  ASSERT_EQ(d.volume.days.size(), 10u);
  EXPECT_EQ(d.volume.days.front(), "2026-03-02");
  EXPECT_EQ(d.volume.days.back(), "2026-03-11");
  EXPECT_EQ(d.volume.mentions, 70);
  EXPECT_EQ(d.volume.totals[0], 20);  // endorse
  EXPECT_EQ(d.volume.totals[1], 30);  // complain: 10 + the spike's 20
  EXPECT_EQ(d.volume.totals[2], 20);  // share
  EXPECT_EQ(d.volume.by_act[9][1], 21);

  ASSERT_EQ(d.share_of_voice.brands.size(), 2u);
  EXPECT_EQ(d.share_of_voice.brands[0].brand, "Acme");
  EXPECT_NEAR(d.share_of_voice.brands[0].share, 70.0 / 120.0, 1e-12);
  EXPECT_NEAR(d.share_of_voice.brands[0].wom_share, 1.0, 1e-12);  // Rival has no word-of-mouth

  EXPECT_NEAR(d.sentiment.overall, (20.0 - 30.0) / 70.0, 1e-12);
  EXPECT_NEAR(d.sentiment.net[0], (2.0 - 1.0) / 5.0, 1e-12);
  EXPECT_NEAR(d.wom.ratio, 50.0 / 20.0, 1e-12);
  EXPECT_NEAR(d.wom.daily_ratio[0], 3.0 / 2.0, 1e-12);

  // Day 9: 21 complaints against a steady 1 a day, 25 mentions against 5: both alerts, nothing earlier.
  ASSERT_EQ(d.alerts.alerts.size(), 2u);
  for (const Alert& a : d.alerts.alerts) EXPECT_EQ(a.day, "2026-03-11");
  EXPECT_EQ(d.alerts.alerts[0].kind == "volume_spike" ? d.alerts.alerts[1].value : d.alerts.alerts[0].value, 21);

  // No graph: earned media says so rather than showing zero.
  EXPECT_FALSE(d.emv.state.available);
  EXPECT_NE(d.emv.state.missing.find("ingest graph"), std::string::npos);

  // The window: --since/--until cut the days (d is not used after this: Build replaces the builder).
  ReportOptions window;
  window.since = kT0 + 2 * kDay;
  window.until = kT0 + 4 * kDay;
  const ReportData& w = Build(window);
  EXPECT_EQ(w.volume.days.size(), 2u);
  EXPECT_EQ(w.volume.mentions, 10);

}

TEST_F(ReportBuilderTest, ReferralSections) {
  FillReferrals();
  const ReportData& d = Build();
  const FunnelSection& f = d.funnel;
  ASSERT_TRUE(f.state.available) << f.state.missing;
  EXPECT_EQ(f.raw_clicks, 12);
  EXPECT_EQ(f.clicks, 10);
  EXPECT_EQ(f.leads, 4);
  EXPECT_EQ(f.sales, 2);
  EXPECT_EQ(f.refunds, 1);
  EXPECT_EQ(f.revenue, 15000);
  EXPECT_EQ(f.refunded, 5000);
  EXPECT_EQ(f.lead_per_click.numerator, 4);
  EXPECT_EQ(f.lead_per_click.denominator, 10);
  EXPECT_DOUBLE_EQ(f.sale_per_lead.value(), 0.5);

  const GrowthSection& g = d.growth;
  EXPECT_EQ(g.advocates, 2);
  EXPECT_EQ(g.active_advocates, 2);
  EXPECT_EQ(g.referred_customers, 1);  // the refunded sale's customer does not count
  EXPECT_DOUBLE_EQ(g.k_factor, 10.0 / 2.0 * (1.0 / 10.0));
  ASSERT_TRUE(g.cycle_time_days.has_value());
  EXPECT_NEAR(*g.cycle_time_days, 2.0, 0.01);

  const EconomicsSection& e = d.economics;
  EXPECT_EQ(e.commissions, 1000);       // approved; the reversed one nets to 0
  EXPECT_EQ(e.commissions_held, 700);
  EXPECT_EQ(e.cost, 2000);              // + program_cost 1000
  EXPECT_EQ(e.net_revenue, 10000);
  ASSERT_TRUE(e.cpa.has_value());
  EXPECT_EQ(*e.cpa, 2000);
  ASSERT_TRUE(e.roi.has_value());
  EXPECT_DOUBLE_EQ(*e.roi, (10000 * 0.5 - 2000) / 2000.0);
}

TEST_F(ReportBuilderTest, PeopleExportHasOneRowPerPersonWithReferralResults) {
  FillMentions();
  FillReferrals();
  std::vector<PersonExportRow> rows;
  PeopleExport exporter(*ws_);
  ASSERT_TRUE(exporter.run([&](const PersonExportRow& r) {
                rows.push_back(r);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(rows.size(), 2u);
  const PersonExportRow& ann = rows[0].handles[0] == "x:ann" ? rows[0] : rows[1];
  EXPECT_EQ(ann.acts[0], 20);
  EXPECT_EQ(ann.mentions, 20);
  ASSERT_TRUE(ann.advocate_id.has_value());
  EXPECT_EQ(ann.referral_clicks, 8);
  EXPECT_EQ(ann.referral_leads, 3);
  EXPECT_EQ(ann.referral_sales, 2);
  EXPECT_EQ(ann.referral_revenue, 10000);  // net of the refund
  EXPECT_EQ(ann.commissions, 1000);
  std::string line = PeopleCsvRow(ann), header = PeopleCsvHeader();
  EXPECT_EQ(std::count(line.begin(), line.end(), ','), std::count(header.begin(), header.end(), ','));
  EXPECT_EQ(PeopleJson(ann)["referral_sales"], 2);
}

TEST(ReportConfigTest, MeasureTableIsReadAndCheckedNamingTheField) {
  fs::path file = fs::temp_directory_path() / fmt::format("vouch_measure_cfg_{}.toml", ::getpid());
  std::ofstream(file) << "[measure]\nmargin = 0.25\n[measure.cpm]\nx = 900\n";
  auto c = LoadMeasureConfig(file);
  ASSERT_TRUE(c.ok());
  EXPECT_DOUBLE_EQ(c->margin, 0.25);
  EXPECT_EQ(c->cpm.at("x"), 900);
  EXPECT_EQ(c->cpm.at("reddit"), 400);  // the default stays
  std::ofstream(file) << "[measure]\nmargin = 2\n";
  auto bad = LoadMeasureConfig(file);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("margin"), std::string::npos);
  std::ofstream(file) << "[measure.cpm]\nx = \"cheap\"\n";
  bad = LoadMeasureConfig(file);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("cpm.x"), std::string::npos);
  fs::remove(file);
}

TEST(ReportTimeTest, ParsesDaysTimesAndEpochs) {
  EXPECT_EQ(*ParseReportTime("2026-03-02", "--since"), kT0);
  EXPECT_EQ(*ParseReportTime("2026-03-02T01:00:00Z", "--since"), kT0 + 3600);
  EXPECT_EQ(*ParseReportTime("1772409600", "--since"), kT0);
  auto bad = ParseReportTime("March 2", "--until");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--until"), std::string::npos);
  EXPECT_FALSE(ParseReportTime("2026-02-30", "--since").ok());
  EXPECT_EQ(DayOf(kT0 + kDay - 1), "2026-03-02");
}

TEST(ReportRenderTest, PageGetsDataAndLibraryAndNoScriptCanBeClosedEarly) {
  PageAssets assets;
  assets.page = "<script>/*@CHART_JS@*/</script><script>const MODE = \"@REPORT_MODE@\"; const D = /*@REPORT_DATA@*/null;</script>";
  assets.chart_js = "lib();";
  ReportData d;
  d.brand = "</script><b>";
  std::string html = RenderReportHtml(assets, ReportToJson(d));
  EXPECT_NE(html.find("lib();"), std::string::npos);
  EXPECT_NE(html.find("MODE = \"report\""), std::string::npos);
  EXPECT_EQ(html.find("</script><b>"), std::string::npos);
  EXPECT_NE(html.find("<\\/script><b>"), std::string::npos);
  std::string dash = RenderDashboardHtml(assets);
  EXPECT_NE(dash.find("MODE = \"dashboard\""), std::string::npos);
  EXPECT_NE(dash.find("const D = null"), std::string::npos);
}

}  // namespace
}  // namespace vouch::measure
