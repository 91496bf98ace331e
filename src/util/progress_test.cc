#include "util/progress.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace echotrace {
namespace {

std::string ReadAll(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[512];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

TEST(ProgressTest, LineShowsPercentWhenTotalKnown) {
  Progress p("ingest", "docs", 1000, Progress::Mode::kQuiet);
  std::string line = p.Line(50, 500, 2.0);
  EXPECT_NE(line.find(" 50%"), std::string::npos) << line;
  EXPECT_NE(line.find("50 docs"), std::string::npos) << line;
  EXPECT_NE(line.find("25 docs/s"), std::string::npos) << line;
  // Half done in 2 s at a steady rate: 2 s to go.
  EXPECT_NE(line.find("~2s left"), std::string::npos) << line;
  EXPECT_EQ(p.Line(0, 0, 2.0).find("left"), std::string::npos);      // no rate yet
  EXPECT_EQ(p.Line(50, 1000, 9.0).find("left"), std::string::npos);  // done
}

TEST(ProgressTest, NoTimeLeftWhenTotalUnknown) {
  Progress p("ingest", "docs", 0, Progress::Mode::kQuiet);
  EXPECT_EQ(p.Line(50, 500, 2.0).find("left"), std::string::npos);
}

TEST(ProgressTest, LinesModePrintsPeriodically) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    Progress p("ingest", "docs", 0, Progress::Mode::kLines, f, std::chrono::seconds(0));
    p.Update(1, 10);
    p.Update(2, 20);
  }
  std::string out = ReadAll(f);
  std::fclose(f);
  EXPECT_NE(out.find("ingest: 1 docs"), std::string::npos) << out;
  EXPECT_NE(out.find("ingest: 2 docs"), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos);
}

TEST(ProgressTest, QuietPrintsNothing) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    Progress p("x", "docs", 0, Progress::Mode::kQuiet, f, std::chrono::seconds(0));
    p.Update(1, 1);
  }
  EXPECT_EQ(ReadAll(f), "");
  std::fclose(f);
}

TEST(ProgressTest, SinkGetsEveryLineAndTheClosingOne) {
  std::vector<std::string> lines;
  {
    Progress p(
        "ingest", "docs", 100, Progress::Mode::kAuto,
        [&](std::string_view l) { lines.emplace_back(l); }, std::chrono::seconds(0));
    p.Update(10, 25);
    p.Update(20, 50);
  }
  ASSERT_EQ(lines.size(), 3u);  // two updates and the close
  EXPECT_NE(lines[0].find("25%"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("50%"), std::string::npos) << lines[1];
  for (const std::string& l : lines) {
    EXPECT_EQ(l.find_first_of("\r\n\033"), std::string::npos) << l;  // no terminal codes
  }
}

TEST(ProgressTest, QuietSinkGetsNothing) {
  int calls = 0;
  {
    Progress p(
        "x", "docs", 0, Progress::Mode::kQuiet, [&](std::string_view) { ++calls; },
        std::chrono::seconds(0));
    p.Update(1, 1);
  }
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace echotrace
