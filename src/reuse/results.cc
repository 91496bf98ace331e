// Reading the passage-reuse result (results.h).
#include "reuse/results.h"

#include <sqlite3.h>

#include <optional>

#include "reuse/stage.h"
#include "store/sqlite_util.h"

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
  sqlite3* db = store->handle();
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
  sqlite3* db = store->handle();
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

}  // namespace echotrace
