// HTML reader: visible text, block structure, metadata.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/test_util.h"

namespace echotrace {
namespace {

using ::echotrace::testing::Drained;
using ::echotrace::testing::FieldList;
using ::echotrace::testing::ReadString;
using ::testing::ElementsAre;

TEST(HtmlReaderTest, VisibleTextAndMetadata) {
  const char* html = R"(<!DOCTYPE html>
<html><head>
  <title>  The   Title </title>
  <meta property="og:title" content="OG title">
  <meta name="author" content="Jane Doe">
  <meta property="article:published_time" content="2017-05-01T10:00:00Z">
  <link rel="canonical" href="https://example.com/a">
  <style>body { color: red }</style>
  <script>var x = "<p>no</p>";</script>
</head><body>
  <h1>Heading</h1>
  <p>First   paragraph
     with <b>bold</b> and&nbsp;space.</p>
  <div>Line one<br>Line two</div>
  <noscript>enable js</noscript>
  <svg><title>icon</title><text>svg text</text></svg>
  <ul><li>one</li><li>two</li></ul>
  <table><tr><td>a</td><td>b</td></tr></table>
  <pre>keep   this
  spacing</pre>
  <template><p>hidden</p></template>
  <!-- a comment -->
</body></html>)";
  Drained d = ReadString(html, Format::kHtml, {}, "page.html");
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_THAT(
      FieldList(d.records[0]),
      ElementsAre("id=page.html", "title=The Title",
                  "text=Heading\nFirst paragraph with bold and space.\nLine one\nLine "
                  "two\none\ntwo\na b\nkeep   this\n  spacing",
                  "url=https://example.com/a", "time=2017-05-01T10:00:00Z", "author=Jane Doe"));
}

TEST(HtmlReaderTest, OpenGraphFallbacks) {
  Drained d = ReadString(
      "<html><head><meta property='og:title' content='OG'><meta property='og:url' "
      "content='https://e.org/x'></head><body>Hi &amp; bye</body></html>",
      Format::kHtml);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_THAT(FieldList(d.records[0]),
              ElementsAre("id=mem", "title=OG", "text=Hi & bye", "url=https://e.org/x"));
}

TEST(HtmlReaderTest, BrokenMarkupStillGivesText) {
  Drained d = ReadString("<p>unclosed <b>bold<p>next <div>x", Format::kHtml);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(*d.records[0].Find("text"), "unclosed bold\nnext\nx");
  EXPECT_EQ(d.records[0].Find("title"), nullptr);
}

TEST(HtmlReaderTest, DeepNestingDoesNotOverflow) {
  std::string html;
  for (int i = 0; i < 20000; ++i) html += "<span>";
  html += "deep";
  Drained d = ReadString(html, Format::kHtml);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(*d.records[0].Find("text"), "deep");
}

}  // namespace
}  // namespace echotrace
