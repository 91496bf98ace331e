// neardup_bench: near-duplicate detection on real tweets, stage by stage.
//
//   neardup_bench [--file PATH] [--limit N] [--threads T] [--threshold X]
//                 [--sample M] [--sample-start S]
//
// Reads the `content` column of PATH (default
// ../shared/data/ira/ira_tweets.csv.zst, any format OpenReader takes) with
// the ingest readers, up to N rows (default all); reading is not timed.
// Then times NormalizedHash over all texts (what ingest stores as
// docs.norm_hash; FindNearDuplicates receives these) and the steps of
// FindNearDuplicates, and prints counts, peak RSS and CPU time.
//
// Recall: the M documents (default 20000; 0 skips) starting at row S
// (default 0; rows are grouped by account there, so a contiguous slice is
// rich in near-duplicates) are compared all-pairs with PairSimilarity; the
// fraction of pairs >= threshold that the full run put in one cluster
// ("recall in clusters") and that it verified directly or merged as exact /
// identical-set duplicates ("direct recall") are printed. Brute force uses
// all threads and is not part of the timings. A benchmark, not a test:
// record figures in BENCHMARKS.md with the command line.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ingest/reader.h"
#include "neardup/neardup.h"
#include "text/normalize.h"

namespace {

using echotrace::neardup::DocShingles;
using echotrace::neardup::NearDupOptions;
using echotrace::neardup::NearDupResult;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

struct Args {
  std::string file = "../shared/data/ira/ira_tweets.csv.zst";
  size_t limit = SIZE_MAX;
  int threads = 0;
  double threshold = 0.8;
  size_t sample = 20000;
  size_t sample_start = 0;
};

bool ParseArgs(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (flag == "--file")
      a->file = v;
    else if (flag == "--limit")
      a->limit = std::strtoull(v, nullptr, 10);
    else if (flag == "--threads")
      a->threads = std::atoi(v);
    else if (flag == "--threshold")
      a->threshold = std::atof(v);
    else if (flag == "--sample")
      a->sample = std::strtoull(v, nullptr, 10);
    else if (flag == "--sample-start")
      a->sample_start = std::strtoull(v, nullptr, 10);
    else
      return false;
  }
  return true;
}

bool ReadTexts(const Args& args, std::vector<std::string>* texts) {
  auto reader = echotrace::OpenReader(args.file, {});
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
    return false;
  }
  echotrace::RawRecord record;
  echotrace::Reject reject;
  while (texts->size() < args.limit) {
    auto outcome = (*reader)->Next(&record, &reject);
    if (!outcome.ok()) {
      std::fprintf(stderr, "%s\n", outcome.status().ToString().c_str());
      return false;
    }
    if (*outcome == echotrace::ReadOutcome::kEnd) break;
    if (*outcome != echotrace::ReadOutcome::kRecord) continue;
    const std::string* content = record.Find("content");
    texts->push_back(content != nullptr ? *content : std::string());
  }
  return true;
}

