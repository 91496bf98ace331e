// Analyzer: tokens → terms. See analyzer.h for the rules and why.
#include "similarity/analyzer.h"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <unordered_set>

#include "text/langid.h"
#include "text/normalize.h"
#include "text/tokenizer.h"

namespace echotrace::sim {

namespace {

// Snowball algorithm for an ISO 639-1 code; nullptr when there is none.
const char* SnowballName(std::string_view lang, const AnalyzerOptions& o) {
  static const std::map<std::string_view, const char*> kNames = {
      {"ar", "arabic"},     {"hy", "armenian"},  {"eu", "basque"},    {"ca", "catalan"},
      {"da", "danish"},     {"nl", "dutch"},     {"fi", "finnish"},   {"fr", "french"},
      {"de", "german"},     {"el", "greek"},     {"hi", "hindi"},     {"hu", "hungarian"},
      {"id", "indonesian"}, {"ga", "irish"},     {"it", "italian"},   {"lt", "lithuanian"},
      {"ne", "nepali"},     {"no", "norwegian"}, {"nb", "norwegian"}, {"pt", "portuguese"},
      {"ro", "romanian"},   {"ru", "russian"},   {"sr", "serbian"},   {"es", "spanish"},
      {"sv", "swedish"},    {"ta", "tamil"},     {"tr", "turkish"},   {"yi", "yiddish"}};
  if (lang == "en") return o.english_algorithm == "porter" ? "porter" : "english";
  if (lang == "uk") return nullptr;  // StemUkrainian
  auto it = kNames.find(lang);
  return it == kNames.end() ? nullptr : it->second;
}

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

// libstemmer stemmers keep state between calls: one per thread and algorithm.
sb_stemmer* ThreadStemmer(const char* algorithm) {
  thread_local std::map<std::string, std::unique_ptr<sb_stemmer, StemmerDeleter>> cache;
  auto it = cache.find(algorithm);
  if (it == cache.end()) {
    it = cache
             .emplace(algorithm, std::unique_ptr<sb_stemmer, StemmerDeleter>(
                                     sb_stemmer_new(algorithm, "UTF_8")))
             .first;
  }
  return it->second.get();
}

// Light Ukrainian stemmer (Debian 12's libstemmer has none): strips the
// longest of the common inflectional endings of nouns, adjectives and verbs
// while at least 3 letters remain, so "виборів", "вибори", "виборами" meet
// at "вибор". A light stemmer in the sense of Savoy's light stemmers for
// European languages (J. Savoy, "Light stemming approaches for the French,
// Portuguese, German and Hungarian languages", SAC 2006): inflection only,
// no derivation, so it over-stems rarely. Input: lower-case UTF-8.
std::string StemUkrainian(std::string w) {
  static const std::vector<std::string> kEndings = [] {
    std::vector<std::string> e = {
        "ування", "ювання", "ання", "ення", "іння", "ами", "ями", "ові", "еві", "ого", "ому",
        "ими",    "ої",     "ій",   "ий",   "ів",   "їв",  "ах",  "ях",  "ам",  "ям",  "ою",
        "ею",     "єю",     "ом",   "ем",   "их",   "іх",  "им",  "ім",  "ати", "яти", "ити",
        "ють",    "ують",   "ить",  "ать",  "ла",   "ли",  "ло",  "ти",  "ся",  "сь",  "ня",
        "а",      "я",      "о",    "е",    "є",    "у",   "ю",   "і",   "ї",   "и",   "ь"};
    std::sort(e.begin(), e.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return e;
  }();
  auto letters = [](std::string_view s) {
    size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  };
  // Reflexive verbs first ("говорити-ся"), then one inflectional ending.
  for (const char* refl : {"ся", "сь"}) {
    std::string_view r(refl);
    if (w.size() > r.size() && w.compare(w.size() - r.size(), r.size(), r) == 0 &&
        letters(std::string_view(w).substr(0, w.size() - r.size())) >= 4) {
      w.resize(w.size() - r.size());
      break;
    }
  }
  for (const std::string& e : kEndings) {
    if (w.size() > e.size() && w.compare(w.size() - e.size(), e.size(), e) == 0 &&
        letters(std::string_view(w).substr(0, w.size() - e.size())) >= 3) {
      w.resize(w.size() - e.size());
      break;
    }
  }
  return w;
}

// Cyrillic letters are U+0400..U+04FF: lead bytes 0xD0..0xD3.
bool StartsCyrillic(std::string_view w) {
  return !w.empty() && static_cast<unsigned char>(w[0]) >= 0xD0 &&
         static_cast<unsigned char>(w[0]) <= 0xD3;
}
bool StartsLatin(std::string_view w) {
  return !w.empty() && ((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= 'A' && w[0] <= 'Z'));
}
bool CyrillicLanguage(std::string_view lang) {
  return lang == "ru" || lang == "uk" || lang == "bg" || lang == "sr" || lang == "mk" ||
         lang == "be" || lang == "kk";
}

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Character class for SplitCompound; non-ASCII bytes count as lower-case
// letters (Cyrillic hashtags are split at '_' and digits only).
enum class CharClass { kUpper, kLower, kDigit, kSep };
CharClass ClassOf(char c) {
  if (IsAsciiUpper(c)) return CharClass::kUpper;
  if (IsAsciiDigit(c)) return CharClass::kDigit;
  if (c == '_' || c == '-') return CharClass::kSep;
  return CharClass::kLower;
}

// Replaces ’ and ʼ by ' and drops a trailing possessive "'s" / "'".
std::string FoldApostrophes(const std::string& in) {
  std::string s;
  s.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in.compare(i, 3, "\xE2\x80\x99") == 0) {
      s.push_back('\'');
      i += 2;
    } else if (in.compare(i, 2, "\xCA\xBC") == 0) {
      s.push_back('\'');
      i += 1;
    } else {
      s.push_back(in[i]);
    }
  }
  if (s.size() > 2 && s.compare(s.size() - 2, 2, "'s") == 0) s.resize(s.size() - 2);
  while (!s.empty() && s.back() == '\'') s.pop_back();
  return s;
}

// Splits a matching-form word at hyphens (ASCII and U+2010/U+2011).
std::vector<std::string> SplitHyphens(const std::string& w) {
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < w.size();) {
    if (w[i] == '-') {
      parts.push_back(std::move(cur));
      cur.clear();
      ++i;
    } else if (w.compare(i, 3, "\xE2\x80\x90") == 0 || w.compare(i, 3, "\xE2\x80\x91") == 0) {
      parts.push_back(std::move(cur));
      cur.clear();
      i += 3;
    } else {
      cur.push_back(w[i++]);
    }
  }
  parts.push_back(std::move(cur));
  std::vector<std::string> out;
  for (auto& p : parts) {
    if (!p.empty()) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::vector<std::string> SplitCompound(std::string_view name) {
  std::vector<std::string> parts;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) parts.push_back(std::move(cur));
    cur.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    CharClass c = ClassOf(name[i]);
    if (c == CharClass::kSep) {
      flush();
      continue;
    }
    if (!cur.empty()) {
      CharClass prev = ClassOf(cur.back());
      bool boundary = (prev == CharClass::kDigit) != (c == CharClass::kDigit);
      if (prev == CharClass::kLower && c == CharClass::kUpper) boundary = true;
      // "COVIDVaccine": the upper-case letter before a lower-case one starts
      // a new word.
      if (prev == CharClass::kUpper && c == CharClass::kUpper && i + 1 < name.size() &&
          IsAsciiLower(name[i + 1])) {
        boundary = true;
      }
      if (boundary) flush();
    }
    cur.push_back(name[i]);
  }
  flush();
  return parts;
}

