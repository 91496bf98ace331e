// Claim search and fact-checked claim matching verbs (issue #4): search,
// match, eval-match. Flags in, library calls (src/claims), a Status out.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "echotrace/claims.h"
#include "echotrace/store.h"
#include "text/time_parse.h"
#include "util/json.h"
#include "verbs.h"

namespace echotrace::cli {

namespace {

struct MatchFlags {
  std::string claims, queries, db, out;
  std::vector<std::string> map;
  std::string from, to, author, source, lang;
  int k = 5;
  int recall = 100;
  double min_score = 0;
  bool no_dates = false;
  bool explain = false;
  bool no_store = false;
  bool semantic = false;
  std::string vectors;
  std::string tag = "echotrace";
};

struct SearchFlags {
  std::string db, query;
  int k = 10;
  int recall = 100;
  bool json = false;
  std::string format = "text";
  bool explain = false;
  std::string from, to, author, source, lang;
};

struct EvalFlags {
  std::string run, qrels;
  bool json = false;
};

void ReportRejects(const claims::ReadResult& r) {
  size_t shown = 0;
  for (const Reject& j : r.rejects) {
    if (++shown > 20) break;
    std::fprintf(stderr, "match: skipped %s:%llu: %s\n", j.file.c_str(),
                 static_cast<unsigned long long>(j.line), j.reason.c_str());
  }
  if (r.rejects.size() > 20) {
    std::fprintf(stderr, "match: ... and %zu more skipped records\n", r.rejects.size() - 20);
  }
}

Status ParseBound(const std::string& flag, const std::string& value, bool end_of_day,
                  std::optional<int64_t>* out);

// "no post read" for a queries file that gave no record, with the first
// reason a record was skipped.
Status NothingRead(const std::string& what, const claims::ReadResult& r) {
  std::string msg = what + ": no post read, nothing to match";
  if (!r.rejects.empty()) {
    msg += " (" + std::to_string(r.rejects.size()) +
           " records skipped; the first: " + r.rejects.front().reason +
           "); name the columns with --map, e.g. --map text=content";
  }
  return Status::BadInput(msg);
}

Status RunMatch(const MatchFlags& f) {
  if (f.k < 1 || f.k > 10000) return Status::InvalidArgument("--k must be in 1..10000");
  if (f.recall < 1 || f.recall > 10000) {
    return Status::InvalidArgument("--recall must be in 1..10000");
  }
  if (!(f.min_score >= 0 && f.min_score <= 1)) {
    return Status::InvalidArgument("--min-score is a probability, in 0..1");
  }
  if (f.queries.empty() == f.db.empty()) {
    return Status::InvalidArgument("give the posts to match with --queries FILE or --db STORE");
  }
  claims::SearchFilters filters;
  ET_RETURN_IF_ERROR(ParseBound("--from", f.from, false, &filters.from));
  ET_RETURN_IF_ERROR(ParseBound("--to", f.to, true, &filters.to));
  filters.author = f.author;
  filters.source = f.source;
  filters.lang = f.lang;
  if (f.db.empty() && filters.any()) {
    return Status::InvalidArgument("--from/--to/--author/--source/--lang filter a store: use --db");
  }
  if (!f.db.empty() && !f.map.empty()) {
    return Status::InvalidArgument("--map names the columns of a --queries file, not of a store");
  }
  auto t0 = std::chrono::steady_clock::now();
  ET_ASSIGN_OR_RETURN(claims::ReadResult cl, claims::ReadMatchRecords(f.claims));
  ReportRejects(cl);
  if (cl.records.empty()) return NothingRead(f.claims + " (claims)", cl);
  claims::ReadResult qs;
  if (!f.queries.empty()) {
    claims::ReadMatchOptions ro;
    ro.map = f.map;
    ro.ids_from_lines = true;
    ET_ASSIGN_OR_RETURN(qs, claims::ReadMatchRecords(f.queries, ro));
    ReportRejects(qs);
    if (qs.records.empty()) return NothingRead(f.queries, qs);
    if (qs.ids_from_lines > 0) {
      std::fprintf(stderr, "match: %zu posts without an id are named by their line (line:N)\n",
                   qs.ids_from_lines);
    }
  }
  std::unique_ptr<Store> store;
  int64_t run_id = 0;
  if (!f.db.empty()) {
    ET_ASSIGN_OR_RETURN(store,
                        Store::Open(f.db, f.no_store ? OpenMode::kReadOnly : OpenMode::kReadWrite));
  }
  std::shared_ptr<const WordVectors> vectors;
  if (f.semantic || !f.vectors.empty()) {
    ET_ASSIGN_OR_RETURN(vectors, LoadWordVectors(f.vectors));
  }
  ET_ASSIGN_OR_RETURN(auto matcher, claims::Matcher::Build(std::move(cl.records), vectors));
  auto t1 = std::chrono::steady_clock::now();
  FILE* out = stdout;
  std::unique_ptr<FILE, int (*)(FILE*)> file(nullptr, &std::fclose);
  if (!f.out.empty() && f.out != "-") {
    file.reset(std::fopen(f.out.c_str(), "w"));
    if (!file) return Status::IOError(f.out + ": cannot open for writing");
    out = file.get();
  }
  claims::MatchOptions mo;
  mo.use_dates = !f.no_dates;
  mo.recall_depth = static_cast<size_t>(f.recall);
  const claims::LinearModel& model = claims::ShippedModel(mo.use_dates, matcher->has_vectors());
  std::vector<claims::StoredMatch> stored;
  size_t posts = 0, matched = 0;
  // Ranks one post; its candidates below --min-score are left out.
  auto match_one = [&](const claims::MatchRecord& q, int64_t doc_id) {
    ++posts;
    auto ranked = matcher->Rank(q, model, static_cast<size_t>(f.k), mo);
    int rank = 0;
    for (const claims::Candidate& c : ranked) {
      if (c.probability < f.min_score) continue;
      const claims::MatchRecord& claim = matcher->claim(c.claim);
      if (rank == 0) ++matched;
      std::string line = claims::FormatRunLine(q.id, claim.id, ++rank, c.probability, f.tag);
      std::fputs(line.c_str(), out);
      if (store) stored.push_back({doc_id, rank, claim.id, claim.text, c.probability, c.score});
      if (f.explain) {
        std::fprintf(stderr, "%s -> %s (rank %d, probability %.3f, ranker score %.3f)\n%s",
                     q.id.c_str(), claim.id.c_str(), rank, c.probability, c.score,
                     matcher->Explain(q, c, model).c_str());
      }
    }
  };
  if (store) {
    if (!f.no_store) {
      JsonWriter params;
      params.BeginObject().Key("claims").String(f.claims).Key("k").Int(f.k);
      params.Key("min_score").Double(f.min_score).Key("dates").Bool(mo.use_dates);
      params.Key("vectors").Bool(matcher->has_vectors());
      params.Key("from").String(f.from).Key("to").String(f.to).Key("author").String(f.author);
      params.Key("source").String(f.source).Key("lang").String(f.lang).EndObject();
      ET_ASSIGN_OR_RETURN(run_id, store->BeginRun("match", params.Take()));
    }
    Status s = claims::ForEachStorePost(store.get(), filters, 4096,
                                        [&](std::vector<claims::StorePost>& batch) {
                                          for (const claims::StorePost& p : batch)
                                            match_one(p.record, p.doc_id);
                                          return Status::OK();
                                        });
    if (s.ok() && posts == 0) {
      s = Status::BadInput(f.db + ": no stored post passes the filters, nothing to match");
    }
    if (s.ok() && !f.no_store) s = claims::WriteMatches(store.get(), run_id, stored);
    if (!f.no_store) {
      JsonWriter summary;
      summary.BeginObject().Key("posts").Uint(posts).Key("matched").Uint(matched);
      summary.Key("rows").Uint(stored.size()).EndObject();
      Status e = store->EndRun(run_id, s.ok() ? "ok" : "failed", summary.Take());
      if (s.ok()) s = e;
    }
    ET_RETURN_IF_ERROR(s);
  } else {
    for (const claims::MatchRecord& q : qs.records) match_one(q, 0);
  }
  if (std::ferror(out))
    return Status::IOError((f.out.empty() ? "stdout" : f.out) + ": write failed");
  auto t2 = std::chrono::steady_clock::now();
  std::fprintf(stderr,
               "match: %zu claims indexed in %.2f s, %zu posts ranked in %.2f s (%s dates); "
               "%zu with a claim at probability >= %.2f%s\n",
               matcher->size(), std::chrono::duration<double>(t1 - t0).count(), posts,
               std::chrono::duration<double>(t2 - t1).count(), mo.use_dates ? "with" : "without",
               matched, f.min_score,
               store && !f.no_store
                   ? ("; stored in claim_matches, run " + std::to_string(run_id)).c_str()
                   : "");
  return Status::OK();
}

Status RunEvalMatch(const EvalFlags& f) {
  ET_ASSIGN_OR_RETURN(claims::RankedRun run, claims::ReadRun(f.run));
  ET_ASSIGN_OR_RETURN(claims::Qrels qrels, claims::ReadQrels(f.qrels));
  claims::Metrics m = claims::Evaluate(run, qrels);
  if (f.json) {
    std::printf("%s\n", claims::MetricsToJson(m).c_str());
    return Status::OK();
  }
  std::printf("queries  %zu\nMAP@1    %.4f\nMAP@3    %.4f\nMAP@5    %.4f\nMRR@5    %.4f\n",
              m.queries, m.map1, m.map3, m.map5, m.mrr5);
  for (size_t i = 0; i < m.recall_depths.size(); ++i) {
    std::printf("recall@%-3d %.4f\n", m.recall_depths[i], m.recall[i]);
  }
  return Status::OK();
}

// --from / --to: a time as ingest reads it; a bare date in --to means the
// whole day.
Status ParseBound(const std::string& flag, const std::string& value, bool end_of_day,
                  std::optional<int64_t>* out) {
  if (value.empty()) return Status::OK();
  std::optional<int64_t> t = ParseTime(value);
  if (!t) {
    return Status::InvalidArgument(flag + " '" + value +
                                   "' is not a time (e.g. 2016-11-08 or 2016-11-08T20:00Z)");
  }
  if (end_of_day && value.size() == 10) *t += 86399;
  *out = t;
  return Status::OK();
}

Status RunSearch(const SearchFlags& f) {
  claims::ClaimSearchOptions o;
  o.k = f.k;
  o.recall = f.recall;
  ET_RETURN_IF_ERROR(ParseBound("--from", f.from, false, &o.filters.from));
  ET_RETURN_IF_ERROR(ParseBound("--to", f.to, true, &o.filters.to));
  o.filters.author = f.author;
  o.filters.source = f.source;
  o.filters.lang = f.lang;
  const std::string format = f.json ? "json" : f.format;
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(f.db, OpenMode::kReadOnly));
  uint64_t total = 0;
  ET_ASSIGN_OR_RETURN(auto hits, claims::SearchClaims(store.get(), f.query, o, &total));
  if (format == "json") {
    std::printf("%s\n", claims::ClaimSearchToJson(f.query, hits, f.explain, total).c_str());
    return Status::OK();
  }
  if (format == "csv" || format == "jsonl") {
    std::fputs(format == "csv" ? claims::ClaimSearchToCsv(hits).c_str()
                               : claims::ClaimSearchToJsonl(hits, f.explain).c_str(),
               stdout);
    std::fprintf(stderr, "search: %llu document(s) match; %zu shown\n",
                 static_cast<unsigned long long>(total), hits.size());
    return Status::OK();
  }
  if (hits.empty())
    std::fprintf(stderr, "search: no document matches\n");
  else
    std::fprintf(stderr, "search: %llu document(s) match; the best %zu:\n",
                 static_cast<unsigned long long>(total), hits.size());
  int rank = 0;
  for (const claims::ClaimSearchHit& c : hits) {
    const SearchHit& h = c.hit;
    std::string when = h.time ? FormatTimeIso(*h.time) : std::string("undated");
    std::printf("%2d. %.3f  %s  [%s] %s  %s\n    %s\n", ++rank, h.score, h.ext_id.c_str(),
                h.source.c_str(), h.author.c_str(), when.c_str(), h.snippet.c_str());
    if (f.explain) {
      const SimilaritySignals& s = c.signals;
      std::printf(
          "    covers %.0f%% of the query  bm25 %.2f  words %.2f  chars %.2f  names %.2f  "
          "numbers %.2f%s  bytes %u-%u\n",
          c.coverage * 100, c.bm25, s.words, s.chars, s.names, s.numbers,
          s.tag_or_link ? "  shared tag/handle/link" : "", c.span_start, c.span_end);
      std::string terms;
      for (const auto& t : s.shared_terms) terms += " " + t;
      for (const auto& t : s.shared_entities) terms += " " + t;
      if (!terms.empty()) std::printf("    shared:%s\n", terms.c_str());
    }
  }
  return Status::OK();
}

}  // namespace

