// store_bench: how fast the store ingests, counts and searches.
//
//   store_bench [--n N] [--batch B] [--texts FILE.tsv] [--db PATH] [--keep]
//               [--sql STATEMENT]...
//
// Documents are built in memory first (not timed), then written with
// WriteBatch in batches of B (default 4096, the ingest default) into a new
// store and BuildIndexes() is run (an initial load, see store.h); then all
// are written again (all duplicates), then Stats() and a few Search() calls
// are timed. With --texts, each line of FILE is
// "author<TAB>lang<TAB>unix_time<TAB>text" (e.g. extracted from
// ../shared/data/ira); otherwise N synthetic tweet-like posts are made from a
// Zipf-distributed vocabulary, with @mentions, #hashtags and URLs as
// entities. Figures go to stdout; record them in BENCHMARKS.md with the
// command line.
#include <sqlite3.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "echotrace/store.h"
#include "store/store_internal.h"
#include "util/str_cat.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU seconds of this process (user + system): on a shared machine a
// steadier figure than wall time, and equal to it when the work is
// CPU-bound and the machine idle.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::vector<echotrace::Document> Synthetic(size_t n) {
  std::mt19937_64 rng(42);
  const char* letters = "abcdefghijklmnopqrstuvwxyz";
  std::vector<std::string> vocab(50000);
  for (auto& w : vocab) {
    size_t len = 2 + rng() % 8;
    for (size_t i = 0; i < len; ++i) w += letters[rng() % 26];
  }
  // Zipf(1) over the vocabulary by inverse CDF on a precomputed table.
  std::vector<double> cdf(vocab.size());
  double sum = 0;
  for (size_t i = 0; i < vocab.size(); ++i) cdf[i] = (sum += 1.0 / static_cast<double>(i + 1));
  std::uniform_real_distribution<double> u(0, sum);
  auto word = [&]() -> const std::string& {
    return vocab[std::lower_bound(cdf.begin(), cdf.end(), u(rng)) - cdf.begin()];
  };
  const char* langs[] = {"en", "en", "en", "ru", "uk", "und"};
  std::vector<echotrace::Document> docs(n);
  for (size_t i = 0; i < n; ++i) {
    auto& d = docs[i];
    d.ext_id = echotrace::StrCat("t", i);
    d.source = "twitter";
    d.author = echotrace::StrCat("user", rng() % 3000);
    d.time = 1400000000 + static_cast<int64_t>(rng() % 100000000);
    d.lang = langs[rng() % 6];
    d.norm_hash = rng();
    size_t words = 8 + rng() % 13;
    for (size_t w = 0; w < words; ++w) {
      if (!d.text.empty()) d.text += ' ';
      uint64_t r = rng() % 100;
      uint32_t start = static_cast<uint32_t>(d.text.size());
      if (r < 3 || r == 99) {
        const std::string& v = word();
        d.text += (r == 99 ? "@" : "#") + v;
        d.entities.push_back(
            {r == 99 ? echotrace::EntityKind::kMention : echotrace::EntityKind::kHashtag, v, start,
             static_cast<uint32_t>(d.text.size())});
      } else if (r == 3 && w + 1 == words) {
        std::string url = echotrace::StrCat("https://t.co/", rng() % 1000000);
        d.text += url;
        d.entities.push_back(
            {echotrace::EntityKind::kUrl, url, start, static_cast<uint32_t>(d.text.size())});
      } else {
        d.text += word();
      }
    }
  }
  return docs;
}

std::vector<echotrace::Document> FromTsv(const std::string& path) {
  std::vector<echotrace::Document> docs;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find('\t'), b = line.find('\t', a + 1), c = line.find('\t', b + 1);
    if (c == std::string::npos) continue;
    echotrace::Document d;
    d.ext_id = echotrace::StrCat("t", docs.size());
    d.source = "ira";
    d.author = line.substr(0, a);
    d.lang = line.substr(a + 1, b - a - 1);
    std::string t = line.substr(b + 1, c - b - 1);
    if (!t.empty()) d.time = std::strtoll(t.c_str(), nullptr, 10);
    d.text = line.substr(c + 1);
    d.norm_hash = std::hash<std::string>()(d.text);
    docs.push_back(std::move(d));
  }
  return docs;
}

