// The talking-point algorithm: units, exact kNN against all pairs, the
// graph clustering against a slow union of edges, and the whole pipeline's
// determinism.
#include "narratives/narratives.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace echotrace::narratives {
namespace {

TEST(SplitUnits, ShortTextIsOneTrimmedUnit) {
  const std::string t = "  NATO expansion provoked the war.  ";
  const std::vector<Span> u = SplitUnits(t);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(t.substr(u[0].start, u[0].end - u[0].start), "NATO expansion provoked the war.");
  EXPECT_TRUE(SplitUnits(" \n\t ").empty());
  EXPECT_TRUE(SplitUnits("").empty());
}

TEST(SplitUnits, LongTextSplitsIntoPassagesAtSentenceEnds) {
  UnitOptions o;
  o.max_unit_bytes = 60;
  o.min_passage_bytes = 20;
  const std::string t =
      "The vaccine was tested on millions of people. It is 3.5 times safer! "
      "Ok. Short one follows here?\nNew line starts a passage";
  const std::vector<Span> u = SplitUnits(t, o);
  std::vector<std::string> got;
  got.reserve(u.size());
  for (const Span& s : u) got.push_back(t.substr(s.start, s.end - s.start));
  EXPECT_EQ(got, (std::vector<std::string>{"The vaccine was tested on millions of people.",
                                           "It is 3.5 times safer!", "Ok. Short one follows here?",
                                           "New line starts a passage"}));
}

TEST(SplitUnits, RandomTextsGiveOrderedDisjointTrimmedSpans) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab .!?\n\"')…x";
  for (int trial = 0; trial < 500; ++trial) {
    std::string t;
    const int len = static_cast<int>(rng() % 900);
    for (int i = 0; i < len; ++i) t += alphabet[rng() % alphabet.size()];
    UnitOptions o;
    o.max_unit_bytes = static_cast<uint32_t>(rng() % 300);
    o.min_passage_bytes = static_cast<uint32_t>(rng() % 50);
    uint32_t last = 0;
    for (const Span& s : SplitUnits(t, o)) {
      ASSERT_LE(last, s.start);
      ASSERT_LT(s.start, s.end);
      ASSERT_LE(s.end, t.size());
      ASSERT_NE(t[s.start], ' ');
      ASSERT_NE(t[s.end - 1], ' ');
      last = s.end;
    }
  }
}

// All pairs, best k: the obviously correct kNN.
std::vector<std::vector<Neighbour>> SlowKnn(const std::vector<std::vector<double>>& dense,
                                            uint32_t k) {
  const size_t n = dense.size();
  std::vector<std::vector<Neighbour>> out(n);
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      double dot = 0, na = 0, nb = 0;
      for (size_t j = 0; j < dense[a].size(); ++j) {
        dot += dense[a][j] * dense[b][j];
        na += dense[a][j] * dense[a][j];
        nb += dense[b][j] * dense[b][j];
      }
      if (na == 0 || nb == 0) continue;
      const double c = dot / std::sqrt(na * nb);
      if (c > 0) out[a].push_back({static_cast<uint32_t>(b), static_cast<float>(c)});
    }
    std::sort(out[a].begin(), out[a].end(), [](const Neighbour& x, const Neighbour& y) {
      return x.score != y.score ? x.score > y.score : x.unit < y.unit;
    });
    if (out[a].size() > k) out[a].resize(k);
  }
  return out;
}

// Same neighbours up to float rounding: equal scores within 1e-5 and, where
// scores are clearly distinct, the same units.
void ExpectSameKnn(const std::vector<std::vector<Neighbour>>& got,
                   const std::vector<std::vector<Neighbour>>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t a = 0; a < got.size(); ++a) {
    ASSERT_EQ(got[a].size(), want[a].size()) << "row " << a;
    for (size_t i = 0; i < got[a].size(); ++i) {
      EXPECT_NEAR(got[a][i].score, want[a][i].score, 1e-5) << "row " << a;
    }
  }
}

