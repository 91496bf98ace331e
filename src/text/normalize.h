// The matching form of text: what detectors compare, never what is stored.
#ifndef ECHOTRACE_TEXT_NORMALIZE_H_
#define ECHOTRACE_TEXT_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace echotrace {

// NFKC + Unicode case folding (utf8proc's NFKC_Casefold), with runs of white
// space collapsed to one ASCII space and trimmed. Input must be valid UTF-8
// (see SanitizeUtf8). Deterministic and locale-independent.
std::string NormalizeForMatching(std::string_view utf8);

// XXH3-64 (seed 0) of NormalizeForMatching(utf8). Persisted as
// docs.norm_hash: changing it is a schema change.
uint64_t NormalizedHash(std::string_view utf8);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_NORMALIZE_H_
