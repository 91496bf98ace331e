// The differences inside a reused passage, as data for `echotrace show
// reuse` and the report: the passage cut into segments that are equal in
// both documents or changed, inserted or deleted. Presentation (columns,
// colours, HTML escaping) is the caller's. Pure function, thread-safe.
#ifndef ECHOTRACE_REUSE_DIFF_H_
#define ECHOTRACE_REUSE_DIFF_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/status.h"
#include "reuse/passages.h"
#include "text/tokenizer.h"

namespace echotrace::reuse {

enum class DiffKind {
  kEqual,     // the same tokens (in matching form) in both
  kChanged,   // different tokens in both (substitutions, maybe with indels)
  kDeleted,   // tokens only in A
  kInserted,  // tokens only in B
};

struct DiffSegment {
  DiffKind kind = DiffKind::kEqual;
  // Half-open byte ranges into text A and text B. A segment owns its tokens
  // and the separators (spaces, punctuation) after them up to the next
  // segment's first token, so the segments tile each side's passage bytes
  // exactly; a side without tokens in this segment has an empty range at
  // the point of insertion.
  uint32_t a_start = 0;
  uint32_t a_end = 0;
  uint32_t b_start = 0;
  uint32_t b_end = 0;
  std::string a_text;  // text_a[a_start, a_end)
  std::string b_text;  // text_b[b_start, b_end)
};

// Segments of passage `p` between text_a (tokenised as tokens_a) and text_b
// (tokens_b), in order: maximal runs of kMatch columns are kEqual, maximal
// runs of other columns one kChanged / kDeleted / kInserted segment.
// Concatenating a_text gives text_a[p.a_start, p.a_end), likewise for B.
// InvalidArgument when p does not fit the tokens or texts given (e.g.
// offsets from another version of the document).
Result<std::vector<DiffSegment>> DiffPassage(std::string_view text_a,
                                             const std::vector<Token>& tokens_a,
                                             std::string_view text_b,
                                             const std::vector<Token>& tokens_b,
                                             const PassagePair& p);

}  // namespace echotrace::reuse

#endif  // ECHOTRACE_REUSE_DIFF_H_
