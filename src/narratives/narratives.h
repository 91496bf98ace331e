// Talking points ("narratives"): the same claim in different words, across
// sources and time (issue 15; docs/algorithms.md, "Talking points").
//
// Pure functions over texts, no store (the detector is stage.h):
//
//  1. Units. A short post is one unit; a long text is split into sentences
//     merged into short passages (SplitUnits), byte offsets kept, so one
//     long text can carry several talking points.
//  2. Representation: the similarity engine (include/echotrace/similarity.h)
//     fitted on the units: stemmed-word TF-IDF, character n-grams, LSA and,
//     with word vectors, uSIF sentence vectors and a soft word alignment.
//  3. Candidate neighbours: per unit, its `k` nearest units by the cosine of
//     stemmed-word TF-IDF (exact, an inverted index) united with its `k`
//     nearest by uSIF cosine (exact, blocked dense products). Both are exact
//     kNN and checked against an all-pairs version (narratives_test.cc);
//     their cost is O(n²·d) in the dense part, fine for the hundred thousand
//     units of a dev set, not for millions (an approximate index is the next
//     step, docs/algorithms.md).
//  4. Edges: every candidate pair is compared (SimilarityModel::Compare) and
//     scored by a pluggable EdgeScorer over the signals; an edge is kept when
//     its score reaches `threshold` and it is among the `max_edges` best
//     edges of one of its ends (default 1: each unit links to its most
//     similar unit only, a nearest-neighbour forest, which bounds the
//     chaining that costs a global threshold its precision). The default
//     scorer (DefaultEdgeScore) is a fixed blend; a calibrated same-claim
//     probability can replace it without touching the rest.
//  5. Communities: Leiden (modularity with a resolution, libigraph, seeded)
//     over the kept edges, or connected components. Communities with fewer
//     than `min_size` units are outliers (community -1).
//  6. Description: per talking point, its most central unit (the largest
//     weighted degree inside it) and class-based TF-IDF keywords
//     (Grootendorst 2022: tf of the word in the class over the class's
//     words, times log(1 + mean words per class / the word's frequency in
//     all classes)), over unstemmed content words.
//
// Units carry a weight (how many copies they stand for: a near-duplicate
// cluster is one unit with its size as weight); weights count in keywords and
// in the sizes a caller reports, not in the graph (a retweet storm is one
// node, so it cannot pose as a thousand talking points).
//
// Determinism: the result depends only on the inputs and the options (seed
// included), not on the thread count.
#ifndef ECHOTRACE_NARRATIVES_NARRATIVES_H_
#define ECHOTRACE_NARRATIVES_NARRATIVES_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "echotrace/similarity.h"
#include "echotrace/status.h"

