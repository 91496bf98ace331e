// The near-duplicate stage run incrementally: a corpus ingested in two or
// three parts with an analysis after each must leave exactly the rows a
// full analysis of a fresh store with every document leaves.
#include "neardup/stage.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "echotrace/analyze.h"
#include "echotrace/ingest.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

// Texts with near-duplicate families (word edits, t.co links, case),
// exact copies, short posts, one family larger than the test's max_bucket,
// and chains whose links merge clusters when they arrive.
std::vector<std::string> Corpus(uint32_t seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // Appended, not "w" + std::to_string(...): that operator+ makes GCC 12 at
  // -O3 report a bogus -Wrestrict (GCC bug 105329).
  auto word = [&] {
    std::string w = "w";
    w += std::to_string(uniform(0, 150) * uniform(0, 3));
    return w;
  };
  std::vector<std::string> texts;
  for (int b = 0; b < 40; ++b) {
    std::vector<std::string> base(static_cast<size_t>(uniform(3, 30)));
    for (std::string& w : base) w = word();
    for (int v = uniform(1, 4); v > 0; --v) {
      std::vector<std::string> words = base;
      for (int e = uniform(0, 2); e > 0; --e) {
        const size_t pos = static_cast<size_t>(uniform(0, static_cast<int>(words.size()) - 1));
        switch (uniform(0, 3)) {
          case 0:
            words[pos] = word();
            break;
          case 1:
            words.insert(words.begin() + static_cast<long>(pos), word());
            break;
          case 2:
            words.push_back("https://t.co/");
            words.back() += std::to_string(rng() % 100000);
            break;
          default:
            words[pos][0] = 'W';
            break;
        }
      }
      std::string t;
      for (const std::string& w : words) t += (t.empty() ? "" : " ") + w;
      texts.push_back(t);
    }
  }
  for (int d = 0; d < 40; ++d) {
    std::string t;
    for (int w = 0; w < 25; ++w) t += "big" + std::to_string(w) + " ";
    texts.push_back(t + "tail" + std::to_string(rng() % 30));
  }
  for (int start = 0; start < 10; ++start) {
    std::string t;
    for (int w = start; w < start + 20; ++w) t += "chain" + std::to_string(w) + " ";
    texts.push_back(t);
  }
  const size_t n = texts.size();
  for (int c = 0; c < 10; ++c) texts.push_back(texts[rng() % n]);
  std::shuffle(texts.begin(), texts.end(), rng);
  return texts;
}

std::string Jsonl(const std::vector<std::string>& texts, size_t from, size_t to) {
  std::string s;
  for (size_t i = from; i < to; ++i) {
    s += "{\"id\":\"d" + std::to_string(i) + "\",\"text\":\"" + texts[i] + "\"}\n";
  }
  return s;
}

class NearDupStageTest : public StoreTest {
 protected:
  void Ingest(Store* store, const std::string& name, const std::string& jsonl) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << jsonl;
    IngestOptions o;
    o.progress = false;
    IngestSummary sum;
    ASSERT_TRUE(echotrace::Ingest(store, {path}, o, &sum).ok());
  }
  // The stage's figures.
  std::string Analyze(Store* store, AnalyzeOptions o) {
    o.only = {"neardup"};
    o.progress = false;
    o.neardup.max_bucket = 4;
    AnalyzeSummary sum;
    Status s = echotrace::Analyze(store, o, &sum);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return s.ok() ? sum.stages[0].figures_json : "";
  }
  // The result rows, without run ids, and the run ids found.
  std::string Rows() {
    return Query(
               "SELECT 'm', doc_id, cluster_id, via_doc_id FROM neardup_members ORDER BY doc_id") +
           Query(
               "SELECT 'p', doc_a, doc_b, jaccard, shingle_k FROM neardup_pairs "
               "ORDER BY doc_a, doc_b") +
           Query(
               "SELECT 'i', doc_id, kind, set_hash, hex(keys) FROM neardup_index ORDER BY doc_id") +
           Query(
               "SELECT 'runs', count(DISTINCT run_id) FROM (SELECT run_id FROM neardup_members "
               "UNION ALL SELECT run_id FROM neardup_pairs)");
  }
  std::map<int64_t, int64_t> Clusters() {
    std::map<int64_t, int64_t> m;
    std::istringstream in(Query("SELECT doc_id, cluster_id FROM neardup_members"));
    std::string line;
    while (std::getline(in, line)) {
      const size_t bar = line.find('|');
      m[std::stoll(line.substr(0, bar))] = std::stoll(line.substr(bar + 1));
    }
    return m;
  }
};

