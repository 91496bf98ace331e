#include "text/normalize.h"

#include <gtest/gtest.h>
#include <utf8proc.h>
#include <xxhash.h>

#include <cstdlib>
#include <random>
#include <string>

#include "text/char_class.h"
#include "text/utf8.h"

namespace echotrace {
namespace {

// The slow path spelled out: utf8proc NFKC_Casefold on the whole string,
// then white-space collapse. NormalizeForMatching's ASCII fast path must
// agree with it.
std::string Reference(const std::string& s) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto opts = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                          static_cast<utf8proc_ssize_t>(s.size()), &mapped, opts);
  EXPECT_GE(n, 0);
  const std::string folded(reinterpret_cast<char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  std::string out;
  std::string word;
  size_t i = 0;
  while (i <= folded.size()) {
    const size_t start = i;
    const bool end = i == folded.size();
    const char32_t cp = end ? U' ' : DecodeUtf8(folded, &i);
    if (end) ++i;
    if (IsUnicodeSpace(cp)) {
      if (!word.empty()) {
        if (!out.empty()) out.push_back(' ');
        out += word;
        word.clear();
      }
    } else {
      word.append(folded, start, i - start);
    }
  }
  return out;
}

TEST(NormalizeTest, Examples) {
  EXPECT_EQ(NormalizeForMatching("ПРИВЕТ, Мир"), "привет, мир");
  EXPECT_EQ(NormalizeForMatching("ПРИВІТ ЇЖАК ҐАНОК ЄНОТ"), "привіт їжак ґанок єнот");
  EXPECT_EQ(NormalizeForMatching("\uFB01ne"), "fine");           // ﬁ ligature
  EXPECT_EQ(NormalizeForMatching("\uFF21\uFF22\uFF23"), "abc");  // fullwidth
  EXPECT_EQ(NormalizeForMatching("Straße"), "strasse");
  EXPECT_EQ(NormalizeForMatching("ΣΊΣΥΦΟΣ"), "σίσυφοσ");  // final sigma folds too
  EXPECT_EQ(NormalizeForMatching("e\u0301"), "\u00E9");   // composed
  EXPECT_EQ(NormalizeForMatching("x\u200By"), "xy");      // zero-width space ignored
  EXPECT_EQ(NormalizeForMatching("①"), "1");
}

TEST(NormalizeTest, WhiteSpaceCollapsedAndTrimmed) {
  EXPECT_EQ(NormalizeForMatching("  Hello \t\n  World  "), "hello world");
  EXPECT_EQ(NormalizeForMatching("a\u00A0\u00A0b"), "a b");     // NBSP
  EXPECT_EQ(NormalizeForMatching("a\u3000b\u2029c"), "a b c");  // ideographic, paragraph
  EXPECT_EQ(NormalizeForMatching("\u2003Привет\u2003"), "привет");
  EXPECT_EQ(NormalizeForMatching(""), "");
  EXPECT_EQ(NormalizeForMatching(" \t \n"), "");
}

TEST(NormalizeTest, HashIsXxh3OfNormalForm) {
  const std::string norm = "hello world";
  EXPECT_EQ(NormalizedHash("  HELLO   World "), XXH3_64bits(norm.data(), norm.size()));
  EXPECT_EQ(NormalizedHash("Привет мир"), NormalizedHash("ПРИВЕТ\u00A0 МИР"));
  EXPECT_NE(NormalizedHash("hello world"), NormalizedHash("hello  worlds"));
  // Persisted as docs.norm_hash: this value must never change.
  EXPECT_EQ(NormalizedHash("Hello World"), 0xd447b1ea40e6988bULL);
}

TEST(NormalizeTest, AsciiFastPathMatchesUtf8procOnRandomAscii) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> len(0, 60);
  std::uniform_int_distribution<int> byte(0, 127);
  std::uniform_int_distribution<int> pick(0, 3);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s(static_cast<size_t>(len(rng)), ' ');
    // Every ASCII byte (controls and NUL included), with extra white space.
    for (char& c : s)
      c = static_cast<char>(pick(rng) == 0 ? " \t\n\r\v\f"[byte(rng) % 6] : byte(rng));
    ASSERT_EQ(NormalizeForMatching(s), Reference(s)) << testing::PrintToString(s);
  }
}

TEST(NormalizeTest, MatchesReferenceAndIsIdempotentOnRandomUnicode) {
  static const char32_t kPool[] = {'A',    'z',    ' ',    '\t',   0xA0,    0xDF,   0x130,
                                   0x301,  0x3A3,  0x3C2,  0x410,  0x44F,   0x406,  0x457,
                                   0x490,  0x1E9E, 0x2003, 0x200B, 0x2126,  0x2460, 0x3000,
                                   0x4E2D, 0xAC00, 0xFB01, 0xFF21, 0x1F600, 0x1D400};
  std::mt19937 rng(99);
  std::uniform_int_distribution<size_t> len(0, 20);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPool) - 1);
  for (int iter = 0; iter < 5000; ++iter) {
    std::string s;
    for (size_t k = len(rng); k > 0; --k) AppendUtf8(kPool[pick(rng)], &s);
    const std::string n = NormalizeForMatching(s);
    ASSERT_EQ(n, Reference(s));
    ASSERT_TRUE(IsValidUtf8(n));
    ASSERT_EQ(NormalizeForMatching(n), n) << s;
  }
}

// The piecewise path for mixed text (normalize.cc) against the whole-string
// reference, on mostly-ASCII strings salted with what can join across a cut:
// combining marks after ASCII letters (U+0301, U+0308, U+0323 reorder and
// compose), U+0338 after '<' and '=' (NFC composes "≮" and "≠"), Hangul
// jamo that compose with each other, variation selectors and zero-width
// characters (removed), compatibility characters that fold to ASCII, final
// sigma, and Unicode spaces.
TEST(NormalizeTest, MixedTextMatchesReference) {
  static const char32_t kRare[] = {0x301,  0x308,   0x323,   0x327,  0x338,  0x345,  0x1100,
                                   0x1161, 0x11A8,  0xAC00,  0xFE0F, 0x200B, 0x200D, 0xA0,
                                   0x3000, 0xFB01,  0xFF21,  0x2460, 0x3A3,  0x3C2,  0x130,
                                   0xDF,   0x1F600, 0x1F1FA, 0x2019, 0x410,  0x457,  0xE9};
  static const char kCommon[] = "aeoEOsS <=>'.\t\n1";
  std::mt19937 rng(2026);
  std::uniform_int_distribution<size_t> len(0, 40);
  std::uniform_int_distribution<size_t> rare(0, std::size(kRare) - 1);
  std::uniform_int_distribution<size_t> common(0, sizeof kCommon - 2);
  std::uniform_int_distribution<int> coin(0, 5);
  for (int iter = 0; iter < 50000; ++iter) {
    std::string s;
    for (size_t k = len(rng); k > 0; --k) {
      if (coin(rng) == 0) {
        AppendUtf8(kRare[rare(rng)], &s);
      } else {
        s.push_back(kCommon[common(rng)]);
      }
    }
    ASSERT_EQ(NormalizeForMatching(s), Reference(s)) << testing::PrintToString(s);
  }
}

TEST(NormalizeTest, InvalidInputDoesNotFail) {
  EXPECT_EQ(NormalizeForMatching("AB\xC3 C"), "ab\xC3 c");
}

}  // namespace
}  // namespace echotrace
