// Turning user text into an FTS5 query that cannot be misread as FTS5 syntax:
// plain words only (BuildFtsQuery), or the documented search operators
// (ParseSearchQuery).
#ifndef ECHOTRACE_STORE_FTS_QUERY_H_
#define ECHOTRACE_STORE_FTS_QUERY_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/status.h"

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

// A search query with operators (docs/claims.md, "Search operators"):
//   word        optional: ranked higher when present (terms are OR-ed)
//   "a phrase"  required, the words in this order
//   word*       optional prefix (at least kMinPrefixBytes before the *)
//   -word, -"a phrase", -word*   excluded: no hit contains it
//   A OR B      either is required, when A or B is a phrase
//   (OR between plain words changes nothing: they are alternatives already)
// Everything else is text: AND, NOT, NEAR, lowercase or, ^, :, ( and ) are
// searched as words or dropped, never passed to FTS5 as syntax. Each part
// is an FTS5 string (quoted, '"' doubled), optionally followed by " *".
struct SearchQuery {
  std::vector<std::string> optional;               // FTS5 strings
  std::vector<std::vector<std::string>> required;  // each: alternatives
  std::vector<std::string> excluded;
  // The words of the optional and required parts, space-separated: what
  // the re-ranker compares documents with (the excluded ones left out).
  std::string positive_text;
  bool empty() const { return optional.empty() && required.empty(); }
};

inline constexpr size_t kMinPrefixBytes = 3;

// Parses `text`. InvalidArgument (saying why) for a query that has nothing
// to look for (no word, or only excluded ones) or a prefix shorter than
// kMinPrefixBytes. At most `max_terms` parts are kept, in order.
Result<SearchQuery> ParseSearchQuery(std::string_view text, size_t max_terms = kMaxQueryTerms);

// The FTS5 MATCH expression of `q` (not empty()): the required parts
// AND-ed (with the optional ones OR-ed beside them so that BM25 counts
// them), or the optional parts OR-ed; then NOT the excluded ones.
std::string RenderFtsQuery(const SearchQuery& q);

}  // namespace echotrace::store_internal

#endif  // ECHOTRACE_STORE_FTS_QUERY_H_
