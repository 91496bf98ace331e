#include "commands.h"

#include <cstdio>

#include "api/views.h"
#include "echotrace/ingest.h"
#include "echotrace/store.h"
#include "text/time_parse.h"

namespace echotrace::cli {

namespace {

void PrintIngestSummary(const IngestSummary& s) {
  std::fprintf(stderr,
               "ingest: %llu records read from %llu file(s): %llu stored, %llu already present, "
               "%llu rejected, %llu warnings (%.1fs)\n",
               static_cast<unsigned long long>(s.read), static_cast<unsigned long long>(s.files),
               static_cast<unsigned long long>(s.ingested),
               static_cast<unsigned long long>(s.duplicates),
               static_cast<unsigned long long>(s.rejected),
               static_cast<unsigned long long>(s.warnings), s.seconds);
  if (s.rejected > 0) {
    std::fprintf(stderr,
                 "ingest: rejected records are in the store's rejects table with file, line and "
                 "reason: sqlite3 DB 'SELECT file, line, reason FROM rejects'\n");
  }
  if (s.invalid_utf8 > 0) {
    std::fprintf(stderr, "ingest: %llu invalid UTF-8 sequences were replaced with U+FFFD\n",
                 static_cast<unsigned long long>(s.invalid_utf8));
  }
}

}  // namespace

Status RunIngest(const Options& o) {
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(o.db, OpenMode::kReadWrite));
  IngestOptions io;
  io.format = o.format;
  io.map = o.map;
  io.columns = o.columns;
  io.source = o.source;
  io.strict = o.strict;
  io.threads = o.threads;
  io.progress = !o.quiet;
  io.cancel = o.cancel;
  IngestSummary summary;
  Status s = Ingest(store.get(), o.paths, io, &summary);
  if (summary.run_id != 0) {
    if (o.json) std::printf("%s\n", summary.ToJson().c_str());
    if (!o.quiet) PrintIngestSummary(summary);
  }
  return s;
}

Status RunStats(const Options& o) {
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(o.db, OpenMode::kReadOnly));
  ET_ASSIGN_OR_RETURN(CorpusStats stats, store->Stats());
  if (o.json) {
    std::printf("%s\n", StatsToJson(stats).c_str());
  } else {
    std::fputs(StatsToText(stats).c_str(), stdout);
  }
  return Status::OK();
}

Status RunSearch(const Options& o) {
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(o.db, OpenMode::kReadOnly));
  ET_ASSIGN_OR_RETURN(auto hits, store->Search(o.query, o.k));
  if (o.json) {
    std::printf("%s\n", SearchHitsToJson(o.query, hits).c_str());
    return Status::OK();
  }
  if (hits.empty()) std::fprintf(stderr, "search: no document matches\n");
  int rank = 0;
  for (const SearchHit& h : hits) {
    std::string when = h.time ? FormatTimeIso(*h.time) : std::string("undated");
    std::printf("%2d. %.3f  %s  [%s] %s  %s\n    %s\n", ++rank, h.score, h.ext_id.c_str(),
                h.source.c_str(), h.author.c_str(), when.c_str(), h.snippet.c_str());
  }
  return Status::OK();
}

}  // namespace echotrace::cli
