// Entity extraction (URLs, @mentions, #hashtags) and URL normalisation.
//
// The scanner makes one left-to-right pass over the bytes and only stops at
// bytes that can begin an entity: 'h'/'w' (URLs), '@', '#', and 0xEF (the
// lead byte of fullwidth ＠ and ＃). Since ASCII bytes never occur inside
// multi-byte UTF-8 sequences, stepping byte by byte is safe. A URL match
// jumps past the URL, so '#' or '@' inside a URL never start an entity.
//
// URL ends are the subtle part. Posts write "see https://x.com/a." or
// "(https://x.com/a)", where the last character is sentence punctuation,
// but Wikipedia writes "https://en.wikipedia.org/wiki/Foo_(bar)". We stop
// at characters that cannot be in a URL as written in text, then trim
// sentence punctuation from the end, and trim a closing bracket only when
// the URL holds more closing than opening ones of its kind.
//
// NormalizeUrl splits the URL into scheme, authority, path, query and
// fragment by hand (RFC 3986 order of delimiters); it never percent-decodes,
// because a decoded URL can mean a different resource.
#include "text/entities.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "text/char_class.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace echotrace {
namespace {

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    if (AsciiLower(s[at + k]) != prefix[k]) return false;
  }
  return true;
}

bool EqualsNoCase(std::string_view a, std::string_view lower_b) {
  return a.size() == lower_b.size() && StartsWithNoCase(a, 0, lower_b);
}

// The code point that ends just before byte i, or 0 at the start of text.
char32_t PrevChar(std::string_view s, size_t i) {
  if (i == 0) return 0;
  size_t j = i - 1;
  while (j > 0 && i - j < 4 && (static_cast<uint8_t>(s[j]) & 0xC0) == 0x80) --j;
  size_t k = j;
  const char32_t cp = DecodeUtf8(s, &k);
  return k == i ? cp : U'\uFFFD';
}

// True if an entity may not start after `prev`: it would be inside a word
// ("a@b.com", "abc#1", "xhttp://"). CJK counts as a boundary because CJK
// text has no spaces before entities.
bool GluedTo(char32_t prev) {
  if (prev == '_') return true;
  const CharClass c = ClassifyChar(prev);
  return c == CharClass::kLetter || c == CharClass::kMark || c == CharClass::kDigit ||
         c == CharClass::kNumeric;
}

