// Character classes shared by the tokenizer, the entity scanner and the
// normaliser. Internal to src/text.
#ifndef ECHOTRACE_TEXT_CHAR_CLASS_H_
#define ECHOTRACE_TEXT_CHAR_CLASS_H_

namespace echotrace {

enum class CharClass {
  kSpace,       // Unicode White_Space
  kLetter,      // L* outside the CJK ranges
  kMark,        // M*
  kDigit,       // Nd
  kNumeric,     // Nl, No (Roman numerals, superscripts, fractions)
  kCjk,         // Han ideographs, kana, hangul, bopomofo (letters/numbers)
  kPictograph,  // So, and the emoji blocks even where utf8proc's tables
                // predate the character (U+1F000..U+1FAFF)
  kFormat,      // Cf (ZWJ, ZWNJ, soft hyphen, ...)
  kOther,       // punctuation, other symbols, controls, unassigned, U+FFFD
};

// Classifies a code point. Pure and thread-safe; ASCII is a table look-up.
CharClass ClassifyChar(char32_t cp);

// True for code points with the Unicode White_Space property.
bool IsUnicodeSpace(char32_t cp);

// Letters, marks and numbers, including CJK: what words and names are made
// of.
inline bool IsWordClass(CharClass c) {
  return c == CharClass::kLetter || c == CharClass::kMark || c == CharClass::kDigit ||
         c == CharClass::kNumeric || c == CharClass::kCjk;
}

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_CHAR_CLASS_H_
