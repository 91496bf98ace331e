// How an occurrence of a reused passage differs from the passage at its
// origin: the one alignment behind every view of a reuse cluster. The
// occurrence is aligned to the origin on word tokens with the passage
// aligner (3-word anchors, no minimum length), the pair with the most
// matching tokens is kept, and its token diff (diff.h) is rendered either
// in wdiff notation for a terminal (`show reuse`) or as segments that tile
// both texts for the report and the server (docs/api.md, `Segment`).
#ifndef ECHOTRACE_REUSE_ALIGNMENT_H_
#define ECHOTRACE_REUSE_ALIGNMENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "reuse/diff.h"
#include "reuse/passages.h"
#include "text/tokenizer.h"

namespace echotrace::reuse {

struct OccurrenceAlignment {
  enum class Outcome {
    kTooShort,    // a text has no token: nothing to align
    kNoPassage,   // the texts share no passage
    kDiffFailed,  // aligned, but the offsets did not fit the texts
    kAligned,
  };
  Outcome outcome = Outcome::kTooShort;
  PassagePair best;                   // kAligned and kDiffFailed
  std::vector<DiffSegment> segments;  // kAligned
};

// Aligns `occurrence` to `origin`, whose tokens `origin_tokens`
// (Tokenize(origin)) a caller showing many occurrences computes once.
OccurrenceAlignment AlignOccurrence(std::string_view origin,
                                    const std::vector<Token>& origin_tokens,
                                    std::string_view occurrence);

// The occurrence in wdiff notation: its text with the aligned part marked
// against the origin, "[-origin words-]{+occurrence words+}"; an
// occurrence sharing nothing is "{+text+}" whole. *identity is set to the
// alignment's identity when there is one and left alone otherwise.
std::string MarkAgainstOrigin(std::string_view origin, const std::vector<Token>& origin_tokens,
                              std::string_view occurrence, double* identity);

// One piece of an occurrence aligned to the origin: '=' shared, '+' only in
// the occurrence, '-' only in the origin.
struct AlignedSegment {
  char op = '=';
  std::string text;
};

// Segments holding every byte of both texts: the occurrence's read in order
// of '=' and '+' segments, the origin's in order of '=' and '-'; adjacent
// pieces of one kind are merged. *identity is matching tokens / aligned
// columns of the best local alignment (1 for equal texts, 0 when the texts
// share nothing).
std::vector<AlignedSegment> AlignToOrigin(std::string_view origin, std::string_view occurrence,
                                          double* identity);

}  // namespace echotrace::reuse

#endif  // ECHOTRACE_REUSE_ALIGNMENT_H_
