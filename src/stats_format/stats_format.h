// Views of corpus statistics for the CLI: `stats --json` and the text
// summary. (Search results have their own JSON in src/claims/search.h; the
// web API's shapes are in docs/api.md.)
#ifndef ECHOTRACE_STATS_FORMAT_STATS_FORMAT_H_
#define ECHOTRACE_STATS_FORMAT_STATS_FORMAT_H_

#include <string>
#include <vector>

#include "echotrace/store.h"

namespace echotrace {

// {"documents":N,"authors":N,"sources":N,"rejects":N,"entities":N,
//  "undated":N,"first_time":"ISO"|null,"last_time":"ISO"|null,
//  "by_source":[{"key":..,"count":..}],"by_lang":[..],"top_authors":[..]}
std::string StatsToJson(const CorpusStats& s);

// A human-readable multi-line summary of corpus statistics.
std::string StatsToText(const CorpusStats& s);

}  // namespace echotrace

#endif  // ECHOTRACE_STATS_FORMAT_STATS_FORMAT_H_
