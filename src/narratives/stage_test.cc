// The talking-point stage on a real store: planted talking points in
// several wordings, near-duplicate copies collapsed, a long post split into
// passages; the rows, a rerun giving identical rows and exports, the read
// side (show, export) and refused parameters.
#include "narratives/stage.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "demo/verify.h"
#include "echotrace/analyze.h"
#include "echotrace/export.h"
#include "narratives/results.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

std::string Post(const std::string& id, const std::string& author, const std::string& source,
                 int64_t time, const std::string& text) {
  return "{\"id\":\"" + id + "\",\"author\":\"" + author + "\",\"source\":\"" + source +
         "\",\"time\":" + std::to_string(time) + ",\"text\":\"" + text + "\"}\n";
}

std::string Corpus() {
  std::string s;
  const std::vector<std::string> nato = {
      "NATO expansion provoked the war in Ukraine",
      "The war was provoked by NATO expanding east",
      "NATO's eastward expansion provoked this war",
      "Expansion of NATO provoked the Ukraine war, plain and simple",
  };
  const std::vector<std::string> vaccine = {
      "The vaccine causes infertility in young women",
      "Young women become infertile from the vaccine",
      "Infertility in women is caused by the covid vaccine",
  };
  int64_t t = 1700000000;
  int i = 0;
  for (const std::string& w : nato) {
    s += Post("n" + std::to_string(i), "acct" + std::to_string(i % 3), i % 2 ? "forum" : "tw",
              t += 3600, w);
    ++i;
  }
  for (const std::string& w : vaccine) {
    s += Post("v" + std::to_string(i), "acct" + std::to_string(i % 2), "tw", t += 3600, w);
    ++i;
  }
  // Copies of the first NATO wording: one weighted unit.
  for (int c = 0; c < 5; ++c) {
    s += Post("rt" + std::to_string(c), "bot" + std::to_string(c), "tw", t += 60,
              "NATO expansion provoked the war in Ukraine");
  }
  // A long post carrying both talking points in two passages, and chatter.
  s += Post("long", "writer", "blog", t += 60,
            "Every serious observer now admits it: the eastward expansion of NATO provoked the "
            "war in Ukraine, and pretending otherwise helps nobody at all, not the diplomats, not "
            "the soldiers and not the people who live near the front line today. "
            "Meanwhile the covid vaccine causes infertility in young women, as the data on "
            "young women shows again and again this year, whatever the health authorities and "
            "their experts keep saying on television every single evening.");
  for (const char* c : {"Lovely weather at the beach today", "My cat knocked over the plant again",
                        "Best pizza recipe uses fresh basil"}) {
    s += Post("c" + std::to_string(i), "someone", "tw", t += 60, c);
    ++i;
  }
  return s;
}

