// Free text → safe FTS5 query (see fts_query.h).
//
// Terms are OR-ed rather than AND-ed: a claim pasted as a query rarely has
// all its words in a short post, and BM25 already ranks documents matching
// more and rarer terms first. Splitting here is deliberately cruder than
// FTS5's unicode61 tokenizer: inside a quoted string FTS5 re-tokenizes the
// term, so a "term" that holds non-ASCII punctuation becomes a phrase of its
// tokens, which still matches the text as written.
#include "store/fts_query.h"

#include <string>
#include <unordered_set>

namespace echotrace::store_internal {

namespace {

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string BuildFtsQuery(std::string_view text, size_t max_terms) {
  std::string query;
  std::unordered_set<std::string> seen;
  size_t i = 0;
  while (i < text.size() && seen.size() < max_terms) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    std::string_view term = text.substr(start, i - start);
    if (!seen.insert(AsciiLower(term)).second) continue;
    if (!query.empty()) query += " OR ";
    query += '"';
    for (char c : term) {
      if (c == '"') query += '"';  // FTS5 escapes a quote by doubling it
      query += c;
    }
    query += '"';
  }
  return query;
}

}  // namespace echotrace::store_internal
