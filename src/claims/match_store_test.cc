// Tests of match over a store and of the matcher's calibration: the posts
// ForEachStorePost yields against a plain filter over the documents written
// (random corpora, random filters), WriteMatches replacing earlier runs, the
// reading options of match (--map, posts named by their line), claims left
// out of recall, and the calibrated probability against its formula.
#include "claims/match_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "claims/matcher.h"
#include "claims/records.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"

namespace echotrace::claims {
namespace {

TEST(ForEachStorePostTest, AgreesWithAPlainFilterOnRandomCorpora) {
  std::mt19937_64 rng(2026);
  const char* authors[] = {"ann", "bob", "cy"};
  const char* sources[] = {"twitter", "blog"};
  const char* langs[] = {"en", "ru", "uk"};
  for (int round = 0; round < 5; ++round) {
    echotrace::testing::TempDir dir;
    auto s = Store::Open(dir.File("s.db"), OpenMode::kReadWrite);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    auto run = (*s)->BeginRun("ingest", "{}");
    ASSERT_TRUE(run.ok());
    std::vector<Document> docs;
    for (int i = 0; i < 60; ++i) {
      Document d;
      d.ext_id = std::string("d").append(std::to_string(i));
      d.author = authors[rng() % 3];
      d.source = sources[rng() % 2];
      d.lang = langs[rng() % 3];
      if (rng() % 5 != 0) d.time = 1500000000 + static_cast<int64_t>(rng() % 1000) * 86400;
      d.text = std::string("post number ").append(std::to_string(i));
      docs.push_back(d);
    }
    ASSERT_TRUE((*s)->WriteBatch(*run, docs, {}, nullptr).ok());
    ASSERT_TRUE((*s)->EndRun(*run, "ok", "{}").ok());
    for (int q = 0; q < 20; ++q) {
      SearchFilters f;
      if (rng() % 2) f.from = 1500000000 + static_cast<int64_t>(rng() % 1000) * 86400;
      if (rng() % 2) f.to = 1500000000 + static_cast<int64_t>(rng() % 1000) * 86400;
      if (rng() % 3 == 0) f.author = authors[rng() % 3];
      if (rng() % 3 == 0) f.source = sources[rng() % 2];
      if (rng() % 3 == 0) f.lang = langs[rng() % 3];
      std::vector<std::string> want;
      for (const Document& d : docs) {
        if ((f.from || f.to) && !d.time) continue;
        if (f.from && *d.time < *f.from) continue;
        if (f.to && *d.time > *f.to) continue;
        if (!f.author.empty() && d.author != f.author) continue;
        if (!f.source.empty() && d.source != f.source) continue;
        if (!f.lang.empty() && d.lang != f.lang) continue;
        want.push_back(d.ext_id);
      }
      std::vector<std::string> got;
      size_t batches = 0;
      Status st = ForEachStorePost(s->get(), f, 7, [&](std::vector<StorePost>& batch) {
        ++batches;
        EXPECT_LE(batch.size(), 7u);
        for (const StorePost& p : batch) {
          got.push_back(p.record.id);
          EXPECT_EQ(p.record.text, std::string("post number ").append(p.record.id.substr(1)));
        }
        return Status::OK();
      });
      ASSERT_TRUE(st.ok()) << st.ToString();
      EXPECT_EQ(got, want);  // docs.id order is the order written
      EXPECT_EQ(batches, (want.size() + 6) / 7);
    }
  }
}

TEST(WriteMatchesTest, ANewRunReplacesTheRowsOfEarlierOnes) {
  echotrace::testing::TempDir dir;
  auto s = Store::Open(dir.File("s.db"), OpenMode::kReadWrite);
  ASSERT_TRUE(s.ok());
  Store* store = s->get();
  auto count = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(store_internal::Handle(store), sql, -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  };
  auto r1 = store->BeginRun("match", "{}");
  ASSERT_TRUE(r1.ok());
  ASSERT_TRUE(
      WriteMatches(store, *r1, {{1, 1, "c1", "claim one", 0.9, 3.0}, {1, 2, "c2", "", 0.2, 1.0}})
          .ok());
  ASSERT_TRUE(store->EndRun(*r1, "ok", "{}").ok());
  EXPECT_EQ(count("SELECT count(*) FROM claim_matches"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM claim_matches WHERE claim_text IS NULL"), 1);
  auto r2 = store->BeginRun("match", "{}");
  ASSERT_TRUE(r2.ok());
  ASSERT_TRUE(WriteMatches(store, *r2, {{5, 1, "c3", "claim three", 0.7, 2.0}}).ok());
  EXPECT_EQ(count("SELECT count(*) FROM claim_matches"), 1);
  EXPECT_EQ(count("SELECT doc_id FROM claim_matches"), 5);
  // The same (run, doc, rank) twice is refused and leaves the table as it was.
  EXPECT_FALSE(WriteMatches(store, *r2, {{6, 1, "a", "", 0.5, 1}, {6, 1, "b", "", 0.5, 1}}).ok());
  EXPECT_EQ(count("SELECT count(*) FROM claim_matches"), 1);
}

std::string WriteTemp(const std::string& name, const std::string& content) {
  std::string path =
      (std::filesystem::temp_directory_path() /
       (std::string("match_store_test_").append(std::to_string(::getpid())) + "_" + name))
          .string();
  std::ofstream(path) << content;
  return path;
}

TEST(ReadMatchRecordsTest, MapAndPostsNamedByTheirLine) {
  std::string csv = WriteTemp("ira.csv",
                              "author_id,words,lang\n"
                              "anna,the grain embargo,English\n"
                              "boris,,English\n"
                              "carl,vaccine microchips,English\n");
  ReadMatchOptions o;
  o.map = {"text=words"};
  o.ids_from_lines = true;
  auto r = ReadMatchRecords(csv, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->records.size(), 2u);
  EXPECT_EQ(r->records[0].id, "line:2");
  EXPECT_EQ(r->records[0].text, "the grain embargo");
  EXPECT_EQ(r->records[1].id, "line:4");
  EXPECT_EQ(r->ids_from_lines, 3u);
  ASSERT_EQ(r->rejects.size(), 1u);  // boris: no text
  EXPECT_EQ(r->rejects[0].line, 3u);
  o.map = {"nonsense"};
  EXPECT_FALSE(ReadMatchRecords(csv, o).ok());
  std::filesystem::remove(csv);
}

std::vector<MatchRecord> Claims() {
  std::vector<MatchRecord> c;
  auto add = [&](const char* id, const char* text, const char* title) {
    MatchRecord r;
    r.id = id;
    r.text = text;
    r.title = title;
    c.push_back(r);
  };
  add("wheat", "Russian navy blocked Ukrainian grain exports in the Black Sea", "Grain embargo");
  add("wheat2", "Grain ships from Odesa were stopped by a naval blockade", "Odesa blockade");
  add("chips", "Vaccines contain microchips to track people", "Microchip vaccine hoax");
  add("vote", "Dead people voted in the election", "Dead voters");
  return c;
}

TEST(MatcherCalibrationTest, ProbabilityFollowsItsFormulaAndExcludedClaimsStayOut) {
  auto m = Matcher::Build(Claims());
  ASSERT_TRUE(m.ok());
  MatchRecord post;
  post.id = "p";
  post.text = "The Russian navy is blocking grain exports from Odesa in the Black Sea";
  MatchOptions o;
  o.use_dates = false;
  const LinearModel& model = ShippedModel(false);
  MatchCalibration cal;
  cal.bias = -0.5;
  cal.weights = {0.3, 0.2, 0.1, 0.4, -0.2, 0.25};
  auto ranked = (*m)->Rank(post, model, 10, o, &cal);
  ASSERT_GE(ranked.size(), 2u);
  EXPECT_EQ((*m)->claim(ranked[0].claim).id.substr(0, 5), "wheat");
  for (size_t i = 0; i < ranked.size(); ++i) {
    const Candidate& c = ranked[i];
    const double other = i == 0 ? ranked[1].score : ranked[0].score;
    EXPECT_NEAR(c.margin, c.score - other, 1e-12);
    const double p = std::clamp(c.same_claim, 1e-6, 1 - 1e-6);
    const double t = -0.5 + 0.3 * c.score + 0.2 * std::log(p / (1 - p)) + 0.1 * c.features[1] +
                     0.4 * c.features[16] - 0.2 * c.features[17] + 0.25 * c.margin;
    EXPECT_NEAR(c.probability, 1 / (1 + std::exp(-t)), 1e-12);
    EXPECT_GE(c.same_claim, 0.0);
    EXPECT_LE(c.same_claim, 1.0);
  }
  // Leaving the wheat claims out: neither comes back.
  o.exclude = {0, 1};
  for (const Candidate& c : (*m)->Rank(post, model, 10, o)) {
    EXPECT_GE(c.claim, 2u);
    EXPECT_GE(c.probability, 0.0);
    EXPECT_LE(c.probability, 1.0);
  }
  EXPECT_EQ(CalibrationInputs().size(), ShippedCalibration(true).weights.size());
  EXPECT_EQ(CalibrationInputs().size(), ShippedCalibration(false).weights.size());
}

}  // namespace
}  // namespace echotrace::claims
