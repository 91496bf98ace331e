// Format names and detection, and ExpandInputs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/test_util.h"

namespace echotrace {
namespace {

using ::echotrace::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(FormatTest, NamesRoundTrip) {
  for (Format f :
       {Format::kAuto, Format::kJsonl, Format::kCsv, Format::kTsv, Format::kText, Format::kHtml}) {
    auto p = ParseFormat(FormatName(f));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(*p, f);
  }
  auto bad = ParseFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("jsonl, csv"));
}

TEST(DetectFormatTest, ByExtension) {
  EXPECT_EQ(DetectFormat("a/b.jsonl", ""), Format::kJsonl);
  EXPECT_EQ(DetectFormat("b.NDJSON.gz", ""), Format::kJsonl);
  EXPECT_EQ(DetectFormat("b.json", ""), Format::kJsonl);
  EXPECT_EQ(DetectFormat("x.csv.zst", "{"), Format::kCsv);
  EXPECT_EQ(DetectFormat("x.tsv", ""), Format::kTsv);
  EXPECT_EQ(DetectFormat("sts.csv", "a\tb\tc d\n"), Format::kTsv);
  EXPECT_EQ(DetectFormat("x.csv", "a,b\tc\n"), Format::kCsv);
  EXPECT_EQ(DetectFormat("x.md", "a\tb\nc\td\n"), Format::kText);
  EXPECT_EQ(DetectFormat("x.htm", ""), Format::kHtml);
  EXPECT_EQ(DetectFormat("notes.txt", "Hello, world.\nBye.\n"), Format::kText);
  // Tab-separated data shipped as .txt (like the MSR paraphrase corpus).
  EXPECT_EQ(DetectFormat("pairs.txt", "\xEF\xBB\xBFq\ta\tb\n1\tx\ty\n"), Format::kTsv);
}

TEST(DetectFormatTest, ByContent) {
  EXPECT_EQ(DetectFormat("-", "  {\"a\":1}\n"), Format::kJsonl);
  EXPECT_EQ(DetectFormat("data", "[{\"a\":1}]"), Format::kJsonl);
  EXPECT_EQ(DetectFormat("page", "<!DOCTYPE html><p>x"), Format::kHtml);
  EXPECT_EQ(DetectFormat("page", "<HTML><body>x"), Format::kHtml);
  EXPECT_EQ(DetectFormat("x", "<not html at all>"), Format::kText);
  EXPECT_EQ(DetectFormat("x", "id\ttext\n1\thi\n"), Format::kTsv);
  EXPECT_EQ(DetectFormat("x", "id,text,author\n1,\"hi, there\",bob\n"), Format::kCsv);
  EXPECT_EQ(DetectFormat("x", "Dear John, how are you?\nFine, thanks, and you?\n"), Format::kText);
  EXPECT_EQ(DetectFormat("x", "Just some words\n"), Format::kText);
  EXPECT_EQ(DetectFormat("x", ""), Format::kText);
}

TEST(ExpandInputsTest, WalksDirectoriesSortedSkippingHiddenAndUnknown) {
  TempDir dir;
  dir.Write("b.csv", "x");
  dir.Write("a.jsonl.gz", "x");
  dir.Write("sub/c.md", "x");
  dir.Write("sub/B.TXT", "x");
  dir.Write("sub.txt", "x");
  dir.Write(".hidden.csv", "x");
  dir.Write(".git/d.csv", "x");
  dir.Write("image.png", "x");
  dir.Write("README", "x");
  std::string explicit_file = dir.Write("other/notes.dat", "x");
  auto r = ExpandInputs({dir.path(), "-", explicit_file});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string& p = dir.path();
  EXPECT_THAT(*r, ElementsAre(p + "/a.jsonl.gz", p + "/b.csv", p + "/sub.txt", p + "/sub/B.TXT",
                              p + "/sub/c.md", "-", explicit_file));
}

TEST(ExpandInputsTest, MissingPathIsNotFound) {
  auto r = ExpandInputs({"/nonexistent/echotrace/input.csv"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("/nonexistent/echotrace/input.csv"));
}

}  // namespace
}  // namespace echotrace
