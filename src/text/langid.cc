// Language identification: strip entities, then ask CLD2.
//
// CLD2 (Compact Language Detector 2) scores quadgrams of letters per script
// and says whether its top language is "reliable", which for short text it
// often is not; we turn unreliable answers into "und" rather than guess, so
// downstream per-language grouping never rests on a coin flip. Entities are
// replaced by spaces before detection: URLs and handles are ASCII noise that
// pull short non-English posts towards English.
#include "text/langid.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <cstring>

#include "text/char_class.h"
#include "text/entities.h"
#include "text/utf8.h"

namespace echotrace {
namespace {

constexpr size_t kMaxBytes = 64 * 1024;
constexpr int kMinWords = 3;

// CLD2 code -> our code; empty for "no language".
std::string ToIsoCode(CLD2::Language lang) {
  std::string_view code = CLD2::LanguageCode(lang);
  if (code == "un" || code == "xxx" || code.starts_with("xx-") || code.starts_with("zz") ||
      code == "tlh") {
    return "";  // unknown, script-only, or CLD2's joke languages
  }
  code = code.substr(0, code.find('-'));  // "zh-Hant" -> "zh", "sr-ME" -> "sr"
  if (code == "iw") return "he";
  if (code == "jw") return "jv";
  if (code.size() < 2 || code.size() > 3) return "";
  return std::string(code);
}

// Byte length of the longest prefix of s no longer than max_len that ends on
// a code point boundary.
size_t Utf8Prefix(std::string_view s, size_t max_len) {
  if (s.size() <= max_len) return s.size();
  size_t n = max_len;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

// True if s has at least n runs of letters (a CJK character counts as a
// run of its own, being about a word). Cheaper than tokenising.
bool HasWords(std::string_view s, int n) {
  int words = 0;
  bool in_word = false;
  size_t i = 0;
  while (i < s.size() && words < n) {
    const CharClass c = ClassifyChar(DecodeUtf8(s, &i));
    if (c == CharClass::kCjk) {
      ++words;
      in_word = false;
    } else if (c == CharClass::kLetter) {
      if (!in_word) ++words;
      in_word = true;
    } else if (c != CharClass::kMark) {
      in_word = false;
    }
  }
  return words >= n;
}

}  // namespace

LangGuess DetectLanguage(std::string_view text) {
  LangGuess guess;
  text = text.substr(0, Utf8Prefix(text, kMaxBytes));

  std::string plain(text);
  for (const EntitySpan& sp : FindEntitySpans(text)) {
    std::memset(plain.data() + sp.start, ' ', sp.end - sp.start);
  }
  if (!HasWords(plain, kMinWords)) return guess;

  CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3];
  double scores3[3];
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language lang = CLD2::ExtDetectLanguageSummary(
      plain.data(), static_cast<int>(plain.size()), /*is_plain_text=*/true, &hints, /*flags=*/0,
      language3, percent3, scores3, /*resultchunkvector=*/nullptr, &text_bytes, &reliable);
  if (!reliable) return guess;
  std::string code = ToIsoCode(lang);
  if (code.empty()) return guess;
  guess.code = std::move(code);
  guess.reliable = true;
  return guess;
}

}  // namespace echotrace
