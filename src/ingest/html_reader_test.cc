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
  EXPECT_THAT(FieldList(d.records[0]),
              ElementsAre("id=page.html", "title=The Title",
                          "text=Heading\nFirst paragraph with bold and space.\nLine one\nLine "
                          "two\none\ntwo\na b\nkeep   this\n  spacing",
                          "url=https://example.com/a", "time=2017-05-01T10:00:00Z",
                          "time_from=meta article:published_time", "author=Jane Doe"));
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

// Issue 17 item 4: undated pages often carry their date elsewhere than in
// article:published_time; a source is used only when it gives one value.
TEST(HtmlReaderTest, PublicationDateFromOtherMetadataWhenUnambiguous) {
  auto time_of = [](const std::string& html) {
    Drained d = ReadString(html, Format::kHtml);
    EXPECT_EQ(d.records.size(), 1u);
    if (d.records.empty()) return std::string("?");
    const std::string* t = d.records[0].Find("time");
    const std::string* from = d.records[0].Find("time_from");
    return t == nullptr ? std::string("none") : *t + " (" + (from ? *from : "?") + ")";
  };
  EXPECT_EQ(time_of("<html><head><meta itemprop='datePublished' content=' 2024-02-03 '>"
                    "</head><body><time datetime='2020-01-01'>x</time></body></html>"),
            "2024-02-03 (meta datePublished/date)");
  EXPECT_EQ(time_of("<html><head><meta name='DC.date.issued' content='2024-02-04'></head>"
                    "<body>x</body></html>"),
            "2024-02-04 (meta datePublished/date)");
  EXPECT_EQ(time_of("<html><head><script type='application/ld+json'>{\"@type\":\"NewsArticle\","
                    "\"datePublished\" : \"2023-05-06T07:08:09Z\",\"dateModified\":"
                    "\"2023-06-01\"}</script></head><body>x</body></html>"),
            "2023-05-06T07:08:09Z (JSON-LD datePublished)");
  EXPECT_EQ(time_of("<html><body><p>Posted <time datetime='2022-11-12T13:14'>Nov 12</time>"
                    "</p><time datetime='2022-11-12T13:14'>again</time></body></html>"),
            "2022-11-12T13:14 (<time datetime>)");
  // Two different dates: ambiguous, no date rather than a guess.
  EXPECT_EQ(time_of("<html><body><time datetime='2022-01-01'>a</time>"
                    "<time datetime='2021-01-01'>b</time></body></html>"),
            "none");
  EXPECT_EQ(time_of("<html><head><meta name='date' content='2020-01-01'><meta name='pubdate' "
                    "content='2020-02-02'></head><body><time datetime='2022-01-01'>a</time>"
                    "</body></html>"),
            "none");
  // article:published_time wins over everything.
  EXPECT_EQ(time_of("<html><head><meta property='article:published_time' content='2019-09-09'>"
                    "<meta name='date' content='2020-01-01'></head><body>x</body></html>"),
            "2019-09-09 (meta article:published_time)");
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
