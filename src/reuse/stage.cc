// Passage-reuse stage, full or incremental.
//
// Full: the corpus is read in one pass (texts held as one arena, sources and
// authors numbered densely in order of first appearance), reuse::
// FindCorpusReuse does the work, and the result replaces the previous reuse
// result in a single transaction, together with what a later incremental
// run needs: the n-gram index (reuse_index, 12 bytes a posting, as blobs by
// partition) and each document's content signature (reuse_content).
//
// Incremental: when the latest ok full run (kind `reuse`) had the same
// parameters and left its index, and every run since covered documents up
// to docs.id X with none of them gone, only the documents after X are read
// and processed against the stored index (reuse::ExtendCorpusReuse). The
// result equals a full run's (corpus_reuse.h, "Append-stable"), so the
// stored rows stay, and the run adds its pairs, occurrences, clusters and
// index entries, grows the occurrences a new alignment reaches past, and
// recomputes the summaries of the clusters it changed. Its rows carry the
// full run's id, so every reader's "latest ok reuse run" still finds the
// whole result; the increment itself is recorded as a run of kind
// `reuse-increment` (docs/schema.md).
//
// Cluster ids are 1, 2, ... in order of creation (the document whose
// arrival founded the cluster); an incremental run continues the count, and
// a cluster keeps its id and its members for good.
#include "reuse/stage.h"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reuse/corpus_reuse.h"
#include "store/sqlite_util.h"
#include "store/transaction.h"
#include "util/json.h"

namespace echotrace {

namespace {

using store_internal::Exec;
using store_internal::QueryInt64;
using store_internal::SqliteStatus;
using store_internal::StepDoneLazy;
using store_internal::Stmt;

// Version of the stored state (tables below, index encoding); in the run's
// summary, so that a store written by an older version is rebuilt in full.
constexpr int64_t kStateFormat = 2;
// An incremental run appends one index blob per partition; past this many
// the partition is merged into one (reading stays one blob or a few).
constexpr int64_t kMaxBlobsPerPartition = 8;

constexpr const char kDropTables[] =
    "DROP TABLE IF EXISTS reuse_clusters; DROP TABLE IF EXISTS reuse_occurrences;"
    "DROP TABLE IF EXISTS reuse_pairs; DROP TABLE IF EXISTS reuse_boilerplate;"
    "DROP TABLE IF EXISTS reuse_index; DROP TABLE IF EXISTS reuse_content;";

constexpr const char kCreateTables[] =
    "CREATE TABLE reuse_clusters("
    "  run_id INTEGER NOT NULL, cluster_id INTEGER NOT NULL, origin_doc_id INTEGER NOT NULL,"
    "  origin_start INTEGER NOT NULL, occurrences INTEGER NOT NULL, documents INTEGER NOT NULL,"
    "  sources INTEGER NOT NULL, authors INTEGER NOT NULL, first_time INTEGER,"
    "  last_time INTEGER, PRIMARY KEY (run_id, cluster_id)) WITHOUT ROWID;"
    "CREATE TABLE reuse_occurrences("
    "  run_id INTEGER NOT NULL, cluster_id INTEGER NOT NULL, doc_id INTEGER NOT NULL,"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, tok_begin INTEGER NOT NULL,"
    "  tok_end INTEGER NOT NULL, centre INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, cluster_id, doc_id, start, end)) WITHOUT ROWID;"
    "CREATE INDEX reuse_occurrences_doc ON reuse_occurrences(run_id, doc_id);"
    "CREATE TABLE reuse_pairs("
    "  run_id INTEGER NOT NULL, doc_a INTEGER NOT NULL, a_start INTEGER NOT NULL,"
    "  a_end INTEGER NOT NULL, doc_b INTEGER NOT NULL, b_start INTEGER NOT NULL,"
    "  b_end INTEGER NOT NULL, identity REAL NOT NULL, containment REAL NOT NULL);"
    "CREATE INDEX reuse_pairs_a ON reuse_pairs(run_id, doc_a, doc_b);"
    "CREATE INDEX reuse_pairs_b ON reuse_pairs(run_id, doc_b);"
    "CREATE TABLE reuse_boilerplate("
    "  run_id INTEGER NOT NULL, source TEXT, ngram_hash INTEGER NOT NULL,"
    "  docs INTEGER NOT NULL, example_doc_id INTEGER NOT NULL, example TEXT NOT NULL);"
    "CREATE INDEX reuse_boilerplate_run ON reuse_boilerplate(run_id, source, ngram_hash);"
    "CREATE TABLE reuse_index(part INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,"
    "  PRIMARY KEY (part, seq));"
    "CREATE TABLE reuse_content(first_doc INTEGER PRIMARY KEY, data BLOB NOT NULL);";

// Documents [0, n) in docs.id order; texts only for those after text_after.
struct Corpus {
  std::vector<int64_t> ids;
  std::vector<std::optional<int64_t>> times;
  std::vector<uint32_t> sources, authors;
  std::vector<std::string> source_names;  // by dense number; "" = none
  size_t first_text = 0;
  std::string arena;
  std::vector<size_t> offsets;  // text first_text + i = arena[offsets[i], offsets[i+1])
  std::string_view Text(size_t i) const {
    if (i < first_text) return {};
    i -= first_text;
    return std::string_view(arena).substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
  std::optional<uint32_t> IndexOf(int64_t id) const {
    auto it = std::lower_bound(ids.begin(), ids.end(), id);
    if (it == ids.end() || *it != id) return std::nullopt;
    return static_cast<uint32_t>(it - ids.begin());
  }
};

uint32_t Number(std::string_view key, std::unordered_map<std::string, uint32_t>* names) {
  auto [it, added] = names->try_emplace(std::string(key), static_cast<uint32_t>(names->size()));
  return it->second;
}

// Every document's id, time, source and author; the texts of those with
// docs.id > text_after.
Status LoadCorpus(sqlite3* db, int64_t text_after, Corpus* c) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db,
      "SELECT id, time, source, author, CASE WHEN id > ?1 THEN text END FROM docs ORDER BY id"));
  st.BindInt64(1, text_after);
  std::unordered_map<std::string, uint32_t> sources, authors;
  c->offsets.push_back(0);
  c->first_text = SIZE_MAX;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const int64_t id = st.Int64(0);
    if (id > text_after) {
      if (c->first_text == SIZE_MAX) c->first_text = c->ids.size();
      c->arena += st.TextView(4);
      c->offsets.push_back(c->arena.size());
    }
    c->ids.push_back(id);
    c->times.push_back(st.OptInt64(1));
    c->sources.push_back(Number(st.TextView(2), &sources));
    c->authors.push_back(st.IsNull(3) ? reuse::CorpusDoc::kNoAuthor
                                      : Number(st.TextView(3), &authors));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the documents");
  if (c->first_text == SIZE_MAX) c->first_text = c->ids.size();
  c->source_names.resize(sources.size());
  for (auto& [name, n] : sources) c->source_names[n] = name;
  return Status::OK();
}

