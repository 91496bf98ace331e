#include "text/entities.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "text/utf8.h"

namespace echotrace {
namespace {

struct Found {
  EntityKind kind;
  std::string written;
  std::string value;
  bool operator==(const Found&) const = default;
};

void PrintTo(const Found& f, std::ostream* os) {
  *os << EntityKindName(f.kind) << "{" << f.written << " -> " << f.value << "}";
}

std::vector<Found> Find(std::string_view text) {
  std::vector<Found> out;
  for (const Entity& e : ExtractEntities(text)) {
    out.push_back({e.kind, std::string(text.substr(e.start, e.end - e.start)), e.value});
  }
  return out;
}

std::vector<std::string> Written(std::string_view text) {
  std::vector<std::string> out;
  for (const Found& f : Find(text)) out.push_back(f.written);
  return out;
}

using V = std::vector<std::string>;
constexpr EntityKind kUrl = EntityKind::kUrl;
constexpr EntityKind kMention = EntityKind::kMention;
constexpr EntityKind kHashtag = EntityKind::kHashtag;

TEST(EntitiesTest, KindNames) {
  EXPECT_STREQ(EntityKindName(kUrl), "url");
  EXPECT_STREQ(EntityKindName(kMention), "mention");
  EXPECT_STREQ(EntityKindName(kHashtag), "hashtag");
}

TEST(EntitiesTest, AllThreeKindsInOrderWithOffsets) {
  const std::string text = "RT @Alice: Read https://t.co/AbC123 #Breaking";
  const std::vector<Entity> e = ExtractEntities(text);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0], (Entity{kMention, "alice", 3, 9}));
  EXPECT_EQ(e[1], (Entity{kUrl, "https://t.co/AbC123", 16, 35}));
  EXPECT_EQ(e[2], (Entity{kHashtag, "breaking", 36, 45}));
}

TEST(EntitiesTest, UrlTrailingPunctuation) {
  EXPECT_EQ(Written("See https://example.com/a."), (V{"https://example.com/a"}));
  EXPECT_EQ(Written("See https://example.com/a, and"), (V{"https://example.com/a"}));
  EXPECT_EQ(Written("Really?! https://x.com/p?!"), (V{"https://x.com/p"}));
  EXPECT_EQ(Written("'https://x.com/p'"), (V{"https://x.com/p"}));
  EXPECT_EQ(Written("\"https://x.com/p\""), (V{"https://x.com/p"}));
  EXPECT_EQ(Written("https://x.com/p:"), (V{"https://x.com/p"}));
  EXPECT_EQ(Written("truncated https://t.co/abc…"), (V{"https://t.co/abc"}));
  EXPECT_EQ(Written("«https://x.com/p»"), (V{"https://x.com/p"}));
  EXPECT_EQ(Written("<https://x.com/p>"), (V{"https://x.com/p"}));
  EXPECT_EQ(Written("https://x.com/?q=a.b"), (V{"https://x.com/?q=a.b"}));
}

TEST(EntitiesTest, UrlBalancedBrackets) {
  EXPECT_EQ(Written("https://en.wikipedia.org/wiki/Mercury_(planet)"),
            (V{"https://en.wikipedia.org/wiki/Mercury_(planet)"}));
  EXPECT_EQ(Written("(see https://en.wikipedia.org/wiki/Mercury_(planet))."),
            (V{"https://en.wikipedia.org/wiki/Mercury_(planet)"}));
  EXPECT_EQ(Written("(see https://example.com/a)"), (V{"https://example.com/a"}));
  EXPECT_EQ(Written("[https://example.com/a]"), (V{"https://example.com/a"}));
  EXPECT_EQ(Written("https://example.com/a[1]"), (V{"https://example.com/a[1]"}));
  EXPECT_EQ(Written("{https://example.com/a}"), (V{"https://example.com/a"}));
}

