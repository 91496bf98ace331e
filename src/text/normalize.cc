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

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Lower-cases ASCII letters and collapses ASCII white space; bytes >= 0x80
// are copied through (used for ASCII input and as the fallback for input
// utf8proc rejects).
std::string AsciiFold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char c : s) {
    if (IsAsciiSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// Collapses White_Space runs in valid UTF-8 to one ' ' and trims.
std::string CollapseSpace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const char32_t cp = DecodeUtf8(s, &i);
    if (IsUnicodeSpace(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.append(s.data() + start, i - start);
  }
  return out;
}

}  // namespace

std::string NormalizeForMatching(std::string_view utf8) {
  if (IsAscii(utf8)) return AsciiFold(utf8);
  utf8proc_uint8_t* mapped = nullptr;
  const auto options = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                   static_cast<utf8proc_ssize_t>(utf8.size()), &mapped, options);
  if (n < 0) {
    // Invalid UTF-8 (a contract violation) or out of memory: degrade to the
    // ASCII fold rather than fail, as documented.
    return AsciiFold(utf8);
  }
  std::string out = CollapseSpace(
      std::string_view(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n)));
  std::free(mapped);
  return out;
}

uint64_t NormalizedHash(std::string_view utf8) {
  const std::string norm = NormalizeForMatching(utf8);
  return XXH3_64bits(norm.data(), norm.size());
}

}  // namespace echotrace
