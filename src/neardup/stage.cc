// Near-duplicate stage, full or incremental.
//
// Full: the whole corpus is clustered in one pass in memory (texts are held
// as one arena: about 150 bytes a tweet), then the result replaces the
// previous near-duplicate result in a single transaction, together with the
// LSH index (neardup_index) a later incremental run needs.
//
// Incremental: when the latest ok neardup run had the same parameters, left
// an index and covered documents up to docs.id X, and no document up to X
// has gone, only the documents after X are read and clustered against the
// stored index (neardup::ExtendNearDuplicates); earlier texts are fetched one
// by one when a new document must be compared with them. The result equals a
// full run's (neardup.h, "Incremental"), so the rows of the previous run are
// kept (moved to the new run id), the rows of documents whose cluster is new
// or changed are written, and the new pairs and index entries added.
//
// Cluster ids are docs.id of the cluster's earliest-ingested member, so they
// are stable across reruns on the same store and meaningful to a reader
// ("the cluster of document 1042"). Adding documents never renames a
// cluster, except that when a new document joins two earlier clusters the
// merged cluster keeps the smaller id and the larger one is retired. Only
// clusters of two or more documents are written.
#include "neardup/stage.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "neardup/neardup.h"
#include "store/sqlite_util.h"
#include "store/transaction.h"
#include "util/json.h"

namespace echotrace {

namespace {

using store_internal::Exec;
using store_internal::QueryInt64;
using store_internal::SqliteStatus;
using store_internal::Stmt;
using store_internal::Transaction;

// Version of the stored index (neardup_index) and of the bucket rule it
// assumes (lsh.h); part of the run's params, so a change forces a full run.
constexpr int kIndexFormat = 1;

constexpr const char kCreateTables[] =
    "CREATE TABLE IF NOT EXISTS neardup_members("
    "  run_id INTEGER NOT NULL, doc_id INTEGER NOT NULL, cluster_id INTEGER NOT NULL,"
    "  via_doc_id INTEGER NOT NULL, PRIMARY KEY (run_id, doc_id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS neardup_members_cluster ON neardup_members(run_id, cluster_id);"
    "CREATE TABLE IF NOT EXISTS neardup_pairs("
    "  run_id INTEGER NOT NULL, doc_a INTEGER NOT NULL, doc_b INTEGER NOT NULL,"
    "  jaccard REAL NOT NULL, shingle_k INTEGER NOT NULL, PRIMARY KEY (run_id, doc_a, doc_b))"
    "  WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS neardup_index("
    "  doc_id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, set_hash INTEGER NOT NULL,"
    "  keys BLOB NOT NULL);";

// Documents [0, n) in docs.id order; texts only for [first_text, n).
struct Corpus {
  std::vector<int64_t> ids;
  std::vector<uint64_t> hashes;
  size_t first_text = 0;
  std::string arena;
  std::vector<size_t> offsets;  // texts[first_text + i] = arena[offsets[i], offsets[i+1])