int Fail(const echotrace::Status& s) {
  std::fprintf(stderr, "store_bench: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 200000, batch = 4096;
  std::string texts, db = (std::filesystem::temp_directory_path() / "store_bench.db").string();
  bool keep = false;
  std::vector<std::string> sql;  // run on the new store before writing (experiments)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--n" && i + 1 < argc)
      n = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--batch" && i + 1 < argc)
      batch = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--texts" && i + 1 < argc)
      texts = argv[++i];
    else if (a == "--db" && i + 1 < argc)
      db = argv[++i];
    else if (a == "--keep")
      keep = true;
    else if (a == "--sql" && i + 1 < argc)
      sql.push_back(argv[++i]);
    else {
      std::fprintf(stderr,
                   "usage: store_bench [--n N] [--batch B] [--texts FILE] [--db PATH] [--keep] "
                   "[--sql STATEMENT]...\n");
      return 2;
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  auto docs = texts.empty() ? Synthetic(n) : FromTsv(texts);
  size_t bytes = 0, entities = 0;
  for (const auto& d : docs) bytes += d.text.size(), entities += d.entities.size();
  std::printf("%zu docs, %.1f MB of text, %zu entities, batches of %zu\n", docs.size(),
              static_cast<double>(bytes) / 1e6, entities, batch);

  std::vector<std::vector<echotrace::Document>> batches;
  for (size_t i = 0; i < docs.size(); i += batch) {
    batches.emplace_back(
        std::make_move_iterator(docs.begin() + static_cast<std::ptrdiff_t>(i)),
        std::make_move_iterator(docs.begin() +
                                static_cast<std::ptrdiff_t>(std::min(docs.size(), i + batch))));
  }
  const size_t total = docs.size();
  docs.clear();

  auto store = echotrace::Store::Open(db, echotrace::OpenMode::kReadWrite);
  if (!store.ok()) return Fail(store.status());
  for (const auto& q : sql) {
    if (sqlite3_exec(echotrace::store_internal::Handle((*store)), q.c_str(), nullptr, nullptr,
                     nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "store_bench: %s: %s\n", q.c_str(),
                   sqlite3_errmsg(echotrace::store_internal::Handle((*store))));
      return 1;
    }
  }
  for (int pass = 0; pass < 2; ++pass) {
    echotrace::InsertCounts counts;
    auto t0 = Clock::now();
    double c0 = CpuSeconds();
    for (const auto& part : batches) {
      auto s = (*store)->WriteBatch(0, part, {}, &counts);
      if (!s.ok()) return Fail(s);
    }
    double secs = Seconds(t0), cpu = CpuSeconds() - c0;
    std::printf(
        "%s: %llu inserted, %llu duplicates in %.2f s = %.0f docs/s (CPU %.2f s = %.0f docs/s)\n",
        pass == 0 ? "write" : "rewrite (all duplicates)",
        static_cast<unsigned long long>(counts.inserted),
        static_cast<unsigned long long>(counts.duplicates), secs, static_cast<double>(total) / secs,
        cpu, static_cast<double>(total) / cpu);
    if (pass == 0) {
      auto t1 = Clock::now();
      double c1 = CpuSeconds();
      auto s = (*store)->BuildIndexes();
      if (!s.ok()) return Fail(s);
      double build = Seconds(t1), build_cpu = CpuSeconds() - c1;
      std::printf(
          "BuildIndexes: %.2f s (CPU %.2f s); write + build = %.0f docs/s (CPU %.0f docs/s)\n",
          build, build_cpu, static_cast<double>(total) / (secs + build),
          static_cast<double>(total) / (cpu + build_cpu));
    }
  }
  auto t = Clock::now();
  auto stats = (*store)->Stats();
  if (!stats.ok()) return Fail(stats.status());
  std::printf("stats: %.3f s (%llu docs, %llu authors, %zu langs)\n", Seconds(t),
              static_cast<unsigned long long>(stats->documents),
              static_cast<unsigned long long>(stats->authors), stats->by_lang.size());
  for (const char* q : {"the", "russia election fake news", "trump", "zzzqqq"}) {
    for (int k : {10, 1000}) {
      t = Clock::now();
      auto hits = (*store)->Search(q, k);
      if (!hits.ok()) return Fail(hits.status());
      std::printf("search '%s' k=%d: %zu hits in %.3f s\n", q, k, hits->size(), Seconds(t));
    }
  }
  store->reset();
  std::printf("store size: %.1f MB\n", static_cast<double>(std::filesystem::file_size(db)) / 1e6);
  if (!keep) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  }
  return 0;
}