Result<reuse::CorpusReuseOptions> ReuseOptions(const ReuseParams& a, int threads) {
  reuse::CorpusReuseOptions o;
  if (a.min_tokens < 1) return Status::InvalidArgument("reuse: --min-tokens must be >= 1");
  if (a.ngram < 1 || a.ngram > 32) {
    return Status::InvalidArgument("reuse: --ngram must be in 1..32");
  }
  if (a.max_df < 2) return Status::InvalidArgument("reuse: --max-df must be >= 2");
  if (a.min_anchors < 1) {
    return Status::InvalidArgument("reuse: --min-anchors must be >= 1");
  }
  o.passage.min_tokens = static_cast<uint32_t>(a.min_tokens);
  o.passage.anchors.n = static_cast<uint32_t>(a.ngram);
  o.max_df = static_cast<uint32_t>(a.max_df);
  o.min_shared_anchors = static_cast<uint32_t>(a.min_anchors);
  o.threads = threads;
  o.compare_sides = !a.sources_a.empty() || !a.sources_b.empty();
  ET_RETURN_IF_ERROR(reuse::ValidateCorpusReuseOptions(o));
  return o;
}

// Side of every source number; InvalidArgument for a source on both sides
// or one that no document has.
Result<std::vector<reuse::Side>> Sides(const ReuseParams& a, const Corpus& c) {
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
  ET_RETURN_IF_ERROR(mark(a.sources_a, Side::kA, "--sources-a"));
  ET_RETURN_IF_ERROR(mark(a.sources_b, Side::kB, "--sources-b"));
  // An empty side is every source not on the other.
  const bool a_rest = a.sources_a.empty(), b_rest = a.sources_b.empty();
  for (Side& v : side) {
    if (v == Side::kNone && (a_rest || b_rest)) v = a_rest ? Side::kA : Side::kB;
  }
  return side;
}

// ---- The stored state: index blobs and content signatures ----

// A posting is 12 bytes: the hash and the document number, little-endian
// (every supported target is; static_assert below).
constexpr size_t kPostingBytes = 12;
static_assert(std::endian::native == std::endian::little, "the stored index is little-endian");

std::string EncodePostings(const std::vector<reuse::IndexEntry>& e) {
  std::string out(e.size() * kPostingBytes, '\0');
  for (size_t i = 0; i < e.size(); ++i) {
    std::memcpy(out.data() + i * kPostingBytes, &e[i].hash, 8);
    std::memcpy(out.data() + i * kPostingBytes + 8, &e[i].doc, 4);
  }
  return out;
}

