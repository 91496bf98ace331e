// Tests of reading and scoring pairs for `echotrace compare`: every kind of
// bad line is recorded with its line number and reason and the good lines
// around it are kept, in order; scores follow input order and are the
// model's Compare of each pair.
#include "similarity/compare.h"

#include <gtest/gtest.h>

namespace echotrace {
namespace {

TEST(ParsePairsTest, TsvKeepsGoodLinesAndRecordsBadOnes) {
  PairsRead r = ParsePairs(
      "one\ttwo\r\n"
      "\n"
      "no tab here\n"
      "a\tb\tc\n"
      " \tempty a\n"
      "bad \xFF utf8\tx\n"
      "three\tfour",
      PairFormat::kAuto);
  EXPECT_EQ(r.format, PairFormat::kTsv);
  ASSERT_EQ(r.pairs.size(), 2u);
  EXPECT_EQ(r.pairs[0].line, 1u);
  EXPECT_EQ(r.pairs[0].a, "one");
  EXPECT_EQ(r.pairs[0].b, "two");  // the \r is gone
  EXPECT_EQ(r.pairs[1].line, 7u);
  EXPECT_EQ(r.pairs[1].b, "four");
  ASSERT_EQ(r.rejects.size(), 4u);
  EXPECT_EQ(r.rejects[0].line, 3u);
  EXPECT_NE(r.rejects[0].reason.find("no tab"), std::string::npos);
  EXPECT_EQ(r.rejects[1].line, 4u);
  EXPECT_NE(r.rejects[1].reason.find("more tabs"), std::string::npos);
  EXPECT_EQ(r.rejects[2].line, 5u);
  EXPECT_NE(r.rejects[2].reason.find("text a is empty"), std::string::npos);
  EXPECT_EQ(r.rejects[3].line, 6u);
  EXPECT_NE(r.rejects[3].reason.find("UTF-8"), std::string::npos);
}

TEST(ParsePairsTest, JsonlKeepsGoodLinesAndRecordsBadOnes) {
  PairsRead r = ParsePairs(
      "{\"a\": \"x y\", \"b\": \"z\", \"id\": 7}\n"
      "{\"a\": \"only a\"}\n"
      "[1, 2]\n"
      "{not json\n"
      "{\"a\": 3, \"b\": \"z\"}\n"
      "\n"
      "{\"a\": \"tab\\there\", \"b\": \"\\u00e9t\\u00e9\"}\n",
      PairFormat::kAuto);
  EXPECT_EQ(r.format, PairFormat::kJsonl);
  ASSERT_EQ(r.pairs.size(), 2u);
  EXPECT_EQ(r.pairs[0].a, "x y");
  EXPECT_EQ(r.pairs[1].line, 7u);
  EXPECT_EQ(r.pairs[1].a, "tab\there");
  EXPECT_EQ(r.pairs[1].b, "\xC3\xA9t\xC3\xA9");
  ASSERT_EQ(r.rejects.size(), 4u);
  EXPECT_EQ(r.rejects[0].line, 2u);
  EXPECT_EQ(r.rejects[1].line, 3u);
  EXPECT_EQ(r.rejects[2].line, 4u);
  EXPECT_NE(r.rejects[2].reason.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(r.rejects[3].line, 5u);
}

TEST(ParsePairsTest, ForcedFormatAndNames) {
  // A TSV line that starts with '{' is still TSV when told so.
  PairsRead r = ParsePairs("{x\ty\n", PairFormat::kTsv);
  ASSERT_EQ(r.pairs.size(), 1u);
  EXPECT_TRUE(ParsePairs("", PairFormat::kAuto).pairs.empty());
  EXPECT_TRUE(ParsePairFormat("jsonl").ok());
  EXPECT_FALSE(ParsePairFormat("csv").ok());
}

TEST(ComparePairsTest, ScoresFollowInputOrderAndEqualTheModelsCompare) {
  std::vector<TextPair> pairs = {{1, "The cat sat on the mat.", "A cat was sitting on a mat."},
                                 {2, "Stocks fell in Tokyo.", "The cat sat on the mat."},
                                 {3, "Stocks fell in Tokyo.", "Stocks fell in Tokyo."}};
  auto s = ComparePairs(pairs, SimilarityOptions{});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 3u);
  EXPECT_GT((*s)[0].score, (*s)[1].score);
  EXPECT_GT((*s)[2].score, (*s)[0].score);
  // The same as fitting on the texts and comparing each pair.
  std::vector<std::string> texts;
  for (auto& p : pairs) texts.push_back(p.a), texts.push_back(p.b);
  auto m = SimilarityModel::Fit(texts, SimilarityOptions{});
  ASSERT_TRUE(m.ok());
  for (size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_DOUBLE_EQ((*s)[i].score, (*m)->Compare(pairs[i].a, pairs[i].b).score);
  }
  // Deterministic.
  auto again = ComparePairs(pairs, SimilarityOptions{});
  for (size_t i = 0; i < pairs.size(); ++i) EXPECT_EQ((*s)[i].score, (*again)[i].score);
}

}  // namespace
}  // namespace echotrace
