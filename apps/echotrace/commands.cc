#include "commands.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "demo/verify.h"
#include "echotrace/analyze.h"
#include "echotrace/demo.h"
#include "echotrace/export.h"
#include "echotrace/ingest.h"
#include "echotrace/show.h"
#include "echotrace/store.h"
#include "echotrace/trace.h"
#include "echotrace/web.h"
#include "narratives/results.h"
#include "stats_format/stats_format.h"
#include "text/time_parse.h"
#include "util/json.h"
#include "verbs.h"

namespace echotrace::cli {

namespace {

void PrintIngestSummary(const IngestSummary& s, const std::string& db, bool check) {
  std::fprintf(stderr,
               check ? "ingest --check: %llu records read from %llu file(s): %llu would be "
                       "stored, %llu already present, %llu rejected, %llu warnings (%.1fs); "
                       "nothing was written\n"
                     : "ingest: %llu records read from %llu file(s): %llu stored, %llu already "
                       "present, %llu rejected, %llu warnings (%.1fs)\n",
               static_cast<unsigned long long>(s.read), static_cast<unsigned long long>(s.files),
               static_cast<unsigned long long>(s.ingested),
               static_cast<unsigned long long>(s.duplicates),
               static_cast<unsigned long long>(s.rejected),
               static_cast<unsigned long long>(s.warnings), s.seconds);
  if (s.skipped_files > 0) {
    std::fprintf(stderr, "ingest: %llu file(s) in the named folders were skipped (listed above)\n",
                 static_cast<unsigned long long>(s.skipped_files));
  }
  if (s.rejected > 0 && !check) {
    std::string quoted = "'";
    for (char c : db) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    std::fprintf(stderr,
                 "ingest: rejected records are in the store's rejects table with file, line and "
                 "reason: sqlite3 %s 'SELECT file, line, reason FROM rejects'\n",
                 quoted.c_str());
  }
  if (s.nul_bytes > 0) {
    std::fprintf(stderr, "ingest: %llu NUL bytes were dropped from records (NUL is not text)\n",
                 static_cast<unsigned long long>(s.nul_bytes));
  }
  if (s.invalid_utf8 > 0) {
    std::fprintf(stderr, "ingest: %llu invalid UTF-8 sequences were replaced with U+FFFD\n",
                 static_cast<unsigned long long>(s.invalid_utf8));
  }
}

}  // namespace

Status RunIngest(const Options& o) {
  const auto t0 = std::chrono::steady_clock::now();
  std::unique_ptr<Store> store;
  if (!o.check) {
    if (o.db.empty()) return Status::InvalidArgument("ingest needs --db FILE (or --check)");
    ET_ASSIGN_OR_RETURN(store, Store::Open(o.db, OpenMode::kReadWrite));
  }
  IngestOptions io;
  io.format = o.format;
  io.map = o.map;
  io.columns = o.columns;
  io.source = o.source;
  io.time = o.time;
  io.strict = o.strict;
  io.threads = o.threads;
  io.batch_records = o.batch;
  io.progress = !o.quiet;
  io.cancel = o.cancel;
  io.check_only = o.check;
  IngestSummary summary;
  Status s = Ingest(store.get(), o.paths, io, &summary);
  // Closing the store may checkpoint the WAL into the file (seconds after
  // a large load that went through it; a first load into a new store does
  // not, store.cc): part of the run, so it happens before the figures are
  // printed, which cover the whole command from opening the store.
  store.reset();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (summary.run_id != 0 || o.check) {
    if (o.json) std::printf("%s\n", summary.ToJson().c_str());
    if (!o.quiet) PrintIngestSummary(summary, o.db, o.check);
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

Status RunTrace(const Options& o) {
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(o.db, OpenMode::kReadOnly));
  TraceOptions to;
  to.limit = o.trace_limit;
  to.min_coverage = o.min_coverage;
  ET_ASSIGN_OR_RETURN(TraceResult r, TracePassage(store.get(), o.query, to));
  const std::string format = o.json ? "json" : o.trace_format;
  if (format == "json") {
    std::printf("%s\n", TraceResultToJson(r).c_str());
    return Status::OK();
  }
  if (r.truncated) {
    std::fprintf(stderr,
                 "trace: %zu occurrence(s) in the %llu most relevant of %llu candidate documents "
                 "(those sharing a word n-gram with the passage); --limit %d: raise it to "
                 "examine all\n",
                 r.hits.size(), static_cast<unsigned long long>(r.candidates),
                 static_cast<unsigned long long>(r.matching), o.trace_limit);
  } else {
    std::fprintf(stderr,
                 "trace: %zu occurrence(s) in %llu candidate document(s) (all those sharing a "
                 "word n-gram with the passage)\n",
                 r.hits.size(), static_cast<unsigned long long>(r.candidates));
  }
  const std::string origin_note = TraceOriginNote(r);
  if (format == "csv" || format == "jsonl") {
    // One row per hit on stdout; the caveat goes with the summary.
    if (!origin_note.empty()) std::fprintf(stderr, "trace: %s\n", origin_note.c_str());
    std::fputs(format == "csv" ? TraceResultToCsv(r).c_str() : TraceResultToJsonl(r).c_str(),
               stdout);
    return Status::OK();
  }
  if (!origin_note.empty()) std::printf("%s\n", origin_note.c_str());
  for (const TraceHit& h : r.hits) {
    std::string when = h.time ? FormatTimeIso(*h.time) : std::string("undated");
    std::printf("%s  %s  [%s] %s  bytes %u-%u  coverage %.0f%%  identity %.0f%%\n    %s\n",
                when.c_str(), h.ext_id.c_str(), h.source.c_str(), h.author.c_str(), h.start, h.end,
                h.coverage * 100, h.identity * 100, h.text.c_str());
  }
  return Status::OK();
}

Status RunShow(const Options& o) {
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(o.db, OpenMode::kReadOnly));
  if (o.limit < 1) return Status::InvalidArgument("--limit must be at least 1");
  if (o.what == "group") {
    if (o.evidence < 0) return Status::InvalidArgument("--evidence must not be negative");
    ET_ASSIGN_OR_RETURN(ShownGroup g, ShowGroup(store.get(), o.id, o.limit, o.evidence));
    std::fputs(RenderGroup(g).c_str(), stdout);
    return Status::OK();
  }
  if (o.what == "narrative") {
    ET_ASSIGN_OR_RETURN(ShownNarrative n, ShowNarrative(store.get(), o.id, o.limit));
    std::fputs(RenderNarrative(n).c_str(), stdout);
    return Status::OK();
  }
  ET_ASSIGN_OR_RETURN(ShownReuseCluster c, ShowReuseCluster(store.get(), o.id, o.limit));
  std::fputs(RenderReuseCluster(c).c_str(), stdout);
  return Status::OK();
}

Status RunAnalyze(const Options& o) {
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(o.db, OpenMode::kReadWrite));
  AnalyzeOptions ao = o.analyze;
  // --resolution and --seed are shared by the two Leiden detectors.
  ao.narratives.resolution = ao.coordination.resolution;
  ao.narratives.seed = ao.coordination.seed;
  ao.neardup.full = ao.reuse.full = o.full;
  ao.threads = o.threads;
  ao.progress = !o.quiet;
  ao.cancel = o.cancel;
  AnalyzeSummary summary;
  Status s = Analyze(store.get(), ao, &summary);
  if (o.json && s.ok()) std::printf("%s\n", summary.ToJson().c_str());
  if (!o.quiet && !summary.stages.empty()) std::fputs(summary.ToText().c_str(), stderr);
  return s;
}