bool IsStopword(std::string_view word) {
  static const std::unordered_set<std::string_view> kStop = {
      // English (a short list: claims are short and content words matter).
      "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "to",
      "from", "in", "on", "into", "over", "under", "as", "is", "are", "was", "were", "be", "been",
      "being", "am", "have", "has", "had", "having", "do", "does", "did", "this", "that", "these",
      "those", "it", "its", "it's", "i", "me", "my", "we", "our", "you", "your", "he", "him", "his",
      "she", "her", "they", "them", "their", "what", "which", "who", "whom", "there", "here", "so",
      "than", "too", "very", "can", "will", "just", "would", "should", "could", "also", "then",
      "out", "up", "all", "any", "some", "such", "no", "nor", "only", "own", "same", "each", "more",
      "most", "other", "how", "when", "where", "why", "because", "while", "via", "rt", "amp", "s",
      "t", "don't", "im",
      // Russian and Ukrainian function words.
      "и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она",
      "так", "его", "но", "да", "ты", "к", "у", "же", "вы", "за", "бы", "по", "ее", "мне", "было",
      "вот", "от", "меня", "еще", "нет", "о", "из", "ему", "это", "для", "і", "й", "та", "що", "це",
      "як", "від", "до", "з", "із", "за", "про", "він", "вона", "ми", "ви", "вони", "але", "або",
      "чи"};
  return kStop.count(word) > 0;
}

