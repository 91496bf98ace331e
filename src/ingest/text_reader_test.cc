// Text / Markdown reader: one document per file, title rule, size limit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/readers.h"
#include "ingest/test_util.h"

namespace echotrace {
namespace {

using ::echotrace::testing::Drained;
using ::echotrace::testing::FieldList;
using ::echotrace::testing::ReadString;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(TextReaderTest, WholeFileIsOneDocument) {
  Drained d = ReadString("\n\n# My Title #\n\nBody, with a comma.\n", Format::kText, {}, "a.md");
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_THAT(
      FieldList(d.records[0]),
      ElementsAre("id=a.md", "title=My Title", "text=\n\n# My Title #\n\nBody, with a comma.\n"));
  EXPECT_EQ(d.records[0].line, 1u);
  EXPECT_EQ(d.records[0].file, "a.md");
}

TEST(TextReaderTest, TitleRule) {
  EXPECT_EQ(TextTitle("  First line  \nsecond"), "First line");
  EXPECT_EQ(TextTitle("## Sub heading\n"), "Sub heading");
  EXPECT_EQ(TextTitle("#hashtag line"), "#hashtag line");
  EXPECT_EQ(TextTitle(std::string(250, 'x') + "\nshort"), "");
  EXPECT_EQ(TextTitle(" \n\t\n"), "");
}

TEST(TextReaderTest, BomDroppedFromText) {
  Drained d = ReadString("\xEF\xBB\xBFhello", Format::kText, {}, "b.txt");
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(*d.records[0].Find("text"), "hello");
}

TEST(TextReaderTest, FileOverLimitIsRejected) {
  ReaderOptions opt;
  opt.max_record_bytes = 100;
  Drained d = ReadString(std::string(1000, 'x'), Format::kText, opt, "big.txt");
  EXPECT_TRUE(d.records.empty());
  ASSERT_EQ(d.rejects.size(), 1u);
  EXPECT_EQ(d.rejects[0].line, 0u);
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("larger than 100"));
}

}  // namespace
}  // namespace echotrace