  // Position of docs.id `id`, or nullopt when it is not a document.
  std::optional<uint32_t> IndexOf(int64_t id) const {
    auto it = std::lower_bound(ids.begin(), ids.end(), id);
    if (it == ids.end() || *it != id) return std::nullopt;
    return static_cast<uint32_t>(it - ids.begin());
  }
  std::vector<std::string_view> Texts() const {
    std::vector<std::string_view> t(ids.size());
    for (size_t i = first_text; i < ids.size(); ++i) {
      const size_t k = i - first_text;
      t[i] = std::string_view(arena.data() + offsets[k], offsets[k + 1] - offsets[k]);
    }
    return t;
  }
};

// Every document's id and norm_hash, and the texts of those after
// `text_after` (docs.id).
Status LoadCorpus(sqlite3* db, int64_t text_after, Corpus* c) {
  // One pass over the table for the hashes (there is no norm_hash index:
  // building it cost every ingest 3 s on 2.46M tweets, against ~1 s more
  // here for an incremental run; docs/schema.md).
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT id, norm_hash FROM docs"));
  std::vector<std::pair<int64_t, uint64_t>> rows;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    rows.emplace_back(st.Int64(0), static_cast<uint64_t>(st.Int64(1)));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the documents");
  std::sort(rows.begin(), rows.end());
  c->ids.reserve(rows.size());
  c->hashes.reserve(rows.size());
  for (const auto& [id, hash] : rows) {
    c->ids.push_back(id);
    c->hashes.push_back(hash);
  }
  std::vector<std::pair<int64_t, uint64_t>>().swap(rows);
  c->first_text = static_cast<size_t>(std::upper_bound(c->ids.begin(), c->ids.end(), text_after) -
                                      c->ids.begin());
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT id, text FROM docs WHERE id > ?1 ORDER BY id"));
  st.BindInt64(1, text_after);
  c->offsets.push_back(0);
  size_t i = c->first_text;
  while ((rc = st.Step()) == SQLITE_ROW) {
    if (i >= c->ids.size() || st.Int64(0) != c->ids[i]) {
      return Status::Internal("near-duplicates: the documents changed while being read");
    }
    c->arena += st.TextView(1);
    c->offsets.push_back(c->arena.size());
    ++i;
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the documents");
  if (i != c->ids.size()) {
    return Status::Internal("near-duplicates: the documents changed while being read");
  }
  return Status::OK();
}

// The earlier run an incremental run extends.
struct Prior {
  int64_t run_id = 0;
  int64_t last_doc_id = 0;
  int64_t documents = 0;
  int64_t index_entries = 0;
};

// The run to extend, or nullopt with *why set to the reason for a full run.
Result<std::optional<Prior>> FindPrior(Store* store, const std::string& params, std::string* why) {
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> latest, store->LatestRun(kNearDupDetector));
  if (!latest) {
    *why = "no earlier run";
    return std::optional<Prior>();
  }
  Prior p;
  p.run_id = latest->id;
  if (latest->params != params) {
    *why = "parameters changed";
    return std::optional<Prior>();
  }
  const std::string& summary = latest->summary;
  const std::optional<int64_t> last = FlatJsonInt(summary, "last_doc_id");
  const std::optional<int64_t> docs = FlatJsonInt(summary, "documents");
  const std::optional<int64_t> entries = FlatJsonInt(summary, "index_entries");
  if (!last || !docs || !entries) {
    *why = "the earlier run left no index";
    return std::optional<Prior>();
  }
  p.last_doc_id = *last;
  p.documents = *docs;
  p.index_entries = *entries;
  ET_ASSIGN_OR_RETURN(
      int64_t tables,
      QueryInt64(db,
                 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                 "('neardup_index', 'neardup_members', 'neardup_pairs')"));
  if (tables != 3) {
    *why = "the earlier run's tables are missing";
    return std::optional<Prior>();
  }
  // Guards against a store changed behind the runs' backs: the index, the
  // members and the covered documents must be those of the run.
  ET_ASSIGN_OR_RETURN(int64_t rows, QueryInt64(db, "SELECT count(*) FROM neardup_index"));
  ET_ASSIGN_OR_RETURN(
      int64_t foreign,
      QueryInt64(db,
                 "SELECT (SELECT count(*) FROM neardup_members WHERE run_id <> ?1) + "
                 "(SELECT count(*) FROM neardup_pairs WHERE run_id <> ?1)",
                 p.run_id));
  ET_ASSIGN_OR_RETURN(int64_t covered,
                      QueryInt64(db, "SELECT count(*) FROM docs WHERE id <= ?1", p.last_doc_id));
  if (rows != p.index_entries || foreign != 0) {
    *why = "the stored index does not match the earlier run";
    return std::optional<Prior>();
  }
  if (covered != p.documents) {
    *why = "documents were removed since the earlier run";
    return std::optional<Prior>();
  }
  return std::optional<Prior>(p);
}

// The earlier run's clusters and representatives (every covered document:
// itself unless it has a row) and its index.
struct PriorState {
  std::vector<uint32_t> cluster, representative;
  std::vector<bool> has_row;  // in neardup_members
  neardup::LshIndex index;
};

Status LoadPrior(sqlite3* db, const Prior& p, const Corpus& c, uint32_t num_old, uint32_t bands,
                 PriorState* out) {
  out->cluster.resize(num_old);
  out->representative.resize(num_old);
  out->has_row.assign(num_old, false);
  for (uint32_t d = 0; d < num_old; ++d) out->cluster[d] = out->representative[d] = d;
  // Not const: each return moves it out (the loop returns at most once).
  Status corrupt = Status::Corruption(
      "near-duplicates: the stored result refers to unknown documents; rerun with --full");
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db, "SELECT doc_id, cluster_id, via_doc_id FROM neardup_members WHERE run_id = ?1"));
  st.BindInt64(1, p.run_id);
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const std::optional<uint32_t> d = c.IndexOf(st.Int64(0)), k = c.IndexOf(st.Int64(1)),
                                  v = c.IndexOf(st.Int64(2));
    if (!d || !k || !v || *d >= num_old || *k > *d || *v > *d) return corrupt;
    out->cluster[*d] = *k;
    out->representative[*d] = *v;
    out->has_row[*d] = true;
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the near-duplicate clusters");