Analyzer::Analyzer(AnalyzerOptions options) : options_(std::move(options)) {}

std::string Analyzer::LanguageOf(std::string_view text) const {
  LangGuess g = DetectLanguage(text);
  return g.code == "und" ? options_.fallback_lang : g.code;
}

std::string Analyzer::Stem(std::string_view word, std::string_view lang) const {
  if (!options_.stem) return std::string(word);
  // A word in another script than its text's language is stemmed for its
  // script: Russian words quoted in English posts, English names in Russian
  // ones (Snowball stemmers leave foreign scripts untouched).
  if (StartsCyrillic(word) && !CyrillicLanguage(lang)) lang = "ru";
  if (StartsLatin(word) && CyrillicLanguage(lang)) lang = "en";
  if (lang == "uk") return StemUkrainian(std::string(word));
  const char* algo = SnowballName(lang, options_);
  sb_stemmer* st = algo ? ThreadStemmer(algo) : nullptr;
  if (st == nullptr) return std::string(word);
  const sb_symbol* out = sb_stemmer_stem(st, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (out == nullptr) return std::string(word);  // out of memory: keep the word
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(sb_stemmer_length(st)));
}

std::vector<std::string> Analyzer::Terms(std::string_view text, std::string_view lang) const {
  std::string detected;
  if (lang.empty()) {
    detected = LanguageOf(text);
    lang = detected;
  }
  std::vector<std::string> terms;
  auto add_word = [&](std::string w) {
    w = FoldApostrophes(w);
    if (w.empty()) return;
    if (options_.drop_stopwords && IsStopword(w)) return;
    terms.push_back(Stem(w, lang));
  };
  for (const Token& t : Tokenize(text)) {
    switch (t.kind) {
      case TokenKind::kWord:
        for (std::string& p : SplitHyphens(t.norm)) add_word(std::move(p));
        break;
      case TokenKind::kNumber: {
        std::string n;
        for (char c : t.norm) {
          if (c != ',') n.push_back(c);
        }
        terms.push_back(std::move(n));
        break;
      }
      case TokenKind::kHashtag:
      case TokenKind::kMention: {
        std::string_view raw = text.substr(t.start, t.end - t.start);
        // Drop the sigil ('#', '@' or a fullwidth one of 3 bytes).
        raw.remove_prefix(static_cast<unsigned char>(raw[0]) < 0x80 ? 1 : 3);
        for (const std::string& p : SplitCompound(raw)) add_word(NormalizeForMatching(p));
        break;
      }
      case TokenKind::kCjk:
        terms.push_back(t.norm);
        break;
      case TokenKind::kUrl:
      case TokenKind::kSymbol:
        break;
    }
  }
  return terms;
}

}  // namespace echotrace::sim
