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
  // Half-open byte offsets [start, end) into the original text.
  uint32_t start = 0;
  uint32_t end = 0;
  TokenKind kind = TokenKind::kWord;
  // Matching form: NFKC + case fold (see normalize.h). For URLs the
  // normalised URL; for mentions/hashtags the folded name with its sigil.
  std::string norm;
};

// Splits valid UTF-8 text into tokens. Words are maximal runs of letters,
// marks and digits, with inner apostrophes and hyphens kept ("don't",
// "Нью-Йорк"); numbers keep inner '.' and ','. URLs, @mentions and
// #hashtags are single tokens. Punctuation and white space are dropped.
// Thread-safe.
std::vector<Token> Tokenize(std::string_view text);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_TOKENIZER_H_
