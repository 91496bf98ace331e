// Reading the passage-reuse result (results.h).
#include "reuse/results.h"

#include <sqlite3.h>

#include <optional>

#include "reuse/stage.h"
#include "store/sqlite_util.h"
#include "store/store_internal.h"

namespace echotrace {

const char kUndatedReuseDocumentsSql[] =
    "(SELECT count(DISTINCT uo.doc_id) FROM reuse_occurrences uo JOIN docs ud ON ud.id = "
    "uo.doc_id WHERE uo.run_id = c.run_id AND uo.cluster_id = c.cluster_id AND ud.time IS NULL)";

std::string OriginUncertainNote(uint64_t undated) {
  if (undated == 0) return {};
  return "origin uncertain: " + std::to_string(undated) + " undated document" +
         (undated == 1 ? "" : "s");
}

Result<uint64_t> CountUndatedReuseDocuments(Store* store, int64_t run_id, int64_t cluster_id) {
  sqlite3* db = store_internal::Handle(store);
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, std::string("SELECT ") + kUndatedReuseDocumentsSql +
                                        " FROM (SELECT ?1 AS run_id, ?2 AS cluster_id) c"));
  st.BindInt64(1, run_id);
  st.BindInt64(2, cluster_id);
  const int rc = st.Step();
  if (rc != SQLITE_ROW) {
    return store_internal::SqliteStatus(db, rc, "counting the undated documents of a cluster");
  }
  return static_cast<uint64_t>(st.Int64(0));
}

const std::vector<ResultTable>& ReuseResultTables() {
  using C = ResultTable::Column;
  static const std::vector<ResultTable> kTables = {
      // Offsets are bytes: the text is cut from the bytes, not the characters.
      {"reuse",
       kReuseDetector,
       {{"cluster_id", C::kInt},
        {"doc_id", C::kText},
        {"start", C::kInt},
        {"end", C::kInt},
        {"text", C::kText}},
       "SELECT o.cluster_id, d.ext_id, o.start, o.end, "
       "substr(CAST(d.text AS BLOB), o.start + 1, o.end - o.start) FROM reuse_occurrences o "
       "JOIN docs d ON d.id = o.doc_id WHERE o.run_id = ?1 ORDER BY o.cluster_id, o.doc_id, "
       "o.start"},
      {"reuse-clusters",
       kReuseDetector,
       {{"cluster_id", C::kInt},
        {"occurrences", C::kInt},
        {"documents", C::kInt},
        {"sources", C::kInt},
        {"authors", C::kInt},
        {"first_time", C::kTime},
        {"last_time", C::kTime},
        {"origin_doc_id", C::kText},
        {"origin_time", C::kTime},
        {"undated_documents", C::kInt},
        {"origin_certain", C::kInt}},
       // origin_doc_id is the earliest dated occurrence's document; it is
       // the origin for certain only when no document is undated.
       std::string("SELECT cluster_id, occurrences, documents, sources, authors, first_time, "
                   "last_time, ext_id, time, n, n = 0 FROM (SELECT c.cluster_id, c.occurrences, "
                   "c.documents, c.sources, c.authors, c.first_time, c.last_time, d.ext_id, "
                   "d.time, ") +
           kUndatedReuseDocumentsSql +
           " AS n FROM reuse_clusters c JOIN docs d ON d.id = c.origin_doc_id WHERE c.run_id = ?1) "
           "ORDER BY cluster_id"},
  };
  return kTables;
}

Result<std::vector<ReuseOccurrenceRow>> ReadReuseOccurrences(Store* store) {
  const Status none = Status::NotFound(
      "the store has no reuse result yet; run: echotrace analyze --db DB --only reuse");
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kReuseDetector));
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "reuse_occurrences"));
  if (!run || !exists) return none;
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT d.ext_id, o.cluster_id, o.start, o.end FROM "
                                "reuse_occurrences o JOIN docs d ON d.id = o.doc_id WHERE "
                                "o.run_id = ?1"));
  st.BindInt64(1, run->id);
  std::vector<ReuseOccurrenceRow> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    out.push_back({st.Text(0), st.Int64(1), static_cast<uint32_t>(st.Int64(2)),
                   static_cast<uint32_t>(st.Int64(3))});
  }
  if (rc != SQLITE_DONE) return store_internal::SqliteStatus(db, rc, "reading reuse occurrences");
  return out;
}

Result<bool> ForEachContainedPassage(
    Store* store, double containment,
    const std::function<void(int64_t doc_id, int64_t cluster)>& fn) {
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "reuse_occurrences"));
  if (!exists) return false;
  // The rows of an incremental reuse run carry the id of the full run it
  // extends: the latest full run names the current result.
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kReuseDetector));
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db,
      "SELECT o.doc_id, o.cluster_id FROM reuse_occurrences o JOIN docs d ON d.id = o.doc_id "
      "WHERE o.run_id = ?2 AND o.end - o.start >= ?1 * length(CAST(d.text AS BLOB)) "
      "ORDER BY o.doc_id, o.cluster_id"));
  st.BindDouble(1, containment);
  if (run) {
    st.BindInt64(2, run->id);
  } else {
    st.BindNull(2);  // no ok run: no rows
  }
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) fn(st.Int64(0), st.Int64(1));
  if (rc != SQLITE_DONE)
    return store_internal::SqliteStatus(db, rc, "reading the reuse occurrences");
  return true;
}

Result<std::optional<int64_t>> LatestReuseRun(Store* store) {
  ET_ASSIGN_OR_RETURN(bool exists,
                      store_internal::TableExists(store_internal::Handle(store), "reuse_clusters"));
  if (!exists) return std::optional<int64_t>();
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kReuseDetector));
  return run ? std::optional<int64_t>(run->id) : std::nullopt;
}

