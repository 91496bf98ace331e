// coord_bench: the co-action core (src/coord/coactions.h) on synthetic data
// the size of the IRA corpus, all six behaviours, then Leiden on the union
// graph. Not the stage (no store): it measures what the core costs.
//
//   coord_bench [--posts N] [--accounts A] [--windows 60,3600] [--cap M] [--seed S]
//   coord_bench --db STORE [--windows 60,3600] [--cap M] [--threads T]
//
// With --db it runs the whole coordination stage (coord_stage.h) on that
// store instead — it WRITES the result tables, so give it a copy — and
// prints the run's figures and the peak RSS.
//
// Defaults: 2,500,000 posts, 2,800 accounts, windows 60 s and 1 h, cap 100.
// The generator (deterministic under --seed): accounts post with heavy-tailed
// (Zipf 1.0) activity over three years at minute resolution, as the IRA data
// does; each behaviour gives a share of the posts a key (co-post 100%,
// co-similar 30%, co-link 40%, co-reply 5%, co-repost 40%, co-hashtag 50%)
// drawn from a Zipf(1.1) vocabulary, and a key's posts cluster in time around
// a key-specific moment (exponential spread, 6 h), so the most popular keys
// make viral bursts. 40 planted rings of 8 accounts post 200 shared keys each
// within 30 s. Prints per behaviour the actions, pairs, edges, bursts, time
// and, at the end, the peak RSS. A benchmark, not a test: record figures in
// BENCHMARKS.md with the command line.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "coord/coactions.h"
#include "coord/communities.h"
#include "echotrace/analyze.h"
#include "echotrace/store.h"

namespace {

using echotrace::coord::Action;
using echotrace::coord::Behaviour;

// Zipf sampler over 1..n by inverse CDF on a precomputed table.
class Zipf {
 public:
  Zipf(size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) cdf_[i] = (sum += 1.0 / std::pow(static_cast<double>(i + 1), s));
    for (double& c : cdf_) c /= sum;
  }
  size_t operator()(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin();
  }

 private:
  std::vector<double> cdf_;
};

long PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  size_t posts = 2500000, accounts = 2800;
  uint32_t cap = 100;
  uint64_t seed = 1;
  std::vector<int64_t> windows = {60, 3600};
  std::string db;
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string f = argv[i];
    if (f == "--db") db = argv[i + 1];
    if (f == "--threads") threads = std::atoi(argv[i + 1]);
    if (f == "--posts") posts = std::strtoull(argv[i + 1], nullptr, 10);
    if (f == "--accounts") accounts = std::strtoull(argv[i + 1], nullptr, 10);
    if (f == "--cap") cap = static_cast<uint32_t>(std::strtoul(argv[i + 1], nullptr, 10));
    if (f == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (f == "--windows") {
      windows.clear();
      for (char* p = argv[i + 1]; *p;) {
        windows.push_back(std::strtoll(p, &p, 10));
        if (*p == ',') ++p;
      }
    }
  }
  if (!db.empty()) {
    auto store = echotrace::Store::Open(db, echotrace::OpenMode::kReadWrite);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 1;
    }
    echotrace::AnalyzeOptions o;
    o.only = {"coordination"};
    o.coordination.windows = windows;
    o.coordination.burst_cap = cap;
    o.threads = threads;
    echotrace::AnalyzeSummary analysis;
    auto start = std::chrono::steady_clock::now();
    echotrace::Status st = echotrace::Analyze(store->get(), o, &analysis);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!st.ok()) {
      std::fprintf(stderr, "%s\n", st.ToString().c_str());
      return 1;
    }
    std::printf("%s\nstage %.2f s (run %lld); peak RSS %ld MB\n",
                analysis.stages[0].figures_json.c_str(), secs,
                static_cast<long long>(analysis.stages[0].run_id), PeakRssMb());
    return 0;
  }
  std::mt19937_64 rng(seed);
  const int64_t t0 = 1420070400, span = 3 * 365 * 86400;
  Zipf who(accounts, 1.0);
  std::vector<uint32_t> author(posts);
  for (size_t p = 0; p < posts; ++p) author[p] = static_cast<uint32_t>(who(rng));

  const double share[6] = {1.0, 0.3, 0.4, 0.05, 0.4, 0.5};
  echotrace::coord::CoActionOptions o;
  o.windows = windows;
  o.max_posts_in_window = cap;
  std::vector<echotrace::coord::WeightedEdge> graph;
  double total = 0;
  for (int b = 0; b < echotrace::coord::kNumBehaviours; ++b) {
    const size_t n = static_cast<size_t>(share[b] * static_cast<double>(posts));
    const size_t vocab = std::max<size_t>(1000, n / 3);
    Zipf what(vocab, 1.1);
    std::vector<int64_t> center(vocab);
    for (int64_t& c : center) c = t0 + static_cast<int64_t>(rng() % span);
    std::exponential_distribution<double> spread(1.0 / (6 * 3600));
    std::vector<Action> acts;
    acts.reserve(n + 40 * 8 * 200);
    for (size_t i = 0; i < n; ++i) {
      size_t p = rng() % posts;
      size_t k = what(rng);
      int64_t t = center[k] + static_cast<int64_t>(spread(rng));
      acts.push_back(
          {author[p], t / 60 * 60, k * 0x9E3779B97F4A7C15ull + b, static_cast<int64_t>(p)});
    }
    // Planted rings: 8 accounts, 200 keys each, all within 30 s.
    int64_t next_post = static_cast<int64_t>(posts) + 1000000 * b;
    for (uint32_t ring = 0; ring < 40; ++ring) {
      for (int k = 0; k < 200; ++k) {
        int64_t t = t0 + static_cast<int64_t>(rng() % span);
        uint64_t key = (uint64_t{ring} << 40) ^ (static_cast<uint64_t>(k) << 20) ^ 0xABCDEFull ^ b;
        for (uint32_t m = 0; m < 8; ++m) {
          acts.push_back({static_cast<uint32_t>(accounts - 1 - ring * 8 - m),
                          (t + static_cast<int64_t>(rng() % 30)) / 60 * 60, key, next_post++});
        }
      }
    }
    // A post has one time: duplicates of a post id drawn twice get its first time.
    {
      std::vector<int64_t> first(posts, INT64_MIN);
      for (Action& a : acts) {
        if (a.post < static_cast<int64_t>(posts)) {
          int64_t& f = first[static_cast<size_t>(a.post)];
          if (f == INT64_MIN) f = a.time;
          a.time = f;
        }
      }
    }
    auto start = std::chrono::steady_clock::now();
    auto r = echotrace::coord::DetectCoActions(acts, static_cast<Behaviour>(b), o);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      return 1;
    }
    total += secs;
    size_t ring_edges = 0;
    for (const auto& e : r->edges) {
      ring_edges += e.account_a >= accounts - 320 && e.account_b >= accounts - 320 &&
                    (accounts - 1 - e.account_a) / 8 == (accounts - 1 - e.account_b) / 8;
      graph.push_back({e.account_a, e.account_b, static_cast<double>(e.weight)});
    }
    std::printf(
        "%-10s actions %9zu  keys %9llu  pairs %10llu  edges %8zu (ring %zu/1120)  "
        "bursts %6zu  crowded %8llu  %.2f s\n",
        echotrace::coord::BehaviourName(static_cast<Behaviour>(b)), acts.size(),
        static_cast<unsigned long long>(r->stats.keys),
        static_cast<unsigned long long>(r->stats.pairs), r->edges.size(), ring_edges,
        r->bursts.size(), static_cast<unsigned long long>(r->stats.crowded_posts), secs);
  }
  auto start = std::chrono::steady_clock::now();
  auto c = echotrace::coord::DetectCommunities(static_cast<uint32_t>(accounts), graph,
                                               echotrace::coord::CommunityOptions());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!c.ok()) {
    std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
    return 1;
  }
  std::printf("leiden     edges %zu  groups %d  modularity %.3f  %.2f s\n", graph.size(),
              c->num_groups, c->modularity, secs);
  std::printf("total co-action time %.2f s, with Leiden %.2f s; peak RSS %ld MB\n", total,
              total + secs, PeakRssMb());
  return 0;
}