TEST(Knn, SparseAndDenseEqualAllPairsOnRandomVectors) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const size_t n = 1 + rng() % 300, dims = 1 + rng() % 20;
    const uint32_t k = 1 + static_cast<uint32_t>(rng() % 12);
    std::vector<std::vector<double>> dense(n, std::vector<double>(dims, 0));
    std::vector<std::vector<std::pair<uint32_t, float>>> sparse(n);
    std::vector<float> flat(n * dims, 0);
    for (size_t a = 0; a < n; ++a) {
      double norm = 0;
      for (size_t j = 0; j < dims; ++j) {
        if (rng() % 3 == 0) dense[a][j] = static_cast<float>(rng() % 100) / 10;
        norm += dense[a][j] * dense[a][j];
      }
      for (size_t j = 0; j < dims; ++j) {
        if (dense[a][j] != 0) {
          dense[a][j] = static_cast<float>(dense[a][j] / std::sqrt(norm));
          sparse[a].emplace_back(static_cast<uint32_t>(j), static_cast<float>(dense[a][j]));
        }
        flat[a * dims + j] = static_cast<float>(dense[a][j]);
      }
    }
    const auto want = SlowKnn(dense, k);
    ExpectSameKnn(SparseKnn(sparse, k, 1 + trial % 3), want);
    ExpectSameKnn(DenseKnn(flat, static_cast<uint32_t>(dims), k, 1 + trial % 3), want);
  }
}

// Components by repeated relabelling until nothing changes.
std::vector<std::set<uint32_t>> SlowComponents(uint32_t n, const std::vector<WeightedEdge>& edges,
                                               uint32_t min_size) {
  std::vector<uint32_t> label(n);
  for (uint32_t u = 0; u < n; ++u) label[u] = u;
  for (bool changed = true; changed;) {
    changed = false;
    for (const WeightedEdge& e : edges) {
      const uint32_t m = std::min(label[e.a], label[e.b]);
      if (label[e.a] != m || label[e.b] != m) changed = true;
      label[e.a] = label[e.b] = m;
    }
  }
  std::map<uint32_t, std::set<uint32_t>> groups;
  std::vector<bool> has_edge(n, false);
  for (const WeightedEdge& e : edges) has_edge[e.a] = has_edge[e.b] = true;
  for (uint32_t u = 0; u < n; ++u) {
    if (has_edge[u]) groups[label[u]].insert(u);
  }
  std::vector<std::set<uint32_t>> out;
  for (auto& [l, g] : groups) {
    if (g.size() >= min_size) out.push_back(g);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ClusterGraph, ComponentsEqualSlowVersionAndLeidenIsAPartition) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 50; ++trial) {
    const auto n = static_cast<uint32_t>(1 + rng() % 200);
    std::vector<WeightedEdge> edges;
    for (uint32_t i = static_cast<uint32_t>(rng() % (uint64_t{2} * n)); i > 0; --i) {
      const uint32_t a = rng() % n, b = rng() % n;
      if (a != b) edges.push_back({std::min(a, b), std::max(a, b), 0.5 + (rng() % 50) / 100.0});
    }
    ClusterOptions o;
    o.method = Method::kComponents;
    o.max_edges = 0;
    o.min_size = 2 + rng() % 3;
    auto r = ClusterGraph(n, edges, {}, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::set<uint32_t>> got;
    for (const Narrative& nv : r->narratives) got.emplace_back(nv.units.begin(), nv.units.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, SlowComponents(n, edges, o.min_size));
    uint32_t outliers = 0;
    for (uint32_t u = 0; u < n; ++u) {
      if (r->narrative[u] < 0) {
        ++outliers;
        EXPECT_EQ(r->score[u], 0);
      } else {
        const Narrative& nv = r->narratives[static_cast<size_t>(r->narrative[u])];
        EXPECT_TRUE(std::binary_search(nv.units.begin(), nv.units.end(), u));
      }
    }
    EXPECT_DOUBLE_EQ(r->outlier_share, static_cast<double>(outliers) / n);

    // Leiden: every talking point lies within one component and has
    // min_size units; the same seed gives the same result.
    o.method = Method::kLeiden;
    auto l1 = ClusterGraph(n, edges, {}, o);
    auto l2 = ClusterGraph(n, edges, {}, o);
    ASSERT_TRUE(l1.ok() && l2.ok());
    EXPECT_EQ(l1->narrative, l2->narrative);
    for (const Narrative& nv : l1->narratives) {
      EXPECT_GE(nv.units.size(), o.min_size);
      const std::set<uint32_t> units(nv.units.begin(), nv.units.end());
      EXPECT_TRUE(std::any_of(got.begin(), got.end(), [&](const std::set<uint32_t>& g) {
        return std::includes(g.begin(), g.end(), units.begin(), units.end());
      }));
      EXPECT_TRUE(units.count(nv.label_unit));
    }
  }
}

