// show reuse: a cluster's occurrences, each aligned to the origin's with the
// reuse aligner and rendered in wdiff notation, so a reader sees at a glance
// what an outlet or account changed when it copied the passage.
#include <algorithm>
#include <cstdio>

#include "echotrace/show.h"
#include "query/terminal.h"
#include "reuse/alignment.h"
#include "reuse/results.h"
#include "text/time_parse.h"
#include "text/tokenizer.h"

namespace echotrace {

Result<ShownReuseCluster> ShowReuseCluster(Store* store, int64_t cluster_id, int limit) {
  ET_ASSIGN_OR_RETURN(std::optional<int64_t> run, LatestReuseRun(store));
  if (!run) {
    return Status::NotFound(
        "the store has no reuse result yet; run: echotrace analyze --db DB "
        "--only reuse");
  }
  ReuseResultReader reader(store, *run);
  ET_ASSIGN_OR_RETURN(std::optional<ReuseClusterSummary> found, reader.Cluster(cluster_id));
  if (!found) {
    return Status::NotFound("no reuse cluster " + std::to_string(cluster_id) +
                            " in the latest reuse result (see: echotrace export --what "
                            "reuse-clusters)");
  }
  ShownReuseCluster c;
  c.cluster_id = cluster_id;
  c.run_id = *run;
  c.occurrences = found->occurrences;
  c.documents = found->documents;
  c.sources = found->sources;
  c.authors = found->authors;
  c.first_time = found->first_time;
  c.last_time = found->last_time;
  const int64_t origin_doc = found->origin_doc;
  const int64_t origin_start = found->origin_start;
  ET_ASSIGN_OR_RETURN(c.undated_documents, CountUndatedReuseDocuments(store, c.run_id, cluster_id));

  ET_ASSIGN_OR_RETURN(std::vector<ReuseOccurrenceView> rows, reader.Occurrences(*found, limit));
  std::vector<Token> origin_tokens;
  for (const ReuseOccurrenceView& row : rows) {
    const int64_t doc_id = row.doc_id;
    const auto start = static_cast<uint32_t>(row.start);
    const auto end = static_cast<uint32_t>(row.end);
    ET_ASSIGN_OR_RETURN(std::optional<Document> doc, store->GetDocument(doc_id));
    if (!doc) continue;
    ShownOccurrence s;
    s.ext_id = doc->ext_id;
    s.source = doc->source;
    s.author = doc->author;
    s.time = doc->time;
    s.start = start;
    s.end = std::min<uint32_t>(end, static_cast<uint32_t>(doc->text.size()));
    s.text = doc->text.substr(std::min<size_t>(start, doc->text.size()),
                              s.end - std::min<uint32_t>(start, s.end));
    s.origin = c.shown.empty() && doc_id == origin_doc && start == origin_start;
    if (c.shown.empty()) origin_tokens = Tokenize(s.text);
    if (!s.origin && !c.shown.empty())
      s.marked = reuse::MarkAgainstOrigin(c.shown.front().text, origin_tokens, s.text, &s.identity);
    c.shown.push_back(std::move(s));
  }
  return c;
}

std::string RenderReuseCluster(const ShownReuseCluster& c) {
  auto when = [](const std::optional<int64_t>& t) {
    return t ? FormatTimeIso(*t) : std::string("time unknown");
  };
  char buf[512];
  std::snprintf(
      buf, sizeof buf,
      "reuse cluster %lld (run %lld): %llu occurrences in %llu documents, %llu "
      "sources, %llu authors; first seen %s, last seen %s\n",
      static_cast<long long>(c.cluster_id), static_cast<long long>(c.run_id),
      static_cast<unsigned long long>(c.occurrences), static_cast<unsigned long long>(c.documents),
      static_cast<unsigned long long>(c.sources), static_cast<unsigned long long>(c.authors),
      when(c.first_time).c_str(), when(c.last_time).c_str());
  std::string out = buf;
  // With undated documents the first occurrence is only the earliest dated
  // one (or, with no date at all, the first stored): it is not named the
  // origin.
  const bool certain = c.undated_documents == 0;
  if (!certain) {
    out += OriginUncertainNote(c.undated_documents) +
           " (any of them may be older); copies are aligned to the " +
           (c.first_time ? "earliest dated occurrence\n" : "first stored occurrence\n");
  }
  for (const ShownOccurrence& s : c.shown) {
    const char* label = s.origin ? (certain  ? "ORIGIN"
                                    : s.time ? "EARLIEST DATED"
                                             : "FIRST STORED")
                                 : "  copy";
    std::snprintf(buf, sizeof buf, "\n%s %s  [%s] %s  %s  bytes %u-%u", label,
                  TerminalSafe(s.ext_id, false).c_str(), TerminalSafe(s.source, false).c_str(),
                  TerminalSafe(s.author, false).c_str(), when(s.time).c_str(), s.start, s.end);
    out += buf;
    if (!s.origin) {
      std::snprintf(buf, sizeof buf, "  identity %.0f%%", s.identity * 100);
      out += buf;
    }
    out += "\n    ";
    out += TerminalSafe(s.origin ? s.text : s.marked);
    out += '\n';
  }
  if (c.shown.size() < c.occurrences) {
    out += "\n(" + std::to_string(c.occurrences - c.shown.size()) +
           " more occurrences; raise --limit, or export --what reuse)\n";
  }
  return out;
}

}  // namespace echotrace
