// UTF-8 validation and repair.
//
// Everything downstream (tokenizer, normaliser, CLD2, SQLite) assumes valid
// UTF-8, so readers pass every text field through SanitizeUtf8 once at
// ingest. All functions here are pure, allocation-free except for the string
// they return, and thread-safe.
#ifndef ECHOTRACE_TEXT_UTF8_H_
#define ECHOTRACE_TEXT_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace echotrace {

// True if `s` is well-formed UTF-8 (Unicode §3.9, Table 3-7): no overlong
// forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
// sequences. NUL bytes are well-formed.
bool IsValidUtf8(std::string_view s);

// Returns `s` with every maximal invalid subsequence replaced by U+FFFD
// (the "substitution of maximal subparts" practice of Unicode §3.9) and NUL
// bytes dropped. Adds the number of U+FFFD replacements (not the dropped
// NULs) to *replaced when not null, and the number of dropped NULs to *nuls
// when not null. Well-formed input without NUL is returned unchanged (one
// copy, no per-character work beyond validation).
std::string SanitizeUtf8(std::string_view s, size_t* replaced, size_t* nuls = nullptr);

// Decodes one code point at s[*i] and advances *i past it. Intended for
// valid UTF-8 with *i < s.size() on a code point boundary; never fails on
// anything else: an ill-formed sequence yields U+FFFD and *i advances past
// its maximal subpart (always by at least one byte), so loops over
// arbitrary bytes terminate.
char32_t DecodeUtf8(std::string_view s, size_t* i);

// Appends the UTF-8 encoding of cp to *out; surrogates and values above
// U+10FFFF are appended as U+FFFD.
void AppendUtf8(char32_t cp, std::string* out);

// Number of bytes of the well-formed sequence starting at s[i], or 0 when
// the bytes there are ill-formed (or i >= s.size()). *subpart, when not
// null, receives the length of the maximal subpart to replace in that case
// (>= 1 when i < s.size()).
size_t Utf8SequenceLength(std::string_view s, size_t i, size_t* subpart);

// The longest prefix of `s` of at most `max_bytes` bytes that does not end
// inside a multi-byte sequence (for cutting text to a size for display).
std::string_view CutUtf8(std::string_view s, size_t max_bytes);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_UTF8_H_