namespace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

std::optional<std::string> OptText(const Stmt& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  return st.Text(col);
}

const char* ClusterOrder(ReuseClusterOrder order) {
  switch (order) {
    case ReuseClusterOrder::kSources:
      return "sources DESC, documents DESC, cluster_id";
    case ReuseClusterOrder::kFirstTime:
      return "first_time IS NULL, first_time, cluster_id";
    case ReuseClusterOrder::kDocuments:
      break;
  }
  return "documents DESC, cluster_id";
}

}  // namespace

Result<std::optional<ReuseClusterSummary>> ReuseResultReader::Cluster(int64_t cluster_id) {
  sqlite3* db = store_internal::Handle(store_);
  if (!cluster_.prepared()) {
    // The origin passage ends where the origin occurrence ends.
    ET_RETURN_IF_ERROR(cluster_.Prepare(
        db,
        "SELECT c.cluster_id, c.origin_doc_id, d.time, c.occurrences, c.documents, c.sources, "
        "c.authors, c.first_time, c.last_time, c.origin_start, coalesce((SELECT max(o.\"end\") "
        "FROM reuse_occurrences o WHERE o.run_id = c.run_id AND o.cluster_id = c.cluster_id AND "
        "o.doc_id = c.origin_doc_id AND o.start = c.origin_start), c.origin_start) FROM "
        "reuse_clusters c LEFT JOIN docs d ON d.id = c.origin_doc_id WHERE c.run_id = ?1 AND "
        "c.cluster_id = ?2",
        true));
  }
  Stmt& st = cluster_;
  st.Reset();
  st.BindInt64(1, run_id_);
  st.BindInt64(2, cluster_id);
  const int rc = st.Step();
  std::optional<ReuseClusterSummary> out;
  if (rc == SQLITE_ROW) {
    ReuseClusterSummary c;
    c.cluster_id = st.Int64(0);
    c.origin_doc = st.Int64(1);
    c.origin_time = st.OptInt64(2);
    c.occurrences = st.Int64(3);
    c.documents = st.Int64(4);
    c.sources = st.Int64(5);
    c.authors = st.Int64(6);
    c.first_time = st.OptInt64(7);
    c.last_time = st.OptInt64(8);
    c.origin_start = st.Int64(9);
    c.origin_end = st.Int64(10);
    out = c;
  } else if (rc != SQLITE_DONE) {
    Status s = SqliteStatus(db, rc, "reading a reuse cluster");
    st.Reset();
    return s;
  }
  st.Reset();
  return out;
}

Result<std::vector<int64_t>> ReuseResultReader::ListClusters(ReuseClusterOrder order,
                                                             int64_t offset, int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, std::string("SELECT cluster_id FROM reuse_clusters WHERE "
                                                "run_id = ?1 ORDER BY ") +
                                        ClusterOrder(order) + " LIMIT ?2 OFFSET ?3"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, limit);
  st.BindInt64(3, offset);
  std::vector<int64_t> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back(st.Int64(0));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "listing reuse clusters");
  return out;
}

Result<int64_t> ReuseResultReader::CountClusters() {
  return store_internal::QueryInt64(store_internal::Handle(store_),
                                    "SELECT count(*) FROM reuse_clusters WHERE run_id = ?1",
                                    run_id_, "counting reuse clusters");
}

Result<std::vector<ReuseOccurrenceView>> ReuseResultReader::Occurrences(
    const ReuseClusterSummary& c, int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db,
      "SELECT o.doc_id, o.start, o.\"end\", d.time, d.source, d.author, "
      "substr(CAST(d.text AS BLOB), o.start + 1, o.\"end\" - o.start), d.ext_id "
      "FROM reuse_occurrences o JOIN docs d ON d.id = o.doc_id "
      "WHERE o.run_id = ?1 AND o.cluster_id = ?2 "
      "ORDER BY (o.doc_id = ?3 AND o.start = ?4) DESC, d.time IS NULL, d.time, o.doc_id, "
      "o.start LIMIT ?5"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, c.cluster_id);
  st.BindInt64(3, c.origin_doc);
  st.BindInt64(4, c.origin_start);
  st.BindInt64(5, limit);
  std::vector<ReuseOccurrenceView> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    ReuseOccurrenceView v;
    v.doc_id = st.Int64(0);
    v.start = st.Int64(1);
    v.end = st.Int64(2);
    v.time = st.OptInt64(3);
    v.source = OptText(st, 4);
    v.author = OptText(st, 5);
    v.text = st.Text(6);
    v.ext_id = st.Text(7);
    out.push_back(std::move(v));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the occurrences");
  return out;
}

Result<int64_t> ReuseResultReader::CountOccurrences(int64_t cluster_id) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db, "SELECT count(*) FROM reuse_occurrences WHERE run_id = ?1 AND cluster_id = ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, cluster_id);
  const int rc = st.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "counting occurrences");
  return st.Int64(0);
}

Result<std::vector<ReuseSpreadRow>> ReuseResultReader::Spread(int64_t cluster_id) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db, "SELECT " + store_internal::SqlUnixDay("d.time") +
              ", d.source, count(*) FROM reuse_occurrences o JOIN docs d ON d.id = o.doc_id "
              "WHERE o.run_id = ?1 AND o.cluster_id = ?2 AND d.time IS NOT NULL "
              "GROUP BY 1, 2 ORDER BY 1, 2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, cluster_id);
  std::vector<ReuseSpreadRow> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back({st.Int64(0), OptText(st, 1), st.Int64(2)});
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the spread");
  return out;
}

}  // namespace echotrace
