// Character classification on top of utf8proc's general categories.
//
// General categories alone do not separate scripts, and the tokenizer must
// treat CJK differently from other letters (no spaces between words there,
// so each ideograph/kana/syllable is a token), so CJK blocks are checked by
// range first. Emoji are mostly category So; the block range test catches
// emoji newer than the installed utf8proc's Unicode tables.
#include "text/char_class.h"

#include <utf8proc.h>

#include <array>

namespace echotrace {
namespace {

struct Range {
  char32_t lo;
  char32_t hi;
};

// Blocks whose letters are written without spaces between words and that
// we split into one token per character.
constexpr Range kCjkRanges[] = {
    {0x1100, 0x11FF},    // Hangul Jamo
    {0x2E80, 0x2FDF},    // CJK radicals, Kangxi radicals
    {0x3005, 0x3007},    // 々 〆 〇
    {0x3021, 0x3029},    // Hangzhou numerals
    {0x3031, 0x3035},    // kana repeat marks
    {0x3038, 0x303C},    // 〸 〹 〺 〻 〼
    {0x3040, 0x30FF},    // Hiragana, Katakana
    {0x3100, 0x312F},    // Bopomofo
    {0x3130, 0x318F},    // Hangul compatibility jamo
    {0x31A0, 0x31BF},    // Bopomofo extended
    {0x31F0, 0x31FF},    // Katakana phonetic extensions
    {0x3400, 0x4DBF},    // CJK extension A
    {0x4E00, 0x9FFF},    // CJK unified ideographs
    {0xA960, 0xA97F},    // Hangul Jamo extended-A
    {0xAC00, 0xD7FF},    // Hangul syllables, Jamo extended-B
    {0xF900, 0xFAFF},    // CJK compatibility ideographs
    {0xFF66, 0xFFDC},    // halfwidth katakana and hangul
    {0x1B000, 0x1B16F},  // kana supplement/extended
    {0x20000, 0x3134F},  // CJK extensions B..G, compatibility supplement
};

bool InCjkBlock(char32_t cp) {
  for (const Range& r : kCjkRanges) {
    if (cp < r.lo) return false;  // ranges are sorted
    if (cp <= r.hi) return true;
  }
  return false;
}

CharClass FromCategory(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharClass::kLetter;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::kMark;
    case UTF8PROC_CATEGORY_ND:
      return CharClass::kDigit;
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharClass::kNumeric;
    case UTF8PROC_CATEGORY_SO:
      return CharClass::kPictograph;
    case UTF8PROC_CATEGORY_CF:
      return CharClass::kFormat;
    default:
      return CharClass::kOther;
  }
}

constexpr std::array<CharClass, 128> MakeAsciiTable() {
  std::array<CharClass, 128> t{};
  for (auto& c : t) c = CharClass::kOther;
  for (char32_t c = 'a'; c <= 'z'; ++c) t[c] = CharClass::kLetter;
  for (char32_t c = 'A'; c <= 'Z'; ++c) t[c] = CharClass::kLetter;
  for (char32_t c = '0'; c <= '9'; ++c) t[c] = CharClass::kDigit;
  for (char32_t c : {U' ', U'\t', U'\n', U'\v', U'\f', U'\r'}) t[c] = CharClass::kSpace;
  return t;
}
constexpr std::array<CharClass, 128> kAscii = MakeAsciiTable();

}  // namespace

bool IsUnicodeSpace(char32_t cp) {
  if (cp < 0x80) return kAscii[cp] == CharClass::kSpace;
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

CharClass ClassifyChar(char32_t cp) {
  if (cp < 0x80) return kAscii[cp];
  if (IsUnicodeSpace(cp)) return CharClass::kSpace;
  if (cp == 0xFFFD || cp > 0x10FFFF) return CharClass::kOther;
  const CharClass c = FromCategory(cp);
  if (InCjkBlock(cp)) {
    // Punctuation inside the blocks (・, ー is Lm and stays a letter) keeps
    // its category; only letters and numbers become CJK tokens.
    if (c == CharClass::kLetter || c == CharClass::kNumeric || c == CharClass::kDigit) {
      return CharClass::kCjk;
    }
    return c;
  }
  if (cp >= 0x1F000 && cp <= 0x1FAFF && c != CharClass::kMark) return CharClass::kPictograph;
  return c;
}

}  // namespace echotrace