void AddClaimVerbs(CLI::App& app, std::vector<Verb>& verbs, const std::atomic<bool>* /*cancel*/) {
  auto sf = std::make_shared<SearchFlags>();
  CLI::App* search = app.add_subcommand(
      "search",
      "Who else says this? BM25 recall over the store (text and title), re-ranked by the "
      "similarity engine (words, character n-grams, names, numbers), with the matching span.");
  search->add_option("--db", sf->db, "store file")->required();
  search->add_option("--k", sf->k, "number of results (1..10000)")->default_val(10);
  search->add_option("--recall", sf->recall, "BM25 candidates re-ranked")->default_val(100);
  search->add_flag("--json", sf->json,
                   "print results as one JSON object on stdout (--format json)");
  search->add_option("--format", sf->format, "text | json | csv | jsonl")
      ->default_val("text")
      ->check(CLI::IsMember({"text", "json", "csv", "jsonl"}));
  search->add_flag("--explain", sf->explain, "show the evidence behind each score");
  search->add_option("--from", sf->from, "only documents dated at or after this time");
  search->add_option("--to", sf->to,
                     "only documents dated at or before this time (a date: that whole day)");
  search->add_option("--author", sf->author, "only documents by this author (exact)");
  search->add_option("--source", sf->source, "only documents from this source (exact)");
  search->add_option("--lang", sf->lang, "only documents in this language (code, e.g. en, ru)");
  search
      ->add_option("query", sf->query,
                   "free text, with operators: \"exact phrase\" (required), -word or "
                   "-\"phrase\" (excluded), A OR B (either phrase required), pre* (prefix); "
                   "docs/claims.md")
      ->required();
  verbs.push_back({search, [sf] { return RunSearch(*sf); }, false});

  auto mf = std::make_shared<MatchFlags>();
  CLI::App* match = app.add_subcommand(
      "match",
      "Rank a collection of claims (e.g. fact-checks) for each post and write a TREC run: "
      "qid Q0 claim_id rank probability tag (the calibrated probability that the claim is the "
      "post's). Posts from a file in any format ingest reads (TSV 'id<TAB>text' without a "
      "header works) or from a store (--db, with search's filters).");
  match->add_option("--claims", mf->claims, "claims file (id, text, title, subtitle, date)")
      ->required();
  match->add_option("--queries", mf->queries,
                    "posts to match, a file (id, text, date; without an id a post is named by "
                    "its line)");
  match->add_option("--map", mf->map,
                    "FIELD=COLUMN[+COLUMN...] for the --queries file, as ingest --map");
  match->add_option("--db", mf->db,
                    "match the posts of this store (instead of --queries); the matches are "
                    "stored in its claim_matches table");
  match->add_flag("--no-store", mf->no_store, "with --db: do not write claim_matches");
  match->add_flag("--semantic", mf->semantic,
                  "add the word vectors' features (uSIF, soft alignment, same-claim "
                  "probability) to the re-ranking, with the models fitted with them "
                  "(docs/claims.md: within noise of the default)");
  match->add_option("--vectors", mf->vectors,
                    "word vectors file for --semantic (default: $ECHOTRACE_VECTORS, next to "
                    "the binary, the build folder)");
  match->add_option("--from", mf->from, "with --db: only posts dated at or after this time");
  match->add_option("--to", mf->to, "with --db: only posts dated at or before this time");
  match->add_option("--author", mf->author, "with --db: only posts by this author (exact)");
  match->add_option("--source", mf->source, "with --db: only posts from this source (exact)");
  match->add_option("--lang", mf->lang, "with --db: only posts in this language (code)");
  match
      ->add_option("--min-score", mf->min_score,
                   "only matches whose calibrated probability of being the post's claim is at "
                   "least this (0..1; docs/claims.md gives precision and recall per value)")
      ->default_val(0);
  match->add_option("--k", mf->k, "claims written per query (1..10000)")->default_val(5);
  match->add_option("--recall", mf->recall, "BM25 candidates re-ranked per query")
      ->default_val(100);
  match->add_flag("--no-dates", mf->no_dates,
                  "ignore dates (the model fitted without the date features)");
  match->add_flag("--explain", mf->explain, "print the evidence of every match on stderr");
  match->add_option("--tag", mf->tag, "run tag (last column)")->default_val("echotrace");
  match->add_option("-o,--out", mf->out, "run file (default: standard output)");
  verbs.push_back({match, [mf] { return RunMatch(*mf); }, false});

  auto ef = std::make_shared<EvalFlags>();
  CLI::App* eval = app.add_subcommand(
      "eval-match", "Score a TREC run against qrels: MAP@1/3/5, MRR@5, recall@k.");
  eval->add_option("--run", ef->run, "run file (qid Q0 doc rank score tag)")->required();
  eval->add_option("--qrels", ef->qrels, "qrels file (qid 0 doc relevance)")->required();
  eval->add_flag("--json", ef->json, "print the figures as one JSON object");
  verbs.push_back({eval, [ef] { return RunEvalMatch(*ef); }, false});
}

}  // namespace echotrace::cli
