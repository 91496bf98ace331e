// Language identification (CLD2).
#ifndef ECHOTRACE_TEXT_LANGID_H_
#define ECHOTRACE_TEXT_LANGID_H_

#include <string>
#include <string_view>

namespace echotrace {

struct LangGuess {
  // ISO 639-1 ("en", "ru", "uk"; CLD2's legacy "iw"/"jw" are mapped to
  // "he"/"jv", Chinese in either script is "zh"), a three-letter ISO 639
  // code for languages without a two-letter one ("ceb", "haw"), or "und".
  std::string code = "und";
  bool reliable = false;  // true exactly when code != "und"
};

// Detects the language of valid UTF-8 text. URLs, mentions and hashtags are
// removed first (they are not language). Returns "und" when the text is too
// short (fewer than 3 words), when CLD2 is unsure (not reliable), or when
// CLD2 answers with a script rather than a language. Only the first 64 KiB
// are looked at. Thread-safe.
LangGuess DetectLanguage(std::string_view text);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_LANGID_H_
