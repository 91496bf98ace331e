// Golden tests of corpus-level reuse on small fictional corpora: each test
// writes its documents, plants the reuse it is about and checks clusters,
// byte offsets, origin and boilerplate exactly.
#include "reuse/corpus_reuse.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace echotrace::reuse {
namespace {

// Made-up words from a deterministic generator, so that text is varied and
// chance shared 5-grams do not occur.
class Words {
 public:
  explicit Words(uint64_t seed) : s_(seed) {}
  std::string Word() {
    static const char* kSyl[] = {"ka",  "lo",  "mi",  "ne",  "tru", "vas", "pel",
                                 "dor", "shi", "gan", "bu",  "rei", "fo",  "zan",
                                 "qui", "hol", "mer", "tis", "ud",  "yar"};
    std::string w;
    for (int k = 2 + static_cast<int>(Next() % 2); k > 0; --k) w += kSyl[Next() % 20];
    return w;
  }
  // n words; a full stop after every 12th.
  std::string Text(int n) {
    std::string t;
    for (int i = 0; i < n; ++i) {
      if (i > 0) t += (i % 12 == 0) ? ". " : " ";
      t += Word();
    }
    return t;
  }

 private:
  uint64_t Next() {
    s_ += 0x9E3779B97F4A7C15ull;
    uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t s_;
};

struct Corpus {
  std::vector<std::string> texts;  // stable storage for the views
  std::vector<CorpusDoc> docs;
  // Adds a document; id = position + 1.
  void Add(std::string text, std::optional<int64_t> time = std::nullopt, uint32_t source = 0,
           uint32_t author = CorpusDoc::kNoAuthor, Side side = Side::kA) {
    texts.push_back(std::move(text));
    CorpusDoc d;
    d.id = static_cast<int64_t>(texts.size());
    d.time = time;
    d.source = source;
    d.author = author;
    d.side = side;
    docs.push_back(d);
  }
  std::vector<CorpusDoc> Docs() {
    for (size_t i = 0; i < docs.size(); ++i) docs[i].text = texts[i];
    return docs;
  }
};

CorpusReuseResult Detect(Corpus& c, CorpusReuseOptions o = {}) {
  Result<CorpusReuseResult> r = FindCorpusReuse(c.Docs(), o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : CorpusReuseResult{};
}

std::string Occ(const Corpus& c, const ReuseOccurrence& o) {
  return c.texts[o.doc].substr(o.start, o.end - o.start);
}

TEST(CorpusReuseTest, QuoteInsideLongArticleIsFoundWithOffsetsInBoth) {
  Words w(1);
  const std::string quote = w.Text(30);
  const std::string before = w.Text(800), after = w.Text(800);
  Corpus c;
  c.Add(w.Text(40) + ". " + quote + ". " + w.Text(20), 100);  // a post quoting it later
  c.Add(before + ". " + quote + ". " + after, 50);            // the article, earlier
  c.Add(w.Text(900), 60);                                     // unrelated
  CorpusReuseResult r = Detect(c);
  ASSERT_EQ(r.clusters.size(), 1u);
  const ReuseCluster& k = r.clusters[0];
  ASSERT_EQ(k.occurrences.size(), 2u);
  EXPECT_EQ(k.occurrences[0].doc, 0u);
  EXPECT_EQ(k.occurrences[0].start, c.texts[0].find(quote));
  EXPECT_EQ(Occ(c, k.occurrences[0]), quote);
  EXPECT_EQ(k.occurrences[1].doc, 1u);
  EXPECT_EQ(k.occurrences[1].start, before.size() + 2);
  EXPECT_EQ(Occ(c, k.occurrences[1]), quote);
  EXPECT_EQ(k.origin, 1u);  // the article's time is earlier
  EXPECT_EQ(k.first_time, 50);
  EXPECT_EQ(k.last_time, 100);
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_DOUBLE_EQ(r.pairs[0].identity, 1.0);
  EXPECT_NEAR(r.pairs[0].containment, 30.0 / 90.0, 1e-9);  // the post is the shorter side
}

// Boilerplate is decided with what the source has published so far (the
// rule that makes incremental runs exact): the footer is boilerplate from
// the fifth footed article on, and the first four share it as reuse, since
// until then nothing tells a footer from a passage the outlet reused.
TEST(CorpusReuseTest, SyndicationFooterIsBoilerplateNotReuse) {
  Words w(2);
  const std::string footer = "The post appeared first on the Harbour Lantern. Share this story";
  const std::string body = w.Text(120);
  Corpus c;
  // Source 1: an outlet whose every article ends with the footer.
  c.Add(body, 10, 0);  // the original, source 0
  for (int i = 0; i < 6; ++i) c.Add(w.Text(150) + ". " + footer, 20 + i, 1);
  c.Add(body + ". " + footer, 30, 1);  // syndicated copy
  for (int i = 0; i < 4; ++i) c.Add(w.Text(150), 40 + i, 0);
  CorpusReuseResult r = Detect(c);
  ASSERT_EQ(r.clusters.size(), 2u);
  const ReuseCluster& early = r.clusters[0];  // founded when document 2 came
  ASSERT_EQ(early.occurrences.size(), 4u);
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(early.occurrences[i].doc, i + 1);
    EXPECT_NE(Occ(c, early.occurrences[i]).find("Harbour Lantern. Share this story"),
              std::string::npos);
  }
  const ReuseCluster& k = r.clusters[1];
  ASSERT_EQ(k.occurrences.size(), 2u);
  EXPECT_EQ(Occ(c, k.occurrences[0]), body);
  EXPECT_EQ(Occ(c, k.occurrences[1]), body);
  EXPECT_EQ(k.occurrences[1].doc, 7u);
  // Every 5-gram of the footer: 11 tokens -> 7 n-grams, in all 7 footed
  // docs, boilerplate from document 5.
  ASSERT_EQ(r.boilerplate.size(), 7u);
  for (const Boilerplate& b : r.boilerplate) {
    EXPECT_EQ(b.source, 1u);
    EXPECT_EQ(b.docs, 7u);
    EXPECT_EQ(b.example_doc, 5u);
    EXPECT_NE(footer.find(c.texts[5].substr(b.example_start, b.example_end - b.example_start)),
              std::string::npos);
  }
  EXPECT_EQ(r.stats.boilerplate_ngrams, 7u);
}

// A source that adds a footer late: the share counts the source's documents
// since the footer first appeared in it, so 60 older articles without it
// (8 footed of 68 would be under 20%) do not keep it from being boilerplate.
TEST(CorpusReuseTest, FooterAddedLateIsBoilerplateFromItsFifthContent) {
  Words w(12);
  const std::string footer = "Subscribe to the Dockside Courier for more stories like this one";
  Corpus c;
  for (int i = 0; i < 60; ++i) c.Add(w.Text(60), i, 0);
  for (int i = 0; i < 8; ++i) c.Add(w.Text(60) + ". " + footer, 100 + i, 0);
  CorpusReuseResult r = Detect(c);
  ASSERT_EQ(r.boilerplate.size(), 7u);  // 11 words: 7 n-grams
  // From the fifth footed article with its own content signature (articles
  // whose smallest n-gram lies in the footer count as one content, so that
  // may be a later article than the fifth).
  const uint32_t from = r.boilerplate[0].example_doc;
  EXPECT_GE(from, 64u);
  EXPECT_LE(from, 67u);
  for (const Boilerplate& b : r.boilerplate) EXPECT_EQ(b.example_doc, from);
  for (const ReuseCluster& k : r.clusters) {
    for (const ReuseOccurrence& o : k.occurrences) {
      EXPECT_GE(o.doc, 60u);
      EXPECT_LT(o.doc, from);
    }
  }
}

TEST(CorpusReuseTest, LightlyEditedCopiesAreOneCluster) {
  Words w(3);
  std::vector<std::string> p;
  for (int i = 0; i < 40; ++i) p.push_back(w.Word());
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
  };
  std::vector<std::string> e1 = p, e2 = p;
  e1[8] = "changed";                       // substitution
  e1.insert(e1.begin() + 20, "inserted");  // insertion
  e1.erase(e1.begin() + 30);               // deletion
  std::swap(e2[12], e2[13]);               // swapped neighbours
  e2[25] = "другое";
  Corpus c;
  c.Add(w.Text(50) + ". " + join(p) + ". " + w.Text(50), 1);
  c.Add(w.Text(30) + ". " + join(e1), 2);
  c.Add(join(e2) + ". " + w.Text(30), 3);
  CorpusReuseResult r = Detect(c);
  ASSERT_EQ(r.clusters.size(), 1u);
  const ReuseCluster& k = r.clusters[0];
  ASSERT_EQ(k.occurrences.size(), 3u);
  EXPECT_EQ(Occ(c, k.occurrences[0]), join(p));
  EXPECT_EQ(Occ(c, k.occurrences[1]), join(e1));
  EXPECT_EQ(Occ(c, k.occurrences[2]), join(e2));
  EXPECT_EQ(k.origin, 0u);
  for (const ReusePair& q : r.pairs) EXPECT_LT(q.identity, 1.0);
}

TEST(CorpusReuseTest, ShortPostsCopyPastedBySeveralAccounts) {
  const std::string post =
      "The harbour pilots walked out at dawn and the grain ships are stuck in the bay";
  Corpus c;
  Words w(4);
  for (uint32_t a = 0; a < 5; ++a) {
    c.Add(post + (a % 2 ? " #merrin" : " https://t.co/x" + std::to_string(a)), 100 + a, 0, a);
    c.Add(w.Text(15), 200 + a, 0, a);
  }
  CorpusReuseResult r = Detect(c);
  ASSERT_EQ(r.clusters.size(), 1u);
  const ReuseCluster& k = r.clusters[0];
  ASSERT_EQ(k.occurrences.size(), 5u);
  // The copies that share the hashtag share it as part of the passage.
  for (const ReuseOccurrence& o : k.occurrences) {
    const bool tagged = c.texts[o.doc].find('#') != std::string::npos;
    EXPECT_EQ(Occ(c, o), tagged ? post + " #merrin" : post);
  }
  EXPECT_EQ(k.documents, 5u);
  EXPECT_EQ(k.authors, 5u);
  EXPECT_EQ(k.sources, 1u);
  EXPECT_EQ(k.origin, 0u);
}

TEST(CorpusReuseTest, CyrillicPassage) {
  const std::string quote =
      "Порт Меррин снова закрыт для зерновых судов, сообщили в управлении гавани в "
      "понедельник утром";
  Corpus c;
  c.Add("Новости дня. " + quote + ". Подробности позже.", 5);
  c.Add("Читатели пишут: «" + quote + "». Что дальше с ценами на хлеб?", 9);
  c.Add("Совсем другой текст о футбольном матче в субботу вечером на старом стадионе", 7);
  CorpusReuseResult r = Detect(c);
  ASSERT_EQ(r.clusters.size(), 1u);
  ASSERT_EQ(r.clusters[0].occurrences.size(), 2u);
  EXPECT_EQ(Occ(c, r.clusters[0].occurrences[0]), quote);
  EXPECT_EQ(Occ(c, r.clusters[0].occurrences[1]), quote);
}

TEST(CorpusReuseTest, CorpusAVersusB) {
  Words w(5);
  const std::string p1 = w.Text(25), p2 = w.Text(25), p3 = w.Text(25);
  Corpus c;
  c.Add(w.Text(20) + ". " + p1, 1, 0, 0, Side::kA);  // X
  c.Add(p1 + ". " + w.Text(20), 2, 1, 0, Side::kB);  // Y: X -> Y reuse
  c.Add(p2 + ". " + w.Text(20), 3, 0, 0, Side::kA);  // X
  c.Add(w.Text(5) + ". " + p2, 4, 0, 0, Side::kA);   // X -> X: not compared
  c.Add(p3, 5, 2, 0, Side::kNone);                   // Z: left out
  c.Add(p3 + ". " + w.Text(9), 6, 1, 0, Side::kB);   // Z -> Y: not compared
  CorpusReuseOptions o;
  o.compare_sides = true;
  CorpusReuseResult r = Detect(c, o);
  ASSERT_EQ(r.clusters.size(), 1u);
  ASSERT_EQ(r.clusters[0].occurrences.size(), 2u);
  EXPECT_EQ(r.clusters[0].occurrences[0].doc, 0u);
  EXPECT_EQ(r.clusters[0].occurrences[1].doc, 1u);
  EXPECT_EQ(r.stats.documents, 5u);
  // Without sides every pair is compared.
  EXPECT_EQ(Detect(c).clusters.size(), 3u);
}

TEST(CorpusReuseTest, OriginIsTheEarliestKnownTime) {
  Words w(6);
  const std::string p = w.Text(20);
  Corpus c;
  c.Add(p + ". " + w.Text(5));                 // id 1, time unknown
  c.Add(w.Text(5) + ". " + p, 500);            // id 2
  c.Add(w.Text(3) + ". " + p + ". x y", 300);  // id 3: earliest known
  c.Add(p, 300);                               // id 4: same time, later id
  CorpusReuseResult r = Detect(c);
  ASSERT_EQ(r.clusters.size(), 1u);
  EXPECT_EQ(r.clusters[0].occurrences[r.clusters[0].origin].doc, 2u);
  EXPECT_EQ(r.clusters[0].first_time, 300);
  EXPECT_EQ(r.clusters[0].last_time, 500);

  Corpus u;  // no time known: the first ingested
  u.Add(w.Text(4) + ". " + p);
  u.Add(p);
  CorpusReuseResult ru = Detect(u);
  ASSERT_EQ(ru.clusters.size(), 1u);
  EXPECT_EQ(ru.clusters[0].origin, 0u);
  EXPECT_FALSE(ru.clusters[0].first_time.has_value());
}

// A corpus with many planted passages and a bot ring larger than the
// fan-out bound.
Corpus Planted(uint64_t seed) {
  Words w(seed);
  std::vector<std::string> passages;
  for (int i = 0; i < 30; ++i) passages.push_back(w.Text(12 + i));
  Corpus c;
  for (int d = 0; d < 400; ++d) {
    std::string t = w.Text(10 + d % 50);
    if (d % 3 == 0) t += ". " + passages[(d / 3) % 30] + ". " + w.Text(d % 7);
    c.Add(t, d % 5 ? std::optional<int64_t>(1000 - d) : std::nullopt, d % 4, d % 37);
  }
  for (int d = 0; d < 40; ++d) c.Add(passages[0], 5000 + d, 3, 100 + d);
  return c;
}

TEST(CorpusReuseTest, ResultsDoNotDependOnTheThreadCount) {
  Corpus c = Planted(7);
  CorpusReuseOptions o;
  o.threads = 1;
  CorpusReuseResult one = Detect(c, o);
  o.threads = 2;
  CorpusReuseResult two = Detect(c, o);
  o.threads = 5;
  CorpusReuseResult five = Detect(c, o);
  for (const CorpusReuseResult* r : {&two, &five}) {
    ASSERT_EQ(one.pairs.size(), r->pairs.size());
    for (size_t i = 0; i < one.pairs.size(); ++i) {
      EXPECT_EQ(one.pairs[i].a, r->pairs[i].a);
      EXPECT_EQ(one.pairs[i].b, r->pairs[i].b);
      EXPECT_EQ(one.pairs[i].a_start, r->pairs[i].a_start);
      EXPECT_EQ(one.pairs[i].b_end, r->pairs[i].b_end);
    }
    ASSERT_EQ(one.clusters.size(), r->clusters.size());
    for (size_t i = 0; i < one.clusters.size(); ++i) {
      ASSERT_EQ(one.clusters[i].occurrences.size(), r->clusters[i].occurrences.size());
      EXPECT_EQ(one.clusters[i].origin, r->clusters[i].origin);
      for (size_t k = 0; k < one.clusters[i].occurrences.size(); ++k) {
        EXPECT_EQ(one.clusters[i].occurrences[k].doc, r->clusters[i].occurrences[k].doc);
        EXPECT_EQ(one.clusters[i].occurrences[k].start, r->clusters[i].occurrences[k].start);
      }
    }
  }
  // The 30 passages; the ring's 40 copies of passage 0 join its cluster
  // though each n-gram of it is in 45 documents (fan-out 8).
  EXPECT_EQ(one.clusters.size(), 30u);
  size_t biggest = 0;
  for (const ReuseCluster& k : one.clusters) biggest = std::max(biggest, k.occurrences.size());
  EXPECT_EQ(biggest, 45u);  // 5 planted among the 400 (d / 3 % 30 == 0) + 40
}

// The n-gram index and links written to scratch files (spill_dir) give
// the same result, figure for figure, as the in-memory path, on corpora
// with planted passages, a ring beyond the fan-out bound, boilerplate and
// A-vs-B sides; and the scratch directory is gone afterwards.
TEST(CorpusReuseTest, SpilledIndexGivesTheSameResult) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("echotrace_reuse_spill_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  for (uint64_t seed : {3u, 11u, 29u}) {
    Corpus c = Planted(seed);
    Words w(seed + 100);
    const std::string footer = "the post " + w.Text(9) + " appeared first on the daily";
    for (int d = 0; d < 30; ++d) c.Add(w.Text(20 + d) + ". " + footer, 7000 + d, 5, 200 + d);
    for (bool sides : {false, true}) {
      if (sides) {
        for (size_t i = 0; i < c.docs.size(); ++i) {
          c.docs[i].side = i % 3 == 0 ? Side::kA : (i % 3 == 1 ? Side::kB : Side::kNone);
        }
      }
      CorpusReuseOptions o;
      o.compare_sides = sides;
      o.threads = 3;
      const CorpusReuseResult mem = Detect(c, o);
      o.spill_dir = dir.string();
      const CorpusReuseResult disk = Detect(c, o);
      ASSERT_GT(mem.pairs.size(), 10u);
      ASSERT_EQ(mem.pairs.size(), disk.pairs.size());
      for (size_t i = 0; i < mem.pairs.size(); ++i) {
        const ReusePair &x = mem.pairs[i], &y = disk.pairs[i];
        EXPECT_EQ(std::tie(x.a, x.b, x.a_start, x.a_end, x.b_start, x.b_end),
                  std::tie(y.a, y.b, y.a_start, y.a_end, y.b_start, y.b_end));
      }
      ASSERT_EQ(mem.clusters.size(), disk.clusters.size());
      for (size_t i = 0; i < mem.clusters.size(); ++i) {
        const ReuseCluster &x = mem.clusters[i], &y = disk.clusters[i];
        ASSERT_EQ(x.occurrences.size(), y.occurrences.size());
        EXPECT_EQ(x.origin, y.origin);
        for (size_t k = 0; k < x.occurrences.size(); ++k) {
          EXPECT_EQ(x.occurrences[k].doc, y.occurrences[k].doc);
          EXPECT_EQ(x.occurrences[k].start, y.occurrences[k].start);
          EXPECT_EQ(x.occurrences[k].end, y.occurrences[k].end);
        }
      }
      ASSERT_EQ(mem.boilerplate.size(), disk.boilerplate.size());
      if (!sides) {
        EXPECT_FALSE(mem.boilerplate.empty());
      }
      for (size_t i = 0; i < mem.boilerplate.size(); ++i) {
        EXPECT_EQ(mem.boilerplate[i].ngram_hash, disk.boilerplate[i].ngram_hash);
        EXPECT_EQ(mem.boilerplate[i].docs, disk.boilerplate[i].docs);
      }
      EXPECT_EQ(mem.stats.ngrams, disk.stats.ngrams);
      EXPECT_EQ(mem.stats.pair_links, disk.stats.pair_links);
      EXPECT_EQ(mem.stats.candidate_pairs, disk.stats.candidate_pairs);
    }
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));  // scratch files removed
  std::filesystem::remove_all(dir);
}

