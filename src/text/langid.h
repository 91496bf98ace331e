// Language identification (CLD2).
#ifndef ECHOTRACE_TEXT_LANGID_H_
#define ECHOTRACE_TEXT_LANGID_H_

#include <string>
#include <string_view>

namespace echotrace {

struct LangGuess {
  std::string code = "und";  // ISO 639-1 ("en", "ru", "uk") or "und"
  bool reliable = false;
};

// Detects the language of valid UTF-8 text. URLs, mentions and hashtags are
// removed first (they are not language). Returns "und" when the text is too
// short or CLD2 is unsure. Thread-safe.
LangGuess DetectLanguage(std::string_view text);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_LANGID_H_
