// Reading the near-duplicate result (results.h).
#include "neardup/results.h"

#include <sqlite3.h>

#include "neardup/stage.h"
#include "store/store_internal.h"

namespace echotrace {

using store_internal::SqliteStatus;

const std::vector<ResultTable>& NearDupResultTables() {
  using C = ResultTable::Column;
  static const std::vector<ResultTable> kTables = {
      {"neardup",
       kNearDupDetector,
       {{"cluster_id", C::kInt}, {"doc_id", C::kText}},
       "SELECT m.cluster_id, d.ext_id FROM neardup_members m JOIN docs d ON d.id = m.doc_id "
       "WHERE m.run_id = ?1 ORDER BY m.cluster_id, m.doc_id"},
  };
  return kTables;
}

Result<NearDupResultInfo> ReadNearDupInfo(Store* store) {
  const Status none = Status::NotFound(
      "the store has no near-duplicate result yet; run: echotrace analyze --db DB --only "
      "neardup");
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kNearDupDetector));
  if (!run) return none;
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "neardup_members"));
  if (!exists) return none;
  NearDupResultInfo info;
  info.run_id = run->id;
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT count(DISTINCT cluster_id), (SELECT json_extract(params, "
                                "'$.threshold') FROM runs WHERE id = ?1) FROM neardup_members "
                                "WHERE run_id = ?1"));
  st.BindInt64(1, run->id);
  const int rc = st.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "counting the near-duplicate clusters");
  info.clusters = static_cast<uint64_t>(st.Int64(0));
  info.threshold = st.IsNull(1) ? NearDupParams().threshold : st.Double(1);
  return info;
}

Result<std::vector<std::pair<int64_t, int64_t>>> ReadNearDupMembers(Store* store, int64_t run_id) {
  sqlite3* db = store_internal::Handle(store);
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db, "SELECT doc_id, cluster_id FROM neardup_members WHERE run_id = ?1 ORDER BY doc_id"));
  st.BindInt64(1, run_id);
  std::vector<std::pair<int64_t, int64_t>> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.emplace_back(st.Int64(0), st.Int64(1));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the near-duplicate clusters");
  return out;
}

Result<std::optional<int64_t>> NearDupClusterLookup::ClusterOf(std::string_view ext_id) {
  sqlite3* db = store_internal::Handle(store_);
  if (!st_.prepared()) {
    ET_RETURN_IF_ERROR(
        st_.Prepare(db,
                    "SELECT m.cluster_id FROM docs d JOIN neardup_members m ON m.doc_id = d.id "
                    "WHERE d.ext_id = ?1 AND m.run_id = ?2"));
  }
  st_.Reset();
  st_.BindText(1, ext_id);
  st_.BindInt64(2, run_id_);
  const int rc = st_.Step();
  std::optional<int64_t> out;
  if (rc == SQLITE_ROW) {
    out = st_.Int64(0);
  } else if (rc != SQLITE_DONE) {
    return SqliteStatus(db, rc, "looking up a document's near-duplicate cluster");
  }
  st_.Reset();
  return out;
}

Result<bool> ForEachNearDupMember(Store* store,
                                  const std::function<void(int64_t doc_id, int64_t cluster)>& fn) {
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "neardup_members"));
  if (!exists) return false;
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT doc_id, cluster_id FROM neardup_members ORDER BY run_id, doc_id"));
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) fn(st.Int64(0), st.Int64(1));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the near-duplicate clusters");
  return true;
}

Result<std::optional<int64_t>> LatestNearDupRun(Store* store) {
  ET_ASSIGN_OR_RETURN(
      bool exists, store_internal::TableExists(store_internal::Handle(store), "neardup_members"));
  if (!exists) return std::optional<int64_t>();
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kNearDupDetector));
  return run ? std::optional<int64_t>(run->id) : std::nullopt;
}

Result<std::vector<NearDupClusterSize>> NearDupResultReader::ListClusters(int64_t offset,
                                                                          int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT cluster_id, count(*) AS n FROM neardup_members WHERE "
                                "run_id = ?1 GROUP BY cluster_id ORDER BY n DESC, cluster_id "
                                "LIMIT ?2 OFFSET ?3"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, limit);
  st.BindInt64(3, offset);
  std::vector<NearDupClusterSize> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back({st.Int64(0), st.Int64(1)});
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "listing near-duplicate clusters");
  return out;
}

Result<int64_t> NearDupResultReader::CountClusters() {
  return store_internal::QueryInt64(
      store_internal::Handle(store_),
      "SELECT count(DISTINCT cluster_id) FROM neardup_members WHERE run_id = ?1", run_id_,
      "counting near-duplicate clusters");
}

Result<int64_t> NearDupResultReader::ClusterSize(int64_t cluster_id) {
  sqlite3* db = store_internal::Handle(store_);
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT count(*) FROM neardup_members WHERE run_id = ?1 AND cluster_id = ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, cluster_id);
  const int rc = st.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading a near-duplicate cluster");
  return st.Int64(0);
}

Result<std::pair<std::optional<int64_t>, std::optional<int64_t>>> NearDupResultReader::TimeSpan(
    int64_t cluster_id) {
  sqlite3* db = store_internal::Handle(store_);
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db,
                 "SELECT min(d.time), max(d.time) FROM neardup_members m JOIN docs d ON d.id = "
                 "m.doc_id WHERE m.run_id = ?1 AND m.cluster_id = ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, cluster_id);
  const int rc = st.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading a near-duplicate cluster");
  return std::make_pair(st.OptInt64(0), st.OptInt64(1));
}

Result<std::vector<int64_t>> NearDupResultReader::Members(int64_t cluster_id, int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  store_internal::Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT m.doc_id FROM neardup_members m JOIN docs d ON d.id = "
                                "m.doc_id WHERE m.run_id = ?1 AND m.cluster_id = ?2 ORDER BY "
                                "d.time IS NULL, d.time, m.doc_id LIMIT ?3"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, cluster_id);
  st.BindInt64(3, limit);
  std::vector<int64_t> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back(st.Int64(0));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading near-duplicate members");
  return out;
}

}  // namespace echotrace
