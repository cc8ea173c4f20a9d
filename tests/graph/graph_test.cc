#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "vouch/graph/edge_list_parser.h"
#include "vouch/graph/edge_probabilities.h"
#include "vouch/graph/graph_builder.h"
#include "vouch/graph/graph_file.h"
#include "vouch/graph/graph_loader.h"

namespace vouch::graph {
namespace {

class GraphTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vouch_graph_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path Write(const std::string& name, const std::string& text) {
    auto p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }
  Result<Graph> Load(const std::filesystem::path& p, bool undirected = false, int threads = 0) {
    GraphLoadOptions o;
    o.undirected = undirected;
    o.threads = threads;
    return LoadGraph(p, o, {}, &record_);
  }
  std::vector<std::string> Out(const Graph& g, const std::string& u) {
    std::vector<std::string> r;
    for (NodeId v : g.OutNeighbours(*g.FindNode(u))) r.push_back(g.ExternalId(v));
    return r;
  }
  std::vector<std::string> In(const Graph& g, const std::string& v) {
    std::vector<std::string> r;
    for (NodeId u : g.InNeighbours(*g.FindNode(v))) r.push_back(g.ExternalId(u));
    return r;
  }
  std::filesystem::path dir_;
  GraphLoadRecord record_;
};

using Ids = std::vector<std::string>;

TEST_F(GraphTest, ParsesCommentsBlankLinesTabsAndCrlf) {
  auto p = Write("g.txt", "# a comment\n% another\n\n10\t20\r\n  10 30\n20 30   \n30 10");
  auto g = Load(p);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->num_nodes(), 3u);
  EXPECT_EQ(g->num_edges(), 4u);
  EXPECT_EQ(g->id_kind(), ExternalIdKind::kInteger);
  EXPECT_EQ(Out(*g, "10"), (Ids{"20", "30"}));
  EXPECT_EQ(In(*g, "30"), (Ids{"10", "20"}));
  EXPECT_EQ(In(*g, "10"), (Ids{"30"}));
  // Integer ids keep their ascending order.
  EXPECT_EQ(g->ExternalId(0), "10");
  EXPECT_EQ(g->ExternalId(2), "30");
  EXPECT_FALSE(g->FindNode("11").has_value());
  EXPECT_FALSE(g->FindNode("abc").has_value());
}