Status RunExport(const Options& o) {
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(o.db, OpenMode::kReadOnly));
  ExportOptions eo;
  eo.what = o.what;
  eo.format = o.export_format;
  eo.out_path = o.out_file;
  ExportSummary summary;
  ET_RETURN_IF_ERROR(Export(store.get(), eo, &summary));
  std::fprintf(stderr, "export: %llu rows of %s (run %lld)%s%s\n",
               static_cast<unsigned long long>(summary.rows), o.what.c_str(),
               static_cast<long long>(summary.run_id), o.out_file.empty() ? "" : " to ",
               o.out_file.c_str());
  return Status::OK();
}

Status RunDemo(const Options& o) {
  DemoOptions dopts;
  dopts.out_dir = o.out_dir;
  dopts.seed = o.seed;
  DemoSummary corpus;
  ET_RETURN_IF_ERROR(WriteDemoCorpus(dopts, &corpus));
  std::fprintf(stderr, "demo: wrote %llu documents (%llu accounts) to %s\n",
               static_cast<unsigned long long>(corpus.documents),
               static_cast<unsigned long long>(corpus.accounts), o.out_dir.c_str());

  // The corpus is written afresh, so the store is too: a stale store from
  // another seed would mix two corpora.
  std::string db = (std::filesystem::path(o.out_dir) / "demo.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    std::filesystem::remove(db + suffix, ec);
  }
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(db, OpenMode::kReadWrite));
  IngestOptions io;
  io.progress = !o.quiet;
  io.cancel = o.cancel;
  IngestSummary ingest;
  ET_RETURN_IF_ERROR(Ingest(store.get(), corpus.inputs, io, &ingest));
  PrintIngestSummary(ingest, db, false);

  AnalyzeOptions ao;
  ao.progress = !o.quiet;
  ao.cancel = o.cancel;
  ao.only = AvailableDetectors();  // talking points too (opt-in elsewhere)
  AnalyzeSummary analysis;
  ET_RETURN_IF_ERROR(Analyze(store.get(), ao, &analysis));

  ET_ASSIGN_OR_RETURN(GroundTruth truth, ReadGroundTruth(corpus.ground_truth_path));
  ET_ASSIGN_OR_RETURN(DemoIngestCheck check, CheckIngestedDemo(store.get(), truth));
  ET_ASSIGN_OR_RETURN(DemoNearDupScore nd, ScoreNearDup(store.get(), truth));
  ET_ASSIGN_OR_RETURN(DemoReuseScore reuse, ScoreReuse(store.get(), truth));
  ET_ASSIGN_OR_RETURN(DemoCoordScore coord, ScoreCoordination(store.get(), truth));
  ET_ASSIGN_OR_RETURN(DemoNarrativeScore tp, ScoreNarratives(store.get(), truth));
  ET_ASSIGN_OR_RETURN(CorpusStats stats, store->Stats());

  // Everything above as one HTML file for a browser (issue #6); none from a
  // build without the front end (said on stderr, the demo itself still runs).
  std::string report;
  Result<const WebAssets*> assets = FrontEnd();
  if (assets.ok()) {
    report = (std::filesystem::path(o.out_dir) / "report.html").string();
    ReportOptions ro;
    ro.progress = !o.quiet;
    ro.cancel = o.cancel;
    ET_RETURN_IF_ERROR(WriteReport(store.get(), **assets, report, ro, nullptr));
  } else {
    std::fprintf(stderr, "demo: no report.html: %s\n", assets.status().message().c_str());
  }

  if (o.json) {
    JsonWriter w;
    w.BeginObject().Key("store").String(db).Key("ingest").Raw(ingest.ToJson());
    w.Key("analyze").Raw(analysis.ToJson());
    w.Key("planted_spans").Uint(check.spans).Key("spans_at_offset").Uint(check.spans_at_offset);
    w.Key("neardup_groups").Uint(nd.groups).Key("neardup_groups_recovered");
    w.Uint(nd.groups_recovered).Key("neardup_pairs").Uint(nd.pairs);
    w.Key("neardup_pairs_found").Uint(nd.pairs_found);
    w.Key("neardup_close_groups").Uint(nd.close_groups);
    w.Key("neardup_close_groups_recovered").Uint(nd.close_groups_recovered);
    w.Key("neardup_close_pairs").Uint(nd.close_pairs);
    w.Key("neardup_close_pairs_found").Uint(nd.close_pairs_found);
    w.Key("reuse_passages").Uint(reuse.passages).Key("reuse_passages_recovered");
    w.Uint(reuse.passages_recovered).Key("reuse_occurrences").Uint(reuse.occurrences);
    w.Key("reuse_occurrences_recovered").Uint(reuse.occurrences_recovered);
    w.Key("coord_groups").Uint(coord.groups).Key("coord_groups_recovered");
    w.Uint(coord.groups_recovered).Key("coord_accounts").Uint(coord.accounts);
    w.Key("coord_accounts_together").Uint(coord.accounts_together);
    w.Key("talking_point_mentions").Uint(tp.mentions).Key("talking_points_found").Uint(tp.found);
    w.Key("talking_point_precision").Double(tp.precision);
    w.Key("talking_point_recall").Double(tp.recall).Key("talking_point_f1").Double(tp.f1);
    w.Key("report");
    if (report.empty()) {
      w.Null();
    } else {
      w.String(report);
    }
    w.Key("stats").Raw(StatsToJson(stats)).EndObject();
    std::printf("%s\n", w.str().c_str());
  } else {
    std::fputs(StatsToText(stats).c_str(), stdout);
    std::printf(
        "\nplanted in this corpus (ground truth: %s)\n"
        "  reused passages       %llu (%llu occurrences)\n"
        "  near-duplicate groups %llu (%llu posts)\n"
        "  coordinated groups    %llu (%llu accounts, %llu bursts)\n"
        "  talking points        %llu (%llu mentions)\n"
        "scorecard\n"
        "  documents stored      %llu of %llu generated\n"
        "  planted spans found at their byte offsets  %llu of %llu\n"
        "  near-duplicate groups recovered whole      %llu of %llu (pairs: %llu of %llu; "
        "%llu clusters found in all)\n"
        "    of those within Jaccard %.2f            %llu of %llu (pairs: %llu of %llu; the "
        "other copies were edited below it)\n"
        "  reused passages recovered whole            %llu of %llu (occurrences: %llu of %llu; "
        "%llu clusters found in all)\n"
        "  coordinated groups found exactly           %llu of %llu (accounts together: %llu of "
        "%llu; %llu groups found in all)\n",
        corpus.ground_truth_path.c_str(), static_cast<unsigned long long>(corpus.reuse_passages),
        static_cast<unsigned long long>(corpus.reuse_occurrences),
        static_cast<unsigned long long>(corpus.neardup_groups),
        static_cast<unsigned long long>(corpus.neardup_docs),
        static_cast<unsigned long long>(corpus.coord_groups),
        static_cast<unsigned long long>(corpus.coord_accounts),
        static_cast<unsigned long long>(corpus.coord_bursts),
        static_cast<unsigned long long>(corpus.talking_points),
        static_cast<unsigned long long>(corpus.talking_point_mentions),
        static_cast<unsigned long long>(stats.documents),
        static_cast<unsigned long long>(corpus.documents),
        static_cast<unsigned long long>(check.spans_at_offset),
        static_cast<unsigned long long>(check.spans),
        static_cast<unsigned long long>(nd.groups_recovered),
        static_cast<unsigned long long>(nd.groups), static_cast<unsigned long long>(nd.pairs_found),
        static_cast<unsigned long long>(nd.pairs),
        static_cast<unsigned long long>(nd.found_clusters), nd.threshold,
        static_cast<unsigned long long>(nd.close_groups_recovered),
        static_cast<unsigned long long>(nd.close_groups),
        static_cast<unsigned long long>(nd.close_pairs_found),
        static_cast<unsigned long long>(nd.close_pairs),
        static_cast<unsigned long long>(reuse.passages_recovered),
        static_cast<unsigned long long>(reuse.passages),
        static_cast<unsigned long long>(reuse.occurrences_recovered),
        static_cast<unsigned long long>(reuse.occurrences),
        static_cast<unsigned long long>(reuse.found_clusters),
        static_cast<unsigned long long>(coord.groups_recovered),
        static_cast<unsigned long long>(coord.groups),
        static_cast<unsigned long long>(coord.accounts_together),
        static_cast<unsigned long long>(coord.accounts),
        static_cast<unsigned long long>(coord.found_groups));
    std::printf(
        "  talking points: B-cubed over mentions     P %.2f R %.2f F1 %.2f (%llu mentions in "
        "%llu found talking points; %llu outlying)\n",
        tp.precision, tp.recall, tp.f1, static_cast<unsigned long long>(tp.mentions),
        static_cast<unsigned long long>(tp.found), static_cast<unsigned long long>(tp.outliers));
    for (const std::string& e : check.examples) std::printf("  mismatch: %s\n", e.c_str());
    if (!report.empty()) {
      std::printf("\nreport: %s (open it in a browser; nothing is fetched)\n", report.c_str());
    }
    std::printf(
        "\nnext: echotrace search --db %s \"grain embargo\"\n"
        "      echotrace show --db %s reuse 1\n"
        "      echotrace serve --db %s\n",
        db.c_str(), db.c_str(), db.c_str());
  }
  if (stats.documents != corpus.documents || check.spans_at_offset != check.spans) {
    return Status::Internal(
        "the demo corpus did not round-trip through ingest (see the scorecard above); "
        "please report this");
  }
  return Status::OK();
}

}  // namespace echotrace::cli
