// Template expansion for the demo grammar (see grammar.h for the syntax).
//
// The expander is a recursive scan: '{' starts a slot name up to '}', '['
// starts a choice up to its matching ']' whose top-level '|' separate the
// alternatives. Nesting depth is capped so a self-referencing slot cannot
// recurse forever; a cap hit leaves the text unexpanded, which tests catch.
#include "demo/grammar.h"

#include <set>

namespace echotrace::demo {
namespace {

constexpr int kMaxDepth = 24;

// Index of the ']' matching the '[' at `open`, or npos.
size_t MatchBracket(std::string_view t, size_t open) {
  int depth = 0;
  for (size_t i = open; i < t.size(); ++i) {
    if (t[i] == '[') ++depth;
    if (t[i] == ']' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// Splits the inside of a choice at its top-level '|'.
std::vector<std::string_view> SplitAlternatives(std::string_view t) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t begin = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '[') ++depth;
    if (t[i] == ']') --depth;
    if (t[i] == '|' && depth == 0) {
      out.push_back(t.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  out.push_back(t.substr(begin));
  return out;
}

void CollectSlots(std::string_view t, std::set<std::string>* names) {
  for (size_t i = t.find('{'); i != std::string_view::npos; i = t.find('{', i + 1)) {
    size_t close = t.find('}', i);
    if (close == std::string_view::npos) return;
    names->insert(std::string(t.substr(i + 1, close - i - 1)));
  }
}

}  // namespace

void Grammar::Add(const std::string& slot, std::vector<std::string> values) {
  auto& list = slots_[slot];
  for (auto& v : values) list.push_back(std::move(v));
}

const std::vector<std::string>& Grammar::Values(const std::string& slot) const {
  static const std::vector<std::string> kEmpty;
  auto it = slots_.find(slot);
  return it == slots_.end() ? kEmpty : it->second;
}

void Grammar::ExpandInto(std::string_view t, Rng& rng, std::string* out, int depth) const {
  size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c == '{' && depth < kMaxDepth) {
      size_t close = t.find('}', i);
      if (close == std::string_view::npos) break;
      std::string name(t.substr(i + 1, close - i - 1));
      auto it = slots_.find(name);
      if (it == slots_.end() || it->second.empty()) {
        out->append(t.substr(i, close - i + 1));
      } else {
        ExpandInto(rng.Pick(it->second), rng, out, depth + 1);
      }
      i = close + 1;
    } else if (c == '[' && depth < kMaxDepth) {
      size_t close = MatchBracket(t, i);
      if (close == std::string_view::npos) break;
      auto alts = SplitAlternatives(t.substr(i + 1, close - i - 1));
      ExpandInto(alts[rng.Below(alts.size())], rng, out, depth + 1);
      i = close + 1;
    } else {
      out->push_back(c);
      ++i;
    }
  }
  if (i < t.size()) out->append(t.substr(i));
}

std::string Grammar::Expand(std::string_view tmpl, Rng& rng) const {
  std::string out;
  ExpandInto(tmpl, rng, &out, 0);
  return Tidy(out);
}

std::string Grammar::Sentence(std::string_view tmpl, Rng& rng) const {
  return Capitalize(Expand(tmpl, rng));
}

std::string Grammar::ExpandSlot(const std::string& slot, Rng& rng) const {
  return Expand("{" + slot + "}", rng);
}

std::vector<std::string> Grammar::MissingSlots() const {
  std::set<std::string> used;
  for (const auto& [name, values] : slots_) {
    for (const auto& v : values) CollectSlots(v, &used);
  }
  std::vector<std::string> missing;
  for (const auto& name : used) {
    if (!slots_.count(name)) missing.push_back(name);
  }
  return missing;
}

std::string Tidy(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    const bool punct = c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?';
    if (punct && !out.empty() && out.back() == ' ') out.pop_back();
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string Capitalize(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
      break;
    }
    // Leading quotes and '#'/'@' are skipped; a text that starts with a digit
    // or a non-ASCII letter (Cyrillic) is left as it is.
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) {
      break;
    }
  }
  return s;
}

}  // namespace echotrace::demo