TEST_F(GraphTest, DuplicatesAndSelfLoopsAreDropped) {
  auto g = Load(Write("g.txt", "1 2\n1 2\n2 2\n2 1\n1 2\n"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->num_edges(), 2u);
  EXPECT_EQ(Out(*g, "1"), (Ids{"2"}));
  EXPECT_EQ(Out(*g, "2"), (Ids{"1"}));
}

TEST_F(GraphTest, StringIdsFallBackAndKeepFirstAppearanceOrder) {
  auto g = Load(Write("g.txt", "1 2\n2 alice\nalice bob\nbob 1\n"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->id_kind(), ExternalIdKind::kString);
  EXPECT_EQ(g->num_nodes(), 4u);
  EXPECT_EQ(g->ExternalId(0), "1");
  EXPECT_EQ(g->ExternalId(2), "alice");
  EXPECT_EQ(Out(*g, "alice"), (Ids{"bob"}));
  EXPECT_EQ(In(*g, "1"), (Ids{"bob"}));
}

TEST_F(GraphTest, UndirectedAddsBothArcs) {
  auto g = Load(Write("g.txt", "1 2\n2 3\n3 2\n"), true);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_TRUE(g->undirected());
  EXPECT_EQ(g->num_edges(), 4u);
  EXPECT_EQ(Out(*g, "2"), (Ids{"1", "3"}));
  EXPECT_EQ(In(*g, "2"), (Ids{"1", "3"}));
}

TEST_F(GraphTest, WeightColumnIsKeptInBothOrdersWithTheLargestDuplicate) {
  auto g = Load(Write("g.txt", "1 2 0.5\n1 3 0.25\n1 2 0.75\n3 2 0.125\n"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(g->has_weights());
  NodeId one = *g->FindNode("1"), two = *g->FindNode("2");
  const GraphArrays& a = g->arrays();
  EXPECT_FLOAT_EQ(a.out_weights[g->OutBegin(one)], 0.75f);  // 1 -> 2, the larger duplicate
  EXPECT_FLOAT_EQ(a.in_weights[g->InBegin(two)], 0.75f);    // 2 <- 1
  EXPECT_FLOAT_EQ(a.in_weights[g->InBegin(two) + 1], 0.125f);  // 2 <- 3
}

struct BadLine {
  std::string text;
  std::string expected;  // in the message
};

// The parser reads ids of up to 7 digits 8 bytes at a time and longer ones digit by digit: ids of every length up to
// 19 digits, next to every kind of separator, leading zeros, and a last line shorter than 8 bytes without a newline
// must all read as their numbers.
TEST_F(GraphTest, IdsOfEveryLengthReadAsTheirNumbers) {
  std::string text;
  std::map<uint64_t, std::set<uint64_t>> out;
  const char* separators[] = {" ", "\t", "  ", " \t "};
  uint64_t power = 1;
  for (int digits = 1; digits <= 19; ++digits, power *= 10) {
    const uint64_t ids[] = {power, power + 7, power * 10 - 1};  // 10..0, 10..7, 99..9 (digits long)
    for (int i = 0; i < 3; ++i) {
      const uint64_t u = ids[i], v = ids[(i + 1) % 3] / (digits > 1 ? 10 : 1) + 1;
      text += std::to_string(u) + separators[(digits + i) % 4] + std::to_string(v) + (i == 2 ? "\r\n" : "\n");
      out[u].insert(v);
    }
  }
  text += "0042 9\n0 1";  // leading zeros; the last line: 3 bytes, no newline
  out[42].insert(9);
  out[0].insert(1);
  for (int threads : {1, 4}) {
    GraphLoadOptions o;
    o.threads = threads;
    o.read_cache = o.write_cache = false;
    auto g = LoadGraph(Write("g.txt", text), o);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    ASSERT_EQ(g->id_kind(), ExternalIdKind::kInteger);
    for (const auto& [u, vs] : out) {
      Ids want;
      for (uint64_t v : vs) {
        if (v != u) want.push_back(std::to_string(v));
      }
      std::sort(want.begin(), want.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
      });
      ASSERT_TRUE(g->FindNode(std::to_string(u)).has_value()) << u;
      EXPECT_EQ(Out(*g, std::to_string(u)), want) << u;
    }
  }
  // A digit followed by a letter inside the first 8 bytes is not an integer id: the file has string ids.
  auto g = Load(Write("s.txt", "12a 5\n5 6\n"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->id_kind(), ExternalIdKind::kString);
  EXPECT_EQ(Out(*g, "12a"), (Ids{"5"}));
}

TEST_F(GraphTest, BadLinesNameFileAndLine) {
  const std::vector<BadLine> cases = {
      {"1 2\n# c\n3\n", "g.txt:3: expected 'SOURCE TARGET [WEIGHT]', found only '3'"},
      {"1 2\n3 4 5 6\n", "g.txt:2: expected 'SOURCE TARGET [WEIGHT]', found more than 3 fields"},
      {"1 2 0.5\n3 4\n", "g.txt:2: 2 fields where earlier lines have 3"},
      {"1 2 x\n", "g.txt:1: weight 'x' is not a number"},
      {"a b -1\n", "g.txt:1: weight '-1' is negative"},
      {"a b\nc\n", "g.txt:2: expected"},
  };
  for (const auto& c : cases) {
    auto g = Load(Write("g.txt", c.text));
    ASSERT_FALSE(g.ok()) << c.text;
    EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(g.status().message().find(c.expected), std::string::npos) << g.status().message();
  }
  EXPECT_EQ(Load(dir_ / "missing.txt").status().code(), StatusCode::kNotFound);
}

TEST_F(GraphTest, LineNumbersHoldAcrossParallelSlices) {
  // Big enough to be cut into several slices (about 1 MiB each); the bad line is near the end.
  std::string text;
  int lines = 0;
  while (text.size() < (5u << 20)) {
    text += std::to_string(lines) + " " + std::to_string(lines + 1) + "\n";
    ++lines;
  }
  text += "7\n";
  auto g = Load(Write("g.txt", text), false, 4);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("g.txt:" + std::to_string(lines + 1) + ":"), std::string::npos)
      << g.status().message();
}

// The parser reads each slice in pieces cut after a line end (EdgeListParseOptions::read_bytes). Pieces of a
// few bytes put a boundary inside every line, between "\r" and "\n", inside comments longer than the piece (the
// buffer grows) and at the unterminated last line: the arcs, line count and error line must not change.
TEST_F(GraphTest, ReadPiecesOfAnySizeParseAlike) {
  // Every arc of the parse as (source, target, weight bits), in file order.
  struct Parsed {
    std::vector<std::tuple<uint64_t, uint64_t, float>> arcs;
    uint64_t lines = 0;
    ExternalIdKind kind = ExternalIdKind::kInteger;
    std::string error;
  };
  auto parse = [](const std::filesystem::path& path, int threads, size_t read_bytes) {
    Parsed r;
    EdgeListParseOptions o;
    o.threads = threads;
    o.read_bytes = read_bytes;
    EdgeListParser parser(path, o);
    Status st = parser.run();
    if (!st.ok()) {
      r.error = st.message();
      return r;
    }
    RawEdges raw = parser.TakeEdges();
    r.lines = parser.lines();
    r.kind = raw.id_kind;
    for (const EdgeChunk& c : raw.chunks) {
      for (size_t i = 0; i < c.size(); ++i) {
        const uint64_t u = c.narrow() ? c.source32[i] : c.source[i];
        const uint64_t v = c.narrow() ? c.target32[i] : c.target[i];
        r.arcs.emplace_back(u, v, c.weight.empty() ? 0.0f : c.weight[i]);
      }
    }
    return r;
  };
  std::mt19937_64 rng(5);
  auto make = [&](bool weights, bool string_id, uint64_t lines) {
    std::string text;
    for (uint64_t i = 0; i < lines; ++i) {
      switch (rng() % 8) {
        case 0:
          text += "# " + std::string(rng() % 300, 'c') + "\n";  // often longer than the piece
          continue;
        case 1:
          text += (rng() % 2) != 0 ? "\n" : "  \t\n";
          continue;
        default:
          break;
      }
      const uint64_t u = rng() % (uint64_t{1} << (rng() % 40)), v = rng() % 1000;
      text += std::to_string(u) + ((rng() % 2) != 0 ? "\t" : "  ") + std::to_string(v);
      if (weights) text += " " + std::to_string(rng() % 100) + ".5";
      text += (rng() % 5) == 0 ? "\r\n" : "\n";
    }
    if (string_id) text += weights ? "node7 8 2.5\n" : "node7 8\n";
    text += weights ? "3 4 1.5" : "3 4";  // no newline at the end
    return text;
  };
  int file = 0;
  for (bool weights : {false, true}) {
    for (bool string_id : {false, true}) {
      const auto path = Write("g" + std::to_string(file++) + ".txt", make(weights, string_id, 3000));
      const Parsed want = parse(path, 1, 0);
      ASSERT_TRUE(want.error.empty()) << want.error;
      EXPECT_EQ(want.kind, string_id ? ExternalIdKind::kString : ExternalIdKind::kInteger);
      EXPECT_GT(want.arcs.size(), 1000u);
      for (int threads : {1, 3}) {
        for (size_t bytes : {1, 2, 7, 8, 9, 64, 1000}) {
          const Parsed got = parse(path, threads, bytes);
          ASSERT_TRUE(got.error.empty()) << got.error;
          EXPECT_EQ(got.lines, want.lines) << threads << " " << bytes;
          EXPECT_EQ(got.arcs, want.arcs) << threads << " " << bytes;
        }
      }
    }
  }
  // A bad line keeps its number whatever the pieces.
  std::string text = make(false, false, 2000);
  text += "\n";
  const auto lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  text += "5\n6 7\n";
  const auto path = Write("bad.txt", text);
  for (int threads : {1, 3}) {
    for (size_t bytes : {1, 5, 100, 0}) {
      const Parsed got = parse(path, threads, bytes);
      EXPECT_NE(got.error.find("bad.txt:" + std::to_string(lines + 1) + ": expected"), std::string::npos)
          << got.error;
    }
  }
}

TEST_F(GraphTest, ParallelAndSingleThreadedParsesAgree) {
  std::string text;
  uint64_t x = 12345;
  for (int i = 0; i < 300000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    text += std::to_string((x >> 33) % 5000) + "\t" + std::to_string((x >> 13) % 5000) + "\n";
  }
  auto p = Write("g.txt", text);
  GraphLoadOptions one;
  one.threads = 1;
  one.read_cache = one.write_cache = false;
  GraphLoadOptions many = one;
  many.threads = 4;
  auto a = LoadGraph(p, one);
  auto b = LoadGraph(p, many);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->num_edges(), b->num_edges());
  const auto& aa = a->arrays();
  const auto& ba = b->arrays();
  EXPECT_TRUE(std::equal(aa.out_targets.begin(), aa.out_targets.end(), ba.out_targets.begin()));
  EXPECT_TRUE(std::equal(aa.in_sources.begin(), aa.in_sources.end(), ba.in_sources.begin()));
  EXPECT_TRUE(std::equal(aa.in_offsets.begin(), aa.in_offsets.end(), ba.in_offsets.begin()));
}

// Long rows (the builder's radix sort), duplicates, self-loops, and ids above 2^32 in the last part of the file
// only (one parser slice widens its ids mid-way, the others stay 32-bit): every row must equal a naive build.
TEST_F(GraphTest, HubRowsAndWideIdsMatchANaiveBuild) {
  std::mt19937_64 rng(11);
  std::map<uint64_t, std::set<uint64_t>> out, in;
  std::set<uint64_t> nodes;
  std::string text;
  const int lines = 150000;
  for (int i = 0; i < lines; ++i) {
    uint64_t u = rng() % 5000, v = rng() % 5000;
    if (i % 3 == 0) u = 7;  // a hub, both ways
    if (i % 5 == 0) v = 7;
    if (i > lines * 9 / 10 && i % 2 == 0) v = (uint64_t{1} << 33) + rng() % 100;
    text += std::to_string(u) + " " + std::to_string(v) + "\n";
    nodes.insert(u);
    nodes.insert(v);
    if (u != v) {
      out[u].insert(v);
      in[v].insert(u);
    }
  }
  auto g = Load(Write("g.txt", text), false, 4);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_EQ(g->num_nodes(), nodes.size());
  uint64_t arcs = 0;
  for (const auto& [u, row] : out) arcs += row.size();
  EXPECT_EQ(g->num_edges(), arcs);
  EXPECT_GT(out[7].size(), 1000u);
  for (uint64_t x : nodes) {
    const std::string id = std::to_string(x);
    Ids want_out, want_in;
    for (uint64_t v : out[x]) want_out.push_back(std::to_string(v));
    for (uint64_t u : in[x]) want_in.push_back(std::to_string(u));
    // Node order is ascending by integer id, so the rows' external ids come out ascending as numbers.
    ASSERT_EQ(Out(*g, id), want_out) << id;
    ASSERT_EQ(In(*g, id), want_in) << id;
  }
}

TEST_F(GraphTest, CacheRoundTripsAndIsUsedWhenFresh) {
  auto p = Write("g.txt", "a b 0.5\nb c 0.25\nc a 1\n");
  auto first = Load(p);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(record_.from_cache);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "g.txt.vgraph"));
  auto second = Load(p);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(record_.from_cache);
  EXPECT_EQ(second->num_nodes(), 3u);
  EXPECT_EQ(second->num_edges(), 3u);
  EXPECT_EQ(Out(*second, "b"), (Ids{"c"}));
  EXPECT_EQ(In(*second, "a"), (Ids{"c"}));
  EXPECT_FLOAT_EQ(second->arrays().out_weights[second->OutBegin(*second->FindNode("a"))], 0.5f);
  auto info = ReadGraphFileInfo(dir_ / "g.txt.vgraph");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->nodes, 3u);
  EXPECT_EQ(info->edges, 3u);
  // Asking for the undirected graph does not take the directed cache.
  auto und = Load(p, true);
  ASSERT_TRUE(und.ok());
  EXPECT_FALSE(record_.from_cache);
  EXPECT_EQ(und->num_edges(), 6u);
}

