// The matching form of text: what detectors compare, never what is stored.
#ifndef ECHOTRACE_TEXT_NORMALIZE_H_
#define ECHOTRACE_TEXT_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace echotrace {

// NFKC + Unicode case folding (utf8proc's NFKC_Casefold: COMPOSE | COMPAT |
// CASEFOLD | IGNORE | STABLE, so default-ignorable code points such as
// U+200B and U+00AD are removed), with runs of Unicode White_Space collapsed
// to one ASCII space and trimmed. Examples: "ПРИВЕТ" -> "привет",
// "ﬁ" -> "fi", "Ａ" -> "a", "Straße" -> "strasse".
// Input must be valid UTF-8 (see SanitizeUtf8); if it is not, the result is
// the input with ASCII letters lower-cased and white space collapsed (never
// fails). Deterministic, locale-independent, thread-safe.
std::string NormalizeForMatching(std::string_view utf8);
// The same into *out (cleared first), reusing its capacity.
void NormalizeForMatchingInto(std::string_view utf8, std::string* out);

// XXH3-64 (seed 0) of the bytes of NormalizeForMatching(utf8). Persisted as
// docs.norm_hash: changing it is a schema change.
uint64_t NormalizedHash(std::string_view utf8);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_NORMALIZE_H_
