// URLs, @mentions and #hashtags: the evidence co-link, co-reply and
// co-hashtag detection work on.
#ifndef ECHOTRACE_TEXT_ENTITIES_H_
#define ECHOTRACE_TEXT_ENTITIES_H_

#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"

namespace echotrace {

// Finds URLs (http://, https://, www.), @mentions and #hashtags in valid
// UTF-8 text, in order of position. Trailing punctuation that ends a sentence
// (".,;:!?)]}'\"…") is not part of a URL unless balanced. Hashtags and
// mentions must not follow a letter or digit ("a@b.com" is no mention).
std::vector<Entity> ExtractEntities(std::string_view text);

// Normalises a URL for matching: lower-case scheme and host, "www." kept,
// default ports dropped, fragment dropped, tracking parameters (utm_*,
// fbclid, gclid, igshid, mc_cid, mc_eid, ref_src, s, si, ...) removed from
// the query, remaining query order kept, a lone trailing '/' on the path
// dropped. A URL without a scheme gets "http://". Never fails: text that does
// not parse as a URL is returned lower-cased.
std::string NormalizeUrl(std::string_view url);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_ENTITIES_H_
