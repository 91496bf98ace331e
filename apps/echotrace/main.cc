// echotrace: the command-line front end. Flags in, library calls, a Status
// out as an exit code (0 ok, 1 runtime failure, 2 bad usage or bad input
// under --strict). Figures go to stdout as JSON with --json; everything
// meant for a person (progress, summaries, errors) goes to stderr.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "echotrace/status.h"
#include "verbs.h"

namespace {

std::atomic<bool> g_cancel{false};

void OnSigint(int) {
  // A second Ctrl-C ends the process at once; the store stays consistent
  // (SQLite rolls back the open transaction).
  if (g_cancel.exchange(true)) std::_Exit(130);
}

// Edit distance with adjacent transpositions (optimal string alignment):
// "serach" is one step from "search".
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// When the first argument is neither an option nor a verb: the message
// naming it, with the nearest verb when one is within two edits ("did you
// mean search?"); "" otherwise (CLI11 handles the rest).
std::string UnknownVerbHint(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0') return {};
  const std::string given = argv[1];
  std::string best;
  size_t best_distance = 3;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == given) return {};
    size_t dist = EditDistance(given, sub->get_name());
    if (dist < best_distance) {
      best_distance = dist;
      best = sub->get_name();
    }
  }
  std::string msg = "echotrace: '" + given + "' is not a verb";
  if (!best.empty()) msg += "; did you mean " + best + "?";
  return msg + " (echotrace --help lists them)";
}

}  // namespace

