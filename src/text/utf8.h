// UTF-8 validation and repair.
#ifndef ECHOTRACE_TEXT_UTF8_H_
#define ECHOTRACE_TEXT_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace echotrace {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Returns `s` with every maximal invalid subsequence replaced by U+FFFD
// (the "substitution of maximal subparts" practice of Unicode §3.9) and NUL
// bytes dropped. Adds the number of replacements to *replaced when not null.
// Valid input is returned unchanged.
std::string SanitizeUtf8(std::string_view s, size_t* replaced);

// Decodes one code point at s[i]; advances i. Precondition: s is valid UTF-8
// and i < s.size().
char32_t DecodeUtf8(std::string_view s, size_t* i);

// Appends the UTF-8 encoding of cp to *out.
void AppendUtf8(char32_t cp, std::string* out);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_UTF8_H_
