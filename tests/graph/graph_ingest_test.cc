#include "vouch/graph/graph_ingest.h"

#include <gtest/gtest.h>

#include <fstream>

namespace vouch::graph {
namespace {

TEST(GraphIngestTest, UnionsFilesMapsNewNodesAndReportsCounts) {
  auto dir = std::filesystem::temp_directory_path() / ("vouch_graph_ingest_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto ws = Workspace::Init(dir / "ws");
  ASSERT_TRUE(ws.ok()) << ws.status().ToString();
  auto none = WorkspaceGraphCounts((*ws)->dir());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->edges, 0u);

  std::ofstream(dir / "a.txt") << "@Alice bob\nbob carol\n";
  GraphIngestOptions options;
  options.platform = "x";
  GraphIngest first(**ws, dir / "a.txt", options);
  ASSERT_TRUE(first.run().ok());
  EXPECT_EQ(first.record().identities_created, 3u);

  std::ofstream(dir / "b.txt") << "bob carol\ncarol dave\n";
  GraphIngest second(**ws, dir / "b.txt", options);
  ASSERT_TRUE(second.run().ok());
  EXPECT_EQ(second.record().identities_created, 1u);  // only dave
  EXPECT_EQ(second.record().edges, 3u);
  auto counts = WorkspaceGraphCounts((*ws)->dir());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->nodes, 4u);
  EXPECT_EQ(counts->edges, 3u);
  // The handle was normalised the way every other record's is: "@Alice" on x is "alice".
  auto alice = (*ws)->store().FindIdentity({IdentityKind::kHandle, "x", "alice"});
  ASSERT_TRUE(alice.ok());
  EXPECT_TRUE(alice->has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vouch::graph