Status DecodePostings(std::string_view blob, std::vector<reuse::IndexEntry>* out) {
  if (blob.size() % kPostingBytes != 0) {
    return Status::Corruption("reuse: a stored index blob has a torn posting; rerun with --full");
  }
  const size_t n = blob.size() / kPostingBytes;
  const size_t base = out->size();
  out->resize(base + n);
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(&(*out)[base + i].hash, blob.data() + i * kPostingBytes, 8);
    std::memcpy(&(*out)[base + i].doc, blob.data() + i * kPostingBytes + 8, 4);
  }
  return Status::OK();
}

Result<int64_t> BlobCount(sqlite3* db, uint32_t part) {
  return QueryInt64(db, "SELECT count(*) FROM reuse_index WHERE part = ?1", int64_t{part},
                    "reading the reuse index");
}

// All stored postings of one partition, sorted.
Result<std::vector<reuse::IndexEntry>> ReadPartition(sqlite3* db, uint32_t part) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT data FROM reuse_index WHERE part = ?1 ORDER BY seq"));
  st.BindInt64(1, part);
  std::vector<reuse::IndexEntry> out;
  int rc;
  size_t blobs = 0;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const void* p = sqlite3_column_blob(st.get(), 0);
    const int n = sqlite3_column_bytes(st.get(), 0);
    ET_RETURN_IF_ERROR(DecodePostings(
        std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)), &out));
    ++blobs;
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the reuse index");
  if (blobs > 1) std::sort(out.begin(), out.end());  // each blob is sorted on its own
  return out;
}

Status WritePartition(sqlite3* db, uint32_t part, int64_t seq,
                      const std::vector<reuse::IndexEntry>& e) {
  if (e.empty()) return Status::OK();
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "INSERT INTO reuse_index VALUES (?1, ?2, ?3)"));
  st.BindInt64(1, part);
  st.BindInt64(2, seq);
  const std::string blob = EncodePostings(e);
  st.BindBlob(3, blob);
  return StepDoneLazy(db, st, [] { return "storing the reuse index"; });
}

// Stores the run's new postings: a blob per partition, appended after the
// earlier ones, or the partition merged into one blob once it has
// kMaxBlobsPerPartition.
Status StoreIndex(sqlite3* db, reuse::IndexParts* parts, bool appending) {
  for (uint32_t p = 0; p < reuse::kIndexPartitions; ++p) {
    ET_ASSIGN_OR_RETURN(std::vector<reuse::IndexEntry> e, parts->Take(p));
    if (!appending) {
      ET_RETURN_IF_ERROR(WritePartition(db, p, 0, e));
      continue;
    }
    ET_ASSIGN_OR_RETURN(int64_t blobs, BlobCount(db, p));
    if (blobs + 1 < kMaxBlobsPerPartition) {
      ET_ASSIGN_OR_RETURN(int64_t seq,
                          QueryInt64(db,
                                     "SELECT coalesce(max(seq), -1) + 1 FROM reuse_index "
                                     "WHERE part = ?1",
                                     int64_t{p}, "reading the reuse index"));
      ET_RETURN_IF_ERROR(WritePartition(db, p, seq, e));
      continue;
    }
    ET_ASSIGN_OR_RETURN(std::vector<reuse::IndexEntry> all, ReadPartition(db, p));
    all.insert(all.end(), e.begin(), e.end());
    std::sort(all.begin(), all.end());
    Stmt del;
    ET_RETURN_IF_ERROR(del.Prepare(db, "DELETE FROM reuse_index WHERE part = ?1"));
    del.BindInt64(1, p);
    ET_RETURN_IF_ERROR(StepDoneLazy(db, del, [] { return "merging the reuse index"; }));
    ET_RETURN_IF_ERROR(WritePartition(db, p, 0, all));
  }
  return Status::OK();
}

Status StoreContent(sqlite3* db, uint32_t first_doc, const std::vector<uint64_t>& content) {
  if (content.empty()) return Status::OK();
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "INSERT INTO reuse_content VALUES (?1, ?2)"));
  st.BindInt64(1, first_doc);
  st.BindBlob(2, std::string_view(reinterpret_cast<const char*>(content.data()),
                                  content.size() * sizeof(uint64_t)));
  return StepDoneLazy(db, st, [] { return "storing the reuse content signatures"; });
}

Result<std::vector<uint64_t>> ReadContent(sqlite3* db) {
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT first_doc, data FROM reuse_content ORDER BY first_doc"));
  std::vector<uint64_t> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const int n = sqlite3_column_bytes(st.get(), 1);
    if (st.Int64(0) != static_cast<int64_t>(out.size()) || n % 8 != 0) {
      return Status::Corruption(
          "reuse: the stored content signatures have a gap; rerun with --full");
    }
    const size_t base = out.size();
    out.resize(base + static_cast<size_t>(n) / 8);
    std::memcpy(out.data() + base, sqlite3_column_blob(st.get(), 1), static_cast<size_t>(n));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the reuse content signatures");
  return out;
}