TEST(EntitiesTest, UrlStartsAndNonUrls) {
  EXPECT_EQ(Written("go to www.Example.com/x now"), (V{"www.Example.com/x"}));
  EXPECT_EQ(Find("www.example.com")[0].value, "http://www.example.com");
  EXPECT_EQ(Written("HTTPS://EXAMPLE.COM"), (V{"HTTPS://EXAMPLE.COM"}));
  EXPECT_EQ(Written("http:// nothing"), V{});
  EXPECT_EQ(Written("https://..."), V{});
  EXPECT_EQ(Written("www. is not"), V{});
  EXPECT_EQ(Written("xhttp://a.com foo.www.bar.com"), V{});
  EXPECT_EQ(Written("看https://example.com/a很好"), (V{"https://example.com/a"}));
  EXPECT_EQ(Written("https://uk.wikipedia.org/wiki/Київ тут"),
            (V{"https://uk.wikipedia.org/wiki/Київ"}));
  EXPECT_EQ(Written("url=https://a.com/b"), (V{"https://a.com/b"}));
}

TEST(EntitiesTest, NoEntitiesInsideUrls) {
  EXPECT_EQ(Find("https://x.com/#/foo?u=@bar #real"),
            (std::vector<Found>{{kUrl, "https://x.com/#/foo?u=@bar", "https://x.com"},
                                {kHashtag, "#real", "real"}}));
}

TEST(EntitiesTest, Mentions) {
  EXPECT_EQ(Find("@Foo_Bar1, hi"), (std::vector<Found>{{kMention, "@Foo_Bar1", "foo_bar1"}}));
  EXPECT_EQ(Written("mail me at a@b.com or x_@y"), V{});
  EXPECT_EQ(Written("@ alone, @@double"), (V{"@double"}));
  EXPECT_EQ(Written("(@paren) \"@quoted\""), (V{"@paren", "@quoted"}));
  EXPECT_EQ(Find("@Олег"), (std::vector<Found>{{kMention, "@Олег", "олег"}}));
  EXPECT_EQ(Written("@user的"), (V{"@user"}));  // CJK is not part of a handle
  EXPECT_EQ(Find("＠ＵＳＥＲ"), (std::vector<Found>{{kMention, "＠ＵＳＥＲ", "user"}}));
}

TEST(EntitiesTest, Hashtags) {
  EXPECT_EQ(Find("#Україна #СлаваУкраїні"),
            (std::vector<Found>{{kHashtag, "#Україна", "україна"},
                                {kHashtag, "#СлаваУкраїні", "славаукраїні"}}));
  EXPECT_EQ(Written("#1 #2020 #_ #1st #covid_19"), (V{"#1st", "#covid_19"}));
  EXPECT_EQ(Written("C#sharp issue#5 &#39;quote"), V{});
  EXPECT_EQ(Written("#日本 ＃タグ"), (V{"#日本", "＃タグ"}));
  EXPECT_EQ(Written("#tag. #tag2!"), (V{"#tag", "#tag2"}));
  EXPECT_EQ(Written("##double"), (V{"#double"}));
  EXPECT_EQ(Written("#️⃣"), V{});
}

