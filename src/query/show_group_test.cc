// show group on a real store: a planted ring of three accounts that co-post,
// analysed by the coordination stage, read back with its evidence.
#include <gtest/gtest.h>

#include <string>

#include "echotrace/analyze.h"
#include "echotrace/show.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

class ShowGroupTest : public StoreTest {};

std::string Line(int id, const std::string& author, int64_t time, const std::string& text) {
  return "{\"id\":\"" + std::to_string(id) + "\",\"author\":\"" + author +
         "\",\"time\":" + std::to_string(time) + ",\"text\":\"" + text + "\"}\n";
}

// Three accounts post the same text within a minute, four times; a fourth
// account (with an escape sequence in its name) joins two of the episodes.
// Loners post unrelated text.
std::string Corpus() {
  const int64_t t = 1700000000;
  std::string s;
  int id = 1;
  for (int k = 0; k < 4; ++k) {
    const int64_t b = t + static_cast<int64_t>(k) * 86400;
    const std::string text = "They lied about the grain deal, episode " + std::to_string(k);
    s += Line(id++, "ring_a", b, text);
    s += Line(id++, "ring_b", b + 10, text);
    s += Line(id++, "ring_c", b + 20, text);
    if (k < 2) s += Line(id++, "evil\\u001b[2Jname", b + 30, text);
    s += Line(id++, "loner" + std::to_string(k), b + 5000, "unrelated words " + std::to_string(k));
  }
  return s;
}

TEST_F(ShowGroupTest, PrintsMembersEdgesAndEvidence) {
  IngestJsonl(Corpus());
  AnalyzeOptions ao;
  ao.only = {"coordination"};
  ao.progress = false;
  AnalyzeSummary sum;
  ASSERT_TRUE(Analyze(store_.get(), ao, &sum).ok());
  std::string gid = Query("SELECT group_id FROM coord_groups WHERE account = 'ring_a'");
  ASSERT_FALSE(gid.empty());
  const int64_t group = std::stoll(gid);

  auto g = ShowGroup(store_.get(), group, 100, 10);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->group_id, group);
  ASSERT_EQ(g->members.size(), g->accounts);
  // The ring and the account that joined it twice (co-post weight 2).
  EXPECT_EQ(g->members,
            (std::vector<std::string>{"evil\x1b[2Jname", "ring_a", "ring_b", "ring_c"}));
  // Six co-post edges: the ring's three pairs (weight 4) and three to the
  // fourth account (weight 2), heaviest first.
  ASSERT_EQ(g->edges_total, 6u);
  ASSERT_EQ(g->edges.size(), 6u);
  for (size_t i = 0; i < g->edges.size(); ++i) {
    EXPECT_EQ(g->edges[i].behaviour, "co-post");
    EXPECT_EQ(g->edges[i].weight, i < 3 ? 4u : 2u);
    if (i > 0) {
      EXPECT_GE(g->edges[i - 1].weight, g->edges[i].weight);
    }
  }
  const ShownEdge& top = g->edges[0];
  ASSERT_EQ(top.evidence.size(), 4u);
  for (const auto& [a, b] : top.evidence) {
    EXPECT_EQ(a.author, top.account_a);
    EXPECT_EQ(b.author, top.account_b);
    EXPECT_EQ(a.text, b.text);
    ASSERT_TRUE(a.time && b.time);
    EXPECT_LE(std::llabs(*a.time - *b.time), 60);
  }
  // Earliest evidence first.
  for (size_t i = 1; i < top.evidence.size(); ++i) {
    EXPECT_LT(*top.evidence[i - 1].first.time, *top.evidence[i].first.time);
  }

  // Limits: one edge, one pair; the rendering says what was left out and
  // shows the hostile name in caret notation.
  auto small = ShowGroup(store_.get(), group, 1, 1);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->edges.size(), 1u);
  EXPECT_EQ(small->edges_total, 6u);
  EXPECT_EQ(small->edges[0].evidence.size(), 1u);
  EXPECT_EQ(small->edges[0].evidence_stored, 4u);
  std::string text = RenderGroup(*small);
  EXPECT_NE(text.find("evil^[[2Jname"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("the 1 heaviest shown"), std::string::npos) << text;
  EXPECT_NE(text.find("3 more stored pairs"), std::string::npos) << text;
  EXPECT_NE(text.find("They lied about the grain deal, episode 0"), std::string::npos);
}

TEST_F(ShowGroupTest, MissingResultOrGroupIsNotFound) {
  IngestJsonl(Corpus());
  auto none = ShowGroup(store_.get(), 0, 10, 10);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("analyze"), std::string::npos);

  AnalyzeOptions ao;
  ao.only = {"coordination"};
  ao.progress = false;
  AnalyzeSummary sum;
  ASSERT_TRUE(Analyze(store_.get(), ao, &sum).ok());
  auto missing = ShowGroup(store_.get(), 9999, 10, 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("--what groups"), std::string::npos);
  EXPECT_FALSE(ShowGroup(store_.get(), 0, -1, 1).ok());
}

// Issue 17 item 6: the edge's weight counts co-actions at any window; each
// window's own count is shown next to it, so "within 1 min" is never read
// next to the hour's weight. Two accounts post the same text twice 20 s
// apart and three times 30 min apart, and a third joins every time.
TEST_F(ShowGroupTest, EdgesShowTheWeightOfEachWindow) {
  std::string s;
  int id = 1;
  for (int k = 0; k < 5; ++k) {
    const int64_t t = 1700000000 + k * 86400;
    const std::string text = "the same slogan number " + std::to_string(k);
    s += Line(id++, "acct_a", t, text);
    s += Line(id++, "acct_b", t + (k < 2 ? 20 : 1800), text);
    s += Line(id++, "acct_c", t + 10, text);
  }
  IngestJsonl(s);
  AnalyzeOptions ao;
  ao.only = {"coordination"};
  ao.progress = false;
  ao.coordination.windows = {60, 3600};
  AnalyzeSummary sum;
  ASSERT_TRUE(Analyze(store_.get(), ao, &sum).ok());
  const int64_t group =
      std::stoll(Query("SELECT group_id FROM coord_groups WHERE account = 'acct_a'"));
  auto g = ShowGroup(store_.get(), group, 100, 0);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const ShownEdge* ab = nullptr;
  for (const ShownEdge& e : g->edges) {
    if (e.account_a == "acct_a" && e.account_b == "acct_b") ab = &e;
  }
  ASSERT_NE(ab, nullptr);
  EXPECT_EQ(ab->weight, 5u);
  EXPECT_EQ(ab->window, 60);
  EXPECT_EQ(ab->window_weights, (std::vector<std::pair<int64_t, uint64_t>>{{60, 2}, {3600, 5}}));
  const std::string text = RenderGroup(*g);
  EXPECT_NE(text.find("acct_a -- acct_b  co-post, weight 5 at any window (2 within 1 min, 5 "
                      "within 1 h)"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("weight 5, within 1 min"), std::string::npos) << text;
}

}  // namespace
}  // namespace echotrace
