// UTF-8 validation, repair and coding.
//
// Validation follows Table 3-7 of the Unicode Standard (§3.9): after a lead
// byte, the *second* byte's allowed range depends on the lead (E0 needs
// A0..BF to exclude overlongs, ED needs 80..9F to exclude surrogates, F0
// needs 90..BF, F4 needs 80..8F to stay <= U+10FFFF); later bytes are always
// 80..BF. Checking ranges per byte this way means a "maximal subpart" (the
// longest prefix of a sequence that could still have been completed) falls
// out of the same loop: it is exactly the bytes accepted before the first
// byte that fails its range.
//
// The hot path is ingest of millions of short posts that are almost always
// valid, so SanitizeUtf8 first validates with an 8-bytes-at-a-time ASCII
// skip and only builds a new string from the first bad byte on.
#include "text/utf8.h"

#include <cstdint>
#include <cstring>

namespace echotrace {
namespace {

// Allowed range of the second byte for each lead byte; {1,0} marks an
// invalid lead (C0, C1, F5..FF, or a stray continuation byte).
struct LeadInfo {
  uint8_t len;
  uint8_t lo;
  uint8_t hi;
};

LeadInfo InfoForLead(uint8_t b) {
  if (b < 0x80) return {1, 0, 0};
  if (b < 0xC2) return {0, 0, 0};
  if (b < 0xE0) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b < 0xF0) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b < 0xF4) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

// True if the 8 bytes at p are all ASCII, and none is NUL when no_nul is
// set. memcpy makes the unaligned load well-defined. The NUL test is the
// classic "has a zero byte" trick: (w - 0x01..) & ~w & 0x80.. is non-zero
// iff some byte of w is zero.
inline bool EightAscii(const char* p, bool no_nul) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  if ((w & 0x8080808080808080ULL) != 0) return false;
  return !no_nul || ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) == 0;
}

// Index of the first byte at or after `i` that is not part of a well-formed
// sequence, or that is NUL when stop_at_nul is set; s.size() if none.
size_t FirstBadByte(std::string_view s, size_t i, bool stop_at_nul) {
  const size_t n = s.size();
  while (i < n) {
    if (i + 8 <= n && EightAscii(s.data() + i, stop_at_nul)) {
      i += 8;
      continue;
    }
    const auto b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      if (b == 0 && stop_at_nul) return i;
      ++i;
      continue;
    }
    const size_t len = Utf8SequenceLength(s, i, nullptr);
    if (len == 0) return i;
    i += len;
  }
  return n;
}

}  // namespace

size_t Utf8SequenceLength(std::string_view s, size_t i, size_t* subpart) {
  if (i >= s.size()) {
    if (subpart != nullptr) *subpart = 0;
    return 0;
  }
  const LeadInfo info = InfoForLead(static_cast<uint8_t>(s[i]));
  if (info.len == 0) {
    if (subpart != nullptr) *subpart = 1;
    return 0;
  }
  size_t k = 1;
  for (; k < info.len; ++k) {
    if (i + k >= s.size()) break;
    const auto c = static_cast<uint8_t>(s[i + k]);
    const uint8_t lo = k == 1 ? info.lo : 0x80;
    const uint8_t hi = k == 1 ? info.hi : 0xBF;
    if (c < lo || c > hi) break;
  }
  if (k == info.len) return k;
  if (subpart != nullptr) *subpart = k;
  return 0;
}

bool IsValidUtf8(std::string_view s) { return FirstBadByte(s, 0, false) == s.size(); }

std::string SanitizeUtf8(std::string_view s, size_t* replaced, size_t* nuls) {
  size_t bad = FirstBadByte(s, 0, true);
  if (bad == s.size()) return std::string(s);

  std::string out;
  out.reserve(s.size() + 8);
  size_t count = 0;
  size_t dropped = 0;
  size_t i = 0;
  while (bad < s.size()) {
    out.append(s.data() + i, bad - i);
    if (s[bad] == '\0') {
      ++dropped;
      i = bad + 1;
    } else {
      size_t subpart = 1;
      Utf8SequenceLength(s, bad, &subpart);
      out.append("\xEF\xBF\xBD");
      ++count;
      i = bad + subpart;
    }
    bad = FirstBadByte(s, i, true);
  }
  out.append(s.data() + i, s.size() - i);
  if (replaced != nullptr) *replaced += count;
  if (nuls != nullptr) *nuls += dropped;
  return out;
}

char32_t DecodeUtf8(std::string_view s, size_t* i) {
  const size_t at = *i;
  if (at >= s.size()) {
    // Contract violation; still advance so callers' loops end.
    *i = at + 1;
    return U'\uFFFD';
  }
  const auto b0 = static_cast<uint8_t>(s[at]);
  if (b0 < 0x80) {
    *i = at + 1;
    return b0;
  }
  size_t subpart = 1;
  const size_t len = Utf8SequenceLength(s, at, &subpart);
  if (len == 0) {
    *i = at + subpart;
    return U'\uFFFD';
  }
  *i = at + len;
  const auto b = [&](size_t k) {
    return static_cast<char32_t>(static_cast<uint8_t>(s[at + k]) & 0x3F);
  };
  switch (len) {
    case 2:
      return (static_cast<char32_t>(b0 & 0x1F) << 6) | b(1);
    case 3:
      return (static_cast<char32_t>(b0 & 0x0F) << 12) | (b(1) << 6) | b(2);
    default:
      return (static_cast<char32_t>(b0 & 0x07) << 18) | (b(1) << 12) | (b(2) << 6) | b(3);
  }
}

void AppendUtf8(char32_t cp, std::string* out) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string_view CutUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<uint8_t>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace echotrace
