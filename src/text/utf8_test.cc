#include "text/utf8.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace echotrace {
namespace {

std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// Slow, obviously correct validator: decode by the bit formula and reject by
// the value (overlong for its length, surrogate, too large).
size_t SlowSeqLen(const std::string& s, size_t i) {
  const auto b0 = static_cast<uint8_t>(s[i]);
  size_t len;
  char32_t cp;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<uint8_t>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  const char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return len;
}

bool SlowValid(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const size_t len = SlowSeqLen(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

// Maximal subpart by definition: the longest prefix (>= 1 byte) of s[i..]
// that some continuation turns into a well-formed sequence.
size_t SlowMaximalSubpart(const std::string& s, size_t i) {
  size_t best = 1;
  for (size_t k = 1; k <= 3 && i + k <= s.size(); ++k) {
    const std::string prefix = s.substr(i, k);
    for (int second = 0x80; second <= 0xBF; ++second) {
      for (size_t total = k + 1; total <= 4; ++total) {
        std::string cand = prefix;
        if (k == 1) cand.push_back(static_cast<char>(second));
        while (cand.size() < total) cand.push_back('\x80');
        if (SlowSeqLen(cand, 0) == cand.size()) best = std::max(best, k);
      }
    }
  }
  return best;
}

std::string SlowSanitize(const std::string& s, size_t* replaced) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\0') {
      ++i;
      continue;
    }
    const size_t len = SlowSeqLen(s, i);
    if (len > 0) {
      out.append(s, i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++*replaced;
      i += SlowMaximalSubpart(s, i);
    }
  }
  return out;
}

std::string RandomBytes(std::mt19937& rng, size_t max_len) {
  // Bias towards bytes that make interesting UTF-8: leads, continuations,
  // boundaries of the second-byte ranges, NUL.
  static const int kInteresting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                     0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                                     0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  std::uniform_int_distribution<size_t> len_dist(0, max_len);
  std::uniform_int_distribution<int> pick(0, 3);
  std::uniform_int_distribution<int> any(0, 255);
  std::uniform_int_distribution<size_t> interesting(0, std::size(kInteresting) - 1);
  std::string s(len_dist(rng), '\0');
  for (char& c : s) {
    c = static_cast<char>(pick(rng) == 0 ? any(rng) : kInteresting[interesting(rng)]);
  }
  return s;
}

TEST(Utf8Test, ValidBoundaries) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough for the 8-byte path"));
  EXPECT_TRUE(IsValidUtf8(B({0x7F})));
  EXPECT_TRUE(IsValidUtf8(B({0xC2, 0x80})));              // U+0080
  EXPECT_TRUE(IsValidUtf8(B({0xDF, 0xBF})));              // U+07FF
  EXPECT_TRUE(IsValidUtf8(B({0xE0, 0xA0, 0x80})));        // U+0800
  EXPECT_TRUE(IsValidUtf8(B({0xED, 0x9F, 0xBF})));        // U+D7FF
  EXPECT_TRUE(IsValidUtf8(B({0xEE, 0x80, 0x80})));        // U+E000
  EXPECT_TRUE(IsValidUtf8(B({0xEF, 0xBF, 0xBF})));        // U+FFFF
  EXPECT_TRUE(IsValidUtf8(B({0xF0, 0x90, 0x80, 0x80})));  // U+10000
  EXPECT_TRUE(IsValidUtf8(B({0xF4, 0x8F, 0xBF, 0xBF})));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));       // NUL is well-formed
  EXPECT_TRUE(IsValidUtf8("Привіт, світе! 你好 👩‍💻"));
}

TEST(Utf8Test, RejectsIllFormed) {
  EXPECT_FALSE(IsValidUtf8(B({0xC0, 0x80})));              // overlong NUL
  EXPECT_FALSE(IsValidUtf8(B({0xC1, 0xBF})));              // overlong
  EXPECT_FALSE(IsValidUtf8(B({0xE0, 0x80, 0x80})));        // overlong
  EXPECT_FALSE(IsValidUtf8(B({0xE0, 0x9F, 0xBF})));        // overlong
  EXPECT_FALSE(IsValidUtf8(B({0xF0, 0x80, 0x80, 0x80})));  // overlong
  EXPECT_FALSE(IsValidUtf8(B({0xF0, 0x8F, 0xBF, 0xBF})));  // overlong
  EXPECT_FALSE(IsValidUtf8(B({0xED, 0xA0, 0x80})));        // U+D800
  EXPECT_FALSE(IsValidUtf8(B({0xED, 0xBF, 0xBF})));        // U+DFFF
  EXPECT_FALSE(IsValidUtf8(B({0xF4, 0x90, 0x80, 0x80})));  // U+110000
  EXPECT_FALSE(IsValidUtf8(B({0xF5, 0x80, 0x80, 0x80})));
  EXPECT_FALSE(IsValidUtf8(B({0xFF})));
  EXPECT_FALSE(IsValidUtf8(B({0x80})));               // lone continuation
  EXPECT_FALSE(IsValidUtf8(B({0xE2, 0x82})));         // truncated €
  EXPECT_FALSE(IsValidUtf8(B({0xF0, 0x9F, 0x98})));   // truncated emoji
  EXPECT_FALSE(IsValidUtf8("12345678" + B({0xC2})));  // after the fast path
}

