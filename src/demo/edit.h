// Small edits that turn one text into a near-copy: the "lightly edited"
// reuse and the near-duplicate reposts of the demo corpus.
#ifndef ECHOTRACE_DEMO_EDIT_H_
#define ECHOTRACE_DEMO_EDIT_H_

#include <string>
#include <vector>

#include "demo/corpus.h"
#include "demo/rng.h"

namespace echotrace::demo {

// Applies `ops` word edits to `s`: substitute a word by a synonym, insert
// one of `inserts`, delete a word, or swap two neighbours. The first and the
// last word are never touched (they carry capitals and punctuation), so the
// result is still a sentence. Returns s unchanged when it is too short.
std::string EditWords(const std::string& s, int ops, Rng& rng,
                      const std::vector<std::string>& inserts);

// A near-duplicate of a microblog paragraph: one or two of: a hashtag or an
// emoji appended, a word changed, an exclamation, lower-casing, and (when
// `rt_handle` is not empty) an "RT @handle:" prefix, reported in *is_rt.
// Always differs from `base`. `hashtags` and `emoji` are the pools to use.
Para PostVariant(const Para& base, Rng& rng, const std::string& rt_handle, bool* is_rt,
                 const std::vector<std::string>& hashtags, const std::vector<std::string>& emoji,
                 const std::vector<std::string>& inserts);

}  // namespace echotrace::demo

#endif  // ECHOTRACE_DEMO_EDIT_H_
