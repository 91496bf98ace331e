// The lexical view of a text: the terms BM25, TF-IDF and LSA count.
//
// Terms come from the tokenizer (text/tokenizer.h), so offsets, scripts and
// emoji are handled once for the whole project. On top of it the analyzer
//  - folds case (the tokenizer's matching form), maps ’ to ' and drops a
//    trailing possessive 's;
//  - splits hyphenated words into their parts ("10-meter-long" → 10 meter
//    long), because claims and posts hyphenate inconsistently;
//  - splits hashtags and mentions at capitals, digits and underscores
//    (#BlackLivesMatter → black lives matter, @FedorovMykhailo → fedorov
//    mykhailo), since on Twitter they carry the words of the claim;
//  - drops URLs and emoji (they are entity evidence, see evidence.h);
//  - removes stop words of English and Russian/Ukrainian;
//  - stems with the Snowball stemmer of the text's language (libstemmer):
//    the language given, or CLD2's guess, or the fallback language when the
//    guess is "und"; a Cyrillic word in a text of a Latin-script language is
//    stemmed as Russian and a Latin word in a Cyrillic-script text as
//    English. Ukrainian has no Snowball stemmer in Debian 12's libstemmer
//    (2.2.0): a light inflectional suffix stripper of our own stands in
//    (analyzer.cc, StemUkrainian; see docs/claims.md).
#ifndef ECHOTRACE_SIMILARITY_ANALYZER_H_
#define ECHOTRACE_SIMILARITY_ANALYZER_H_

#include <string>
#include <string_view>
#include <vector>

namespace echotrace::sim {

struct AnalyzerOptions {
  bool stem = true;
  bool drop_stopwords = true;
  // Snowball algorithm for English: "english" (Porter2) or "porter".
  std::string english_algorithm = "english";
  // Language assumed when the text is too short for CLD2 ("und").
  std::string fallback_lang = "en";
};

// Stateless apart from its options; thread-safe (stemmers are per thread).
class Analyzer {
 public:
  explicit Analyzer(AnalyzerOptions options = {});

  // The terms of `text` in order (duplicates kept). `lang` is an ISO 639-1
  // code; empty means detect. Never fails; invalid UTF-8 is tolerated.
  std::vector<std::string> Terms(std::string_view text, std::string_view lang = {}) const;

  // The language Terms() would stem `text` with ("en", "ru", ...).
  std::string LanguageOf(std::string_view text) const;

  // Stems one lower-cased word in `lang`; words of languages without a
  // stemmer are returned unchanged.
  std::string Stem(std::string_view word, std::string_view lang) const;

  const AnalyzerOptions& options() const { return options_; }

 private:
  AnalyzerOptions options_;
};

// Splits a hashtag or handle name (without its sigil, as written) at case
// changes, digit runs and underscores: "BlackLivesMatter" → {"Black",
// "Lives", "Matter"}, "COVID19Vaccine" → {"COVID", "19", "Vaccine"}.
std::vector<std::string> SplitCompound(std::string_view name);

// True for the English, Russian and Ukrainian function words the analyzer
// drops (lower-case input).
bool IsStopword(std::string_view word);

}  // namespace echotrace::sim

#endif  // ECHOTRACE_SIMILARITY_ANALYZER_H_
