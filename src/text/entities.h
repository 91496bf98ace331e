// URLs, @mentions and #hashtags: the evidence co-link, co-reply and
// co-hashtag detection work on.
#ifndef ECHOTRACE_TEXT_ENTITIES_H_
#define ECHOTRACE_TEXT_ENTITIES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"

namespace echotrace {

// Finds URLs (http://, https://, www.), @mentions and #hashtags in valid
// UTF-8 text, in order of position, without overlaps. Rules:
//  - A URL starts with "http://", "https://" or "www." (any case) not
//    preceded by a letter, digit, mark or one of "_@.-/", and needs a host
//    with a letter or digit. It runs to white space, a control character,
//    one of <>"` or a non-ASCII character that is not a letter/digit/mark
//    (so "…", «», emoji end it) or a CJK character. Trailing punctuation that
//    ends a sentence (".,;:!?*'") is not part of it; a trailing ')', ']' or
//    '}' is only when unbalanced within the URL, so
//    "https://en.wikipedia.org/wiki/Foo_(bar)" keeps its ')'.
//  - A mention is '@' (or fullwidth '＠') and a name of letters, digits,
//    marks and '_' (no CJK), not following a letter, digit, mark or '_'
//    ("a@b.com" is no mention).
//  - A hashtag is '#' (or '＃') and a name of letters (any script, CJK
//    included), digits, marks and '_' with at least one letter, not
//    following a letter, digit, mark, '_' or '&' ("#1" and "&#39;" are not
//    hashtags).
// Values: URLs per NormalizeUrl; mention and hashtag names per
// NormalizeForMatching, without the sigil. Offsets cover the entity as
// written. Text beyond 4 GiB (offsets are 32-bit) is not scanned.
// Thread-safe.
std::vector<Entity> ExtractEntities(std::string_view text);

// The spans ExtractEntities finds, without computing values (the tokenizer
// uses this to keep entities whole). `name_start` is where a mention's or
// hashtag's name begins (after the sigil); for URLs it equals `start`.
struct EntitySpan {
  EntityKind kind = EntityKind::kUrl;
  uint32_t start = 0;
  uint32_t end = 0;
  uint32_t name_start = 0;
};
std::vector<EntitySpan> FindEntitySpans(std::string_view text);

// Normalises a URL for matching: lower-case scheme and host, "www." kept,
// default ports (http 80, https 443, ftp 21) and empty ports dropped,
// fragment dropped (except "#!" hash-bang routes, which name distinct pages
// on old single-page sites), tracking parameters removed from the query
// (utm_*, fbclid, gclid, dclid, msclkid, twclid, igshid, mc_cid, mc_eid,
// ref_src, ref_url, _ga, yclid, si; and s and t on twitter.com/x.com, whose
// share links add them, while elsewhere they are real parameters like a
// WordPress search or a YouTube start time), remaining query order kept, an
// emptied query's '?' dropped, one trailing '/' on the path dropped
// ("http://a.com/" and "http://a.com" match). A URL without a scheme gets
// "http://". Paths and queries keep their case. Surrounding white space is
// trimmed. Never fails: text that does not parse as a URL (no host) is
// returned lower-cased. Thread-safe.
std::string NormalizeUrl(std::string_view url);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_ENTITIES_H_
