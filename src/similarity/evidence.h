// Entity evidence: the names, numbers, hashtags, handles and links a text
// mentions. Two texts about the same claim tend to share its specifics (a
// person, a figure, a place) even when their wording differs, and sharing a
// common word is no evidence while sharing "Kharkiv" or "$1,400" is.
//  - names: capitalised words that are not stop words, matching form
//    ("Kharkiv" → "kharkiv"); a sentence-initial capital counts too (posts
//    start sentences with names as often as not);
//  - numbers: number tokens without thousands separators ("1,400" → 1400);
//  - tags: hashtags (matching form without '#');
//  - handles: @mentions (matching form without '@');
//  - hosts: the host of each URL, without "www.".
#ifndef ECHOTRACE_SIMILARITY_EVIDENCE_H_
#define ECHOTRACE_SIMILARITY_EVIDENCE_H_

#include <string>
#include <string_view>
#include <vector>

namespace echotrace::sim {

struct Evidence {
  // Each list sorted and without duplicates.
  std::vector<std::string> names, numbers, tags, handles, hosts;
};

Evidence ExtractEvidence(std::string_view text);

struct EvidenceMatch {
  std::vector<std::string> shared;  // "name:kharkiv", "number:1400", ...
  // Shared items over the query's items (0 when the query has none), for
  // names and for numbers; and whether any tag, handle or host is shared.
  double names = 0, numbers = 0;
  bool tag_or_link = false;
};

// What `query`'s evidence shares with `doc`'s.
EvidenceMatch MatchEvidence(const Evidence& query, const Evidence& doc);

}  // namespace echotrace::sim

#endif  // ECHOTRACE_SIMILARITY_EVIDENCE_H_
