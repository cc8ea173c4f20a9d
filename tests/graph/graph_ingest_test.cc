#include "vouch/graph/graph_ingest.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

#include "vouch/graph/graph_file.h"
#include "vouch/graph/graph_people.h"
#include "vouch/trust/graph_trust.h"

namespace vouch::graph {
namespace {

class GraphIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("vouch_graph_ingest_" + std::to_string(::getpid()) + "_" +
                                                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto ws = Workspace::Init(dir_ / "ws");
    ASSERT_TRUE(ws.ok()) << ws.status().ToString();
    ws_ = std::move(*ws);
  }
  void TearDown() override {
    ws_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  Status Ingest(const std::string& text, const std::string& platform = "x", bool undirected = false) {
    GraphIngestOptions options;
    options.platform = platform;
    options.undirected = undirected;
    GraphIngest ingest(*ws_, Write("in.txt", text), options);
    Status s = ingest.run();
    if (s.ok()) last_ = ingest.record();
    return s;
  }
  std::optional<Identity> Find(const std::string& handle) {
    auto found = ws_->store().FindIdentity({IdentityKind::kHandle, "x", handle});
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : std::nullopt;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Workspace> ws_;
  GraphIngestRecord last_;
};

TEST_F(GraphIngestTest, UnionsFilesAndLeavesPeopleForLater) {
  auto none = WorkspaceGraphCounts(ws_->dir());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->edges, 0u);

  ASSERT_TRUE(Ingest("@Alice bob\nbob carol\n").ok());
  EXPECT_EQ(last_.nodes, 3u);
  EXPECT_TRUE(last_.people_pending);
  EXPECT_EQ(last_.platform, "x");
  EXPECT_FALSE(Find("alice").has_value());  // not created by the ingest
  ASSERT_TRUE(Ingest("bob carol\ncarol dave\n").ok());
  EXPECT_EQ(last_.nodes_before, 3u);
  EXPECT_EQ(last_.edges, 3u);
  auto info = ReadGraphFileInfo(WorkspaceGraphPath(ws_->dir()));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->nodes, 4u);
  EXPECT_EQ(info->edges, 3u);
  EXPECT_EQ(info->tags.platform, "x");
  EXPECT_TRUE(info->tags.people_pending);
  auto count = CountGraphOnlyPeople(*ws_);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 4u);

  // Re-ingesting the same file adds nothing.
  ASSERT_TRUE(Ingest("bob carol\ncarol dave\n").ok());
  EXPECT_EQ(last_.nodes, last_.nodes_before);
  EXPECT_EQ(last_.edges, last_.edges_before);
}

TEST_F(GraphIngestTest, MapperCreatesThePeopleTheEagerIngestDid) {
  ASSERT_TRUE(Ingest("@Alice bob\nbob carol\n").ok());
  GraphPeopleMapper mapper(*ws_);
  ASSERT_TRUE(mapper.run().ok());
  EXPECT_TRUE(mapper.record().pending);
  EXPECT_EQ(mapper.record().identities_created, 3u);
  // As the ingest used to: the handle normalised the way every other record's is ("@Alice" on x is "alice"),
  // the person named by the node id.
  auto alice = Find("alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->display, "@Alice");
  auto person = ws_->store().GetPerson(alice->person);
  ASSERT_TRUE(person.ok() && person->has_value());
  EXPECT_EQ((*person)->display_name, "@Alice");
  auto info = ReadGraphFileInfo(WorkspaceGraphPath(ws_->dir()));
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->tags.people_pending);
  auto count = CountGraphOnlyPeople(*ws_);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0u);

  // Done: a second run resolves nothing; a post by "@BOB" later finds the graph's bob.
  GraphPeopleMapper again(*ws_);
  ASSERT_TRUE(again.run().ok());
  EXPECT_FALSE(again.record().pending);
  auto bob = ws_->store().ResolveIdentity({IdentityKind::kHandle, "x", "bob"}, "@BOB");
  ASSERT_TRUE(bob.ok());
  EXPECT_FALSE(bob->created);

  // Only a new node makes people pending again. (Node ids are kept as the file spells them: "alice" would be a
  // new node, of the same person as "@Alice".)
  ASSERT_TRUE(Ingest("bob carol\n").ok());
  EXPECT_FALSE(last_.people_pending);
  ASSERT_TRUE(Ingest("bob erin\n").ok());
  EXPECT_TRUE(last_.people_pending);
}