// All-pairs recall over texts[start, start + m) against the full run.
void BruteForceRecall(const std::vector<std::string>& texts, const NearDupResult& r,
                      const NearDupOptions& options, size_t start, size_t m, int threads) {
  m = std::min(m, texts.size() - std::min(start, texts.size()));
  if (m < 2) return;
  const Clock::time_point t0 = Clock::now();
  std::vector<DocShingles> sh(m);
  for (size_t i = 0; i < m; ++i)
    echotrace::neardup::ComputeShingles(texts[start + i], options.shingle, &sh[i]);
  std::set<uint64_t> direct;
  for (const auto& p : r.pairs) direct.insert(uint64_t{p.a} << 32 | p.b);
  std::atomic<size_t> next{0};
  std::vector<uint64_t> truth(threads), in_cluster(threads), found(threads);
  auto work = [&](int t) {
    for (size_t i; (i = next.fetch_add(1)) < m;) {
      for (size_t j = i + 1; j < m; ++j) {
        if (echotrace::neardup::PairSimilarity(sh[i], sh[j], options.shingle) < options.threshold)
          continue;
        const uint32_t di = start + i, dj = start + j;
        ++truth[t];
        in_cluster[t] += r.cluster[di] == r.cluster[dj];
        const uint32_t a = std::min(r.representative[di], r.representative[dj]);
        const uint32_t b = std::max(r.representative[di], r.representative[dj]);
        found[t] += a == b || direct.count(uint64_t{a} << 32 | b) > 0;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  uint64_t tr = 0, ic = 0, fd = 0;
  for (int t = 0; t < threads; ++t) tr += truth[t], ic += in_cluster[t], fd += found[t];
  std::printf(
      "recall: %zu docs from row %zu, %llu pairs >= %.2f, in one cluster %.4f, direct %.4f "
      "(brute force %.1f s)\n",
      m, start, static_cast<unsigned long long>(tr), options.threshold, tr ? double(ic) / tr : 1.0,
      tr ? double(fd) / tr : 1.0, Seconds(t0));
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    std::fprintf(stderr,
                 "usage: neardup_bench [--file PATH] [--limit N] [--threads T] [--threshold X] "
                 "[--sample M] [--sample-start S]\n");
    return 2;
  }
  Clock::time_point t0 = Clock::now();
  std::vector<std::string> texts;
  if (!ReadTexts(args, &texts)) return 1;
  std::printf("read %zu texts in %.1f s (not counted)\n", texts.size(), Seconds(t0));
  const int threads =
      args.threads > 0 ? args.threads : std::max(1u, std::thread::hardware_concurrency());

  t0 = Clock::now();
  std::vector<uint64_t> hashes(texts.size());
  {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t b; (b = next.fetch_add(4096)) < texts.size();) {
        for (size_t d = b; d < std::min(texts.size(), b + 4096); ++d)
          hashes[d] = echotrace::NormalizedHash(texts[d]);
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
  }
  const double hash_s = Seconds(t0);

  NearDupOptions options;
  options.threshold = args.threshold;
  options.threads = threads;
  options.collect_pairs = args.sample > 0;
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  const double cpu0 = CpuSeconds();
  t0 = Clock::now();
  auto result = echotrace::neardup::FindNearDuplicates(views, hashes, options);
  const double total_s = Seconds(t0), cpu_s = CpuSeconds() - cpu0;
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    return 1;
  }
  const auto& st = result->stats;
  std::printf("threads %d, threshold %.2f, bands %u x rows %u, K %u\n", threads, args.threshold,
              st.bands.bands, st.bands.rows, options.num_perm);
  std::printf("norm_hash (ingest's job, not counted below) %.2f s\n", hash_s);
  std::printf(
      "stages: exact %.2f s, tokenize+shingle %.2f s, identical sets %.2f s, minhash %.2f s, "
      "LSH candidates %.2f s, verification %.2f s, union-find %.2f s\n",
      st.seconds_exact, st.seconds_shingle, st.seconds_collapse, st.seconds_minhash,
      st.seconds_candidates, st.seconds_verify, st.seconds_union);
  std::printf("total %.2f s wall, %.2f s CPU, peak RSS %.0f MB\n", total_s, cpu_s, PeakRssMb());
  std::printf(
      "docs %llu: exact duplicates %llu, identical sets %llu, empty %llu; LSH: short %llu, "
      "long %llu, bridge %llu\n",
      (unsigned long long)st.docs, (unsigned long long)st.exact_duplicates,
      (unsigned long long)st.identical_sets, (unsigned long long)st.empty_docs,
      (unsigned long long)st.short_docs, (unsigned long long)st.long_docs,
      (unsigned long long)st.bridge_docs);
  std::printf(
      "pairs: candidates %llu (capped buckets %llu), skipped %llu, size-filtered %llu, "
      "verified %llu; clusters %llu holding %llu docs\n",
      (unsigned long long)st.candidate_pairs, (unsigned long long)st.capped_buckets,
      (unsigned long long)st.skipped_pairs, (unsigned long long)st.size_filtered,
      (unsigned long long)st.verified_pairs, (unsigned long long)st.clusters,
      (unsigned long long)st.clustered_docs);
  std::fflush(stdout);
  BruteForceRecall(texts, *result, options, args.sample_start, args.sample, threads);
  return 0;
}
