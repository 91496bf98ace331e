// Passage-reuse stage. The corpus is read in one pass (texts held as one
// arena, sources and authors numbered densely in order of first
// appearance), reuse::FindCorpusReuse does the work in memory, and the
// result replaces the previous reuse result in a single transaction.
//
// Cluster ids are 1, 2, ... in order of each cluster's first occurrence by
// (docs.id, start): a document may hold several passages, so the
// neardup convention (id = a member's docs.id) would not be unique. Reruns
// on the same store with the same parameters give the same ids.
#include "analyze/reuse_stage.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reuse/corpus_reuse.h"
#include "store/sqlite_util.h"
#include "util/json.h"

namespace echotrace {

namespace {

using store_internal::Exec;
using store_internal::SqliteStatus;
using store_internal::StepDoneLazy;
using store_internal::Stmt;

constexpr const char kCreateTables[] =
    "CREATE TABLE IF NOT EXISTS reuse_clusters("
    "  run_id INTEGER NOT NULL, cluster_id INTEGER NOT NULL, origin_doc_id INTEGER NOT NULL,"
    "  origin_start INTEGER NOT NULL, occurrences INTEGER NOT NULL, documents INTEGER NOT NULL,"
    "  sources INTEGER NOT NULL, authors INTEGER NOT NULL, first_time INTEGER,"
    "  last_time INTEGER, PRIMARY KEY (run_id, cluster_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS reuse_occurrences("
    "  run_id INTEGER NOT NULL, cluster_id INTEGER NOT NULL, doc_id INTEGER NOT NULL,"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, cluster_id, doc_id, start, end)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS reuse_occurrences_doc ON reuse_occurrences(run_id, doc_id);"
    "CREATE TABLE IF NOT EXISTS reuse_pairs("
    "  run_id INTEGER NOT NULL, doc_a INTEGER NOT NULL, a_start INTEGER NOT NULL,"
    "  a_end INTEGER NOT NULL, doc_b INTEGER NOT NULL, b_start INTEGER NOT NULL,"
    "  b_end INTEGER NOT NULL, identity REAL NOT NULL, containment REAL NOT NULL);"
    "CREATE INDEX IF NOT EXISTS reuse_pairs_a ON reuse_pairs(run_id, doc_a, doc_b);"
    "CREATE INDEX IF NOT EXISTS reuse_pairs_b ON reuse_pairs(run_id, doc_b);"
    "CREATE TABLE IF NOT EXISTS reuse_boilerplate("
    "  run_id INTEGER NOT NULL, source TEXT, ngram_hash INTEGER NOT NULL,"
    "  docs INTEGER NOT NULL, example_doc_id INTEGER NOT NULL, example TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS reuse_boilerplate_run ON reuse_boilerplate(run_id, source);";

struct Corpus {
  std::vector<int64_t> ids;
  std::vector<std::optional<int64_t>> times;
  std::vector<uint32_t> sources, authors;
  std::vector<std::string> source_names;  // by dense number; "" = none
  std::string arena;
  std::vector<size_t> offsets;  // text i = arena[offsets[i], offsets[i+1])
  std::string_view Text(size_t i) const {
    return std::string_view(arena).substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

uint32_t Number(std::string_view key, std::unordered_map<std::string, uint32_t>* names) {
  auto [it, added] = names->try_emplace(std::string(key), static_cast<uint32_t>(names->size()));
  return it->second;
}

Status LoadCorpus(sqlite3* db, Corpus* c) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT id, text, time, source, author FROM docs ORDER BY id"));
  std::unordered_map<std::string, uint32_t> sources, authors;
  c->offsets.push_back(0);
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    c->ids.push_back(st.Int64(0));
    c->arena += st.TextView(1);
    c->offsets.push_back(c->arena.size());
    c->times.push_back(st.OptInt64(2));
    c->sources.push_back(Number(st.TextView(3), &sources));
    c->authors.push_back(st.IsNull(4) ? reuse::CorpusDoc::kNoAuthor
                                      : Number(st.TextView(4), &authors));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the documents");
  c->source_names.resize(sources.size());
  for (auto& [name, n] : sources) c->source_names[n] = name;
  return Status::OK();
}

Result<reuse::CorpusReuseOptions> ReuseOptions(const AnalyzeOptions& a) {
  reuse::CorpusReuseOptions o;
  if (a.reuse_min_tokens < 1) return Status::InvalidArgument("reuse: --min-tokens must be >= 1");
  if (a.reuse_ngram < 1 || a.reuse_ngram > 32) {
    return Status::InvalidArgument("reuse: --ngram must be in 1..32");
  }
  if (a.reuse_max_df < 2) return Status::InvalidArgument("reuse: --max-df must be >= 2");
  if (a.reuse_min_anchors < 1) {
    return Status::InvalidArgument("reuse: --min-anchors must be >= 1");
  }
  o.passage.min_tokens = static_cast<uint32_t>(a.reuse_min_tokens);
  o.passage.anchors.n = static_cast<uint32_t>(a.reuse_ngram);
  o.max_df = static_cast<uint32_t>(a.reuse_max_df);
  o.min_shared_anchors = static_cast<uint32_t>(a.reuse_min_anchors);
  o.threads = a.threads;
  o.compare_sides = !a.reuse_sources_a.empty() || !a.reuse_sources_b.empty();
  ET_RETURN_IF_ERROR(reuse::ValidateCorpusReuseOptions(o));
  return o;
}

// Side of every source number; InvalidArgument for a source on both sides
// or one that no document has.
Result<std::vector<reuse::Side>> Sides(const AnalyzeOptions& a, const Corpus& c) {
  using reuse::Side;
  std::vector<Side> side(c.source_names.size(), Side::kNone);
  auto mark = [&](const std::vector<std::string>& names, Side s, const char* flag) -> Status {
    for (const std::string& n : names) {
      auto it = std::find(c.source_names.begin(), c.source_names.end(), n);
      if (it == c.source_names.end()) {
        return Status::InvalidArgument(std::string("reuse ") + flag + " " + n +
                                       ": no document has this source (see: echotrace stats)");
      }
      Side& v = side[it - c.source_names.begin()];
      if (v != Side::kNone && v != s) {
        return Status::InvalidArgument("reuse: source " + n + " is on both sides");
      }
      v = s;
    }
    return Status::OK();
  };
  ET_RETURN_IF_ERROR(mark(a.reuse_sources_a, Side::kA, "--sources-a"));
  ET_RETURN_IF_ERROR(mark(a.reuse_sources_b, Side::kB, "--sources-b"));
  // An empty side is every source not on the other.
  const bool a_rest = a.reuse_sources_a.empty(), b_rest = a.reuse_sources_b.empty();
  for (Side& v : side) {
    if (v == Side::kNone && (a_rest || b_rest)) v = a_rest ? Side::kA : Side::kB;
  }
  return side;
}

Status WriteClusters(sqlite3* db, int64_t run_id, const Corpus& c,
                     const reuse::CorpusReuseResult& r) {
  Stmt k, o;
  ET_RETURN_IF_ERROR(
      k.Prepare(db, "INSERT INTO reuse_clusters VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  ET_RETURN_IF_ERROR(o.Prepare(db, "INSERT INTO reuse_occurrences VALUES (?1, ?2, ?3, ?4, ?5)"));
  for (size_t i = 0; i < r.clusters.size(); ++i) {
    const reuse::ReuseCluster& cl = r.clusters[i];
    const int64_t id = static_cast<int64_t>(i + 1);
    const reuse::ReuseOccurrence& origin = cl.occurrences[cl.origin];
    k.BindInt64(1, run_id);
    k.BindInt64(2, id);
    k.BindInt64(3, c.ids[origin.doc]);
    k.BindInt64(4, origin.start);
    k.BindInt64(5, static_cast<int64_t>(cl.occurrences.size()));
    k.BindInt64(6, cl.documents);
    k.BindInt64(7, cl.sources);
    k.BindInt64(8, cl.authors);
    k.BindOptInt64(9, cl.first_time);
    k.BindOptInt64(10, cl.last_time);
    ET_RETURN_IF_ERROR(StepDoneLazy(db, k, [] { return "storing a reuse cluster"; }));
    for (const reuse::ReuseOccurrence& x : cl.occurrences) {
      o.BindInt64(1, run_id);
      o.BindInt64(2, id);
      o.BindInt64(3, c.ids[x.doc]);
      o.BindInt64(4, x.start);
      o.BindInt64(5, x.end);
      ET_RETURN_IF_ERROR(StepDoneLazy(db, o, [] { return "storing a reuse occurrence"; }));
    }
  }
  return Status::OK();
}

Status WriteEvidence(sqlite3* db, int64_t run_id, const Corpus& c,
                     const reuse::CorpusReuseResult& r) {
  Stmt p, b;
  ET_RETURN_IF_ERROR(
      p.Prepare(db, "INSERT INTO reuse_pairs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  for (const reuse::ReusePair& x : r.pairs) {
    p.BindInt64(1, run_id);
    p.BindInt64(2, c.ids[x.a]);
    p.BindInt64(3, x.a_start);
    p.BindInt64(4, x.a_end);
    p.BindInt64(5, c.ids[x.b]);
    p.BindInt64(6, x.b_start);
    p.BindInt64(7, x.b_end);
    p.BindDouble(8, x.identity);
    p.BindDouble(9, x.containment);
    ET_RETURN_IF_ERROR(StepDoneLazy(db, p, [] { return "storing a reuse pair"; }));
  }
  ET_RETURN_IF_ERROR(
      b.Prepare(db, "INSERT INTO reuse_boilerplate VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  for (const reuse::Boilerplate& x : r.boilerplate) {
    b.BindInt64(1, run_id);
    b.BindTextOrNull(2, c.source_names[x.source]);
    b.BindInt64(3, static_cast<int64_t>(x.ngram_hash));
    b.BindInt64(4, x.docs);
    b.BindInt64(5, c.ids[x.example_doc]);
    b.BindText(6, c.Text(x.example_doc).substr(x.example_start, x.example_end - x.example_start));
    ET_RETURN_IF_ERROR(StepDoneLazy(db, b, [] { return "storing a boilerplate n-gram"; }));
  }
  return Status::OK();
}

Status WriteResult(sqlite3* db, int64_t run_id, const Corpus& c,
                   const reuse::CorpusReuseResult& r) {
  ET_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE", "starting the reuse transaction"));
  auto body = [&]() -> Status {
    ET_RETURN_IF_ERROR(Exec(db, kCreateTables, "creating the reuse tables"));
    ET_RETURN_IF_ERROR(Exec(db,
                            "DELETE FROM reuse_clusters; DELETE FROM reuse_occurrences;"
                            "DELETE FROM reuse_pairs; DELETE FROM reuse_boilerplate;",
                            "clearing the previous reuse result"));
    ET_RETURN_IF_ERROR(WriteClusters(db, run_id, c, r));
    return WriteEvidence(db, run_id, c, r);
  };
  Status s = body();
  if (s.ok()) s = Exec(db, "COMMIT", "committing the reuse result");
  if (!s.ok() && !sqlite3_get_autocommit(db)) {
    Exec(db, "ROLLBACK", "rolling back").ok();  // the first error is the one to report
  }
  return s;
}

std::string Params(const reuse::CorpusReuseOptions& o, const AnalyzeOptions& a) {
  JsonWriter w;
  w.BeginObject().Key("ngram").Uint(o.passage.anchors.n);
  w.Key("min_tokens").Uint(o.passage.min_tokens).Key("max_df").Uint(o.max_df);
  w.Key("min_anchors").Uint(o.min_shared_anchors).Key("max_links").Uint(o.max_links);
  w.Key("boilerplate_min_docs").Uint(o.boilerplate_min_docs);
  w.Key("boilerplate_share").Double(o.boilerplate_share);
  w.Key("merge_overlap").Double(o.merge_overlap);
  for (auto [key, list] :
       {std::pair{"sources_a", &a.reuse_sources_a}, std::pair{"sources_b", &a.reuse_sources_b}}) {
    w.Key(key).BeginArray();
    for (const std::string& s : *list) w.String(s);
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

std::string Figures(const reuse::CorpusReuseStats& s) {
  JsonWriter w;
  w.BeginObject().Key("documents").Uint(s.documents).Key("tokens").Uint(s.tokens);
  w.Key("ngrams").Uint(s.ngrams).Key("shared_ngrams").Uint(s.shared_ngrams);
  w.Key("too_common_ngrams").Uint(s.too_common_ngrams);
  w.Key("boilerplate_ngrams").Uint(s.boilerplate_ngrams).Key("pair_links").Uint(s.pair_links);
  w.Key("candidate_pairs").Uint(s.candidate_pairs).Key("passage_pairs").Uint(s.passage_pairs);
  w.Key("clusters").Uint(s.clusters).Key("occurrences").Uint(s.occurrences);
  w.Key("seconds").BeginObject().Key("tokenize").Double(s.tokenize_s);
  w.Key("index").Double(s.index_s).Key("candidates").Double(s.candidates_s);
  w.Key("align").Double(s.align_s).Key("cluster").Double(s.cluster_s).EndObject();
  w.EndObject();
  return w.Take();
}

Result<std::string> Detect(Store* store, int64_t run_id, const AnalyzeOptions& options,
                           reuse::CorpusReuseOptions ro) {
  sqlite3* db = store->handle();
  Corpus c;
  ET_RETURN_IF_ERROR(LoadCorpus(db, &c));
  std::vector<reuse::Side> side(c.source_names.size(), reuse::Side::kA);
  if (ro.compare_sides) {
    ET_ASSIGN_OR_RETURN(side, Sides(options, c));
  }
  std::vector<reuse::CorpusDoc> docs(c.ids.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    docs[i] = {c.ids[i], c.Text(i), c.times[i], c.sources[i], c.authors[i], side[c.sources[i]]};
  }
  // Copied into docs; writing the result needs only ids, names and texts.
  // (12.3M documents: 300 MB less at the detector's peak.)
  std::vector<std::optional<int64_t>>().swap(c.times);
  std::vector<uint32_t>().swap(c.sources);
  std::vector<uint32_t>().swap(c.authors);
  if (options.progress) {
    std::fprintf(stderr, "reuse: finding passages shared among %zu documents\n", docs.size());
  }
  ET_ASSIGN_OR_RETURN(reuse::CorpusReuseResult r, reuse::FindCorpusReuse(docs, ro));
  auto t0 = std::chrono::steady_clock::now();
  ET_RETURN_IF_ERROR(WriteResult(db, run_id, c, r));
  if (options.progress) {
    std::fprintf(stderr, "reuse: stored %zu clusters, %zu pairs in %.1fs\n", r.clusters.size(),
                 r.pairs.size(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return Figures(r.stats);
}

}  // namespace

Status RunReuseStage(Store* store, const AnalyzeOptions& options, StageSummary* summary) {
  auto t0 = std::chrono::steady_clock::now();
  ET_ASSIGN_OR_RETURN(reuse::CorpusReuseOptions ro, ReuseOptions(options));
  // Scratch files beside the store unless told otherwise: where the user
  // already keeps the corpus, rather than a /tmp that may be small or RAM.
  ro.spill_dir = options.scratch_dir.empty()
                     ? std::filesystem::absolute(store->path()).parent_path().string()
                     : options.scratch_dir;
  ET_ASSIGN_OR_RETURN(int64_t run_id, store->BeginRun("reuse", Params(ro, options)));
  summary->detector = "reuse";
  summary->run_id = run_id;
  Result<std::string> figures = Detect(store, run_id, options, ro);
  summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!figures.ok()) {
    store->EndRun(run_id, "failed", "{}").ok();  // the stage's error is the one to report
    return figures.status();
  }
  summary->figures_json = *figures;
  return store->EndRun(run_id, "ok", *figures);
}

}  // namespace echotrace