// Can byte position j continue a URL? Sets *next past the character.
bool UrlCharAt(std::string_view s, size_t j, size_t* next) {
  const auto c = static_cast<uint8_t>(s[j]);
  if (c < 0x80) {
    *next = j + 1;
    return c > 0x20 && c != 0x7F && c != '<' && c != '>' && c != '"' && c != '`';
  }
  const char32_t cp = DecodeUtf8(s, next);
  const CharClass cls = ClassifyChar(cp);
  return cls == CharClass::kLetter || cls == CharClass::kMark || cls == CharClass::kDigit ||
         cls == CharClass::kNumeric;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Removes sentence punctuation and unbalanced closing brackets from the end
// of the URL [start, end); returns the new end (>= min_end).
size_t TrimUrlEnd(std::string_view s, size_t start, size_t min_end, size_t end) {
  // Bracket balance of the whole candidate, maintained as we trim so the
  // loop stays linear.
  int open[3] = {0, 0, 0};
  int close[3] = {0, 0, 0};
  constexpr std::string_view kOpen = "([{";
  constexpr std::string_view kClose = ")]}";
  for (size_t k = start; k < end; ++k) {
    if (size_t p = kOpen.find(s[k]); p != std::string_view::npos) ++open[p];
    if (size_t p = kClose.find(s[k]); p != std::string_view::npos) ++close[p];
  }
  while (end > min_end) {
    const char c = s[end - 1];
    if (std::string_view(".,;:!?*'").find(c) != std::string_view::npos) {
      --end;
      continue;
    }
    const size_t p = kClose.find(c);
    if (p != std::string_view::npos && close[p] > open[p]) {
      --close[p];
      --end;
      continue;
    }
    break;
  }
  return end;
}

// Length of the URL starting at s[i], or 0 if there is none.
size_t MatchUrl(std::string_view s, size_t i, size_t limit) {
  size_t host;
  const bool www = StartsWithNoCase(s, i, "www.");
  if (www) {
    host = i;
  } else if (StartsWithNoCase(s, i, "http://")) {
    host = i + 7;
  } else if (StartsWithNoCase(s, i, "https://")) {
    host = i + 8;
  } else {
    return 0;
  }
  if (host >= limit) return 0;
  // Also not inside an address or path: "foo.www.bar", "a/http://", "x@www.y".
  const char32_t prev = PrevChar(s, i);
  if (GluedTo(prev) || prev == '@' || prev == '.' || prev == '-' || prev == '/') return 0;
  size_t j = host;
  while (j < limit) {
    size_t next = j;
    if (!UrlCharAt(s, j, &next)) break;
    j = std::min(next, limit);
  }
  const size_t end = TrimUrlEnd(s, i, host, j);
  // The host (up to the first of "/?#") needs a letter or digit; for
  // "www." one after the prefix.
  size_t k = www ? host + 4 : host;
  for (; k < end && s[k] != '/' && s[k] != '?' && s[k] != '#'; ++k) {
    if (IsAsciiAlnum(s[k]) || static_cast<uint8_t>(s[k]) >= 0x80) return end - i;
  }
  return 0;
}

// Length of a fullwidth or ASCII sigil (`ascii` or its U+FF00 form) at i.
size_t SigilAt(std::string_view s, size_t i, char ascii) {
  if (s[i] == ascii) return 1;
  // Fullwidth forms U+FF01..U+FF5E are ASCII + 0xFEE0: ＠ EF BC A0, ＃ EF BC 83.
  const char32_t full = static_cast<char32_t>(ascii) + 0xFEE0;
  if (s.size() - i >= 3 && static_cast<uint8_t>(s[i]) == 0xEF) {
    size_t k = i;
    if (DecodeUtf8(s, &k) == full) return 3;
  }
  return 0;
}

// Matches a mention or hashtag name after the sigil; returns its end, or
// name_start when there is no valid name.
size_t MatchName(std::string_view s, size_t name_start, size_t limit, bool hashtag) {
  size_t j = name_start;
  bool has_letter = false;
  while (j < limit) {
    size_t next = j;
    const char32_t cp = DecodeUtf8(s, &next);
    const CharClass c = ClassifyChar(cp);
    if (c == CharClass::kLetter || (hashtag && c == CharClass::kCjk)) {
      has_letter = true;
    } else if (c != CharClass::kMark && c != CharClass::kDigit && cp != '_') {
      break;
    }
    j = std::min(next, limit);
  }
  if (hashtag && !has_letter) return name_start;
  return j;
}

}  // namespace

const char* EntityKindName(EntityKind k) {
  switch (k) {
    case EntityKind::kUrl:
      return "url";
    case EntityKind::kMention:
      return "mention";
    case EntityKind::kHashtag:
      return "hashtag";
  }
  return "unknown";
}

std::vector<EntitySpan> FindEntitySpans(std::string_view text) {
  std::vector<EntitySpan> spans;
  const size_t limit = std::min<size_t>(text.size(), std::numeric_limits<uint32_t>::max());
  size_t i = 0;
  while (i < limit) {
    const char c = text[i];
    if (c == 'h' || c == 'H' || c == 'w' || c == 'W') {
      if (const size_t len = MatchUrl(text, i, limit); len > 0) {
        spans.push_back({EntityKind::kUrl, static_cast<uint32_t>(i), static_cast<uint32_t>(i + len),
                         static_cast<uint32_t>(i)});
        i += len;
        continue;
      }
    } else if (c == '@' || c == '#' || static_cast<uint8_t>(c) == 0xEF) {
      size_t sigil = SigilAt(text, i, '@');
      bool hashtag = false;
      if (sigil == 0) {
        sigil = SigilAt(text, i, '#');
        hashtag = true;
      }
      if (sigil > 0 && !GluedTo(PrevChar(text, i)) && !(hashtag && PrevChar(text, i) == '&')) {
        const size_t name = i + sigil;
        const size_t end = MatchName(text, name, limit, hashtag);
        if (end > name) {
          spans.push_back({hashtag ? EntityKind::kHashtag : EntityKind::kMention,
                           static_cast<uint32_t>(i), static_cast<uint32_t>(end),
                           static_cast<uint32_t>(name)});
          i = end;
          continue;
        }
      }
    }
    ++i;
  }
  return spans;
}