  neardup::LshIndex& index = out->index;
  index.bands = bands;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT doc_id, kind, set_hash, keys FROM neardup_index ORDER BY doc_id"));
  while ((rc = st.Step()) == SQLITE_ROW) {
    const std::optional<uint32_t> d = c.IndexOf(st.Int64(0));
    const int64_t kind = st.Int64(1);
    if (!d || *d >= num_old || kind < 0 || kind > neardup::LshIndex::kBridge) return corrupt;
    const auto k = static_cast<uint8_t>(kind);
    const std::string_view blob = st.TextView(3);
    const bool in_tokens = neardup::LshIndex::InTokenIndex(k);
    const bool in_shingles = neardup::LshIndex::InShingleIndex(k);
    if (blob.size() != size_t{4} * bands * (in_tokens + in_shingles)) return corrupt;
    index.doc.push_back(*d);
    index.kind.push_back(k);
    index.set_hash.push_back(static_cast<uint64_t>(st.Int64(2)));
    for (size_t i = 0; i < blob.size(); i += 4) {
      const auto* b = reinterpret_cast<const unsigned char*>(blob.data() + i);
      const uint32_t key =
          uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
      (in_tokens && i < size_t{4} * bands ? index.token_keys : index.shingle_keys).push_back(key);
    }
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the near-duplicate index");
  return Status::OK();
}

// Writes index entries: keys as little-endian uint32, the token-set index's
// bands first.
Status WriteIndex(sqlite3* db, const Corpus& c, const neardup::LshIndex& index) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "INSERT INTO neardup_index VALUES (?1, ?2, ?3, ?4)"));
  const size_t bands = index.bands;
  size_t tk = 0, sk = 0;
  std::string blob;
  for (size_t e = 0; e < index.size(); ++e) {
    blob.clear();
    auto put = [&](const std::vector<uint32_t>& keys, size_t* at) {
      for (size_t b = 0; b < bands; ++b) {
        const uint32_t k = keys[*at + b];
        for (int s = 0; s < 32; s += 8) blob.push_back(static_cast<char>(k >> s));
      }
      *at += bands;
    };
    if (neardup::LshIndex::InTokenIndex(index.kind[e])) put(index.token_keys, &tk);
    if (neardup::LshIndex::InShingleIndex(index.kind[e])) put(index.shingle_keys, &sk);
    st.BindInt64(1, c.ids[index.doc[e]]);
    st.BindInt64(2, index.kind[e]);
    st.BindInt64(3, static_cast<int64_t>(index.set_hash[e]));
    st.BindBlob(4, blob);
    const int rc = st.Step();
    st.Reset();
    if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "storing the near-duplicate index");
  }
  return Status::OK();
}