// Each unit's m best edges, by sorting every unit's edges.
TEST(TopEdges, KeepsTheBestEdgesOfEitherEnd) {
  std::mt19937 rng(9);
  for (int trial = 0; trial < 100; ++trial) {
    const auto n = static_cast<uint32_t>(2 + rng() % 40);
    std::set<std::pair<uint32_t, uint32_t>> seen;
    std::vector<WeightedEdge> edges;
    for (uint32_t i = static_cast<uint32_t>(rng() % (uint64_t{3} * n)); i > 0; --i) {
      const uint32_t a = rng() % n, b = rng() % n;
      if (a == b || !seen.insert({std::min(a, b), std::max(a, b)}).second) continue;
      edges.push_back({std::min(a, b), std::max(a, b), (rng() % 10) / 10.0});
    }
    const uint32_t m = static_cast<uint32_t>(rng() % 4);
    const double keep_above = trial % 2 ? 2.0 : (rng() % 10) / 10.0;
    std::set<std::pair<uint32_t, uint32_t>> want;
    for (const WeightedEdge& e : edges) {
      if (e.score >= keep_above) want.insert({e.a, e.b});
    }
    for (uint32_t u = 0; u < n; ++u) {
      std::vector<std::pair<double, uint32_t>> mine;  // (-score, other)
      for (const WeightedEdge& e : edges) {
        if (e.a == u) mine.emplace_back(-e.score, e.b);
        if (e.b == u) mine.emplace_back(-e.score, e.a);
      }
      std::sort(mine.begin(), mine.end());
      for (size_t i = 0; i < mine.size() && (m == 0 || i < m); ++i) {
        want.insert({std::min(u, mine[i].second), std::max(u, mine[i].second)});
      }
    }
    std::set<std::pair<uint32_t, uint32_t>> got;
    std::pair<uint32_t, uint32_t> last{0, 0};
    for (const WeightedEdge& e : TopEdges(n, edges, m, keep_above)) {
      EXPECT_TRUE(got.empty() || last < std::make_pair(e.a, e.b));  // sorted
      last = {e.a, e.b};
      got.insert(last);
    }
    EXPECT_EQ(got, want);
  }
}

TEST(ClusterGraph, RefusesBadOptions) {
  ClusterOptions o;
  o.min_size = 1;
  EXPECT_EQ(ClusterGraph(3, {}, {}, o).status().code(), StatusCode::kInvalidArgument);
  o = {};
  o.resolution = 0;
  EXPECT_EQ(ClusterGraph(3, {}, {}, o).status().code(), StatusCode::kInvalidArgument);
  o = {};
  EXPECT_EQ(ClusterGraph(3, {}, {1.0}, o).status().code(), StatusCode::kInvalidArgument);
}

TEST(ClassKeywords, PrefersWordsOfTheClassOverCommonOnes) {
  const std::vector<std::string_view> texts = {
      "vaccines cause autism says report", "autism caused by vaccines report",
      "election was stolen says report", "the stolen election report"};
  auto kw = ClassKeywords(texts, {}, {{0, 1}, {2, 3}}, 2);
  ASSERT_EQ(kw.size(), 2u);
  EXPECT_EQ(std::set<std::string>(kw[0].begin(), kw[0].end()),
            (std::set<std::string>{"autism", "vaccines"}));
  EXPECT_EQ(std::set<std::string>(kw[1].begin(), kw[1].end()),
            (std::set<std::string>{"election", "stolen"}));
}