class NarrativesStageTest : public StoreTest {
 protected:
  Status Run(AnalyzeOptions o, AnalyzeSummary* sum) {
    o.progress = false;
    // Every kept edge (not only each unit's best): the tiny corpus tests
    // the stage's bookkeeping, not the defaults chosen on real data.
    o.narratives.threshold = 0.5;
    o.narratives.max_edges = 0;
    return Analyze(store_.get(), o, sum);
  }
  std::string Rows() {
    return Query(
               "SELECT narrative_id, label, keywords, label_doc_id, label_start, label_end, units, "
               "docs, authors, sources, first_time, last_time, first_doc_id FROM narratives "
               "ORDER BY narrative_id") +
           Query(
               "SELECT doc_id, start, end, narrative_id, score, via_doc_id FROM narrative_units "
               "ORDER BY doc_id, start");
  }
  std::string Export(const std::string& what, const std::string& format) {
    ExportOptions eo;
    eo.what = what;
    eo.format = format;
    eo.out_path = (dir_ / ("out." + what + "." + format)).string();
    ExportSummary sum;
    Status s = echotrace::Export(store_.get(), eo, &sum);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::ifstream in(eo.out_path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // narrative id of a document's unit starting at `start`.
  std::string NarrativeOf(const std::string& ext_id, int start = 0) {
    return Query(
        "SELECT coalesce(u.narrative_id, 'none') FROM narrative_units u JOIN docs d ON "
        "d.id = u.doc_id WHERE d.ext_id = '" +
        ext_id + "' AND u.start = " + std::to_string(start));
  }
};

TEST_F(NarrativesStageTest, FindsPlantedTalkingPointsAndRerunsIdentically) {
  IngestJsonl(Corpus());
  AnalyzeSummary sum;
  AnalyzeOptions o;
  o.only = {"neardup", "narratives"};
  ASSERT_TRUE(Run(o, &sum).ok());
  ASSERT_EQ(sum.stages.size(), 2u);
  EXPECT_EQ(sum.stages[1].detector, "narratives");
  EXPECT_NE(sum.stages[1].figures_json.find("\"copies_collapsed\":5"), std::string::npos)
      << sum.stages[1].figures_json;

  // The NATO wordings and copies in one talking point, the vaccine ones in
  // another; chatter is outlying.
  const std::string nato = NarrativeOf("n0");
  EXPECT_NE(nato, "none\n");
  for (const char* id : {"n1", "n2", "n3", "rt0", "rt4"}) EXPECT_EQ(NarrativeOf(id), nato) << id;
  const std::string vax = NarrativeOf("v4");
  EXPECT_NE(vax, "none\n");
  EXPECT_NE(vax, nato);
  for (const char* id : {"v5", "v6"}) EXPECT_EQ(NarrativeOf(id), vax) << id;
  EXPECT_EQ(NarrativeOf("c7"), "none\n");
  // The long post is two passages, one in each talking point.
  EXPECT_EQ(Query("SELECT count(*) FROM narrative_units u JOIN docs d ON d.id = u.doc_id WHERE "
                  "d.ext_id = 'long'"),
            "2\n");
  EXPECT_EQ(Query("SELECT group_concat(coalesce(narrative_id, 'none'), ',') FROM (SELECT "
                  "narrative_id FROM narrative_units u JOIN docs d ON d.id = u.doc_id WHERE "
                  "d.ext_id = 'long' ORDER BY u.start)"),
            nato.substr(0, nato.size() - 1) + "," + vax);
  // The copies count: talking point 1 is NATO's (the heaviest).
  EXPECT_EQ(nato, "1\n");
  EXPECT_EQ(Query("SELECT units, docs FROM narratives WHERE narrative_id = 1"), "10|10\n");

  const std::string rows = Rows();
  const std::string csv = Export("narratives", "csv");
  const std::string jsonl = Export("narrative-units", "jsonl");
  EXPECT_NE(csv.find("narrative_id,label,keywords,doc_id,start,end,score"), std::string::npos)
      << csv;
  ASSERT_TRUE(Run(o, &sum).ok());
  EXPECT_EQ(Rows(), rows);
  EXPECT_EQ(Export("narratives", "csv"), csv);
  EXPECT_EQ(Export("narrative-units", "jsonl"), jsonl);
  EXPECT_EQ(Query("SELECT count(DISTINCT run_id) FROM narrative_units"), "1\n");

  auto shown = ShowNarrative(store_.get(), 1, 20);
  ASSERT_TRUE(shown.ok()) << shown.status().ToString();
  EXPECT_EQ(shown->units, 10u);
  EXPECT_EQ(shown->first_doc, "n0");
  ASSERT_FALSE(shown->wordings.empty());
  EXPECT_EQ(shown->wordings[0].text, "NATO expansion provoked the war in Ukraine");
  EXPECT_EQ(shown->wordings[0].count, 6u);
  // Every unit is dated; the talking point spans hours: a daily timeline.
  EXPECT_EQ(shown->period_seconds, 86400);
  uint64_t timeline_units = 0;
  for (const auto& [source, periods] : shown->timeline) {
    for (const auto& [start, c] : periods) {
      EXPECT_EQ(start % 86400, 0);
      timeline_units += c;
    }
  }
  EXPECT_EQ(timeline_units, shown->units);
  const std::string text = RenderNarrative(*shown);
  EXPECT_NE(text.find("talking point 1"), std::string::npos) << text;
  EXPECT_EQ(ShowNarrative(store_.get(), 99, 20).status().code(), StatusCode::kNotFound);
}

// The demo scorecard's figure on a known result: the planted NATO and
// vaccine families against what the stage found (B-cubed over mentions).
TEST_F(NarrativesStageTest, DemoScoreIsBCubedOverPlantedMentions) {
  IngestJsonl(Corpus());
  AnalyzeSummary sum;
  AnalyzeOptions o;
  o.only = {"neardup", "narratives"};
  ASSERT_TRUE(Run(o, &sum).ok());
  GroundTruth truth;
  auto span = [](const std::string& doc, uint32_t end) {
    DemoSpan s;
    s.doc = doc;
    s.end = end;
    return s;
  };
  truth.talking_points.resize(2);
  truth.talking_points[0].mentions = {span("n0", 42), span("n1", 43), span("rt0", 42)};
  truth.talking_points[1].mentions = {span("v4", 45), span("v5", 45), span("c7", 10)};
  auto score = ScoreNarratives(store_.get(), truth);
  ASSERT_TRUE(score.ok()) << score.status().ToString();
  EXPECT_EQ(score->mentions, 6u);
  EXPECT_EQ(score->found, 2u);
  EXPECT_EQ(score->outliers, 1u);  // c7, chatter
  // Precision: all 1 (c7 alone is its own cluster). Recall: 1 for the three
  // NATO mentions, 2/3 for v4 and v5, 1/3 for c7.
  EXPECT_DOUBLE_EQ(score->precision, 1.0);
  EXPECT_NEAR(score->recall, (3 + 2.0 / 3 + 2.0 / 3 + 1.0 / 3) / 6, 1e-12);
}

TEST_F(NarrativesStageTest, NotRunByDefaultAndRefusesBadParameters) {
  IngestJsonl(Corpus());
  AnalyzeSummary sum;
  AnalyzeOptions o;
  ASSERT_TRUE(Run(o, &sum).ok());
  for (const StageSummary& s : sum.stages) EXPECT_NE(s.detector, "narratives");
  EXPECT_EQ(ShowNarrative(store_.get(), 1, 5).status().code(), StatusCode::kNotFound);
  o.only = {"narratives"};
  o.narratives.min_size = 1;
  EXPECT_EQ(Analyze(store_.get(), o, &sum).code(), StatusCode::kInvalidArgument);
  o.narratives = {};
  o.narratives.method = "kmeans";
  EXPECT_EQ(Analyze(store_.get(), o, &sum).code(), StatusCode::kInvalidArgument);
  o.narratives = {};
  o.narratives.resolution = -1;
  EXPECT_EQ(Analyze(store_.get(), o, &sum).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace echotrace