// Writes the result. Full (prior == nullptr): replaces everything.
// Incremental: moves the earlier rows to `run_id`, then writes the rows of
// documents that are new or changed cluster, and the new pairs and index
// entries.
Status WriteResult(const DetectorContext& ctx, int64_t run_id, const Corpus& c,
                   const neardup::NearDupResult& r, const PriorState* prior) {
  sqlite3* db = store_internal::Handle(ctx.store);
  Transaction tx(db, "the near-duplicate result");
  ET_RETURN_IF_ERROR(tx.BeginWrite());
  {
    ET_RETURN_IF_ERROR(Exec(db, kCreateTables, "creating the near-duplicate tables"));
    const uint32_t num_old = prior ? static_cast<uint32_t>(prior->cluster.size()) : 0;
    // The cluster index is dropped while rows go in and built again at the
    // end (kCreateTables), by sorting: maintained row by row, its random
    // inserts cost more than the rows themselves (1.1M IRA members).
    ET_RETURN_IF_ERROR(Exec(db, "DROP INDEX IF EXISTS neardup_members_cluster",
                            "writing the near-duplicate clusters"));
    if (prior == nullptr) {
      ET_RETURN_IF_ERROR(Exec(db,
                              "DELETE FROM neardup_members; DELETE FROM neardup_pairs; "
                              "DELETE FROM neardup_index;",
                              "clearing the previous near-duplicate result"));
    } else {
      // The earlier rows move to the new run id: copied (appends in key
      // order) and the old range deleted; three times faster than an UPDATE
      // of the key on the 1.1M IRA rows.
      Stmt move;
      for (const char* sql :
           {"INSERT INTO neardup_members SELECT ?1, doc_id, cluster_id, via_doc_id FROM "
            "neardup_members WHERE run_id <> ?1",
            "DELETE FROM neardup_members WHERE run_id <> ?1",
            "INSERT INTO neardup_pairs SELECT ?1, doc_a, doc_b, jaccard, shingle_k FROM "
            "neardup_pairs WHERE run_id <> ?1",
            "DELETE FROM neardup_pairs WHERE run_id <> ?1"}) {
        ET_RETURN_IF_ERROR(move.Prepare(db, sql));
        move.BindInt64(1, run_id);
        const int rc = move.Step();
        if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "keeping the earlier clusters");
      }
    }
    std::vector<uint32_t> size(c.ids.size(), 0);
    for (uint32_t root : r.cluster) size[root]++;
    Stmt m;
    ET_RETURN_IF_ERROR(
        m.Prepare(db, "INSERT OR REPLACE INTO neardup_members VALUES (?1, ?2, ?3, ?4)"));
    for (size_t d = 0; d < c.ids.size(); ++d) {
      if (size[r.cluster[d]] < 2) continue;
      if (d < num_old && prior->has_row[d] && r.cluster[d] == prior->cluster[d]) {
        continue;  // its row is kept
      }
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
    ET_RETURN_IF_ERROR(WriteIndex(db, c, r.index));
    ET_RETURN_IF_ERROR(Exec(db, kCreateTables, "indexing the near-duplicate clusters"));
  }
  ET_RETURN_IF_ERROR(ctx.CheckCancelled());
  return tx.Commit();
}

// The run's parameters: everything that decides the result and the index.
std::string Params(const neardup::NearDupOptions& nd) {
  const neardup::BandParams bands =
      neardup::ChooseBands(nd.threshold, nd.num_perm, nd.band_criteria);
  JsonWriter w;
  w.BeginObject().Key("threshold").Double(nd.threshold).Key("num_perm").Uint(nd.num_perm);
  w.Key("seed").Uint(nd.seed).Key("shingle_k").Uint(nd.shingle.k);
  w.Key("min_tokens_for_shingles").Uint(nd.shingle.min_tokens_for_shingles);
  w.Key("keep_urls").Bool(nd.shingle.keep_urls);
  w.Key("shingle_format").Uint(neardup::kShingleFormatVersion);
  w.Key("bands").Uint(bands.bands).Key("rows").Uint(bands.rows);
  w.Key("max_bucket").Uint(nd.max_bucket).Key("index_format").Uint(kIndexFormat);
  w.EndObject();
  return w.Take();
}

