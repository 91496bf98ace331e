// BufferedInput and LineSplitter: line numbering, long lines, padding.
#include "ingest/buffered_input.h"

#include <gtest/gtest.h>

#include <cstring>

namespace echotrace {
namespace {

TEST(LineSplitterTest, SplitsAndNumbersLines) {
  BufferedInput in(MakeMemoryStream("a\n\nbc\r\nlast"), "m");
  LineSplitter lines(&in, 100);
  std::string_view line;
  uint64_t no = 0;
  std::vector<std::string> got;
  for (;;) {
    auto k = lines.Next(&line, &no);
    ASSERT_TRUE(k.ok());
    if (*k == LineSplitter::Kind::kEnd) break;
    ASSERT_EQ(*k, LineSplitter::Kind::kLine);
    got.push_back(std::to_string(no) + ":" + std::string(line));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"1:a", "2:", "3:bc\r", "4:last"}));
  EXPECT_EQ(in.consumed(), 11u);
}

TEST(LineSplitterTest, LongLineIsSkippedWithBoundedMemory) {
  std::string input = "short\n" + std::string(3u << 20, 'z') + "\nnext\n" + std::string(5000, 'w');
  BufferedInput in(MakeMemoryStream(input), "m");
  LineSplitter lines(&in, 4096);
  std::string_view line;
  uint64_t no = 0;
  ASSERT_EQ(*lines.Next(&line, &no), LineSplitter::Kind::kLine);
  ASSERT_EQ(*lines.Next(&line, &no), LineSplitter::Kind::kTooLong);
  EXPECT_EQ(no, 2u);
  EXPECT_EQ(line, std::string(256, 'z'));
  ASSERT_EQ(*lines.Next(&line, &no), LineSplitter::Kind::kLine);
  EXPECT_EQ(line, "next");
  EXPECT_EQ(no, 3u);
  ASSERT_EQ(*lines.Next(&line, &no), LineSplitter::Kind::kTooLong);  // unterminated
  EXPECT_EQ(no, 4u);
  ASSERT_EQ(*lines.Next(&line, &no), LineSplitter::Kind::kEnd);
  EXPECT_EQ(in.consumed(), input.size());
}

TEST(BufferedInputTest, FillGathersAtLeastWhatIsAsked) {
  BufferedInput in(MakeMemoryStream(std::string(1u << 20, 'a')), "m");
  ASSERT_TRUE(in.Fill(700000).ok());
  EXPECT_GE(in.data().size(), 700000u);
  in.Consume(in.data().size());
  while (!in.eof()) ASSERT_TRUE(in.Fill(1).ok());
  in.Consume(in.data().size());
  EXPECT_EQ(in.consumed(), 1u << 20);
}

}  // namespace
}  // namespace echotrace