// ---- Result rows ----

Status InsertOccurrence(Stmt& o, sqlite3* db, int64_t run_id, const Corpus& c,
                        const reuse::OccurrenceRecord& x) {
  o.BindInt64(1, run_id);
  o.BindInt64(2, x.cluster);
  o.BindInt64(3, c.ids[x.doc]);
  o.BindInt64(4, x.start);
  o.BindInt64(5, x.end);
  o.BindInt64(6, x.tok_begin);
  o.BindInt64(7, x.tok_end);
  o.BindInt64(8, x.centre ? 1 : 0);
  return StepDoneLazy(db, o, [] { return "storing a reuse occurrence"; });
}

Status WriteClusters(sqlite3* db, int64_t run_id, const Corpus& c,
                     const std::vector<reuse::ReuseCluster>& clusters) {
  Stmt k;
  ET_RETURN_IF_ERROR(k.Prepare(
      db,
      "INSERT OR REPLACE INTO reuse_clusters VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  for (const reuse::ReuseCluster& cl : clusters) {
    const reuse::ReuseOccurrence& origin = cl.occurrences[cl.origin];
    k.BindInt64(1, run_id);
    k.BindInt64(2, cl.id);
    k.BindInt64(3, c.ids[origin.doc]);
    k.BindInt64(4, origin.start);
    k.BindInt64(5, static_cast<int64_t>(cl.occurrences.size()));
    k.BindInt64(6, cl.documents);
    k.BindInt64(7, cl.sources);
    k.BindInt64(8, cl.authors);
    k.BindOptInt64(9, cl.first_time);
    k.BindOptInt64(10, cl.last_time);
    ET_RETURN_IF_ERROR(StepDoneLazy(db, k, [] { return "storing a reuse cluster"; }));
  }
  return Status::OK();
}

Status WriteOccurrences(sqlite3* db, int64_t run_id, const Corpus& c,
                        const reuse::CorpusReuseResult& r) {
  Stmt o, del;
  ET_RETURN_IF_ERROR(
      o.Prepare(db, "INSERT INTO reuse_occurrences VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  ET_RETURN_IF_ERROR(del.Prepare(db,
                                 "DELETE FROM reuse_occurrences WHERE run_id = ?1 AND "
                                 "cluster_id = ?2 AND doc_id = ?3 AND start = ?4 AND end = ?5"));
  for (const auto& [before, now] : r.extended) {
    del.BindInt64(1, run_id);
    del.BindInt64(2, before.cluster);
    del.BindInt64(3, c.ids[before.doc]);
    del.BindInt64(4, before.start);
    del.BindInt64(5, before.end);
    ET_RETURN_IF_ERROR(StepDoneLazy(db, del, [] { return "growing a reuse occurrence"; }));
    ET_RETURN_IF_ERROR(InsertOccurrence(o, db, run_id, c, now));
  }
  for (const reuse::OccurrenceRecord& x : r.occurrences) {
    ET_RETURN_IF_ERROR(InsertOccurrence(o, db, run_id, c, x));
  }
  return Status::OK();
}

Status WritePairs(sqlite3* db, int64_t run_id, const Corpus& c,
                  const std::vector<reuse::ReusePair>& pairs) {
  Stmt p;
  ET_RETURN_IF_ERROR(
      p.Prepare(db, "INSERT INTO reuse_pairs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  for (const reuse::ReusePair& x : pairs) {
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
  return Status::OK();
}

// New boilerplate records are inserted, with the n-gram as written in the
// example document (read from the store: the texts are freed by then); an
// earlier one (its example is an earlier run's document) gets its document
// count updated.
Status WriteBoilerplate(sqlite3* db, int64_t run_id, const Corpus& c, uint32_t first_new,
                        const std::vector<reuse::Boilerplate>& bp) {
  Stmt ins, upd;
  ET_RETURN_IF_ERROR(ins.Prepare(db,
                                 "INSERT INTO reuse_boilerplate SELECT ?1, ?2, ?3, ?4, id, "
                                 "CAST(substr(CAST(text AS BLOB), ?6 + 1, ?7) AS TEXT) "
                                 "FROM docs WHERE id = ?5"));
  ET_RETURN_IF_ERROR(upd.Prepare(db,
                                 "UPDATE reuse_boilerplate SET docs = ?4 WHERE run_id = ?1 AND "
                                 "source IS ?2 AND ngram_hash = ?3"));
  for (const reuse::Boilerplate& x : bp) {
    Stmt& st = x.example_doc < first_new ? upd : ins;
    st.BindInt64(1, run_id);
    st.BindTextOrNull(2, c.source_names[x.source]);
    st.BindInt64(3, static_cast<int64_t>(x.ngram_hash));
    st.BindInt64(4, x.docs);
    if (&st == &ins) {
      st.BindInt64(5, c.ids[x.example_doc]);
      st.BindInt64(6, x.example_start);
      st.BindInt64(7, x.example_end - x.example_start);
    }
    ET_RETURN_IF_ERROR(StepDoneLazy(db, st, [] { return "storing a boilerplate n-gram"; }));
  }
  return Status::OK();
}

// Every occurrence of the given clusters as stored (after this run's rows).
Result<std::vector<reuse::OccurrenceRecord>> ClusterOccurrences(
    sqlite3* db, int64_t run_id, const Corpus& c, const std::vector<uint32_t>& clusters) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT doc_id, start, end, tok_begin, tok_end, centre FROM "
                                "reuse_occurrences WHERE run_id = ?1 AND cluster_id = ?2"));
  std::vector<reuse::OccurrenceRecord> out;
  for (uint32_t k : clusters) {
    st.Reset();
    st.BindInt64(1, run_id);
    st.BindInt64(2, k);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      const std::optional<uint32_t> d = c.IndexOf(st.Int64(0));
      if (!d) {
        return Status::Corruption(
            "reuse: the stored result refers to a document that is gone; rerun with --full");
      }
      out.push_back({*d, static_cast<uint32_t>(st.Int64(3)), static_cast<uint32_t>(st.Int64(4)),
                     static_cast<uint32_t>(st.Int64(1)), static_cast<uint32_t>(st.Int64(2)), k,
                     st.Int64(5) != 0});
    }
    if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading a reuse cluster");
  }
  return out;
}