// warm_in_arcs (graph_loader.h) reads the cached graph's in-arc rows once at load: the graph is the same, from the
// cache (and from a .vgraph named directly), weights included.
TEST_F(GraphTest, WarmedCacheLoadGivesTheSameGraph) {
  auto p = Write("w.txt", "a b 0.5\nb c 0.25\nc a 1\nd a 0.75\nd b 0.125\n");
  auto parsed = Load(p);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  GraphLoadOptions warm;
  warm.warm_in_arcs = true;
  for (const std::filesystem::path& from : {p, dir_ / "w.txt.vgraph"}) {
    GraphLoadRecord rec;
    auto g = LoadGraph(from, warm, {}, &rec);
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    EXPECT_TRUE(rec.from_cache) << from;
    const GraphArrays& a = parsed->arrays();
    const GraphArrays& b = g->arrays();
    EXPECT_TRUE(std::ranges::equal(a.in_offsets, b.in_offsets));
    EXPECT_TRUE(std::ranges::equal(a.in_sources, b.in_sources));
    EXPECT_TRUE(std::ranges::equal(a.in_weights, b.in_weights));
    EXPECT_TRUE(std::ranges::equal(a.out_targets, b.out_targets));
    EXPECT_EQ(In(*g, "a"), (Ids{"c", "d"}));
  }
}