std::vector<Entity> ExtractEntities(std::string_view text) {
  std::vector<Entity> out;
  for (const EntitySpan& sp : FindEntitySpans(text)) {
    Entity e;
    e.kind = sp.kind;
    e.start = sp.start;
    e.end = sp.end;
    const std::string_view written = text.substr(sp.name_start, sp.end - sp.name_start);
    e.value = sp.kind == EntityKind::kUrl ? NormalizeUrl(written) : NormalizeForMatching(written);
    // A name made only of characters that normalisation removes (variation
    // selectors, default-ignorable code points) names nothing: found by the
    // tokenize fuzzer on "@@\uFE00".
    if (e.value.empty()) continue;
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

bool IsTrackingParam(std::string_view key, bool twitter) {
  static constexpr std::string_view kAlways[] = {
      "fbclid", "gclid",   "dclid",   "msclkid", "twclid", "igshid", "mc_cid",
      "mc_eid", "ref_src", "ref_url", "_ga",     "yclid",  "si",
  };
  if (StartsWithNoCase(key, 0, "utm_")) return true;
  for (std::string_view t : kAlways) {
    if (EqualsNoCase(key, t)) return true;
  }
  return twitter && (EqualsNoCase(key, "s") || EqualsNoCase(key, "t"));
}

bool IsTwitterHost(std::string_view host) {
  for (std::string_view h : {"twitter.com", "x.com"}) {
    if (host == h) return true;
    if (host.size() > h.size() && host.ends_with(h) && host[host.size() - h.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && static_cast<uint8_t>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<uint8_t>(s.back()) <= 0x20) s.remove_suffix(1);
  return s;
}

// Length of a valid "scheme://" prefix of s (excluding "://"), or 0.
size_t SchemeLength(std::string_view s) {
  const size_t colon = s.find("://");
  if (colon == 0 || colon == std::string_view::npos || colon > 32) return 0;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
  for (size_t k = 1; k < colon; ++k) {
    if (!IsAsciiAlnum(s[k]) && s[k] != '+' && s[k] != '-' && s[k] != '.') return 0;
  }
  return colon;
}

std::string LowerHost(std::string_view host) {
  std::string out(host);
  for (char c : out) {
    if (static_cast<uint8_t>(c) >= 0x80) return NormalizeForMatching(host);  // IDN
  }
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool IsDefaultPort(std::string_view scheme, std::string_view port) {
  while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
  return port.empty() || (scheme == "http" && port == "80") ||
         (scheme == "https" && port == "443") || (scheme == "ftp" && port == "21");
}

// Appends the query with tracking parameters removed, "?" included when
// anything is left.
void AppendCleanQuery(std::string_view query, bool twitter, std::string* out) {
  bool first = true;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.empty() || IsTrackingParam(param.substr(0, param.find('=')), twitter)) continue;
    out->push_back(first ? '?' : '&');
    out->append(param);
    first = false;
  }
}

}  // namespace

std::string NormalizeUrl(std::string_view url) {
  const std::string_view u = TrimSpace(url);
  std::string scheme = "http";
  std::string_view rest = u;
  if (const size_t len = SchemeLength(u); len > 0) {
    scheme.assign(u.substr(0, len));
    for (char& c : scheme) c = AsciiLower(c);
    rest = u.substr(len + 3);
  } else if (u.starts_with("//")) {
    rest = u.substr(2);
  }

  const size_t auth_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view auth = rest.substr(0, auth_end);
  std::string_view tail = rest.substr(auth_end);

  // Authority: [userinfo@]host[:port]; an IPv6 host is in brackets.
  const size_t at = auth.rfind('@');
  const std::string_view userinfo =
      at == std::string_view::npos ? std::string_view() : auth.substr(0, at + 1);
  const std::string_view hostport = auth.substr(userinfo.size());
  std::string_view host = hostport;
  std::string_view port;
  size_t colon = std::string_view::npos;
  if (!hostport.starts_with('[')) {
    colon = hostport.rfind(':');
  } else if (const size_t close = hostport.find(']'); close != std::string_view::npos) {
    colon = hostport.find(':', close);  // the colons inside [...] are the address
  }
  if (colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (host.empty()) return NormalizeForMatching(u);

  const std::string lhost = LowerHost(host);
  std::string out;
  out.reserve(u.size() + 8);
  out.append(scheme).append("://").append(userinfo).append(lhost);
  if (!IsDefaultPort(scheme, port)) out.append(":").append(port);

  const size_t hash = tail.find('#');
  const std::string_view fragment =
      hash == std::string_view::npos ? std::string_view() : tail.substr(hash + 1);
  tail = tail.substr(0, hash);
  const size_t q = tail.find('?');
  std::string_view path = tail.substr(0, q);
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : tail.substr(q + 1);
  const bool hashbang = fragment.starts_with('!');
  if (path.ends_with('/') && !path.ends_with("//") && !hashbang) path.remove_suffix(1);
  out.append(path);
  AppendCleanQuery(query, IsTwitterHost(lhost), &out);
  if (hashbang) out.append("#").append(fragment);
  return out;
}

}  // namespace echotrace