TEST(Utf8Test, SanitizeValidIsUnchanged) {
  size_t replaced = 7;
  const std::string s = "Привіт, світе! 你好 👩‍💻 plain";
  EXPECT_EQ(SanitizeUtf8(s, &replaced), s);
  EXPECT_EQ(replaced, 7u);
  EXPECT_EQ(SanitizeUtf8("", nullptr), "");
}

// Unicode §3.9, Table 3-8: U+FFFD for each maximal subpart.
TEST(Utf8Test, SanitizeMaximalSubpartsTable38) {
  const std::string in =
      B({0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64});
  size_t replaced = 0;
  EXPECT_EQ(SanitizeUtf8(in, &replaced), "a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
  EXPECT_EQ(replaced, 6u);
}

TEST(Utf8Test, SanitizeOverlongAndSurrogateAreOneReplacementPerByte) {
  // E0 80 is not a prefix of any valid sequence: each byte is its own subpart.
  size_t replaced = 0;
  EXPECT_EQ(SanitizeUtf8(B({0xE0, 0x80, 0x80}), &replaced), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(replaced, 3u);
  replaced = 0;
  EXPECT_EQ(SanitizeUtf8(B({0xED, 0xA0, 0x80}), &replaced), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(replaced, 3u);
  replaced = 0;
  EXPECT_EQ(SanitizeUtf8(B({0x41, 0xF0, 0x9F, 0x98}), &replaced), "A\uFFFD");
  EXPECT_EQ(replaced, 1u);
}

TEST(Utf8Test, SanitizeDropsNulWithoutCounting) {
  size_t replaced = 0;
  EXPECT_EQ(SanitizeUtf8(std::string("a\0b\0\0c", 6), &replaced), "abc");
  EXPECT_EQ(replaced, 0u);
  EXPECT_EQ(SanitizeUtf8(std::string("0123456789\0abcdefgh", 19), &replaced), "0123456789abcdefgh");
  EXPECT_EQ(SanitizeUtf8(std::string("\0", 1), nullptr), "");
  size_t nuls = 0;
  EXPECT_EQ(SanitizeUtf8(std::string("a\0b\xff\0", 5), &replaced, &nuls), "ab\uFFFD");
  EXPECT_EQ(nuls, 2u);
}

TEST(Utf8Test, DecodeAppendRoundTripAllCodePoints) {
  std::string buf;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    buf.clear();
    AppendUtf8(cp, &buf);
    ASSERT_TRUE(IsValidUtf8(buf)) << static_cast<uint32_t>(cp);
    size_t i = 0;
    ASSERT_EQ(static_cast<uint32_t>(DecodeUtf8(buf, &i)), static_cast<uint32_t>(cp));
    ASSERT_EQ(i, buf.size());
  }
}

TEST(Utf8Test, AppendReplacesNonScalarValues) {
  std::string s;
  AppendUtf8(0xD800, &s);
  AppendUtf8(0x110000, &s);
  EXPECT_EQ(s, "\uFFFD\uFFFD");
}

TEST(Utf8Test, DecodeIllFormedAlwaysAdvances) {
  const std::string s = B({0xE2, 0x82, 0x41, 0x80, 0xF4, 0x90});
  size_t i = 0;
  EXPECT_EQ(DecodeUtf8(s, &i), U'\uFFFD');
  EXPECT_EQ(i, 2u);  // E2 82 is one maximal subpart
  EXPECT_EQ(DecodeUtf8(s, &i), U'A');
  EXPECT_EQ(DecodeUtf8(s, &i), U'\uFFFD');
  EXPECT_EQ(i, 4u);
  EXPECT_EQ(DecodeUtf8(s, &i), U'\uFFFD');
  EXPECT_EQ(i, 5u);  // F4 90: 90 is outside F4's range, so F4 alone
  EXPECT_EQ(DecodeUtf8(s, &i), U'\uFFFD');
  EXPECT_EQ(i, 6u);
}

// The fast validator and sanitiser against the slow ones, many seeds.
TEST(Utf8Test, MatchesSlowReferenceOnRandomBytes) {
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 20000; ++iter) {
    const std::string s = RandomBytes(rng, 40);
    ASSERT_EQ(IsValidUtf8(s), SlowValid(s)) << testing::PrintToString(s);
    size_t fast_count = 0;
    size_t slow_count = 0;
    const std::string fast = SanitizeUtf8(s, &fast_count);
    ASSERT_EQ(fast, SlowSanitize(s, &slow_count)) << testing::PrintToString(s);
    ASSERT_EQ(fast_count, slow_count);
    ASSERT_TRUE(IsValidUtf8(fast));
    ASSERT_EQ(fast.find('\0'), std::string::npos);
    ASSERT_EQ(SanitizeUtf8(fast, nullptr), fast);  // idempotent
  }
}

TEST(CutUtf8, NeverSplitsACharacter) {
  EXPECT_EQ(CutUtf8("abc", 10), "abc");
  EXPECT_EQ(CutUtf8("a\xCE\xA9", 2), "a");
  EXPECT_EQ(CutUtf8("a\xCE\xA9z", 3), "a\xCE\xA9");
}

}  // namespace
}  // namespace echotrace
