// Talking points: units, candidate neighbours, scored edges, communities
// (narratives.h).
#include "narratives/narratives.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <unordered_map>
#include <utility>

#include "coord/communities.h"
#include "similarity/analyzer.h"
#include "similarity/engine.h"
#include "util/parallel.h"

namespace echotrace::narratives {

namespace {

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Trims white space off [s, e) of text; empty when nothing is left.
Span Trim(std::string_view text, uint32_t s, uint32_t e) {
  while (s < e && IsSpace(static_cast<unsigned char>(text[s]))) ++s;
  while (e > s && IsSpace(static_cast<unsigned char>(text[e - 1]))) --e;
  return {s, e};
}

// Byte positions just after each sentence end of `text`.
std::vector<uint32_t> SentenceBreaks(std::string_view text) {
  std::vector<uint32_t> breaks;
  const auto n = static_cast<uint32_t>(text.size());
  for (uint32_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    uint32_t end = 0;
    if (c == '\n' || c == '.' || c == '!' || c == '?') {
      end = i + 1;
    } else if (c == 0xE2 && i + 2 < n && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               static_cast<unsigned char>(text[i + 2]) == 0xA6) {  // …
      end = i + 3;
    } else {
      continue;
    }
    if (c != '\n') {
      // Closing quotes and brackets stay with their sentence.
      while (end < n &&
             (text[end] == '"' || text[end] == '\'' || text[end] == ')' || text[end] == ']')) {
        ++end;
      }
      if (end < n && !IsSpace(static_cast<unsigned char>(text[end]))) continue;  // 3.5, a.m.x
    }
    breaks.push_back(end);
    i = end - 1;
  }
  return breaks;
}

}  // namespace

std::vector<Span> SplitUnits(std::string_view text, const UnitOptions& options) {
  std::vector<Span> out;
  const auto n = static_cast<uint32_t>(std::min<size_t>(text.size(), UINT32_MAX));
  const Span whole = Trim(text, 0, n);
  if (whole.start == whole.end) return out;
  if (whole.end - whole.start <= options.max_unit_bytes) {
    out.push_back(whole);
    return out;
  }
  std::vector<uint32_t> breaks = SentenceBreaks(text.substr(0, n));
  if (breaks.empty() || breaks.back() != n) breaks.push_back(n);
  uint32_t start = 0;
  for (uint32_t b : breaks) {
    const Span s = Trim(text, start, b);
    if (s.end - s.start < options.min_passage_bytes && b != n) continue;  // grow the passage
    if (s.start < s.end) out.push_back(s);
    start = b;
  }
  // A short tail joins the passage before it.
  if (out.size() >= 2 && out.back().end - out.back().start < options.min_passage_bytes) {
    out[out.size() - 2].end = out.back().end;
    out.pop_back();
  }
  return out;
}

double DefaultEdgeScore(const SimilaritySignals& s) {
  if (s.has_vectors) {
    return 0.30 * s.words + 0.10 * s.chars + 0.10 * s.lsa + 0.25 * s.usif + 0.25 * s.align;
  }
  return 0.55 * s.words + 0.20 * s.chars + 0.25 * s.lsa;
}

Status ValidateOptions(const ClusterOptions& o) {
  if (o.k < 1 || o.k > 1000) return Status::InvalidArgument("--neighbours must be in 1..1000");
  if (!(o.threshold >= 0 && o.threshold <= 1)) {
    return Status::InvalidArgument("--edge-threshold must be in [0, 1]");
  }
  if (std::isnan(o.keep_above)) return Status::InvalidArgument("--keep-above must be a number");
  if (!(o.resolution > 0 && std::isfinite(o.resolution))) {
    return Status::InvalidArgument("--resolution must be a positive number");
  }
  if (o.min_size < 2) return Status::InvalidArgument("--min-size must be at least 2");
  return Status::OK();
}

namespace {

// Keeps the best k of (score, unit): higher score first, ties smaller unit.
void KeepTop(std::vector<Neighbour>* v, uint32_t k) {
  auto better = [](const Neighbour& a, const Neighbour& b) {
    return a.score != b.score ? a.score > b.score : a.unit < b.unit;
  };
  if (v->size() > k) {
    std::nth_element(v->begin(), v->begin() + k, v->end(), better);
    v->resize(k);
  }
  std::sort(v->begin(), v->end(), better);
}

}  // namespace

std::vector<std::vector<Neighbour>> SparseKnn(
    const std::vector<std::vector<std::pair<uint32_t, float>>>& rows, uint32_t k, int threads) {
  const auto n = static_cast<uint32_t>(rows.size());
  // Inverted index: feature → (row, weight), rows ascending.
  std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, float>>> postings;
  for (uint32_t r = 0; r < n; ++r) {
    for (const auto& [f, w] : rows[r]) postings[f].emplace_back(r, w);
  }
  std::vector<std::vector<Neighbour>> out(n);
  ParallelFor(n, 256, threads, [&](size_t lo, size_t hi) {
    std::vector<float> acc(n, 0.0f);
    std::vector<uint32_t> touched;
    for (size_t r = lo; r < hi; ++r) {
      touched.clear();
      for (const auto& [f, w] : rows[r]) {
        for (const auto& [o, ow] : postings.at(f)) {
          if (acc[o] == 0.0f) touched.push_back(o);
          acc[o] += w * ow;
        }
      }
      std::vector<Neighbour>& v = out[r];
      for (uint32_t o : touched) {
        if (o != r && acc[o] > 0) v.push_back({o, acc[o]});
        acc[o] = 0;
      }
      KeepTop(&v, k);
    }
  });
  return out;
}

std::vector<std::vector<Neighbour>> DenseKnn(const std::vector<float>& rows, uint32_t dims,
                                             uint32_t k, int threads) {
  using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto n = static_cast<uint32_t>(dims == 0 ? 0 : rows.size() / dims);
  Mat m(n, dims);
  std::vector<bool> zero(n, false);
  for (uint32_t r = 0; r < n; ++r) {
    double norm = 0;
    for (uint32_t j = 0; j < dims; ++j)
      norm += double{rows[size_t{r} * dims + j]} * rows[size_t{r} * dims + j];
    norm = std::sqrt(norm);
    zero[r] = !(norm > 0);
    for (uint32_t j = 0; j < dims; ++j) {
      m(r, j) = zero[r] ? 0.0f : static_cast<float>(rows[size_t{r} * dims + j] / norm);
    }
  }
  std::vector<std::vector<Neighbour>> out(n);
  constexpr size_t kBlock = 128;
  const size_t blocks = (n + kBlock - 1) / kBlock;
  ParallelFor(blocks, 1, threads, [&](size_t b) {
    const size_t lo = b * kBlock, hi = std::min<size_t>(n, lo + kBlock);
    const Mat scores =
        m.middleRows(static_cast<Eigen::Index>(lo), static_cast<Eigen::Index>(hi - lo)) *
        m.transpose();
    for (size_t r = lo; r < hi; ++r) {
      if (zero[r]) continue;
      std::vector<Neighbour>& v = out[r];
      for (uint32_t o = 0; o < n; ++o) {
        const float s = scores(static_cast<Eigen::Index>(r - lo), o);
        if (o != r && !zero[o] && s > 0) v.push_back({o, s});
        if (v.size() >= 4 * size_t{k} + 64) KeepTop(&v, k);
      }
      KeepTop(&v, k);
    }
  });
  return out;
}

std::vector<WeightedEdge> TopEdges(uint32_t num_units, const std::vector<WeightedEdge>& edges,
                                   uint32_t m, double keep_above) {
  std::vector<WeightedEdge> out;
  if (m == 0) {
    out = edges;
  } else {
    std::vector<std::vector<std::pair<double, uint32_t>>> at(num_units);  // (score, edge)
    for (size_t i = 0; i < edges.size(); ++i) {
      at[edges[i].a].emplace_back(edges[i].score, static_cast<uint32_t>(i));
      at[edges[i].b].emplace_back(edges[i].score, static_cast<uint32_t>(i));
    }
    std::vector<bool> keep(edges.size(), false);
    for (size_t i = 0; i < edges.size(); ++i) keep[i] = edges[i].score >= keep_above;
    for (uint32_t u = 0; u < num_units; ++u) {
      auto& v = at[u];
      auto other = [&](uint32_t e) { return edges[e].a == u ? edges[e].b : edges[e].a; };
      std::sort(v.begin(), v.end(), [&](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : other(x.second) < other(y.second);
      });
      for (size_t i = 0; i < v.size() && i < m; ++i) keep[v[i].second] = true;
    }
    for (size_t i = 0; i < edges.size(); ++i) {
      if (keep[i]) out.push_back(edges[i]);
    }
  }
  std::sort(out.begin(), out.end(), [](const WeightedEdge& x, const WeightedEdge& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  return out;
}

Result<NarrativeResult> ClusterGraph(uint32_t num_units, std::vector<WeightedEdge> edges,
                                     const std::vector<double>& weights,
                                     const ClusterOptions& options) {
  ET_RETURN_IF_ERROR(ValidateOptions(options));
  if (!weights.empty() && weights.size() != num_units) {
    return Status::InvalidArgument("one weight per unit, or none");
  }
  edges = TopEdges(num_units, edges, options.max_edges, options.keep_above);
  NarrativeResult r;
  std::vector<int32_t> group(num_units, -1);
  if (options.method == Method::kComponents) {
    std::vector<uint32_t> parent(num_units);
    std::iota(parent.begin(), parent.end(), 0u);
    auto find = [&](uint32_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (const WeightedEdge& e : edges) {
      const uint32_t a = find(e.a), b = find(e.b);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
    std::vector<uint32_t> degree(num_units, 0);
    for (const WeightedEdge& e : edges) degree[e.a]++, degree[e.b]++;
    for (uint32_t u = 0; u < num_units; ++u) {
      if (degree[u] > 0) group[u] = static_cast<int32_t>(find(u));
    }
  } else {
    std::vector<coord::WeightedEdge> ce;
    ce.reserve(edges.size());
    for (const WeightedEdge& e : edges) {
      // Leiden needs positive weights; a kept edge's score may be 0 at a
      // zero threshold.
      ce.push_back({e.a, e.b, std::max(e.score, 1e-6)});
    }
    coord::CommunityOptions co;
    co.resolution = options.resolution;
    co.seed = options.seed;
    ET_ASSIGN_OR_RETURN(coord::Communities c, coord::DetectCommunities(num_units, ce, co));
    group = std::move(c.group);
  }
  // Groups below min_size are outliers; the rest become talking points.
  std::map<int32_t, std::vector<uint32_t>> members;
  for (uint32_t u = 0; u < num_units; ++u) {
    if (group[u] >= 0) members[group[u]].push_back(u);
  }
  auto weight_of = [&](uint32_t u) { return weights.empty() ? 1.0 : weights[u]; };
  for (auto& [g, list] : members) {
    if (list.size() < options.min_size) continue;
    Narrative nv;
    nv.units = std::move(list);
    for (uint32_t u : nv.units) nv.weight += weight_of(u);
    r.narratives.push_back(std::move(nv));
  }
  std::sort(r.narratives.begin(), r.narratives.end(), [](const Narrative& x, const Narrative& y) {
    return x.weight != y.weight ? x.weight > y.weight : x.units[0] < y.units[0];
  });
  r.narrative.assign(num_units, -1);
  for (size_t i = 0; i < r.narratives.size(); ++i) {
    for (uint32_t u : r.narratives[i].units) r.narrative[u] = static_cast<int32_t>(i);
  }
  // Centrality: weighted degree inside the talking point.
  std::vector<double> inside(num_units, 0);
  std::vector<uint32_t> inside_edges(num_units, 0);
  for (const WeightedEdge& e : edges) {
    if (r.narrative[e.a] >= 0 && r.narrative[e.a] == r.narrative[e.b]) {
      inside[e.a] += e.score, inside[e.b] += e.score;
      inside_edges[e.a]++, inside_edges[e.b]++;
    }
  }
  r.score.assign(num_units, 0);
  for (uint32_t u = 0; u < num_units; ++u) {
    if (inside_edges[u] > 0) r.score[u] = inside[u] / inside_edges[u];
  }
  for (Narrative& nv : r.narratives) {
    nv.label_unit = nv.units[0];
    for (uint32_t u : nv.units) {
      if (inside[u] > inside[nv.label_unit]) nv.label_unit = u;
    }
  }
  uint32_t outliers = 0;
  for (int32_t g : r.narrative) outliers += g < 0;
  r.outlier_share = num_units == 0 ? 0.0 : static_cast<double>(outliers) / num_units;
  r.edges = std::move(edges);
  return r;
}

std::vector<std::vector<std::string>> ClassKeywords(
    const std::vector<std::string_view>& texts, const std::vector<double>& weights,
    const std::vector<std::vector<uint32_t>>& classes, size_t top) {
  sim::AnalyzerOptions ao;
  ao.stem = false;
  const sim::Analyzer analyzer(ao);
  std::vector<std::map<std::string, double>> tf(classes.size());
  std::map<std::string, double> all;
  std::vector<double> total(classes.size(), 0);
  for (size_t c = 0; c < classes.size(); ++c) {
    for (uint32_t u : classes[c]) {
      const double w = weights.empty() ? 1.0 : weights[u];
      for (std::string& t : analyzer.Terms(texts[u])) {
        if (t.size() < 2 ||
            std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
          continue;
        }
        tf[c][t] += w;
        all[t] += w;
        total[c] += w;
      }
    }
  }
  double words = 0;
  for (double t : total) words += t;
  const double mean = classes.empty() ? 0 : words / static_cast<double>(classes.size());
  std::vector<std::vector<std::string>> out(classes.size());
  for (size_t c = 0; c < classes.size(); ++c) {
    std::vector<std::pair<double, std::string>> scored;
    for (const auto& [t, f] : tf[c]) {
      scored.emplace_back(f / total[c] * std::log(1 + mean / all[t]), t);
    }
    std::sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    for (size_t i = 0; i < scored.size() && i < top; ++i) out[c].push_back(scored[i].second);
  }
  return out;
}

Result<NarrativeResult> FindNarratives(const std::vector<SimilarityInput>& units,
                                       const std::vector<double>& weights,
                                       std::shared_ptr<const WordVectors> vectors,
                                       const ClusterOptions& options) {
  ET_RETURN_IF_ERROR(ValidateOptions(options));
  if (!weights.empty() && weights.size() != units.size()) {
    return Status::InvalidArgument("one weight per unit, or none");
  }
  const auto n = static_cast<uint32_t>(units.size());
  SimilarityOptions so;
  so.word_vectors = std::move(vectors);
  std::vector<Representation> reps;
  ET_ASSIGN_OR_RETURN(std::unique_ptr<SimilarityModel> model,
                      SimilarityModel::FitAndRepresent(units, so, &reps));
  // Candidates: exact kNN by words and by uSIF.
  std::vector<std::vector<std::pair<uint32_t, float>>> sparse(n);
  for (uint32_t u = 0; u < n; ++u) sparse[u] = reps[u]->words;
  std::vector<std::vector<Neighbour>> cand = SparseKnn(sparse, options.k, options.threads);
  std::vector<std::vector<std::pair<uint32_t, float>>>().swap(sparse);
  uint32_t dims = 0;
  for (uint32_t u = 0; u < n && dims == 0; ++u) dims = static_cast<uint32_t>(reps[u]->usif.size());
  if (dims > 0) {
    std::vector<float> dense(size_t{n} * dims, 0.0f);
    for (uint32_t u = 0; u < n; ++u) {
      if (reps[u]->usif.size() == dims) {
        std::copy(reps[u]->usif.begin(), reps[u]->usif.end(), dense.begin() + size_t{u} * dims);
      }
    }
    std::vector<std::vector<Neighbour>> dn = DenseKnn(dense, dims, options.k, options.threads);
    for (uint32_t u = 0; u < n; ++u) cand[u].insert(cand[u].end(), dn[u].begin(), dn[u].end());
  }
  // Distinct pairs (a < b), each scored once.
  std::vector<std::vector<uint32_t>> pairs(n);
  for (uint32_t u = 0; u < n; ++u) {
    for (const Neighbour& nb : cand[u]) pairs[std::min(u, nb.unit)].push_back(std::max(u, nb.unit));
  }
  std::vector<std::vector<Neighbour>>().swap(cand);
  for (auto& p : pairs) {
    std::sort(p.begin(), p.end());
    p.erase(std::unique(p.begin(), p.end()), p.end());
  }
  const EdgeScorer scorer = options.scorer ? options.scorer : EdgeScorer(DefaultEdgeScore);
  std::vector<std::vector<WeightedEdge>> kept(n);
  ParallelFor(n, 64, options.threads, [&](size_t a) {
    for (uint32_t b : pairs[a]) {
      const double s = scorer(model->Compare(reps[a], reps[b]));
      if (s >= options.threshold) kept[a].push_back({static_cast<uint32_t>(a), b, s});
    }
  });
  uint64_t candidates = 0;
  for (const auto& p : pairs) candidates += p.size();
  std::vector<WeightedEdge> edges;
  for (auto& k : kept) edges.insert(edges.end(), k.begin(), k.end());
  ET_ASSIGN_OR_RETURN(NarrativeResult r, ClusterGraph(n, std::move(edges), weights, options));
  r.candidate_pairs = candidates;
  std::vector<std::string_view> texts(n);
  for (uint32_t u = 0; u < n; ++u) texts[u] = units[u].text;
  std::vector<std::vector<uint32_t>> classes;
  for (const Narrative& nv : r.narratives) classes.push_back(nv.units);
  std::vector<std::vector<std::string>> kw = ClassKeywords(texts, weights, classes, 8);
  for (size_t i = 0; i < r.narratives.size(); ++i) r.narratives[i].keywords = std::move(kw[i]);
  return r;
}

}  // namespace echotrace::narratives
