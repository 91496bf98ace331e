// show reuse: a cluster's occurrences, each aligned to the origin's with the
// reuse aligner and rendered in wdiff notation, so a reader sees at a glance
// what an outlet or account changed when it copied the passage.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>

#include "echotrace/show.h"
#include "query/terminal.h"
#include "reuse/alignment.h"
#include "reuse/results.h"
#include "store/sqlite_util.h"
#include "text/time_parse.h"
#include "text/tokenizer.h"

namespace echotrace {

namespace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

}  // namespace

Result<ShownReuseCluster> ShowReuseCluster(Store* store, int64_t cluster_id, int limit) {
  sqlite3* db = store->handle();
  ShownReuseCluster c;
  c.cluster_id = cluster_id;
  Stmt head;
  Status prep = head.Prepare(
      db,
      "SELECT run_id, origin_doc_id, origin_start, occurrences, documents, sources, authors, "
      "first_time, last_time FROM reuse_clusters WHERE cluster_id = ?1 AND run_id = ?2");
  if (!prep.ok()) {
    return Status::NotFound(
        "the store has no reuse result yet; run: echotrace analyze --db DB "
        "--only reuse");
  }
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun("reuse"));
  head.BindInt64(1, cluster_id);
  head.BindOptInt64(2, run ? std::optional<int64_t>(run->id) : std::nullopt);
  int rc = head.Step();
  if (rc == SQLITE_DONE) {
    return Status::NotFound("no reuse cluster " + std::to_string(cluster_id) +
                            " in the latest reuse result (see: echotrace export --what "
                            "reuse-clusters)");
  }
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading the reuse cluster");
  c.run_id = head.Int64(0);
  int64_t origin_doc = head.Int64(1);
  int64_t origin_start = head.Int64(2);
  c.occurrences = head.Int64(3);
  c.documents = head.Int64(4);
  c.sources = head.Int64(5);
  c.authors = head.Int64(6);
  c.first_time = head.OptInt64(7);
  c.last_time = head.OptInt64(8);
  ET_ASSIGN_OR_RETURN(c.undated_documents, CountUndatedReuseDocuments(store, c.run_id, cluster_id));

  Stmt occ;
  ET_RETURN_IF_ERROR(occ.Prepare(
      db,
      "SELECT o.doc_id, o.start, o.end FROM reuse_occurrences o JOIN docs d ON d.id = o.doc_id "
      "WHERE o.run_id = ?1 AND o.cluster_id = ?2 "
      "ORDER BY (o.doc_id = ?3 AND o.start = ?4) DESC, d.time IS NULL, d.time, o.doc_id, "
      "o.start LIMIT ?5"));
  occ.BindInt64(1, c.run_id);
  occ.BindInt64(2, cluster_id);
  occ.BindInt64(3, origin_doc);
  occ.BindInt64(4, origin_start);
  occ.BindInt64(5, limit);
  std::vector<std::tuple<int64_t, uint32_t, uint32_t>> rows;
  while ((rc = occ.Step()) == SQLITE_ROW) {
    rows.emplace_back(occ.Int64(0), static_cast<uint32_t>(occ.Int64(1)),
                      static_cast<uint32_t>(occ.Int64(2)));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the occurrences");
  std::vector<Token> origin_tokens;
  for (const auto& [doc_id, start, end] : rows) {
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
