#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "text/utf8.h"

namespace echotrace {
namespace {

// (surface as written, norm) pairs.
std::vector<std::pair<std::string, std::string>> Surf(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Token& t : Tokenize(text)) {
    out.emplace_back(std::string(text.substr(t.start, t.end - t.start)), t.norm);
  }
  return out;
}

std::vector<std::string> Norms(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) out.push_back(t.norm);
  return out;
}

std::vector<TokenKind> Kinds(std::string_view text) {
  std::vector<TokenKind> out;
  for (const Token& t : Tokenize(text)) out.push_back(t.kind);
  return out;
}

using K = TokenKind;
using V = std::vector<std::string>;

TEST(TokenizerTest, EnglishWordsApostrophesHyphens) {
  EXPECT_EQ(Norms("Hello, world! Don't stop-the-music."),
            (V{"hello", "world", "don't", "stop-the-music"}));
  EXPECT_EQ(Norms("students' well- -ish 'twas"), (V{"students", "well", "ish", "twas"}));
  EXPECT_EQ(Norms("rock'n'roll in the 90's"), (V{"rock'n'roll", "in", "the", "90's"}));
  EXPECT_EQ(Norms("COVID-19 cases"), (V{"covid-19", "cases"}));
}

TEST(TokenizerTest, OffsetsAreBytesIntoOriginal) {
  const std::string text = "Ça va?  Нью-Йорк!";
  const std::vector<Token> t = Tokenize(text);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].start, 0u);
  EXPECT_EQ(t[0].end, 3u);  // "Ça" is 3 bytes
  EXPECT_EQ(t[1].start, 4u);
  EXPECT_EQ(t[2].start, 9u);
  EXPECT_EQ(t[2].end, text.size() - 1);
  EXPECT_EQ(t[2].norm, "нью-йорк");
}

TEST(TokenizerTest, CyrillicAndUkrainian) {
  EXPECT_EQ(Norms("Нью-Йорк — большой город."), (V{"нью-йорк", "большой", "город"}));
  EXPECT_EQ(Norms("Пам’ять і їжа, ґанок, єнот; п'ять м\u02BCяс"),
            (V{"пам’ять", "і", "їжа", "ґанок", "єнот", "п'ять", "м\u02BCяс"}));
  EXPECT_EQ(Kinds("Пам’ять"), (std::vector<K>{K::kWord}));
}

TEST(TokenizerTest, GreekAndOtherScripts) {
  EXPECT_EQ(Norms("Καλημέρα κόσμε"), (V{"καλημέρα", "κόσμε"}));
  EXPECT_EQ(Norms("שלום עולם"), (V{"שלום", "עולם"}));
  EXPECT_EQ(Norms("नमस्ते दुनिया"), (V{"नमस्ते", "दुनिया"}));  // marks stay in words
  EXPECT_EQ(Norms("ＡＢＣ ﬁne"), (V{"abc", "fine"}));
  EXPECT_EQ(Norms("می\u200Cخواهم"), (V{"میخواهم"}));  // ZWNJ kept inside, folded away
}

TEST(TokenizerTest, Numbers) {
  EXPECT_EQ(Surf("pi is 3.14, about 1,000.50 or 2017-09-07."),
            (std::vector<std::pair<std::string, std::string>>{{"pi", "pi"},
                                                              {"is", "is"},
                                                              {"3.14", "3.14"},
                                                              {"about", "about"},
                                                              {"1,000.50", "1,000.50"},
                                                              {"or", "or"},
                                                              {"2017", "2017"},
                                                              {"09", "09"},
                                                              {"07", "07"}}));
  EXPECT_EQ(Kinds("42 3.14 4th ３"),
            (std::vector<K>{K::kNumber, K::kNumber, K::kWord, K::kNumber}));
  EXPECT_EQ(Norms("３"), (V{"3"}));
}

TEST(TokenizerTest, CjkOneTokenPerCharacter) {
  EXPECT_EQ(Norms("我爱北京"), (V{"我", "爱", "北", "京"}));
  EXPECT_EQ(Norms("カタカナ ひらがな"), (V{"カ", "タ", "カ", "ナ", "ひ", "ら", "が", "な"}));
  EXPECT_EQ(Norms("안녕하세요"), (V{"안", "녕", "하", "세", "요"}));
  EXPECT_EQ(Norms("iPhone的价格。"), (V{"iphone", "的", "价", "格"}));
  EXPECT_EQ(Kinds("中a"), (std::vector<K>{K::kCjk, K::kWord}));
  EXPECT_EQ(Surf("か\u3099"),  // combining dakuten stays with its kana
            (std::vector<std::pair<std::string, std::string>>{{"か\u3099", "が"}}));
}