TEST_F(NearDupStageTest, IncrementalRunsEqualAFullRebuild) {
  int renamed = 0;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    const std::vector<std::string> texts = Corpus(seed);
    const size_t n = texts.size();
    std::mt19937 rng(seed);
    std::vector<size_t> cuts = {n / 4 + rng() % (n / 2), n};
    if (seed % 2 == 0) cuts.insert(cuts.begin(), 1 + rng() % (cuts[0] - 1));  // three parts
    const std::string tag = "s" + std::to_string(seed);

    auto parts = Store::Open((dir_ / (tag + "parts.db")).string(), OpenMode::kReadWrite);
    ASSERT_TRUE(parts.ok());
    std::swap(store_, *parts);
    size_t from = 0;
    std::map<int64_t, int64_t> before;
    for (size_t c = 0; c < cuts.size(); ++c) {
      Ingest(store_.get(), tag + "p" + std::to_string(c) + ".jsonl", Jsonl(texts, from, cuts[c]));
      const std::string fig = Analyze(store_.get(), {});
      const std::string mode = c == 0 ? "\"mode\":\"full\"" : "\"mode\":\"incremental\"";
      EXPECT_NE(fig.find(mode), std::string::npos) << fig;
      EXPECT_NE(fig.find("\"new_documents\":" + std::to_string(cuts[c] - from)), std::string::npos)
          << fig;
      // Earlier clusters keep their ids, except a merged one, which takes
      // the smaller id of another earlier cluster.
      const std::map<int64_t, int64_t> now = Clusters();
      for (const auto& [doc, cluster] : before) {
        ASSERT_TRUE(now.count(doc)) << doc;
        EXPECT_LE(now.at(doc), cluster);
        if (now.at(doc) != cluster) {
          EXPECT_EQ(before.count(now.at(doc)) ? before.at(now.at(doc)) : 0, now.at(doc));
          ++renamed;
        }
      }
      before = now;
      from = cuts[c];
    }
    const std::string incremental = Rows();
    std::swap(store_, *parts);

    auto full = Store::Open((dir_ / (tag + "full.db")).string(), OpenMode::kReadWrite);
    ASSERT_TRUE(full.ok());
    std::swap(store_, *full);
    Ingest(store_.get(), tag + "all.jsonl", Jsonl(texts, 0, n));
    Analyze(store_.get(), {});
    EXPECT_EQ(incremental, Rows()) << tag;
    EXPECT_NE(incremental.find("runs|1"), std::string::npos);
    std::swap(store_, *full);
  }
  EXPECT_GT(renamed, 0);  // merges happened
}

TEST_F(NearDupStageTest, FullWhenAskedOrWhenParametersChange) {
  const std::vector<std::string> texts = Corpus(9);
  IngestJsonl(Jsonl(texts, 0, texts.size() / 2));
  EXPECT_NE(Analyze(store_.get(), {}).find("\"full_reason\":\"no earlier run\""),
            std::string::npos);
  const std::string rows = Rows();
  EXPECT_NE(Analyze(store_.get(), {}).find("\"mode\":\"incremental\",\"documents\""),
            std::string::npos);
  EXPECT_EQ(Rows(), rows);  // nothing new: the same rows under the new run
  AnalyzeOptions full;
  full.neardup.full = true;
  EXPECT_NE(Analyze(store_.get(), full).find("\"full_reason\":\"--full\""), std::string::npos);
  EXPECT_EQ(Rows(), rows);
  AnalyzeOptions other;
  other.neardup.threshold = 0.7;
  EXPECT_NE(Analyze(store_.get(), other).find("\"full_reason\":\"parameters changed\""),
            std::string::npos);
  // An index that does not match its run is not trusted.
  Analyze(store_.get(), {});
  Query("DELETE FROM neardup_index WHERE doc_id = (SELECT min(doc_id) FROM neardup_index)");
  EXPECT_NE(Analyze(store_.get(), {}).find("\"full_reason\":\"the stored index does not match"),
            std::string::npos);
}

}  // namespace
}  // namespace echotrace
