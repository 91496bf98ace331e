// The matching form: NFKC + case fold + white-space collapse.
//
// General text goes through utf8proc_map with the flags of utf8proc's
// NFKC_Casefold (but length-bounded instead of NUL-terminated, so embedded
// NULs cannot truncate), then a second pass collapses White_Space runs,
// including the spaces NFKC itself produces (U+00A0, U+3000 and friends map
// to U+0020).
//
// Most posts are pure ASCII. For ASCII the mapping above is exactly "A-Z to
// a-z" (no ASCII character has a compatibility decomposition, a different
// case fold, or is default-ignorable), so that case skips utf8proc and does
// lower-casing and collapsing in one pass. normalize_test.cc checks the two
// paths agree on random ASCII strings.
#include "text/normalize.h"

#include <utf8proc.h>
#include <xxhash.h>

#include <cstdlib>

#include "text/char_class.h"
#include "text/utf8.h"

namespace echotrace {
namespace {

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

inline char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Appends `s` with ASCII letters lower-cased and ASCII white space collapsed
// (runs to one ' ', none at the ends); bytes >= 0x80 are copied through
// (used for ASCII input and as the fallback for input utf8proc rejects).
void AppendAsciiFold(std::string_view s, std::string* out) {
  const size_t begin = out->size();
  bool pending_space = false;
  for (char c : s) {
    if (IsAsciiSpace(c)) {
      pending_space = out->size() > begin;
      continue;
    }
    if (pending_space) {
      out->push_back(' ');
      pending_space = false;
    }
    out->push_back(AsciiLower(c));
  }
}

// Collapses White_Space runs in the valid UTF-8 `*s` to one ' ' and trims,
// in place: the write position never passes the read position, since a run
// of one or more spaces becomes at most one byte.
void CollapseSpaceInPlace(std::string* s) {
  size_t w = 0;
  size_t i = 0;
  bool pending_space = false;
  const std::string_view in(*s);
  while (i < in.size()) {
    const size_t start = i;
    const char32_t cp = DecodeUtf8(in, &i);
    if (IsUnicodeSpace(cp)) {
      pending_space = w > 0;
      continue;
    }
    if (pending_space) {
      (*s)[w++] = ' ';
      pending_space = false;
    }
    for (size_t k = start; k < i; ++k) (*s)[w++] = in[k];
  }
  s->resize(w);
}

// NFKC_Casefold of `s` by utf8proc appended to *out; false when utf8proc
// refuses it (invalid UTF-8, out of memory).
bool AppendUtf8procFold(std::string_view s, std::string* out) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto options = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                   static_cast<utf8proc_ssize_t>(s.size()), &mapped, options);
  if (n < 0) return false;
  out->append(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return true;
}

}  // namespace

// Mixed text (most non-ASCII posts: English with an emoji or a curly quote)
// is folded piecewise: ASCII stretches by lower-casing, the non-ASCII
// stretches by utf8proc, each taking along the ASCII character before it.
// Why that is the same as folding the whole string: normalisation can only
// join a character with its neighbours through canonical reordering and
// composition, and both stop at a starter that composes with nothing after
// it. Every ASCII character is a starter (combining class 0), none is the
// second half of any composition, and none is changed by NFKC or case
// folding beyond A-Z → a-z; so the string can be cut in front of any ASCII
// character that is followed by another character of the same piece — the
// only thing an ASCII character may combine with is a following non-ASCII
// mark ("e" + U+0301 → "é"), which is why it goes along with the non-ASCII
// stretch. normalize_test.cc checks this against the whole-string path on
// random mixed strings. utf8proc then sees a few bytes instead of the post.
void NormalizeForMatchingInto(std::string_view utf8, std::string* out) {
  out->clear();
  if (IsAscii(utf8)) {
    AppendAsciiFold(utf8, out);
    return;
  }
  size_t i = 0;
  const size_t n = utf8.size();
  while (i < n) {
    size_t j = i;
    while (j < n && static_cast<unsigned char>(utf8[j]) < 0x80) ++j;
    if (j == n) {
      for (; i < n; ++i) out->push_back(AsciiLower(utf8[i]));
      break;
    }
    // utf8[j] starts a non-ASCII stretch; it takes utf8[j - 1] along.
    const size_t start = j > i ? j - 1 : j;
    for (; i < start; ++i) out->push_back(AsciiLower(utf8[i]));
    size_t k = j;
    while (k < n && static_cast<unsigned char>(utf8[k]) >= 0x80) ++k;
    if (!AppendUtf8procFold(utf8.substr(start, k - start), out)) {
      // Invalid UTF-8 (a contract violation) or out of memory: degrade to
      // the ASCII fold rather than fail, as documented.
      out->clear();
      AppendAsciiFold(utf8, out);
      return;
    }
    i = k;
  }
  CollapseSpaceInPlace(out);
}

std::string NormalizeForMatching(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  NormalizeForMatchingInto(utf8, &out);
  return out;
}

uint64_t NormalizedHash(std::string_view utf8) {
  // Called for every ingested post: a per-thread buffer, so that hashing
  // allocates nothing once the buffer has grown to the longest post.
  thread_local std::string norm;
  NormalizeForMatchingInto(utf8, &norm);
  const uint64_t h = XXH3_64bits(norm.data(), norm.size());
  if (norm.capacity() > (size_t{1} << 20)) std::string().swap(norm);  // after a huge post
  return h;
}

}  // namespace echotrace
