// Tokenizer: one pass over code points, dispatching on the character class
// of the first character of each token (char_class.h).
//
// Entities are found first with the entity scanner, so URLs, mentions and
// hashtags come out whole and are judged by exactly the rules the entities
// table uses; every other token is bounded by the next entity's start, so
// tokens never overlap.
//
// Joiners (apostrophes, hyphens, '.' and ',' in numbers, ZWNJ) are only
// taken when the character after them continues the token, which is what
// makes them "inner": a trailing "students'" or "well-" loses them.
#include "text/tokenizer.h"

#include <algorithm>
#include <limits>

#include "text/char_class.h"
#include "text/entities.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace echotrace {
namespace {

bool IsWordChar(CharClass c) {
  return c == CharClass::kLetter || c == CharClass::kMark || c == CharClass::kDigit ||
         c == CharClass::kNumeric;
}

bool IsApostrophe(char32_t cp) { return cp == U'\'' || cp == U'\u2019' || cp == U'\u02BC'; }
bool IsHyphen(char32_t cp) { return cp == U'-' || cp == U'\u2010' || cp == U'\u2011'; }
bool IsInnerFormat(char32_t cp) {
  return cp == U'\u200C' || cp == U'\u200D' || cp == U'\u00AD' || cp == U'\u2060';
}

// End of the word or number that starts at `start`; stops at `stop`.
// Sets *number when the token is digits with inner '.'/',' only.
size_t WordEnd(std::string_view s, size_t start, size_t stop, bool* number) {
  size_t j = start;
  bool digits_only = true;
  CharClass last = CharClass::kOther;
  while (j < stop) {
    size_t k = j;
    const char32_t cp = DecodeUtf8(s, &k);
    const CharClass cls = ClassifyChar(cp);
    if (IsWordChar(cls)) {
      if (cls != CharClass::kDigit) digits_only = false;
      last = cls;
      j = k;
      continue;
    }
    if (k >= stop || j == start) break;
    size_t k2 = k;
    const char32_t next = DecodeUtf8(s, &k2);
    const CharClass next_cls = ClassifyChar(next);
    if (!IsWordChar(next_cls) || k2 > stop) break;
    const bool letter_before = last == CharClass::kLetter || last == CharClass::kMark;
    const bool letter_after = next_cls == CharClass::kLetter;
    bool join;
    if (IsApostrophe(cp)) {
      join = letter_after;
    } else if (IsHyphen(cp)) {
      join = letter_before || letter_after;
    } else if (cp == '.' || cp == ',') {
      join = digits_only && next_cls == CharClass::kDigit;
    } else {
      join = IsInnerFormat(cp);
    }
    if (!join) break;
    if (!(cp == '.' || cp == ',') || next_cls != CharClass::kDigit) digits_only = false;
    last = next_cls;
    j = k2;
  }
  *number = digits_only;
  return j;
}

bool IsEmojiExtender(char32_t cp) {
  return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x20E3 ||
         (cp >= 0xE0020 && cp <= 0xE007F);
}
bool IsRegionalIndicator(char32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

// End of the pictograph sequence whose base `base` ends at `j`.
size_t SymbolEnd(std::string_view s, char32_t base, size_t j, size_t stop) {
  if (IsRegionalIndicator(base) && j < stop) {
    size_t k = j;
    if (IsRegionalIndicator(DecodeUtf8(s, &k)) && k <= stop) return k;  // a flag
  }
  while (j < stop) {
    size_t k = j;
    const char32_t cp = DecodeUtf8(s, &k);
    if (k > stop) break;
    if (IsEmojiExtender(cp)) {
      j = k;
      continue;
    }
    if (cp == 0x200D && k < stop) {
      size_t k2 = k;
      if (ClassifyChar(DecodeUtf8(s, &k2)) == CharClass::kPictograph && k2 <= stop) {
        j = k2;
        continue;
      }
    }
    break;
  }
  return j;
}

// End of the marks following a CJK character at j.
size_t MarksEnd(std::string_view s, size_t j, size_t stop) {
  while (j < stop) {
    size_t k = j;
    if (ClassifyChar(DecodeUtf8(s, &k)) != CharClass::kMark || k > stop) break;
    j = k;
  }
  return j;
}

Token EntityToken(std::string_view text, const EntitySpan& sp) {
  Token t;
  t.start = sp.start;
  t.end = sp.end;
  const std::string_view name = text.substr(sp.name_start, sp.end - sp.name_start);
  switch (sp.kind) {
    case EntityKind::kUrl:
      t.kind = TokenKind::kUrl;
      t.norm = NormalizeUrl(name);
      break;
    case EntityKind::kMention:
      t.kind = TokenKind::kMention;
      // Appended, not "@" + NormalizeForMatching(name): that operator+ makes
      // GCC 12 at -O3 report a bogus -Wrestrict (GCC bug 105329).
      t.norm = "@";
      t.norm += NormalizeForMatching(name);
      break;
    case EntityKind::kHashtag:
      t.kind = TokenKind::kHashtag;
      t.norm = "#";  // appended, as above
      t.norm += NormalizeForMatching(name);
      break;
  }
  return t;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  const size_t limit = std::min<size_t>(text.size(), std::numeric_limits<uint32_t>::max());
  // About one token per six bytes of prose: one allocation for most posts
  // instead of a doubling series (tokenizing is most of near-dup shingling).
  tokens.reserve(std::min<size_t>(limit / 6 + 4, size_t{1} << 16));
  text = text.substr(0, limit);
  const std::vector<EntitySpan> spans = FindEntitySpans(text);
  size_t next_span = 0;
  size_t i = 0;
  while (i < limit) {
    // Defensive: spans start on ASCII or lead bytes, so i never skips one,
    // but a skipped span must not stall the walk.
    while (next_span < spans.size() && spans[next_span].start < i) ++next_span;
    if (next_span < spans.size() && spans[next_span].start == i) {
      tokens.push_back(EntityToken(text, spans[next_span]));
      i = spans[next_span++].end;
      continue;
    }
    const size_t stop = next_span < spans.size() ? spans[next_span].start : limit;
    size_t j = i;
    const char32_t cp = DecodeUtf8(text, &j);
    j = std::min(j, limit);
    const CharClass cls = ClassifyChar(cp);
    size_t end = j;
    TokenKind kind;
    if (cls == CharClass::kCjk) {
      end = MarksEnd(text, j, stop);
      kind = TokenKind::kCjk;
    } else if (cls == CharClass::kPictograph) {
      end = SymbolEnd(text, cp, j, stop);
      kind = TokenKind::kSymbol;
    } else if (IsWordChar(cls) && cls != CharClass::kMark) {
      // (A mark with no base, e.g. the U+FE0F U+20E3 of "#️⃣", is dropped.)
      bool number = false;
      end = WordEnd(text, i, stop, &number);
      kind = number ? TokenKind::kNumber : TokenKind::kWord;
    } else {
      i = j;  // punctuation, space, controls, ill-formed bytes
      continue;
    }
    end = std::max(end, j);
    Token t;
    t.start = static_cast<uint32_t>(i);
    t.end = static_cast<uint32_t>(end);
    t.kind = kind;
    t.norm = NormalizeForMatching(text.substr(i, end - i));
    tokens.push_back(std::move(t));
    i = end;
  }
  return tokens;
}

}  // namespace echotrace
