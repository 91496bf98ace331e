// Turning user text into an FTS5 query that cannot be misread as FTS5 syntax.
#ifndef ECHOTRACE_STORE_FTS_QUERY_H_
#define ECHOTRACE_STORE_FTS_QUERY_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace echotrace::store_internal {

// The most terms a query keeps; later ones are dropped (a pasted article
// would otherwise make every search touch most of the index).
inline constexpr size_t kMaxQueryTerms = 256;

// Splits `text` into terms at every ASCII byte that is not a letter or a
// digit (bytes >= 0x80, i.e. all non-ASCII UTF-8, count as word bytes),
// drops repeats (ASCII case-insensitively), keeps at most `max_terms`, and
// returns them as FTS5 strings joined with OR: `"russia" OR "ukraine"`.
// Every term is a quoted string, so operators (AND, NEAR, *, ^, -, :) in the
// text are searched as words or dropped, never interpreted. Returns "" when
// the text has no terms.
std::string BuildFtsQuery(std::string_view text, size_t max_terms = kMaxQueryTerms);

}  // namespace echotrace::store_internal

#endif  // ECHOTRACE_STORE_FTS_QUERY_H_