TEST(CorpusReuseTest, UnwritableSpillDirIsAnIoError) {
  Corpus c = Planted(5);
  CorpusReuseOptions o;
  o.spill_dir = "/proc/no-such-dir";
  Result<CorpusReuseResult> r = FindCorpusReuse(c.Docs(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
}

// A sliding chain: document i holds sentences i..i+9 (six words each), so
// neighbours share nine sentences and documents ten apart share none.
// Aligned stretches of one document overlap by 80% and more, so single
// linkage joined the whole chain into one cluster of unrelated text. With
// centre-based clustering every member of a cluster is aligned with its
// centre directly: the first document's cluster stops where the shared text
// falls below the shortest passage, and no cluster holds two documents that
// share no text.
TEST(CorpusReuseTest, SlidingChainIsNotOneCluster) {
  Words w(77);
  std::vector<std::string> sentences;
  const int kDocs = 24;
  for (int i = 0; i < kDocs + 10; ++i) sentences.push_back(w.Text(6) + ".");
  Corpus c;
  for (int d = 0; d < kDocs; ++d) {
    std::string t;
    for (int k = d; k < d + 10; ++k) t += sentences[k] + " ";
    c.Add(t, 1000 + d);
  }
  CorpusReuseOptions o;
  auto r = FindCorpusReuse(c.Docs(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_GT(r->clusters.size(), 1u);
  for (const ReuseCluster& k : r->clusters) {
    uint32_t lo = UINT32_MAX, hi = 0;
    for (const ReuseOccurrence& x : k.occurrences) {
      lo = std::min(lo, x.doc);
      hi = std::max(hi, x.doc);
    }
    // Documents 10 or more apart share no sentence.
    EXPECT_LT(hi - lo, 10u) << "cluster from doc " << lo << " to doc " << hi;
    // Every occurrence but the origin is aligned with the origin directly.
    const ReuseOccurrence& origin = k.occurrences[k.origin];
    for (const ReuseOccurrence& x : k.occurrences) {
      if (x.doc == origin.doc) continue;
      bool direct = false;
      for (const ReusePair& p : r->pairs) {
        const bool ab = p.a == origin.doc && p.b == x.doc;
        const bool ba = p.b == origin.doc && p.a == x.doc;
        direct = direct || ab || ba;
      }
      EXPECT_TRUE(direct) << "doc " << x.doc << " is not aligned with its origin " << origin.doc;
    }
  }
  // Nothing aligned is lost: every aligned span lies inside an occurrence.
  for (const ReusePair& p : r->pairs) {
    for (auto [doc, start, end] :
         {std::tuple{p.a, p.a_start, p.a_end}, std::tuple{p.b, p.b_start, p.b_end}}) {
      bool covered = false;
      for (const ReuseCluster& k : r->clusters) {
        for (const ReuseOccurrence& x : k.occurrences) {
          covered = covered || (x.doc == doc && x.start <= start && end <= x.end);
        }
      }
      EXPECT_TRUE(covered) << "span " << start << "-" << end << " of doc " << doc;
    }
  }
}

// What a store keeps between runs (reuse/stage.cc), held in memory:
// each run's result absorbed as the stage writes it.
struct Kept {
  std::vector<std::vector<IndexEntry>> index{kIndexPartitions};
  std::vector<uint64_t> content;
  std::vector<OccurrenceRecord> occurrences;
  std::vector<ReusePair> pairs;
  std::map<std::pair<uint32_t, uint64_t>, Boilerplate> boilerplate;
  uint32_t next_cluster = 1;

  void Absorb(CorpusReuseResult& r) {
    for (uint32_t p = 0; p < kIndexPartitions; ++p) {
      Result<std::vector<IndexEntry>> part = r.index->Take(p);
      ASSERT_TRUE(part.ok());
      index[p].insert(index[p].end(), part->begin(), part->end());
      std::sort(index[p].begin(), index[p].end());
    }
    content.insert(content.end(), r.content.begin(), r.content.end());
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    for (const auto& extended : r.extended) {
      const auto& before = extended.first;
      const auto& after = extended.second;
      auto it = std::find_if(occurrences.begin(), occurrences.end(), [&](const auto& o) {
        return std::tie(o.doc, o.tok_begin, o.tok_end, o.cluster) ==
               std::tie(before.doc, before.tok_begin, before.tok_end, before.cluster);
      });
      ASSERT_NE(it, occurrences.end());
      *it = after;
    }
    occurrences.insert(occurrences.end(), r.occurrences.begin(), r.occurrences.end());
    pairs.insert(pairs.end(), r.pairs.begin(), r.pairs.end());
    for (const Boilerplate& b : r.boilerplate) {
      auto [it, added] = boilerplate.try_emplace({b.source, b.ngram_hash}, b);
      if (!added) {
        EXPECT_EQ(it->second.example_doc, b.example_doc);
        it->second.docs = b.docs;
      }
    }
    next_cluster = r.next_cluster;
  }

  PriorReuse Prior(uint32_t first_new, const Corpus& c) const {
    PriorReuse p;
    p.first_new = first_new;
    p.next_cluster = next_cluster;
    p.content = content;
    p.index = [this](uint32_t part) -> Result<std::vector<IndexEntry>> { return index[part]; };
    p.text = [&c, first_new](uint32_t d) -> Result<std::string> {
      EXPECT_LT(d, first_new);
      return c.texts[d];
    };
    p.occurrences = [this](uint32_t d) -> Result<std::vector<OccurrenceRecord>> {
      std::vector<OccurrenceRecord> out;
      for (const OccurrenceRecord& o : occurrences) {
        if (o.doc == d) out.push_back(o);
      }
      return out;
    };
    return p;
  }
};

auto OccKey(const OccurrenceRecord& o) {
  return std::make_tuple(o.cluster, o.doc, o.tok_begin, o.tok_end, o.start, o.end, o.centre);
}
auto PairKey(const ReusePair& p) {
  return std::make_tuple(p.a, p.b, p.a_start, p.a_end, p.b_start, p.b_end, p.identity,
                         p.containment);
}

// A corpus with what makes incremental runs hard: times out of ingest order
// and unknown times, footers that become boilerplate part-way, n-grams that
// become too common, a ring beyond the fan-out bound, edited copies, and
// copies of copies.
Corpus Mixed(uint64_t seed) {
  Words w(seed);
  std::vector<std::string> passages;
  for (int i = 0; i < 25; ++i) passages.push_back(w.Text(10 + (i * 7) % 30));
  const std::string footer = "Read more on the Quayside Ledger and share this story today";
  Corpus c;
  uint64_t r = seed * 7919;
  auto next = [&r] {
    r = r * 6364136223846793005ull + 1442695040888963407ull;
    return r >> 33;
  };
  for (int d = 0; d < 360; ++d) {
    std::string t = w.Text(5 + next() % 60);
    const uint64_t roll = next() % 10;
    if (roll < 4) {
      std::string p = passages[next() % passages.size()];
      if (roll == 0 && p.size() > 30) p.replace(p.size() / 2, 4, "vas ");  // an edit
      t += (next() % 2 ? ". " : " ") + p;
      if (next() % 3 == 0) t += ". " + w.Text(next() % 20);
    }
    const uint32_t source = static_cast<uint32_t>(next() % 4);
    if (source == 2 && next() % 4 != 0) t += ". " + footer;
    std::optional<int64_t> time;
    if (next() % 6) time = static_cast<int64_t>(next() % 5000);
    c.Add(t, time, source, static_cast<uint32_t>(next() % 40));
    if (d % 90 == 45) {  // a ring posting one passage beyond the fan-out bound
      for (int k = 0; k < 14; ++k) c.Add(passages[d % 25], 6000 + k, 3, 200 + k);
    }
  }
  return c;
}

// The tentpole promise: a run over a corpus extended step by step, each
// step reading back only what the store keeps, gives exactly the full
// run's pairs, occurrences (spans, clusters, centres), cluster ids and
// boilerplate.
TEST(CorpusReuseTest, IncrementalRunsEqualAFullRun) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("echotrace_reuse_incr_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Corpus c = Mixed(seed);
    const std::vector<CorpusDoc> all = c.Docs();
    const uint32_t n = static_cast<uint32_t>(all.size());
    CorpusReuseOptions o;
    o.max_df = 12;  // so that some n-grams become too common part-way
    if (seed % 2 == 0) o.spill_dir = dir.string();
    CorpusReuseResult full = Detect(c, o);
    ASSERT_GT(full.stats.too_common_ngrams, 0u);
    ASSERT_GT(full.stats.boilerplate_ngrams, 0u);

    // Cut points: three or four steps of uneven size.
    std::vector<uint32_t> cuts = {static_cast<uint32_t>(n * (0.2 + 0.05 * double(seed % 4))),
                                  static_cast<uint32_t>(n * 0.55), static_cast<uint32_t>(n * 0.56),
                                  n};
    if (seed % 3 == 0) cuts.erase(cuts.begin() + 2);
    Kept kept;
    uint32_t covered = 0;
    for (uint32_t cut : cuts) {
      std::vector<CorpusDoc> docs(all.begin(), all.begin() + cut);
      for (uint32_t d = 0; d < covered; ++d) docs[d].text = {};  // earlier texts come from prior
      Result<CorpusReuseResult> r = covered == 0
                                        ? FindCorpusReuse(docs, o)
                                        : ExtendCorpusReuse(docs, o, kept.Prior(covered, c));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->stats.documents, cut - covered);
      kept.Absorb(*r);
      covered = cut;
    }

    EXPECT_EQ(kept.next_cluster, full.next_cluster);
    std::vector<ReusePair> fp = full.pairs, kp = kept.pairs;
    auto by_pair = [](const ReusePair& x, const ReusePair& y) { return PairKey(x) < PairKey(y); };
    std::sort(fp.begin(), fp.end(), by_pair);
    std::sort(kp.begin(), kp.end(), by_pair);
    ASSERT_EQ(fp.size(), kp.size());
    for (size_t i = 0; i < fp.size(); ++i) EXPECT_EQ(PairKey(fp[i]), PairKey(kp[i]));

    std::vector<OccurrenceRecord> fo = full.occurrences, ko = kept.occurrences;
    auto by_occ = [](const auto& x, const auto& y) { return OccKey(x) < OccKey(y); };
    std::sort(fo.begin(), fo.end(), by_occ);
    std::sort(ko.begin(), ko.end(), by_occ);
    ASSERT_EQ(fo.size(), ko.size());
    for (size_t i = 0; i < fo.size(); ++i) EXPECT_EQ(OccKey(fo[i]), OccKey(ko[i]));

    const std::vector<ReuseCluster> kc = BuildClusters(all, kept.occurrences);
    ASSERT_EQ(full.clusters.size(), kc.size());
    for (size_t i = 0; i < kc.size(); ++i) {
      EXPECT_EQ(full.clusters[i].id, kc[i].id);
      EXPECT_EQ(full.clusters[i].origin, kc[i].origin);
      EXPECT_EQ(full.clusters[i].documents, kc[i].documents);
      EXPECT_EQ(full.clusters[i].sources, kc[i].sources);
      EXPECT_EQ(full.clusters[i].authors, kc[i].authors);
      EXPECT_EQ(full.clusters[i].first_time, kc[i].first_time);
      ASSERT_EQ(full.clusters[i].occurrences.size(), kc[i].occurrences.size());
    }

    ASSERT_EQ(full.boilerplate.size(), kept.boilerplate.size());
    for (const Boilerplate& b : full.boilerplate) {
      auto it = kept.boilerplate.find({b.source, b.ngram_hash});
      ASSERT_NE(it, kept.boilerplate.end());
      EXPECT_EQ(it->second.docs, b.docs);
      EXPECT_EQ(it->second.example_doc, b.example_doc);
      EXPECT_EQ(it->second.example_start, b.example_start);
      EXPECT_EQ(it->second.example_end, b.example_end);
    }
    // The stored index is the full run's.
    Kept once;
    once.Absorb(full);
    for (uint32_t p = 0; p < kIndexPartitions; ++p) {
      ASSERT_EQ(once.index[p].size(), kept.index[p].size());
      for (size_t i = 0; i < once.index[p].size(); ++i) {
        EXPECT_EQ(once.index[p][i].hash, kept.index[p][i].hash);
        EXPECT_EQ(once.index[p][i].doc, kept.index[p][i].doc);
      }
    }
    EXPECT_EQ(once.content, kept.content);
  }
  std::filesystem::remove_all(dir);
}

// Clusters only grow: an incremental run never moves an occurrence to
// another cluster, and cluster ids keep their meaning.
TEST(CorpusReuseTest, IncrementalRunKeepsEveryEarlierCluster) {
  Corpus c = Mixed(3);
  const std::vector<CorpusDoc> all = c.Docs();
  const uint32_t half = static_cast<uint32_t>(all.size() / 2);
  std::vector<CorpusDoc> first(all.begin(), all.begin() + half);
  Result<CorpusReuseResult> r1 = FindCorpusReuse(first, {});
  ASSERT_TRUE(r1.ok());
  Kept kept;
  kept.Absorb(*r1);
  const std::vector<OccurrenceRecord> before = kept.occurrences;
  Result<CorpusReuseResult> r2 = ExtendCorpusReuse(all, {}, kept.Prior(half, c));
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_GT(r2->occurrences.size(), 0u);
  EXPECT_GE(r2->next_cluster, r1->next_cluster);
  kept.Absorb(*r2);
  for (const OccurrenceRecord& o : before) {
    const bool still = std::any_of(kept.occurrences.begin(), kept.occurrences.end(), [&](auto& k) {
      return k.doc == o.doc && k.cluster == o.cluster && k.centre == o.centre &&
             k.tok_begin <= o.tok_begin && o.tok_end <= k.tok_end;
    });
    EXPECT_TRUE(still) << "doc " << o.doc << " cluster " << o.cluster;
  }
  // A comparison of sides is always a full run.
  CorpusReuseOptions sides;
  sides.compare_sides = true;
  EXPECT_EQ(ExtendCorpusReuse(all, sides, kept.Prior(half, c)).status().code(),
            StatusCode::kInvalidArgument);
}

// on_texts_done comes once, after tokenising, and nothing reads a text after
// it: overwriting every text then changes nothing in the result.
TEST(CorpusReuseTest, TextsAreNotReadAfterTheyAreReleased) {
  Corpus c = Mixed(5);
  CorpusReuseResult plain = Detect(c);
  Corpus scribbled = Mixed(5);
  std::vector<CorpusDoc> docs = scribbled.Docs();
  int calls = 0;
  CorpusReuseOptions o;
  o.on_texts_done = [&] {
    ++calls;
    for (std::string& t : scribbled.texts) std::fill(t.begin(), t.end(), '#');
  };
  Result<CorpusReuseResult> r = FindCorpusReuse(docs, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(r->pairs.size(), plain.pairs.size());
  for (size_t i = 0; i < plain.pairs.size(); ++i) {
    EXPECT_EQ(PairKey(r->pairs[i]), PairKey(plain.pairs[i]));
  }
  ASSERT_EQ(r->occurrences.size(), plain.occurrences.size());
  for (size_t i = 0; i < plain.occurrences.size(); ++i) {
    EXPECT_EQ(OccKey(r->occurrences[i]), OccKey(plain.occurrences[i]));
  }
  ASSERT_EQ(r->boilerplate.size(), plain.boilerplate.size());
  for (size_t i = 0; i < plain.boilerplate.size(); ++i) {
    EXPECT_EQ(r->boilerplate[i].example_start, plain.boilerplate[i].example_start);
  }
}

TEST(CorpusReuseTest, BadOptionsAndInputAreRefused) {
  Corpus c;
  c.Add("a b c");
  CorpusReuseOptions o;
  o.max_df = 1;
  EXPECT_EQ(FindCorpusReuse(c.Docs(), o).status().code(), StatusCode::kInvalidArgument);
  o = {};
  o.passage.min_tokens = 0;
  EXPECT_EQ(FindCorpusReuse(c.Docs(), o).status().code(), StatusCode::kInvalidArgument);
  c.Add("d e f");
  std::vector<CorpusDoc> docs = c.Docs();
  docs[1].id = docs[0].id;
  EXPECT_EQ(FindCorpusReuse(docs, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace echotrace::reuse