TEST(EntitiesTest, NormalizeUrl) {
  const std::pair<const char*, const char*> kCases[] = {
      {"HTTP://WWW.Example.COM/Path", "http://www.example.com/Path"},
      {"https://example.com/", "https://example.com"},
      {"https://example.com", "https://example.com"},
      {"https://example.com/a/", "https://example.com/a"},
      {"https://example.com/a//", "https://example.com/a//"},
      {"http://example.com:80/a", "http://example.com/a"},
      {"https://example.com:443/a", "https://example.com/a"},
      {"http://example.com:8080/a", "http://example.com:8080/a"},
      {"https://example.com:/a", "https://example.com/a"},
      {"https://example.com:80/a", "https://example.com:80/a"},
      {"https://example.com/a#section", "https://example.com/a"},
      {"https://twitter.com/#!/user", "https://twitter.com/#!/user"},
      {"https://ex.com/a?utm_source=tw&id=5&UTM_Medium=x&fbclid=abc", "https://ex.com/a?id=5"},
      {"https://ex.com/a?gclid=1&dclid=2&igshid=3&mc_cid=4&mc_eid=5&_ga=6&yclid=7",
       "https://ex.com/a"},
      {"https://ex.com/a?b=2&ref_src=twsrc&a=1&ref_url=x&si=q", "https://ex.com/a?b=2&a=1"},
      {"https://ex.com/?s=search+term", "https://ex.com?s=search+term"},
      {"https://twitter.com/u/status/1?s=20&t=abc", "https://twitter.com/u/status/1"},
      {"https://mobile.x.com/u/status/1?s=21", "https://mobile.x.com/u/status/1"},
      {"https://youtube.com/watch?v=x&t=42&si=tracking", "https://youtube.com/watch?v=x&t=42"},
      {"https://ex.com/a?&&x=1&", "https://ex.com/a?x=1"},
      {"www.Example.com/A", "http://www.example.com/A"},
      {"example.com", "http://example.com"},
      {"//cdn.example.com/x", "http://cdn.example.com/x"},
      {"  https://ex.com/a  ", "https://ex.com/a"},
      {"http://User:Pw@Example.com:80/", "http://User:Pw@example.com"},
      {"http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"},
      {"http://[2001:db8::1]:8080/x", "http://[2001:db8::1]:8080/x"},
      {"https://ПРИМЕР.РФ/Путь", "https://пример.рф/Путь"},
      {"FTP://Files.Example.com:21/x", "ftp://files.example.com/x"},
      {"https://ex.com?x=1#frag", "https://ex.com?x=1"},
  };
  for (const auto& [in, want] : kCases) EXPECT_EQ(NormalizeUrl(in), want) << in;
}

TEST(EntitiesTest, NormalizeUrlNeverFails) {
  EXPECT_EQ(NormalizeUrl(""), "");
  EXPECT_EQ(NormalizeUrl("HTTP://"), "http://");
  EXPECT_EQ(NormalizeUrl("://X"), "://x");
  EXPECT_EQ(NormalizeUrl("/Only/Path"), "/only/path");
  EXPECT_EQ(NormalizeUrl("?A=1"), "?a=1");
}

TEST(EntitiesTest, SameLinkDifferentSpellingsMatch) {
  const std::string a = Find("https://www.Example.com/story/?utm_campaign=x")[0].value;
  const std::string b = Find("http://www.example.com:80/story#comments")[0].value;
  const std::string c = Find("www.example.com/story")[0].value;
  EXPECT_EQ(b, c);
  EXPECT_EQ(a, "https://www.example.com/story");
}

TEST(EntitiesTest, InvariantsOnRandomText) {
  static const char* kPieces[] = {"a", "Z",  "9",       " ",        ".",     ")",    "(", "]",
                                  "@", "#",  "_",       "&",        "/",     ":",    "й", "中",
                                  "❤", "…",  "http://", "https://", "www.",  ".com", "?", "=",
                                  "'", "\"", "＠",      "＃",       "\u0301"};
  std::mt19937 rng(31337);
  std::uniform_int_distribution<size_t> len(0, 25);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    for (size_t k = len(rng); k > 0; --k) s += kPieces[pick(rng)];
    uint32_t prev_end = 0;
    for (const Entity& e : ExtractEntities(s)) {
      ASSERT_LT(e.start, e.end) << s;
      ASSERT_GE(e.start, prev_end) << s;
      ASSERT_LE(e.end, s.size()) << s;
      ASSERT_NE(static_cast<uint8_t>(s[e.start]) & 0xC0, 0x80) << s;
      if (e.end < s.size()) {
        ASSERT_NE(static_cast<uint8_t>(s[e.end]) & 0xC0, 0x80) << s;
      }
      ASSERT_FALSE(e.value.empty()) << s;
      ASSERT_TRUE(IsValidUtf8(e.value)) << s;
      prev_end = e.end;
    }
  }
}

TEST(EntitiesTest, NameOfIgnorableCharactersIsNoEntity) {
  // Regression: "@@" followed by a variation selector gave an empty value.
  for (const Entity& e : ExtractEntities("@@\xef\xb8\x80 and #\xef\xb8\x80 x")) {
    EXPECT_FALSE(e.value.empty()) << e.start;
  }
}

}  // namespace
}  // namespace echotrace