TEST_F(GraphTest, StaleCacheIsDetectedAndRebuilt) {
  auto p = Write("g.txt", "1 2\n");
  ASSERT_TRUE(Load(p).ok());
  // Same size, later mtime: still stale.
  std::ofstream(p) << "1 3\n";
  std::filesystem::last_write_time(p, std::filesystem::last_write_time(p) + std::chrono::seconds(5));
  auto g = Load(p);
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(record_.from_cache);
  EXPECT_EQ(record_.cache_note, "cache is stale (source changed)");
  EXPECT_EQ(Out(*g, "1"), (Ids{"3"}));
  ASSERT_TRUE(Load(p).ok());
  EXPECT_TRUE(record_.from_cache);
}

TEST_F(GraphTest, DamagedCacheIsRefusedWithCorruption) {
  auto p = Write("g.txt", "1 2\n2 3\n");
  auto g = Load(p);
  ASSERT_TRUE(g.ok());
  auto cache = dir_ / "g.txt.vgraph";
  std::filesystem::resize_file(cache, std::filesystem::file_size(cache) - 70);
  EXPECT_EQ(OpenGraphFile(cache).status().code(), StatusCode::kCorruption);
  std::ofstream(dir_ / "x.vgraph") << "not a graph";
  EXPECT_EQ(OpenGraphFile(dir_ / "x.vgraph").status().code(), StatusCode::kCorruption);
}