// Runs `body` in one transaction, committed unless it fails or the run is
// cancelled meanwhile.
template <typename Body>
Status InTransaction(const DetectorContext& ctx, const Body& body) {
  store_internal::Transaction tx(store_internal::Handle(ctx.store), "the reuse result");
  ET_RETURN_IF_ERROR(tx.BeginWrite());
  ET_RETURN_IF_ERROR(body());
  ET_RETURN_IF_ERROR(ctx.CheckCancelled());
  return tx.Commit();
}

Status WriteFull(const DetectorContext& ctx, int64_t run_id, const Corpus& c,
                 reuse::CorpusReuseResult& r) {
  sqlite3* db = store_internal::Handle(ctx.store);
  return InTransaction(ctx, [&]() -> Status {
    ET_RETURN_IF_ERROR(Exec(db, kDropTables, "clearing the previous reuse result"));
    ET_RETURN_IF_ERROR(Exec(db, kCreateTables, "creating the reuse tables"));
    ET_RETURN_IF_ERROR(WriteClusters(db, run_id, c, r.clusters));
    ET_RETURN_IF_ERROR(WriteOccurrences(db, run_id, c, r));
    ET_RETURN_IF_ERROR(WritePairs(db, run_id, c, r.pairs));
    ET_RETURN_IF_ERROR(WriteBoilerplate(db, run_id, c, 0, r.boilerplate));
    if (r.index) ET_RETURN_IF_ERROR(StoreIndex(db, r.index.get(), false));
    return StoreContent(db, 0, r.content);
  });
}

// `docs`: the detector's document list (its texts are freed by now;
// BuildClusters reads only times, sources and authors).
Status WriteIncrement(const DetectorContext& ctx, int64_t rows_run, const Corpus& c,
                      const std::vector<reuse::CorpusDoc>& docs, uint32_t first_new,
                      uint32_t first_new_cluster, reuse::CorpusReuseResult& r) {
  sqlite3* db = store_internal::Handle(ctx.store);
  return InTransaction(ctx, [&]() -> Status {
    ET_RETURN_IF_ERROR(WriteOccurrences(db, rows_run, c, r));
    ET_RETURN_IF_ERROR(WritePairs(db, rows_run, c, r.pairs));
    ET_RETURN_IF_ERROR(WriteBoilerplate(db, rows_run, c, first_new, r.boilerplate));
    // The clusters this run founded or changed, summarised from all their
    // occurrences (the same function a full run uses).
    std::vector<uint32_t> changed = r.touched_clusters;
    for (uint32_t k = first_new_cluster; k < r.next_cluster; ++k) changed.push_back(k);
    ET_ASSIGN_OR_RETURN(std::vector<reuse::OccurrenceRecord> occ,
                        ClusterOccurrences(db, rows_run, c, changed));
    ET_RETURN_IF_ERROR(WriteClusters(db, rows_run, c, reuse::BuildClusters(docs, occ)));
    if (r.index) ET_RETURN_IF_ERROR(StoreIndex(db, r.index.get(), true));
    return StoreContent(db, first_new, r.content);
  });
}

