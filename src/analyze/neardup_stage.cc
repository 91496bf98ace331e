// Near-duplicate stage. The whole corpus is clustered in one pass in memory
// (texts are held as one arena: about 150 bytes a tweet), then the result
// replaces the previous near-duplicate result in a single transaction.
//
// Cluster ids are docs.id of the cluster's earliest-ingested member, so they
// are stable across reruns on the same store and meaningful to a reader
// ("the cluster of document 1042"). Only clusters of two or more documents
// are written.
#include "analyze/neardup_stage.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/neardup.h"
#include "store/sqlite_util.h"
#include "util/json.h"

namespace echotrace {

namespace {

using store_internal::Exec;
using store_internal::SqliteStatus;
using store_internal::Stmt;

constexpr const char kCreateTables[] =
    "CREATE TABLE IF NOT EXISTS neardup_members("
    "  run_id INTEGER NOT NULL, doc_id INTEGER NOT NULL, cluster_id INTEGER NOT NULL,"
    "  via_doc_id INTEGER NOT NULL, PRIMARY KEY (run_id, doc_id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS neardup_members_cluster ON neardup_members(run_id, cluster_id);"
    "CREATE TABLE IF NOT EXISTS neardup_pairs("
    "  run_id INTEGER NOT NULL, doc_a INTEGER NOT NULL, doc_b INTEGER NOT NULL,"
    "  jaccard REAL NOT NULL, shingle_k INTEGER NOT NULL, PRIMARY KEY (run_id, doc_a, doc_b))"
    "  WITHOUT ROWID;";

struct Corpus {
  std::vector<int64_t> ids;
  std::vector<uint64_t> hashes;
  std::string arena;
  std::vector<size_t> offsets;  // texts[i] = arena[offsets[i], offsets[i+1])
};

Status LoadCorpus(sqlite3* db, Corpus* c) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT id, text, norm_hash FROM docs ORDER BY id"));
  int rc;
  c->offsets.push_back(0);
  while ((rc = st.Step()) == SQLITE_ROW) {
    c->ids.push_back(st.Int64(0));
    c->arena += st.TextView(1);
    c->offsets.push_back(c->arena.size());
    c->hashes.push_back(static_cast<uint64_t>(st.Int64(2)));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the documents");
  return Status::OK();
}

Status WriteResult(sqlite3* db, int64_t run_id, const Corpus& c,
                   const neardup::NearDupResult& r) {
  ET_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE", "starting the near-duplicate transaction"));
  auto body = [&]() -> Status {
    ET_RETURN_IF_ERROR(Exec(db, kCreateTables, "creating the near-duplicate tables"));
    ET_RETURN_IF_ERROR(Exec(db,
                            "DELETE FROM neardup_members; DELETE FROM neardup_pairs;",
                            "clearing the previous near-duplicate result"));
    std::vector<uint32_t> size(c.ids.size(), 0);
    for (uint32_t root : r.cluster) size[root]++;
    Stmt m;
    ET_RETURN_IF_ERROR(m.Prepare(db, "INSERT INTO neardup_members VALUES (?1, ?2, ?3, ?4)"));
    for (size_t d = 0; d < c.ids.size(); ++d) {
      if (size[r.cluster[d]] < 2) continue;
      m.BindInt64(1, run_id);
      m.BindInt64(2, c.ids[d]);
      m.BindInt64(3, c.ids[r.cluster[d]]);
      m.BindInt64(4, c.ids[r.representative[d]]);
      int rc = m.Step();
      m.Reset();
      if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "storing a near-duplicate cluster");
    }
    Stmt p;
    ET_RETURN_IF_ERROR(p.Prepare(db, "INSERT INTO neardup_pairs VALUES (?1, ?2, ?3, ?4, ?5)"));
    for (const neardup::VerifiedPair& v : r.pairs) {
      p.BindInt64(1, run_id);
      p.BindInt64(2, c.ids[v.a]);
      p.BindInt64(3, c.ids[v.b]);
      p.BindDouble(4, v.jaccard);
      p.BindInt64(5, v.shingle_k);
      int rc = p.Step();
      p.Reset();
      if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "storing a near-duplicate pair");
    }
    return Status::OK();
  };
  Status s = body();
  if (s.ok()) s = Exec(db, "COMMIT", "committing the near-duplicate result");
  if (!s.ok() && !sqlite3_get_autocommit(db)) {
    Exec(db, "ROLLBACK", "rolling back").ok();  // the first error is the one to report
  }
  return s;
}

std::string Figures(const neardup::NearDupStats& s, double threshold) {
  JsonWriter w;
  w.BeginObject().Key("threshold").Double(threshold).Key("documents").Uint(s.docs);
  w.Key("clusters").Uint(s.clusters).Key("clustered_documents").Uint(s.clustered_docs);
  w.Key("exact_duplicates").Uint(s.exact_duplicates).Key("identical_sets").Uint(s.identical_sets);
  w.Key("candidate_pairs").Uint(s.candidate_pairs).Key("verified_pairs").Uint(s.verified_pairs);
  w.Key("bands").Uint(s.bands.bands).Key("rows").Uint(s.bands.rows);
  w.EndObject();
  return w.Take();
}

}  // namespace

Status RunNearDupStage(Store* store, const AnalyzeOptions& options, StageSummary* summary) {
  auto t0 = std::chrono::steady_clock::now();
  neardup::NearDupOptions nd;
  nd.threshold = options.neardup_threshold;
  nd.threads = options.threads;
  nd.collect_pairs = true;
  Status valid = neardup::ValidateOptions(nd);
  if (!valid.ok()) return valid.WithContext("--threshold");

  JsonWriter params;
  params.BeginObject().Key("threshold").Double(nd.threshold).Key("num_perm").Uint(nd.num_perm);
  params.Key("seed").Uint(nd.seed).EndObject();
  ET_ASSIGN_OR_RETURN(int64_t run_id, store->BeginRun("neardup", params.str()));
  summary->detector = "neardup";
  summary->run_id = run_id;

  auto run = [&]() -> Result<std::string> {
    sqlite3* db = store->handle();
    Corpus c;
    ET_RETURN_IF_ERROR(LoadCorpus(db, &c));
    if (options.progress) {
      std::fprintf(stderr, "neardup: clustering %zu documents at Jaccard >= %.2f\n", c.ids.size(),
                   nd.threshold);
    }
    std::vector<std::string_view> texts;
    texts.reserve(c.ids.size());
    for (size_t i = 0; i < c.ids.size(); ++i) {
      texts.emplace_back(c.arena.data() + c.offsets[i], c.offsets[i + 1] - c.offsets[i]);
    }
    ET_ASSIGN_OR_RETURN(neardup::NearDupResult r,
                        neardup::FindNearDuplicates(texts, c.hashes, nd));
    ET_RETURN_IF_ERROR(WriteResult(db, run_id, c, r));
    return Figures(r.stats, nd.threshold);
  };
  Result<std::string> figures = run();
  summary->seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!figures.ok()) {
    store->EndRun(run_id, "failed", "{}").ok();  // the stage's error is the one to report
    return figures.status();
  }
  summary->figures_json = *figures;
  return store->EndRun(run_id, "ok", *figures);
}

}  // namespace echotrace
