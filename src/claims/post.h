// Cleaning posts before matching them against claims.
//
// Tweets quoted by fact-checkers (and the CheckThat! queries) arrive as the
// text embedded on a web page: "… pic.twitter.com/lnKicfpXQD — Tim Mak
// (@timkmak) March 7, 2022". The link and the attribution are not the claim,
// yet the attribution is evidence of its own: who said it (claims often
// name the speaker) and when (fact-checks follow the posts they check
// within days or weeks). CleanPost separates them:
//  - the trailing attribution "— Name (@handle) Month D, YYYY" (em dash,
//    en dash or " - " before the name; the date may be missing) is parsed off
//    into author_name, handle and day;
//  - URLs (with or without a scheme: pic.twitter.com/…, t.co/…) are removed;
//  - surrounding CSV-style quotes and HTML entities &amp; &quot; &lt; &gt;
//    &#39; are undone.
// Hashtags stay in the body: the analyzer splits them into words.
#ifndef ECHOTRACE_CLAIMS_POST_H_
#define ECHOTRACE_CLAIMS_POST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace echotrace::claims {

struct CleanedPost {
  std::string body;            // the post without links and attribution
  std::string author_name;     // "Tim Mak", or ""
  std::string handle;          // "timkmak" (without '@'), or ""
  std::optional<int64_t> day;  // days since 1970-01-01 of the attribution date
};

// Never fails; text without an attribution keeps everything but the links.
CleanedPost CleanPost(std::string_view text);

// Days since 1970-01-01 of a date written as "March 7, 2022", "Mar 7 2022",
// "7 March 2022", "2022-03-07" (or anything ParseTime accepts). Month names
// in English, any case, full or three letters. nullopt otherwise.
std::optional<int64_t> ParseLooseDay(std::string_view s);

}  // namespace echotrace::claims

#endif  // ECHOTRACE_CLAIMS_POST_H_