std::string Params(const reuse::CorpusReuseOptions& o, const ReuseParams& a) {
  JsonWriter w;
  w.BeginObject().Key("ngram").Uint(o.passage.anchors.n);
  w.Key("min_tokens").Uint(o.passage.min_tokens).Key("max_df").Uint(o.max_df);
  w.Key("min_anchors").Uint(o.min_shared_anchors).Key("max_links").Uint(o.max_links);
  w.Key("boilerplate_min_docs").Uint(o.boilerplate_min_docs);
  w.Key("boilerplate_share").Double(o.boilerplate_share);
  w.Key("merge_overlap").Double(o.merge_overlap);
  for (auto [key, list] :
       {std::pair{"sources_a", &a.sources_a}, std::pair{"sources_b", &a.sources_b}}) {
    w.Key(key).BeginArray();
    for (const std::string& s : *list) w.String(s);
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

// What a run records in its summary: the figures, and what the next
// incremental run checks (documents covered, next cluster id, format).
struct RunFacts {
  bool incremental = false;
  std::string full_reason;
  uint64_t new_documents = 0;
  int64_t last_doc_id = 0;  // 0 when the store has no document
  uint64_t documents = 0;
  uint32_t next_cluster = 1;
  int64_t rows_run = 0;  // the full run whose rows this result extends
};

std::string Summary(const reuse::CorpusReuseStats& s, const RunFacts& f) {
  JsonWriter w;
  w.BeginObject().Key("mode").String(f.incremental ? "incremental" : "full");
  if (!f.incremental) w.Key("full_reason").String(f.full_reason);
  w.Key("new_documents").Uint(f.new_documents);
  w.Key("format").Int(kStateFormat).Key("last_doc_id").Int(f.last_doc_id);
  w.Key("covered_documents").Uint(f.documents).Key("next_cluster").Uint(f.next_cluster);
  w.Key("rows_run").Int(f.rows_run);
  w.Key("documents").Uint(s.documents).Key("tokens").Uint(s.tokens);
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

// The earlier state an incremental run extends.
struct Earlier {
  int64_t rows_run = 0;     // the full run whose rows the tables hold
  int64_t last_doc_id = 0;  // covered: documents with docs.id <= this
  int64_t documents = 0;
  uint32_t next_cluster = 1;
};

// The state to extend, or nullopt with *why set to the reason for a full
// run.
Result<std::optional<Earlier>> FindEarlier(Store* store, const std::string& params,
                                           std::string* why) {
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> full, store->LatestRun(kReuseDetector));
  if (!full) {
    *why = "no earlier run";
    return std::optional<Earlier>();
  }
  Earlier e;
  e.rows_run = full->id;
  if (full->params != params) {
    *why = "parameters changed";
    return std::optional<Earlier>();
  }
  // The latest ok run of the lineage (the full run or an increment of it).
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> latest,
                      store->LatestRun({kReuseDetector, kReuseIncrementKind}));
  if (!latest || latest->id < e.rows_run) {
    return Status::Internal("reuse: the latest full run is missing from the runs");
  }
  const std::string& summary = latest->summary;
  const std::optional<int64_t> format = FlatJsonInt(summary, "format");
  const std::optional<int64_t> last = FlatJsonInt(summary, "last_doc_id");
  const std::optional<int64_t> docs = FlatJsonInt(summary, "covered_documents");
  const std::optional<int64_t> next = FlatJsonInt(summary, "next_cluster");
  const std::optional<int64_t> rows = FlatJsonInt(summary, "rows_run");
  if (format != kStateFormat || !last || !docs || !next || rows != e.rows_run) {
    *why = "the earlier run left no index (an older version wrote it)";
    return std::optional<Earlier>();
  }
  e.last_doc_id = *last;
  e.documents = *docs;
  e.next_cluster = static_cast<uint32_t>(*next);
  ET_ASSIGN_OR_RETURN(bool has_index, store_internal::TableExists(db, "reuse_content"));
  if (!has_index) {
    *why = "the earlier run's tables are missing";
    return std::optional<Earlier>();
  }
  // Guards against a store changed behind the runs' backs: the rows and
  // the covered documents must be those of the lineage.
  ET_ASSIGN_OR_RETURN(int64_t foreign,
                      QueryInt64(db,
                                 "SELECT (SELECT count(*) FROM reuse_occurrences WHERE run_id <> "
                                 "?1) + (SELECT count(*) FROM reuse_clusters WHERE run_id <> ?1)",
                                 e.rows_run, "reading the reuse result"));
  ET_ASSIGN_OR_RETURN(int64_t covered, QueryInt64(db, "SELECT count(*) FROM docs WHERE id <= ?1",
                                                  e.last_doc_id, "reading the documents"));
  if (foreign != 0) {
    *why = "the stored result does not match the earlier run";
    return std::optional<Earlier>();
  }
  if (covered != e.documents) {
    *why = "documents were removed since the earlier run";
    return std::optional<Earlier>();
  }
  return std::optional<Earlier>(e);
}

std::vector<reuse::CorpusDoc> DocsOf(const Corpus& c, const std::vector<reuse::Side>& side) {
  std::vector<reuse::CorpusDoc> docs(c.ids.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    docs[i] = {c.ids[i], c.Text(i), c.times[i], c.sources[i], c.authors[i], side[c.sources[i]]};
  }
  return docs;
}

void Progress(const DetectorContext& ctx, const char* what, size_t n) {
  ctx.Say("reuse: %s %zu documents", what, n);
}

Result<std::string> RunFull(const DetectorContext& ctx, int64_t run_id, const ReuseParams& params,
                            const reuse::CorpusReuseOptions& ro, RunFacts facts) {
  sqlite3* db = store_internal::Handle(ctx.store);
  Corpus c;
  ET_RETURN_IF_ERROR(LoadCorpus(db, INT64_MIN, &c));
  std::vector<reuse::Side> side(c.source_names.size(), reuse::Side::kA);
  if (ro.compare_sides) {
    ET_ASSIGN_OR_RETURN(side, Sides(params, c));
  }
  std::vector<reuse::CorpusDoc> docs = DocsOf(c, side);
  // Copied into docs; writing the result needs only ids, names and texts.
  // (12.3M documents: 300 MB less at the detector's peak.)
  std::vector<std::optional<int64_t>>().swap(c.times);
  std::vector<uint32_t>().swap(c.sources);
  std::vector<uint32_t>().swap(c.authors);
  Progress(ctx, "finding passages shared among", docs.size());
  reuse::CorpusReuseOptions o = ro;
  o.on_texts_done = [&c] { std::string().swap(c.arena); };
  ET_ASSIGN_OR_RETURN(reuse::CorpusReuseResult r, reuse::FindCorpusReuse(docs, o));
  ET_RETURN_IF_ERROR(ctx.CheckCancelled());
  auto t0 = std::chrono::steady_clock::now();
  ET_RETURN_IF_ERROR(WriteFull(ctx, run_id, c, r));
  ctx.Say("reuse: stored %zu clusters, %zu pairs in %.1fs", r.clusters.size(), r.pairs.size(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  facts.new_documents = docs.size();
  facts.documents = docs.size();
  facts.last_doc_id = c.ids.empty() ? 0 : c.ids.back();
  facts.next_cluster = r.next_cluster;
  facts.rows_run = run_id;
  return Summary(r.stats, facts);
}

Result<std::string> RunIncrement(const DetectorContext& ctx, const Earlier& e,
                                 const reuse::CorpusReuseOptions& ro, RunFacts facts) {
  sqlite3* db = store_internal::Handle(ctx.store);
  Corpus c;
  ET_RETURN_IF_ERROR(LoadCorpus(db, e.last_doc_id, &c));
  const uint32_t first_new = static_cast<uint32_t>(c.first_text);
  if (first_new != static_cast<uint64_t>(e.documents)) {
    return Status::Internal("reuse: the documents changed while being read");
  }
  std::vector<reuse::CorpusDoc> docs =
      DocsOf(c, std::vector<reuse::Side>(c.source_names.size(), reuse::Side::kA));
  reuse::PriorReuse prior;
  prior.first_new = first_new;
  prior.next_cluster = e.next_cluster;
  ET_ASSIGN_OR_RETURN(prior.content, ReadContent(db));
  if (prior.content.size() != first_new) {
    return Status::Corruption(
        "reuse: the stored content signatures do not cover the earlier documents; rerun with "
        "--full");
  }
  // The detector reads partitions from several threads; one connection.
  std::mutex mu;
  prior.index = [db, &mu](uint32_t p) -> Result<std::vector<reuse::IndexEntry>> {
    std::lock_guard<std::mutex> lock(mu);
    return ReadPartition(db, p);
  };
  Stmt text, occ;
  ET_RETURN_IF_ERROR(text.Prepare(db, "SELECT text FROM docs WHERE id = ?1"));
  // INDEXED BY: with the store's statistics the planner preferred scanning
  // the primary key's run_id prefix (every row) once per document.
  ET_RETURN_IF_ERROR(occ.Prepare(db,
                                 "SELECT tok_begin, tok_end, start, end, cluster_id, centre FROM "
                                 "reuse_occurrences INDEXED BY reuse_occurrences_doc "
                                 "WHERE run_id = ?1 AND doc_id = ?2"));
  prior.text = [&](uint32_t d) -> Result<std::string> {
    text.Reset();
    text.BindInt64(1, c.ids[d]);
    const int rc = text.Step();
    if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading an earlier document");
    return text.Text(0);
  };
  prior.occurrences = [&](uint32_t d) -> Result<std::vector<reuse::OccurrenceRecord>> {
    occ.Reset();
    occ.BindInt64(1, e.rows_run);
    occ.BindInt64(2, c.ids[d]);
    std::vector<reuse::OccurrenceRecord> out;
    int rc;
    while ((rc = occ.Step()) == SQLITE_ROW) {
      out.push_back({d, static_cast<uint32_t>(occ.Int64(0)), static_cast<uint32_t>(occ.Int64(1)),
                     static_cast<uint32_t>(occ.Int64(2)), static_cast<uint32_t>(occ.Int64(3)),
                     static_cast<uint32_t>(occ.Int64(4)), occ.Int64(5) != 0});
    }
    if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading earlier reuse occurrences");
    return out;
  };
  Progress(ctx, "extending the stored result with", docs.size() - first_new);
  reuse::CorpusReuseOptions o = ro;
  o.on_texts_done = [&c] { std::string().swap(c.arena); };
  ET_ASSIGN_OR_RETURN(reuse::CorpusReuseResult r, reuse::ExtendCorpusReuse(docs, o, prior));
  text = Stmt();
  occ = Stmt();
  ET_RETURN_IF_ERROR(ctx.CheckCancelled());
  auto t0 = std::chrono::steady_clock::now();
  ET_RETURN_IF_ERROR(WriteIncrement(ctx, e.rows_run, c, docs, first_new, e.next_cluster, r));
  ctx.Say("reuse: stored %zu new occurrences, %zu pairs in %.1fs", r.occurrences.size(),
          r.pairs.size(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  facts.new_documents = docs.size() - first_new;
  facts.documents = docs.size();
  facts.last_doc_id = c.ids.empty() ? 0 : c.ids.back();
  facts.next_cluster = r.next_cluster;
  facts.rows_run = e.rows_run;
  return Summary(r.stats, facts);
}

// The stage: Plan validates and finds the state to extend, Execute runs
// full or incremental.
class ReuseDetector : public Detector {
 public:
  explicit ReuseDetector(const ReuseParams& p) : params_(p) {}

  Result<RunPlan> Plan(const DetectorContext& ctx) override {
    ET_ASSIGN_OR_RETURN(ro_, ReuseOptions(params_, ctx.threads));
    // Scratch files beside the store unless told otherwise: where the user
    // already keeps the corpus, rather than a /tmp that may be small or RAM.
    ro_.spill_dir = ctx.scratch_dir.empty()
                        ? std::filesystem::absolute(ctx.store->path()).parent_path().string()
                        : ctx.scratch_dir;
    RunPlan plan;
    plan.params = Params(ro_, params_);
    if (params_.full) {
      facts_.full_reason = "--full";
    } else if (ro_.compare_sides) {
      facts_.full_reason = "a comparison of sides is always a full run";
    } else {
      ET_ASSIGN_OR_RETURN(earlier_, FindEarlier(ctx.store, plan.params, &facts_.full_reason));
    }
    facts_.incremental = earlier_.has_value();
    plan.kind = facts_.incremental ? kReuseIncrementKind : kReuseDetector;
    plan.incremental = facts_.incremental;
    plan.full_reason = facts_.full_reason;
    return plan;
  }

  Result<std::string> Execute(const DetectorContext& ctx, const RunPlan& /*plan*/,
                              int64_t run_id) override {
    return facts_.incremental ? RunIncrement(ctx, *earlier_, ro_, facts_)
                              : RunFull(ctx, run_id, params_, ro_, facts_);
  }

  std::string Headline(const std::string& figures) const override {
    const int64_t clusters = FlatJsonInt(figures, "clusters").value_or(0);
    const int64_t occurrences = FlatJsonInt(figures, "occurrences").value_or(0);
    const int64_t pairs = FlatJsonInt(figures, "passage_pairs").value_or(0);
    std::string mode = facts_.incremental
                           ? "incremental, " +
                                 Thousands(FlatJsonInt(figures, "new_documents").value_or(0)) +
                                 " new documents"
                           : "full";
    return Thousands(clusters) + " reused passages (" + Thousands(occurrences) + " occurrences, " +
           Thousands(pairs) + " aligned pairs; " + mode + ")";
  }

 private:
  ReuseParams params_;
  reuse::CorpusReuseOptions ro_;
  std::optional<Earlier> earlier_;
  RunFacts facts_;
};

}  // namespace

std::unique_ptr<Detector> MakeReuseDetector(const ReuseParams& params) {
  return std::make_unique<ReuseDetector>(params);
}

}  // namespace echotrace