int main(int argc, char** argv) {
  using echotrace::cli::Options;
  Options o;
  o.cancel = &g_cancel;

  CLI::App app{
      "echotrace: trace talking points through online discourse.\n"
      "Text reuse, near-duplicates, coordinated accounts and claim search over a corpus "
      "of posts, comments and articles kept in one SQLite store."};
  app.set_version_flag("--version", std::string("echotrace ") + ECHOTRACE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  CLI::App* ingest = app.add_subcommand(
      "ingest",
      "Read files (JSONL, CSV, TSV, text, Markdown, HTML; .gz/.zst; directories; '-' for "
      "stdin) into the store. Rerunning is safe: stored records are skipped.");
  ingest->add_option("--db", o.db, "store file (created when absent); not needed with --check");
  ingest->add_option("--format", o.format, "auto|jsonl|csv|tsv|text|html")->default_val("auto");
  ingest->add_option("--map", o.map,
                     "FIELD=COLUMN[+COLUMN...]: take a canonical field (id text author time "
                     "source url parent title lang) from the named input column(s)");
  ingest
      ->add_option("--columns", o.columns,
                   "CSV/TSV column names, comma-separated, for files without a header row")
      ->delimiter(',');
  ingest->add_option("--source", o.source,
                     "source name for every record (default: the record's source field, "
                     "else the file name)");
  ingest->add_option("--time", o.time,
                     "publication time for every document read here that has none of its own "
                     "(undated articles): ISO 8601 or unix seconds");
  ingest->add_flag("--strict", o.strict,
                   "stop at the first bad record with exit code 2 (default: store it in the "
                   "rejects table and go on)");
  ingest->add_option("--threads", o.threads, "worker threads (default: all cores)");
  ingest->add_option("--batch", o.batch, "records per transaction (default 16384)");
  ingest->add_flag("--check", o.check,
                   "read, map and normalise everything, write nothing: report what would be "
                   "stored and rejected");
  ingest->add_flag("--json", o.json, "print the summary as one JSON object on stdout");
  ingest->add_flag("--quiet", o.quiet, "no progress on stderr");
  ingest->add_option("paths", o.paths, "files or directories; '-' reads stdin")->required();

  CLI::App* stats = app.add_subcommand(
      "stats", "Corpus figures: documents by source and language, authors, time range, rejects.");
  stats->add_option("--db", o.db, "store file")->required();
  stats->add_flag("--json", o.json, "print one JSON object on stdout");

  CLI::App* trace = app.add_subcommand(
      "trace",
      "Where does a passage occur? Every stored document holding it, verbatim or lightly "
      "edited, earliest first, with byte offsets.");
  trace->add_option("--db", o.db, "store file")->required();
  trace
      ->add_option("--limit", o.trace_limit,
                   "candidate documents examined at most, the most relevant first")
      ->default_val(5000);
  trace
      ->add_option("--min-coverage", o.min_coverage,
                   "share of the passage's words an occurrence must cover, in (0,1]")
      ->default_val(0.5);
  trace->add_flag("--json", o.json,
                  "print the occurrences as one JSON object on stdout (--format json)");
  trace->add_option("--format", o.trace_format, "text | json | csv | jsonl")
      ->default_val("text")
      ->check(CLI::IsMember({"text", "json", "csv", "jsonl"}));
  trace->add_option("passage", o.query, "the passage (a sentence or more)")->required();

  CLI::App* show = app.add_subcommand(
      "show",
      "Look at one result with its evidence: 'show reuse ID' prints a reuse cluster's "
      "occurrences, each aligned to the origin with the differences marked [-old-]{+new+}; "
      "'show group ID' prints a coordinated group: members, what they shared, and the post "
      "pairs behind its heaviest edges; 'show narrative ID' prints a talking point: label, "
      "keywords, sizes, first source, its wordings with counts and who states it most.");
  show->add_option("--db", o.db, "store file")->required();
  show->add_option("--limit", o.limit,
                   "reuse: occurrences shown at most; group: edges shown at most")
      ->default_val(20);
  show->add_option("--evidence", o.evidence, "group: post pairs shown per edge at most")
      ->default_val(3);
  show->add_option("what", o.what, "reuse | group | narrative")
      ->required()
      ->check(CLI::IsMember({"reuse", "group", "narrative"}));
  show->add_option("id", o.id,
                   "reuse cluster id (export --what reuse-clusters), group id (export --what "
                   "groups) or talking point id (export --what narratives)")
      ->required();

  CLI::App* analyze = app.add_subcommand(
      "analyze",
      "Run detectors over the stored corpus and store their results (this version: "
      "neardup, reuse, coordination; narratives, the talking points, only when named in "
      "--only).");
  analyze->add_option("--db", o.db, "store file")->required();
  // Flags map onto the library's parameter structs, whose values are the
  // defaults (include/echotrace/detector_params.h): none is restated here.
  echotrace::AnalyzeOptions& ao = o.analyze;
  analyze->add_option("--only", ao.only, "detectors to run, comma-separated (default: all)")
      ->delimiter(',');
  analyze
      ->add_option("--threshold", ao.neardup.threshold,
                   "near-duplicates: Jaccard similarity threshold in (0,1]")
      ->capture_default_str();
  analyze->add_flag("--full", o.full,
                    "near-duplicates and reuse: process every document (default: only the "
                    "documents added since the last run with the same parameters; same result)");
  analyze
      ->add_option("--min-tokens", ao.reuse.min_tokens,
                   "reuse: shortest passage reported, in words")
      ->capture_default_str();
  analyze->add_option("--ngram", ao.reuse.ngram, "reuse: anchor n-gram size in words")
      ->capture_default_str();
  analyze
      ->add_option("--max-df", ao.reuse.max_df,
                   "reuse: n-grams in more documents than this never anchor")
      ->capture_default_str();
  analyze
      ->add_option("--min-anchors", ao.reuse.min_anchors,
                   "reuse: shared anchors a document pair needs to be aligned")
      ->capture_default_str();
  analyze
      ->add_option("--sources-a", ao.reuse.sources_a,
                   "reuse: corpus A (comma-separated sources); only A-B pairs are compared")
      ->delimiter(',');
  analyze
      ->add_option("--sources-b", ao.reuse.sources_b,
                   "reuse: corpus B (default with --sources-a: every other source)")
      ->delimiter(',');
  analyze
      ->add_option("--windows", ao.coordination.windows,
                   "coordination: time windows in seconds, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  analyze
      ->add_option("--min-weight", ao.coordination.min_weight,
                   "coordination: co-actions an account pair needs to be an edge")
      ->capture_default_str();
  analyze
      ->add_option("--behaviours", ao.coordination.behaviours,
                   "coordination: behaviours, comma-separated (co-post, co-similar, co-link, "
                   "co-reply, co-repost, co-hashtag; default: all)")
      ->delimiter(',');
  analyze
      ->add_option("--burst-cap", ao.coordination.burst_cap,
                   "coordination: a post with more than this many posts on its key within "
                   "the window is a broadcast, not evidence (0: no cap)")
      ->capture_default_str();
  analyze
      ->add_option("--evidence", ao.coordination.evidence_per_edge,
                   "coordination: post pairs kept as evidence per edge")
      ->capture_default_str();
  analyze
      ->add_option("--resolution", ao.coordination.resolution,
                   "coordination and narratives: Leiden resolution (higher: more, smaller "
                   "groups)")
      ->capture_default_str();
  analyze->add_option("--seed", ao.coordination.seed, "coordination and narratives: Leiden seed")
      ->capture_default_str();
  analyze
      ->add_option("--min-size", ao.narratives.min_size,
                   "narratives: units a talking point needs; smaller groups are outliers")
      ->capture_default_str();
  analyze
      ->add_option("--edge-threshold", ao.narratives.threshold,
                   "narratives: similarity score in [0,1] at which two units are linked")
      ->capture_default_str();
  analyze
      ->add_option("--neighbours", ao.narratives.neighbours,
                   "narratives: nearest units looked up per unit and representation")
      ->capture_default_str();
  analyze
      ->add_option("--max-edges", ao.narratives.max_edges,
                   "narratives: links kept per unit, its best ones (0: all)")
      ->capture_default_str();
  analyze
      ->add_option("--keep-above", ao.narratives.keep_above,
                   "narratives: links scoring at least this are kept beyond --max-edges "
                   "(above 1: none)")
      ->capture_default_str();
  analyze
      ->add_option("--narrative-method", ao.narratives.method,
                   "narratives: leiden (communities) or components")
      ->capture_default_str();
  analyze
      ->add_option("--containment", ao.coordination.passage_containment,
                   "coordination: co-similar also links posts whose reused passage spans at "
                   "least this share of their text (0: near-duplicates only)")
      ->capture_default_str();
  analyze->add_option("--threads", o.threads, "worker threads (default: all cores)");
  analyze->add_option("--scratch-dir", ao.scratch_dir,
                      "reuse: directory for scratch files of its n-gram index and pair links "
                      "(default: the store's directory)");
  analyze->add_flag("--json", o.json, "print the figures as one JSON object on stdout");
  analyze->add_flag("--quiet", o.quiet, "no progress on stderr");

  CLI::App* exp = app.add_subcommand("export", "Write an analysis result as CSV or JSONL.");
  exp->add_option("--db", o.db, "store file")->required();
  exp->add_option("--what", o.what,
                  "neardup (cluster_id,doc_id) | reuse (cluster_id,doc_id,start,end,text) | "
                  "reuse-clusters (one row per cluster: origin, spread) | coordination "
                  "(account_a,account_b,behaviour,weight,first_time,last_time,window) | groups "
                  "(account,group_id) | documents (every stored document with its text)")
      ->default_val("neardup");
  exp->add_option("--format", o.export_format, "csv|jsonl, or gexf|graphml for coordination")
      ->default_val("csv");
  exp->add_option("-o,--out", o.out_file, "output file (default: standard output)");

  CLI::App* demo = app.add_subcommand(
      "demo",
      "Write a synthetic sample corpus (fictional outlets, accounts and claims with planted "
      "reuse and coordination), ingest it and summarise it.");
  demo->add_option("--out", o.out_dir, "output folder")->default_val("echotrace-demo");
  demo->add_option("--seed", o.seed, "generator seed")->default_val(20261125);
  demo->add_flag("--json", o.json, "print the summary as one JSON object on stdout");

  std::vector<echotrace::cli::Verb> verbs;
  echotrace::cli::AddClaimVerbs(app, verbs, &g_cancel);
  echotrace::cli::AddWebVerbs(app, verbs, &g_cancel);
  echotrace::cli::AddCompareVerbs(app, verbs, &g_cancel);
  echotrace::cli::AddStoreVerbs(app, verbs);

  if (std::string hint = UnknownVerbHint(app, argc, argv); !hint.empty()) {
    std::fprintf(stderr, "%s\n", hint.c_str());
    return 2;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  // Only ingest stops gracefully (it finishes the batch being written and
  // records the run as interrupted). Everything else writes in single
  // transactions that SQLite rolls back if the process dies, so the default
  // action of the signal loses nothing.
  bool graceful = *ingest || *demo;
  for (const auto& v : verbs) graceful = graceful || (v.stops_on_signal && *v.command);
  if (graceful) {
    std::signal(SIGINT, OnSigint);
    std::signal(SIGTERM, OnSigint);
  }

  echotrace::Status s;
  if (*ingest) s = echotrace::cli::RunIngest(o);
  if (*stats) s = echotrace::cli::RunStats(o);
  if (*trace) s = echotrace::cli::RunTrace(o);
  if (*show) s = echotrace::cli::RunShow(o);
  if (*analyze) s = echotrace::cli::RunAnalyze(o);
  if (*exp) s = echotrace::cli::RunExport(o);
  if (*demo) s = echotrace::cli::RunDemo(o);
  for (const auto& v : verbs) {
    if (*v.command) s = v.run();
  }
  if (!s.ok()) {
    std::fprintf(stderr, "echotrace: %s\n", s.ToString().c_str());
    return s.code() == echotrace::StatusCode::kCancelled ? 130 : echotrace::ExitCodeFor(s);
  }
  return 0;
}
