// Reading posts from a store and writing matches back; see match_store.h.
#include "claims/match_store.h"

#include <sqlite3.h>

#include <cmath>

#include "store/sqlite_util.h"
#include "store/store_internal.h"
#include "store/transaction.h"

namespace echotrace::claims {

namespace {

using store_internal::Exec;
using store_internal::SqliteStatus;
using store_internal::Stmt;
using store_internal::Transaction;

constexpr const char kCreateTables[] =
    "CREATE TABLE IF NOT EXISTS claim_matches("
    "  run_id INTEGER NOT NULL, doc_id INTEGER NOT NULL, rank INTEGER NOT NULL,"
    "  claim_id TEXT NOT NULL, claim_text TEXT, probability REAL NOT NULL,"
    "  score REAL NOT NULL, PRIMARY KEY (run_id, doc_id, rank)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS claim_matches_claim ON claim_matches(run_id, claim_id);";

std::string Column(sqlite3_stmt* st, int i) {
  const unsigned char* t = sqlite3_column_text(st, i);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<size_t>(sqlite3_column_bytes(st, i)))
           : std::string();
}

}  // namespace

Status ForEachStorePost(Store* store, const SearchFilters& f, size_t batch,
                        const std::function<Status(std::vector<StorePost>&)>& fn) {
  std::string sql = "SELECT id, ext_id, text, title, time FROM docs WHERE text IS NOT NULL";
  if (f.from) sql += " AND time >= ?1";
  if (f.to) sql += " AND time <= ?2";
  if (!f.author.empty()) sql += " AND author = ?3";
  if (!f.source.empty()) sql += " AND source = ?4";
  if (!f.lang.empty()) sql += " AND lang = ?5";
  sql += " ORDER BY id";
  sqlite3* db = store_internal::Handle(store);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, sql));
  if (f.from) st.BindInt64(1, *f.from);
  if (f.to) st.BindInt64(2, *f.to);
  if (!f.author.empty()) st.BindText(3, f.author);
  if (!f.source.empty()) st.BindText(4, f.source);
  if (!f.lang.empty()) st.BindText(5, f.lang);
  std::vector<StorePost> posts;
  for (;;) {
    int rc = st.Step();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading the posts to match");
    StorePost p;
    p.doc_id = sqlite3_column_int64(st.get(), 0);
    p.record.id = Column(st.get(), 1);
    p.record.text = Column(st.get(), 2);
    p.record.title = Column(st.get(), 3);
    if (sqlite3_column_type(st.get(), 4) != SQLITE_NULL) {
      const double t = static_cast<double>(sqlite3_column_int64(st.get(), 4));
      p.record.day = static_cast<int64_t>(std::floor(t / 86400.0));
    }
    if (p.record.text.empty() && p.record.title.empty()) continue;
    posts.push_back(std::move(p));
    if (posts.size() >= batch) {
      ET_RETURN_IF_ERROR(fn(posts));
      posts.clear();
    }
  }
  if (!posts.empty()) ET_RETURN_IF_ERROR(fn(posts));
  return Status::OK();
}

Status WriteMatches(Store* store, int64_t run_id, const std::vector<StoredMatch>& matches) {
  sqlite3* db = store_internal::Handle(store);
  ET_RETURN_IF_ERROR(Exec(db, kCreateTables, "creating the claim_matches table"));
  Transaction tx(db, "the claim matches");
  ET_RETURN_IF_ERROR(tx.BeginWrite());
  Stmt del;
  ET_RETURN_IF_ERROR(del.Prepare(db, "DELETE FROM claim_matches WHERE run_id <> ?1"));
  del.BindInt64(1, run_id);
  if (int rc = del.Step(); rc != SQLITE_DONE) {
    return SqliteStatus(db, rc, "replacing earlier claim matches");
  }
  Stmt ins;
  ET_RETURN_IF_ERROR(
      ins.Prepare(db, "INSERT INTO claim_matches VALUES(?1,?2,?3,?4,?5,?6,?7)", true));
  for (const StoredMatch& m : matches) {
    ins.Reset();
    ins.BindInt64(1, run_id);
    ins.BindInt64(2, m.doc_id);
    ins.BindInt64(3, m.rank);
    ins.BindText(4, m.claim_id);
    ins.BindTextOrNull(5, m.claim_text);
    ins.BindDouble(6, m.probability);
    ins.BindDouble(7, m.score);
    if (int rc = ins.Step(); rc != SQLITE_DONE) {
      return SqliteStatus(db, rc, "writing the claim matches");
    }
  }
  return tx.Commit();
}

}  // namespace echotrace::claims