struct RunFacts {
  bool incremental = false;
  std::string full_reason;
  uint64_t documents = 0, new_documents = 0;
  int64_t last_doc_id = 0;
  int64_t index_entries = 0;
};

std::string Figures(const neardup::NearDupStats& s, double threshold, const RunFacts& f) {
  JsonWriter w;
  w.BeginObject().Key("threshold").Double(threshold);
  w.Key("mode").String(f.incremental ? "incremental" : "full");
  if (!f.incremental) w.Key("full_reason").String(f.full_reason);
  w.Key("documents").Uint(f.documents).Key("new_documents").Uint(f.new_documents);
  w.Key("last_doc_id").Int(f.last_doc_id).Key("index_entries").Int(f.index_entries);
  w.Key("clusters").Uint(s.clusters).Key("clustered_documents").Uint(s.clustered_docs);
  w.Key("exact_duplicates").Uint(s.exact_duplicates).Key("identical_sets").Uint(s.identical_sets);
  w.Key("candidate_pairs").Uint(s.candidate_pairs).Key("verified_pairs").Uint(s.verified_pairs);
  w.Key("bands").Uint(s.bands.bands).Key("rows").Uint(s.bands.rows);
  w.EndObject();
  return w.Take();
}

// The stage: Plan finds the run to extend, Execute clusters (all documents,
// or the new ones against the stored index) and writes the result.
class NearDupDetector : public Detector {
 public:
  explicit NearDupDetector(const NearDupParams& p) : params_(p) {}

  Result<RunPlan> Plan(const DetectorContext& ctx) override {
    nd_.threshold = params_.threshold;
    nd_.max_bucket = params_.max_bucket;
    nd_.threads = ctx.threads;
    nd_.collect_pairs = true;
    nd_.collect_index = true;
    Status valid = neardup::ValidateOptions(nd_);
    if (!valid.ok()) {
      return valid.WithContext(nd_.max_bucket < 2 ? "max_bucket" : "--threshold");
    }
    RunPlan plan;
    plan.kind = kNearDupDetector;
    plan.params = Params(nd_);
    if (params_.full) {
      facts_.full_reason = "--full";
    } else {
      ET_ASSIGN_OR_RETURN(prior_, FindPrior(ctx.store, plan.params, &facts_.full_reason));
    }
    facts_.incremental = prior_.has_value();
    plan.incremental = facts_.incremental;
    plan.full_reason = facts_.full_reason;
    return plan;
  }

  Result<std::string> Execute(const DetectorContext& ctx, const RunPlan& /*plan*/,
                              int64_t run_id) override {
    StepTimer lap(kNearDupDetector, ctx);
    sqlite3* db = store_internal::Handle(ctx.store);
    Corpus c;
    ET_RETURN_IF_ERROR(LoadCorpus(db, prior_ ? prior_->last_doc_id : INT64_MIN, &c));
    lap.Lap("documents read");
    ET_RETURN_IF_ERROR(ctx.CheckCancelled());
    facts_.documents = c.ids.size();
    facts_.new_documents = c.ids.size() - c.first_text;
    facts_.last_doc_id = c.ids.empty() ? 0 : c.ids.back();
    neardup::NearDupResult r;
    PriorState state;
    if (prior_) {
      ET_ASSIGN_OR_RETURN(r, Extend(ctx, c, &state, &lap));
    } else {
      ctx.Say("neardup: clustering %zu documents at Jaccard >= %.2f (full: %s)", c.ids.size(),
              nd_.threshold, facts_.full_reason.c_str());
      ET_ASSIGN_OR_RETURN(r, neardup::FindNearDuplicates(c.Texts(), c.hashes, nd_));
      facts_.index_entries = static_cast<int64_t>(r.index.size());
    }
    lap.Lap("clustered");
    const neardup::NearDupStats& t = r.stats;
    ctx.Say(
        "neardup: steps: exact %.1f s, shingle %.1f s, identical sets %.1f s, MinHash %.1f s, "
        "candidates %.1f s, verify %.1f s, union %.1f s",
        t.seconds_exact, t.seconds_shingle, t.seconds_collapse, t.seconds_minhash,
        t.seconds_candidates, t.seconds_verify, t.seconds_union);
    ET_RETURN_IF_ERROR(ctx.CheckCancelled());
    ET_RETURN_IF_ERROR(WriteResult(ctx, run_id, c, r, prior_ ? &state : nullptr));
    lap.Lap("result written");
    return Figures(r.stats, nd_.threshold, facts_);
  }

