// Word tokenizer for Latin, Cyrillic and other alphabetic scripts; safe on
// CJK (one token per ideograph/kana/hangul syllable) and emoji (one token per
// pictograph, kept apart from words).
#ifndef ECHOTRACE_TEXT_TOKENIZER_H_
#define ECHOTRACE_TEXT_TOKENIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace echotrace {

enum class TokenKind { kWord, kNumber, kUrl, kMention, kHashtag, kCjk, kSymbol };

struct Token {
  // Half-open byte offsets [start, end) into the original text, on code
  // point boundaries; tokens are in order and do not overlap.
  uint32_t start = 0;
  uint32_t end = 0;
  TokenKind kind = TokenKind::kWord;
  // Matching form: NormalizeForMatching (NFKC + case fold, see
  // normalize.h) of the token's text. For URLs the normalised URL; for
  // mentions/hashtags the folded name with an ASCII sigil ("@name", "#tag").
  std::string norm;
};

// Splits valid UTF-8 text into tokens:
//  - Words (kWord) are maximal runs of letters, marks and digits (any
//    script but CJK), with inner apostrophes (' ’ ʼ) kept when a letter
//    follows ("don't", "пам’ять"), inner hyphens (- ‐ ‑) kept when a letter
//    is on either side ("Нью-Йорк", "COVID-19"; "2017-09-07" is three
//    numbers), and inner ZWJ/ZWNJ/soft hyphen kept.
//  - Numbers (kNumber) are runs of decimal digits with inner '.' and ','
//    between digits ("3.14", "1,000").
//  - CJK ideographs, kana and hangul syllables are one kCjk token each
//    (with any combining marks that follow).
//  - Pictographs (emoji, other So symbols) are one kSymbol token each,
//    including variation selectors, skin tones, keycaps, tag sequences,
//    ZWJ sequences ("👩‍💻") and regional-indicator pairs (flags).
//  - URLs, @mentions and #hashtags, as FindEntitySpans (entities.h) finds
//    them, are single tokens (kUrl, kMention, kHashtag).
//  Punctuation, other symbols, white space and U+FFFD are dropped.
// Never crashes or loops on ill-formed input (ill-formed bytes are dropped
// like punctuation). Text beyond 4 GiB is not tokenised. Thread-safe.
std::vector<Token> Tokenize(std::string_view text);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_TOKENIZER_H_