namespace echotrace::narratives {

// A unit's byte range in its text, [start, end).
struct Span {
  uint32_t start = 0;
  uint32_t end = 0;
  bool operator==(const Span&) const = default;
};

struct UnitOptions {
  // Texts up to this many bytes are one unit (a tweet with its link is
  // under it; a paragraph of an article is over it).
  uint32_t max_unit_bytes = 400;
  // Sentences are merged into passages of at least this many bytes (a
  // passage ends at the first sentence end after it), so that "Yes." does
  // not become a unit.
  uint32_t min_passage_bytes = 80;
};

// The units of `text`: the whole text (trimmed of white space) when it is
// short, else its sentences merged into passages. Sentence ends: '.', '!',
// '?' or '…' (possibly followed by closing quotes or brackets) followed by
// white space, and line breaks. Spans are in order, disjoint, trimmed and
// non-empty; a text of white space only has none. Never fails; invalid UTF-8
// is split on bytes like any other.
std::vector<Span> SplitUnits(std::string_view text, const UnitOptions& options = {});

// An edge's score from the signals of a compared pair (higher = more alike).
using EdgeScorer = std::function<double(const SimilaritySignals&)>;

// The default scorer: 0.30·words + 0.10·chars + 0.10·lsa + 0.25·uSIF +
// 0.25·soft alignment when the pair has vector signals, else 0.55·words +
// 0.20·chars + 0.25·lsa (not measured separately: without the word vectors
// the threshold is the same number on a different blend). With the vectors,
// this blend at threshold 0.45 and max_edges 1 measured best on the
// CheckThat! 2022 choice slice among words alone, the engine's combined
// score, 0.45·words + 0.10·chars + 0.15·lsa + 0.30·uSIF and words + soft
// alignment (BENCHMARKS.md, "Talking points"). A calibrated same-claim
// probability is meant to replace it (an EdgeScorer in ClusterOptions).
double DefaultEdgeScore(const SimilaritySignals& s);

enum class Method { kLeiden, kComponents };

struct ClusterOptions {
  uint32_t k = 10;          // nearest neighbours per unit and representation (>= 1)
  double threshold = 0.45;  // an edge is kept when its score >= this
  // ... and when it is among the `max_edges` best kept edges of one of its
  // ends (0: no limit). Chaining through hubs is what costs a graph cut
  // its precision; this bounds it without raising the threshold.
  // 1 (each unit's best link only: a nearest-neighbour forest) measured
  // best on the CheckThat! choice slice (BENCHMARKS.md, "Talking points").
  uint32_t max_edges = 1;
  // An edge scoring at least this is kept whatever max_edges says (> 1:
  // never). Large talking points need more than each unit's best link to
  // hold together; only strong links are let through for that.
  // 0.60 keeps the demo's large talking points whole (B-cubed F1 0.82
  // against 0.13 without) for a small loss on CheckThat (BENCHMARKS.md).
  double keep_above = 0.60;
  Method method = Method::kLeiden;
  double resolution = 1.0;  // Leiden's modularity resolution (> 0); higher = smaller
  uint32_t min_size = 2;    // units in a talking point (>= 2); smaller: outliers
  uint64_t seed = 42;       // Leiden's
  EdgeScorer scorer;        // empty: DefaultEdgeScore
  int threads = 1;
};

// Checks the options (InvalidArgument naming the field's flag).
Status ValidateOptions(const ClusterOptions& options);

struct Neighbour {
  uint32_t unit = 0;
  float score = 0;
  bool operator==(const Neighbour&) const = default;
};

// Exact k nearest neighbours of every row by the dot product of sparse
// vectors (unit length: cosine), excluding the row itself and rows with a
// zero score, best first, ties by smaller unit. Inverted index.
std::vector<std::vector<Neighbour>> SparseKnn(
    const std::vector<std::vector<std::pair<uint32_t, float>>>& rows, uint32_t k, int threads);

// The same for dense vectors of `dims` floats per row (row-major), by cosine;
// zero rows have no neighbours and are nobody's. Blocked products.
std::vector<std::vector<Neighbour>> DenseKnn(const std::vector<float>& rows, uint32_t dims,
                                             uint32_t k, int threads);

struct WeightedEdge {
  uint32_t a = 0, b = 0;  // a < b
  double score = 0;
};

struct Narrative {
  uint32_t label_unit = 0;            // the most central unit
  std::vector<uint32_t> units;        // ascending
  std::vector<std::string> keywords;  // class-based TF-IDF, best first (at most 8)
  double weight = 0;                  // Σ unit weights
};

struct NarrativeResult {
  std::vector<int32_t> narrative;     // per unit: index into narratives, or -1 (outlier)
  std::vector<double> score;          // per unit: mean score of its kept edges inside its
                                      // talking point (0 for outliers)
  std::vector<Narrative> narratives;  // by decreasing weight, ties by smallest unit
  std::vector<WeightedEdge> edges;    // the kept edges, sorted by (a, b)
  uint64_t candidate_pairs = 0;       // distinct pairs compared
  double outlier_share = 0;           // outlier units / units (unweighted)
};

// Clusters `units` (weights may be empty: all 1). `vectors` may be null (no
// uSIF neighbours or vector signals). InvalidArgument for bad options or a
// weights list of the wrong size.
Result<NarrativeResult> FindNarratives(const std::vector<SimilarityInput>& units,
                                       const std::vector<double>& weights,
                                       std::shared_ptr<const WordVectors> vectors,
                                       const ClusterOptions& options);

// The edges among the `m` best (by score, ties by the other end's index) of
// at least one of their ends, or scoring at least `keep_above`; all of them
// when m == 0. Sorted by (a, b).
std::vector<WeightedEdge> TopEdges(uint32_t num_units, const std::vector<WeightedEdge>& edges,
                                   uint32_t m, double keep_above = 2.0);

// Clusters an already-scored graph (the last steps of FindNarratives, for
// tests and callers that score edges themselves): communities, min_size,
// centrality and scores; keywords left empty.
Result<NarrativeResult> ClusterGraph(uint32_t num_units, std::vector<WeightedEdge> edges,
                                     const std::vector<double>& weights,
                                     const ClusterOptions& options);

// Class-based TF-IDF keywords (see the top of this file) for each class of
// `classes` (lists of indexes into `texts`), at most `top` each.
std::vector<std::vector<std::string>> ClassKeywords(
    const std::vector<std::string_view>& texts, const std::vector<double>& weights,
    const std::vector<std::vector<uint32_t>>& classes, size_t top);

}  // namespace echotrace::narratives

#endif  // ECHOTRACE_NARRATIVES_NARRATIVES_H_