TEST(TokenizerTest, EmojiAreSymbolsApartFromWords) {
  const std::string text = "I ❤️ NY👍🏽 👩‍💻 🇺🇦🇺🇦 #️⃣ ©";
  const auto s = Surf(text);
  std::vector<std::string> surfaces;
  for (const auto& [surface, norm] : s) surfaces.push_back(surface);
  EXPECT_EQ(surfaces, (V{"I", "❤️", "NY", "👍🏽", "👩‍💻", "🇺🇦", "🇺🇦", "©"}));
  EXPECT_EQ(Kinds(text), (std::vector<K>{K::kWord, K::kSymbol, K::kWord, K::kSymbol, K::kSymbol,
                                         K::kSymbol, K::kSymbol, K::kSymbol}));
  EXPECT_EQ(Norms("🫠"), (V{"🫠"}));  // newer than utf8proc's tables
}

TEST(TokenizerTest, EntitiesAreSingleTokens) {
  const std::string text = "RT @Some_User: see https://Example.com/a_(b)?utm_source=x. #Україна!";
  const auto s = Surf(text);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].first, "RT");
  EXPECT_EQ(s[1], (std::pair<std::string, std::string>{"@Some_User", "@some_user"}));
  EXPECT_EQ(s[2].second, "see");
  EXPECT_EQ(s[3], (std::pair<std::string, std::string>{"https://Example.com/a_(b)?utm_source=x",
                                                       "https://example.com/a_(b)"}));
  EXPECT_EQ(s[4], (std::pair<std::string, std::string>{"#Україна", "#україна"}));
  EXPECT_EQ(Kinds(text), (std::vector<K>{K::kWord, K::kMention, K::kWord, K::kUrl, K::kHashtag}));
  EXPECT_EQ(Norms("mail a@b.com"), (V{"mail", "a", "b", "com"}));
}

TEST(TokenizerTest, EmptyAndPunctuationOnly) {
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize(" ,.;!? — … «» \uFFFD").empty());
}

void CheckInvariants(const std::string& text) {
  const std::vector<Token> tokens = Tokenize(text);
  uint32_t prev_end = 0;
  for (const Token& t : tokens) {
    ASSERT_LT(t.start, t.end);
    ASSERT_LE(t.end, text.size());
    ASSERT_GE(t.start, prev_end);
    prev_end = t.end;
    if (IsValidUtf8(text)) {
      // On code point boundaries: no token starts or ends on a continuation.
      ASSERT_NE(static_cast<uint8_t>(text[t.start]) & 0xC0, 0x80);
      if (t.end < text.size()) {
        ASSERT_NE(static_cast<uint8_t>(text[t.end]) & 0xC0, 0x80);
      }
      ASSERT_TRUE(IsValidUtf8(t.norm));
      ASSERT_FALSE(t.norm.empty() && t.kind != TokenKind::kSymbol);
    }
  }
}

TEST(TokenizerTest, InvariantsOnRandomText) {
  static const char* kPieces[] = {
      "a",      "Z",      "9",       " ",        ".",    ",",      "'",      "’",      "-",  "@",
      "#",      "_",      "&",       "(",        ")",    "/",      ":",      "é",      "й",  "ї",
      "ς",      "中",     "か",      "\u3099",   "❤",    "\uFE0F", "\u200D", "👩",      "🇺",  "🏽",
      "\u0301", "\u200C", "http://", "https://", "www.", ".com",   "…",      "\uFFFD", "\t", "\n"};
  std::mt19937 rng(2024);
  std::uniform_int_distribution<size_t> len(0, 30);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    for (size_t k = len(rng); k > 0; --k) s += kPieces[pick(rng)];
    ASSERT_NO_FATAL_FAILURE(CheckInvariants(s)) << s;
  }
}

TEST(TokenizerTest, IllFormedBytesDoNotCrashOrLoop) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> len(0, 40);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s(len(rng), '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    ASSERT_NO_FATAL_FAILURE(CheckInvariants(s));
  }
}

}  // namespace
}  // namespace echotrace