TEST_F(GraphIngestTest, NodesJoinThePeopleOtherRecordsCreated) {
  // bob posted before the graph came: his node is his person, whichever came first.
  auto bob = ws_->store().ResolveIdentity({IdentityKind::kHandle, "x", "bob"}, "Bob B.");
  ASSERT_TRUE(bob.ok());
  ASSERT_TRUE(Ingest("alice Bob\nBob carol\n").ok());
  auto count = CountGraphOnlyPeople(*ws_);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2u);  // alice, carol
  GraphPeopleMapper mapper(*ws_);
  ASSERT_TRUE(mapper.run().ok());
  EXPECT_EQ(mapper.record().identities_created, 2u);
  EXPECT_EQ(mapper.record().identities_found, 1u);
  auto found = Find("bob");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->person, bob->person);
}

TEST_F(GraphIngestTest, ConsumerOfAPendingGraphGetsEveryNodesPerson) {
  auto carol = ws_->store().ResolveIdentity({IdentityKind::kHandle, "x", "carol"}, "carol");
  ASSERT_TRUE(carol.ok());
  ASSERT_TRUE(Ingest("alice bob\nbob carol\n").ok());
  auto g = OpenGraphFile(WorkspaceGraphPath(ws_->dir()));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->arrays().platform, "x");
  uint64_t without = 99;
  auto people = trust::GraphPeople(*g, ws_->store(), "x", &without);
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  EXPECT_EQ(without, 0u);
  for (NodeId u = 0; u < g->num_nodes(); ++u) {
    auto found = Find(g->ExternalId(u));
    ASSERT_TRUE(found.has_value()) << g->ExternalId(u);
    EXPECT_EQ((*people)[u], found->person);
  }
  EXPECT_EQ((*people)[*g->FindNode("carol")], carol->person);
}

TEST_F(GraphIngestTest, InterruptedMappingCompletesWhenRunAgain) {
  ASSERT_TRUE(Ingest("a b\nb c\nc d\nd e\n").ok());
  std::atomic<bool> cancel{true};
  GraphPeopleOptions options;
  options.batch = 2;
  GraphPeopleMapper cut(*ws_, options, RunControl{&cancel, nullptr});
  EXPECT_EQ(cut.run().code(), StatusCode::kCancelled);
  auto info = ReadGraphFileInfo(WorkspaceGraphPath(ws_->dir()));
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->tags.people_pending);
  EXPECT_TRUE(Find("a").has_value());  // the first batch landed
  EXPECT_FALSE(Find("e").has_value());
  GraphPeopleMapper rest(*ws_, options);
  ASSERT_TRUE(rest.run().ok());
  EXPECT_EQ(rest.record().identities_found, 2u);
  EXPECT_EQ(rest.record().identities_created, 3u);
  EXPECT_TRUE(Find("e").has_value());
}

TEST_F(GraphIngestTest, RefusesAnotherPlatformAndUnusableHandles) {
  ASSERT_TRUE(Ingest("alice bob\n").ok());
  Status other = Ingest("alice carol\n", "reddit");
  EXPECT_EQ(other.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(other.ToString().find("--platform x"), std::string::npos) << other.ToString();
  // Without --platform, the graph's own platform is used.
  ASSERT_TRUE(Ingest("alice carol\n", "").ok());
  EXPECT_EQ(last_.platform, "x");
  Status unusable = Ingest("alice @\n");
  EXPECT_EQ(unusable.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unusable.ToString().find("'@'"), std::string::npos) << unusable.ToString();
}

TEST_F(GraphIngestTest, UndirectedFileGivesArcsBothWays) {
  ASSERT_TRUE(Ingest("1 2\n2 3\n", "x", true).ok());
  EXPECT_EQ(last_.edges, 4u);
  ASSERT_TRUE(Ingest("3 4\n").ok());
  EXPECT_EQ(last_.edges, 5u);
  EXPECT_EQ(last_.nodes, 4u);
}

}  // namespace
}  // namespace vouch::graph
