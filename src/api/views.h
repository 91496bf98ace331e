// JSON views of library results, shared by the CLI (--json) and, later, the
// HTTP API, so that both speak the same shapes (documented in docs/cli.md).
#ifndef ECHOTRACE_API_VIEWS_H_
#define ECHOTRACE_API_VIEWS_H_

#include <string>
#include <vector>

#include "echotrace/store.h"

namespace echotrace {

// {"documents":N,"authors":N,"sources":N,"rejects":N,"entities":N,
//  "undated":N,"first_time":"ISO"|null,"last_time":"ISO"|null,
//  "by_source":[{"key":..,"count":..}],"by_lang":[..],"top_authors":[..]}
std::string StatsToJson(const CorpusStats& s);

// {"query":..,"hits":[{"rank":1,"doc_id":..,"ext_id":..,"source":..,
//  "author":..,"time":"ISO"|null,"title":..,"score":..,"snippet":..}]}
std::string SearchHitsToJson(const std::string& query, const std::vector<SearchHit>& hits);

// A human-readable multi-line summary of corpus statistics.
std::string StatsToText(const CorpusStats& s);

}  // namespace echotrace

#endif  // ECHOTRACE_API_VIEWS_H_
