// A tiny template grammar for the demo corpus.
//
// A template is text with two kinds of markup:
//   {slot}      replaced by the expansion of a value picked from the slot's list
//   [a|b|c]     replaced by the expansion of one alternative ("[a|]" = optional)
// Both nest, and slot values are templates themselves, so a few hundred short
// lists combine into millions of distinct sentences. Expansion is driven by
// the caller's Rng and is therefore deterministic.
#ifndef ECHOTRACE_DEMO_GRAMMAR_H_
#define ECHOTRACE_DEMO_GRAMMAR_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "demo/rng.h"

namespace echotrace::demo {

class Grammar {
 public:
  // Adds values to `slot` (appending to any it already has).
  void Add(const std::string& slot, std::vector<std::string> values);
  bool Has(const std::string& slot) const { return slots_.count(slot) != 0; }
  const std::vector<std::string>& Values(const std::string& slot) const;

  // Expands `tmpl`, then tidies white space: runs of spaces collapse, no space
  // before , . ; : ! ? and none at either end. An unknown slot expands to
  // "{slot}" so that tests can catch it.
  std::string Expand(std::string_view tmpl, Rng& rng) const;
  // Expand() with the first letter upper-cased (ASCII only).
  std::string Sentence(std::string_view tmpl, Rng& rng) const;
  // Expands a value picked from `slot`.
  std::string ExpandSlot(const std::string& slot, Rng& rng) const;

  // Slots referenced by some template or value but never defined.
  std::vector<std::string> MissingSlots() const;

 private:
  void ExpandInto(std::string_view t, Rng& rng, std::string* out, int depth) const;
  std::map<std::string, std::vector<std::string>> slots_;
};

// Collapses white space runs to one space, drops spaces before punctuation
// and trims. Used on every generated sentence.
std::string Tidy(std::string_view s);

// Upper-cases the first ASCII letter of s.
std::string Capitalize(std::string s);

}  // namespace echotrace::demo

#endif  // ECHOTRACE_DEMO_GRAMMAR_H_