// The arrays are mapped one by one and the offsets' final entries read from the file (graph_file.cc): a cache whose
// out-offsets end in a count other than its arcs' is still refused, and a sound one reads back whole.
TEST_F(GraphTest, CacheOffsetsThatDisagreeWithTheCountsAreRefused) {
  auto p = Write("g.txt", "1 2\n2 3\n3 1\n");
  ASSERT_TRUE(Load(p).ok());
  auto cache = dir_ / "g.txt.vgraph";
  auto g = OpenGraphFile(cache);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->num_edges(), 3u);
  EXPECT_EQ(Out(*g, "2"), (Ids{"3"}));
  ASSERT_EQ(g->InNeighbours(0).size(), 1u);
  EXPECT_EQ(g->ExternalId(g->InNeighbours(0)[0]), "3");
  // The out-offsets (n + 1 = 4 entries, 0 1 2 3) are the file's first array.
  const auto& a = g->arrays();
  const std::string offsets(reinterpret_cast<const char*>(a.out_offsets.data()), a.out_offsets.size_bytes());
  const auto file_bytes = std::filesystem::file_size(cache);
  std::ifstream in(cache, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = bytes.find(offsets);
  ASSERT_NE(at, std::string::npos);
  const uint64_t wrong = 2;
  bytes.replace(at + offsets.size() - 8, 8, std::string(reinterpret_cast<const char*>(&wrong), 8));
  g = Result<Graph>(Status::NotFound("released"));  // the mapping goes before the file is rewritten
  std::ofstream(cache, std::ios::binary | std::ios::trunc) << bytes;
  ASSERT_EQ(std::filesystem::file_size(cache), file_bytes);
  EXPECT_EQ(OpenGraphFile(cache).status().code(), StatusCode::kCorruption);
}