  std::string Headline(const std::string& figures) const override {
    const int64_t clusters = FlatJsonInt(figures, "clusters").value_or(0);
    const int64_t members = FlatJsonInt(figures, "clustered_documents").value_or(0);
    const int64_t docs = FlatJsonInt(figures, "documents").value_or(0);
    return Thousands(clusters) + " clusters holding " + Thousands(members) + " of " +
           Thousands(docs) + " documents (" +
           (facts_.incremental
                ? "incremental, " + Thousands(static_cast<int64_t>(facts_.new_documents)) + " new"
                : "full") +
           ")";
  }

 private:
  // The new documents clustered against the prior run's stored index.
  Result<neardup::NearDupResult> Extend(const DetectorContext& ctx, const Corpus& c,
                                        PriorState* state, StepTimer* lap) {
    sqlite3* db = store_internal::Handle(ctx.store);
    const auto num_old = static_cast<uint32_t>(c.first_text);
    ctx.Say(
        "neardup: incremental, %llu new documents against %u clustered before at Jaccard >= "
        "%.2f",
        static_cast<unsigned long long>(facts_.new_documents), num_old, nd_.threshold);
    const uint32_t bands =
        neardup::ChooseBands(nd_.threshold, nd_.num_perm, nd_.band_criteria).bands;
    ET_RETURN_IF_ERROR(LoadPrior(db, *prior_, c, num_old, bands, state));
    lap->Lap("earlier clusters and index read");
    Stmt text;
    ET_RETURN_IF_ERROR(text.Prepare(db, "SELECT text FROM docs WHERE id = ?1"));
    const neardup::FetchTexts fetch = [&](std::span<const uint32_t> docs,
                                          std::vector<std::string>* out) -> Status {
      out->clear();
      out->reserve(docs.size());
      for (uint32_t d : docs) {
        text.BindInt64(1, c.ids[d]);
        const int rc = text.Step();
        if (rc != SQLITE_ROW) {
          text.Reset();
          return SqliteStatus(db, rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc,
                              "reading an earlier document's text");
        }
        out->push_back(text.Text(0));
        text.Reset();
      }
      return Status::OK();
    };
    neardup::PriorRun pr;
    pr.num_old = num_old;
    pr.cluster = state->cluster;
    pr.representative = state->representative;
    pr.index = &state->index;
    ET_ASSIGN_OR_RETURN(neardup::NearDupResult r,
                        neardup::ExtendNearDuplicates(c.Texts(), c.hashes, pr, fetch, nd_));
    facts_.index_entries = prior_->index_entries + static_cast<int64_t>(r.index.size());
    return r;
  }

  NearDupParams params_;
  neardup::NearDupOptions nd_;
  std::optional<Prior> prior_;
  RunFacts facts_;
};

}  // namespace

std::unique_ptr<Detector> MakeNearDupDetector(const NearDupParams& params) {
  return std::make_unique<NearDupDetector>(params);
}

}  // namespace echotrace
