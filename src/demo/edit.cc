// Word-level edits for planted near-copies (see edit.h).
//
// Text is split at single spaces (generated text never has other white
// space inside a piece), edited as a word list and joined again, so an edit
// can never introduce doubled or trailing spaces that a reader's white-space
// collapsing would silently undo and shift offsets.
#include "demo/edit.h"

#include <map>

namespace echotrace::demo {
namespace {

const std::map<std::string, std::string>& Synonyms() {
  static const auto* m = new std::map<std::string, std::string>{
      {"said", "stated"},        {"told", "informed"},      {"warned", "cautioned"},
      {"expect", "anticipate"},  {"fear", "worry about"},   {"officials", "authorities"},
      {"residents", "locals"},   {"traders", "merchants"},  {"talks", "negotiations"},
      {"plan", "proposal"},      {"decision", "ruling"},    {"report", "study"},
      {"figures", "numbers"},    {"estimated", "assessed"}, {"further", "additional"},
      {"reached", "hit"},        {"rose", "increased"},     {"fell", "declined"},
      {"new", "fresh"},          {"several", "some"},       {"crews", "teams"},
      {"waiting", "queuing"},    {"approved", "passed"},    {"delayed", "postponed"},
      {"again", "once more"},    {"today", "this morning"}, {"staged", "faked"},
      {"huge", "massive"},       {"big", "large"},          {"nightmare", "mess"},
      {"insane", "crazy"},       {"people", "folks"},       {"called", "labelled"},
      {"week", "fortnight"},     {"month", "season"},       {"agreed", "consented"},
      {"disputed", "contested"}, {"prices", "costs"},       {"began", "started"},
  };
  return *m;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= s.size()) {
    size_t sp = s.find(' ', start);
    if (sp == std::string::npos) sp = s.size();
    if (sp > start) words.push_back(s.substr(start, sp - start));
    start = sp + 1;
  }
  return words;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

// Replaces one interior word that has a synonym; false when none has.
bool Substitute(std::vector<std::string>& words, Rng& rng) {
  std::vector<size_t> candidates;
  for (size_t i = 1; i + 1 < words.size(); ++i) {
    if (Synonyms().count(words[i])) candidates.push_back(i);
  }
  if (candidates.empty()) return false;
  size_t i = rng.Pick(candidates);
  words[i] = Synonyms().at(words[i]);
  return true;
}

void EditOnce(std::vector<std::string>& words, Rng& rng, const std::vector<std::string>& inserts) {
  const int n = static_cast<int>(words.size());
  switch (rng.Below(4)) {
    case 0:
      if (Substitute(words, rng)) return;
      [[fallthrough]];
    case 1: {
      // One draw per statement: the order of two draws inside one call is
      // unspecified (GCC and clang differ), and the demo must not depend on
      // the compiler. This is the order GCC 12 took.
      const std::string& word = rng.Pick(inserts);
      words.insert(words.begin() + rng.Int(1, n - 1), word);
      return;
    }
    case 2:
      if (n > 5) {
        words.erase(words.begin() + rng.Int(1, n - 2));
        return;
      }
      [[fallthrough]];
    default:
      if (n > 4) {
        const int i = rng.Int(1, n - 3);
        std::swap(words[i], words[i + 1]);
      } else {
        const std::string& word = rng.Pick(inserts);  // as in case 1
        words.insert(words.begin() + rng.Int(1, n - 1), word);
      }
  }
}

}  // namespace

std::string EditWords(const std::string& s, int ops, Rng& rng,
                      const std::vector<std::string>& inserts) {
  std::vector<std::string> words = Split(s);
  if (words.size() < 3) return s;
  for (int k = 0; k < ops; ++k) EditOnce(words, rng, inserts);
  return Join(words);
}

namespace {

std::string ParaText(const Para& p) {
  std::string out;
  for (const auto& piece : p) {
    if (!out.empty()) out.push_back(' ');
    out += piece.text;
  }
  return out;
}

void ApplyPostEdit(Para& v, Rng& rng, const std::string& rt_handle, bool* is_rt,
                   const std::vector<std::string>& hashtags, const std::vector<std::string>& emoji,
                   const std::vector<std::string>& inserts) {
  switch (rng.Below(6)) {
    case 0:
      v.push_back(Piece{rng.Pick(hashtags)});
      break;
    case 1:
      v.push_back(Piece{rng.Pick(emoji)});
      break;
    case 2: {
      Piece& p = v[rng.Below(v.size())];
      p.text = EditWords(p.text, 1, rng, inserts);
      break;
    }
    case 3:
      v.back().text += rng.Chance(0.5) ? "!!" : "!";
      break;
    case 4:
      for (auto& p : v) {
        for (char& c : p.text) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
      }
      break;
    default:
      if (!rt_handle.empty() && !*is_rt) {
        v.insert(v.begin(), Piece{"RT @" + rt_handle + ":"});
        *is_rt = true;
      } else {
        v.push_back(Piece{rng.Pick(emoji)});
      }
  }
}

}  // namespace

Para PostVariant(const Para& base, Rng& rng, const std::string& rt_handle, bool* is_rt,
                 const std::vector<std::string>& hashtags, const std::vector<std::string>& emoji,
                 const std::vector<std::string>& inserts) {
  const std::string base_text = ParaText(base);
  for (int attempt = 0;; ++attempt) {
    Para v = base;
    *is_rt = false;
    const int ops = rng.Int(1, 2);
    for (int k = 0; k < ops; ++k) {
      ApplyPostEdit(v, rng, rt_handle, is_rt, hashtags, emoji, inserts);
    }
    if (ParaText(v) != base_text || attempt >= 8) {
      if (ParaText(v) == base_text) v.push_back(Piece{rng.Pick(emoji)});
      return v;
    }
  }
}

}  // namespace echotrace::demo