TEST_F(GraphTest, UnionOfRawEdgesAddsNothingTwice) {
  auto a = Load(Write("a.txt", "1 2\n2 3\n"));
  ASSERT_TRUE(a.ok());
  EdgeListParser parser(Write("b.txt", "2 3\n3 x\n"), {});
  ASSERT_TRUE(parser.run().ok());
  RawEdges raw = ToRawEdges(*a);
  AppendRawEdges(raw, parser.TakeEdges());
  GraphBuilder b(std::move(raw), false);
  ASSERT_TRUE(b.run().ok());
  Graph u = b.TakeGraph();
  EXPECT_EQ(u.num_nodes(), 4u);
  EXPECT_EQ(u.num_edges(), 3u);
  EXPECT_EQ(Out(u, "3"), (Ids{"x"}));
}

TEST(WeightSchemeTest, ParsesEverySchemeAndRejectsOthers) {
  EXPECT_EQ(WeightScheme::Parse("wc")->kind, WeightSchemeKind::kWeightedCascade);
  EXPECT_DOUBLE_EQ(WeightScheme::Parse("uniform:0.01")->value, 0.01);
  EXPECT_EQ(WeightScheme::Parse("trivalency:7")->seed, 7u);
  EXPECT_DOUBLE_EQ(WeightScheme::Parse("trust:0.3")->value, 0.3);
  EXPECT_EQ(WeightScheme::Parse("column")->kind, WeightSchemeKind::kColumn);
  for (const char* bad : {"uniform", "uniform:2", "wc:1", "trivalency:x", "banana", "trust:-1"}) {
    EXPECT_EQ(WeightScheme::Parse(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(GraphTest, ProbabilitiesFollowTheScheme) {
  auto g = Load(Write("g.txt", "1 3\n2 3\n3 1\n"));
  ASSERT_TRUE(g.ok());
  NodeId three = *g->FindNode("3"), one = *g->FindNode("1");
  auto wc = EdgeProbabilities::Make(*g, *WeightScheme::Parse("wc"));
  ASSERT_TRUE(wc.ok());
  EXPECT_TRUE(wc->per_target());
  EXPECT_FLOAT_EQ(wc->TargetProbability(three), 0.5f);
  EXPECT_FLOAT_EQ(wc->Out(g->OutBegin(one)), 0.5f);  // 1 -> 3
  auto tri = EdgeProbabilities::Make(*g, *WeightScheme::Parse("trivalency:3"));
  ASSERT_TRUE(tri.ok());
  for (float p : tri->in_arcs()) EXPECT_TRUE(p == 0.1f || p == 0.01f || p == 0.001f);
  // Same draw in both orders: arc 1 -> 3 is out-arc OutBegin(1) and in-arc InBegin(3).
  EXPECT_EQ(tri->Out(g->OutBegin(one)), tri->In(three, g->InBegin(three)));
  // trust: in-order array, base rate times trust.
  std::vector<float> trust = {0.5f, 1.0f, 0.25f};  // rows: 1 <- 3, 3 <- 1, 3 <- 2
  auto tr = EdgeProbabilities::Make(*g, *WeightScheme::Parse("trust:0.5"), trust);
  ASSERT_TRUE(tr.ok()) << tr.status().ToString();
  EXPECT_FLOAT_EQ(tr->Out(g->OutBegin(one)), 0.5f);  // 1 -> 3: trust 1.0 * 0.5
  EXPECT_EQ(EdgeProbabilities::Make(*g, *WeightScheme::Parse("trust")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(EdgeProbabilities::Make(*g, *WeightScheme::Parse("column")).status().code(),
            StatusCode::kInvalidArgument);
  auto lt = EdgeProbabilities::Make(*g, *WeightScheme::Parse("uniform:0.9"))->ForLinearThreshold();
  EXPECT_FLOAT_EQ(lt.TargetProbability(three), 0.5f);
  EXPECT_FLOAT_EQ(lt.TargetProbability(one), 0.9f);
}

}  // namespace
}  // namespace vouch::graph