// Planted talking points, each in several wordings, among unrelated posts.
std::vector<SimilarityInput> Planted(std::vector<int>* truth) {
  const std::vector<std::vector<std::string>> families = {
      {"NATO expansion provoked the war in Ukraine", "The war was provoked by NATO expanding east",
       "NATO's eastward expansion provoked this war", "Expansion of NATO provoked the Ukraine war"},
      {"The vaccine causes infertility in young women",
       "Young women become infertile from the vaccine",
       "Infertility in women is caused by the covid vaccine"},
      {"The election was stolen with fake mail-in ballots",
       "Fake mail in ballots stole the election", "They stole the election using fake ballots"},
  };
  std::vector<SimilarityInput> out;
  for (size_t f = 0; f < families.size(); ++f) {
    for (const std::string& t : families[f]) {
      out.push_back({t, "en", {}});
      truth->push_back(static_cast<int>(f));
    }
  }
  for (const char* t :
       {"Lovely weather at the beach today", "My cat knocked over the plant again",
        "Best pizza recipe uses fresh basil", "Traffic on the bridge is terrible"}) {
    out.push_back({t, "en", {}});
    truth->push_back(-1);
  }
  return out;
}

TEST(FindNarratives, FindsPlantedTalkingPointsDeterministically) {
  std::vector<int> truth;
  const std::vector<SimilarityInput> units = Planted(&truth);
  ClusterOptions o;
  o.threshold = 0.3;
  o.method = Method::kComponents;
  auto r1 = FindNarratives(units, {}, nullptr, o);
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  o.threads = 3;
  auto r2 = FindNarratives(units, {}, nullptr, o);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r1->narrative, r2->narrative);
  EXPECT_EQ(r1->score, r2->score);
  // Same family ⇔ same talking point, for the planted families; the
  // unrelated posts are outliers.
  for (size_t a = 0; a < units.size(); ++a) {
    if (truth[a] < 0) {
      EXPECT_EQ(r1->narrative[a], -1) << units[a].text;
    }
    for (size_t b = a + 1; b < units.size(); ++b) {
      if (truth[a] >= 0 && truth[a] == truth[b]) {
        EXPECT_EQ(r1->narrative[a], r1->narrative[b]) << units[a].text << " / " << units[b].text;
        EXPECT_GE(r1->narrative[a], 0);
      } else if (truth[a] >= 0 && truth[b] >= 0) {
        EXPECT_NE(r1->narrative[a], r1->narrative[b]);
      }
    }
  }
  ASSERT_EQ(r1->narratives.size(), 3u);
  EXPECT_EQ(r1->narratives[0].units.size(), 4u);  // the largest first
  EXPECT_FALSE(r1->narratives[0].keywords.empty());
  EXPECT_EQ(std::count(truth.begin(), truth.end(), -1),
            std::lround(r1->outlier_share * static_cast<double>(units.size())));

  // A pluggable scorer: scoring everything 0 leaves no edge, all outliers.
  o.scorer = [](const SimilaritySignals&) { return 0.0; };
  auto none = FindNarratives(units, {}, nullptr, o);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->narratives.empty());
  EXPECT_DOUBLE_EQ(none->outlier_share, 1.0);
}

TEST(FindNarratives, EmptyAndSingleInputsGiveNoTalkingPoints) {
  for (size_t n : {0, 1}) {
    std::vector<SimilarityInput> units(n, SimilarityInput{"a lone post", "en", {}});
    auto r = FindNarratives(units, {}, nullptr, ClusterOptions());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->narratives.empty());
    EXPECT_EQ(r->narrative.size(), n);
    EXPECT_DOUBLE_EQ(r->outlier_share, n == 0 ? 0.0 : 1.0);
  }
  std::vector<SimilarityInput> two(2, SimilarityInput{"the same post twice", "en", {}});
  EXPECT_EQ(FindNarratives(two, {1.0}, nullptr, ClusterOptions()).status().code(),
            StatusCode::kInvalidArgument);  // one weight for two units
}

}  // namespace
}  // namespace echotrace::narratives
