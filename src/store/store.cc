// The store: opening, writing batches of documents, statistics and search
// over one SQLite file (schema in schema.cc, documented in docs/schema.md).
//
// Write path. WriteBatch is the ingest bottleneck (2.5M posts), so it does
// per batch what can be done per batch: one BEGIN IMMEDIATE ... COMMIT,
// statements prepared once per Store and reused (reset, not re-prepared),
// the caller's strings bound SQLITE_STATIC (no copies). Per document it
// inserts the docs row with ON CONFLICT(ext_id) DO NOTHING and reads
// sqlite3_changes() to learn whether the row is new; only new documents get
// entity rows and an FTS row (rowid = docs.id), so a re-ingest touches
// nothing but the ext_id index. (ON CONFLICT(ext_id) rather than INSERT OR
// IGNORE: OR IGNORE would also silently skip a row that broke a NOT NULL
// rule, and count it as a duplicate.)
//
// Initial load. Six secondary indexes (author, time, source+lang, norm_hash,
// parent, entity values) take random inserts, and each small transaction
// rewrites most of their pages: on 2.5M tweets they halve WriteBatch's
// speed, and the gap grows with the store. So when the first batch of
// documents goes into an empty store, that batch's transaction drops them,
// and BuildIndexes() creates them again by sorting, which takes seconds;
// EndRun() and the destructor call it, and the next writable Open rebuilds
// whatever a crash left missing. The ext_id key stays: it is what makes
// re-ingesting idempotent. Meanwhile queries are correct, only slower.
//
// Read path. Search ranks in a first query that returns only rowids and
// BM25 scores, then builds snippets for the k winners one by one: putting
// snippet() in the ranking query would make SQLite compute a snippet for
// every matching document before sorting, which for a common word is most
// of the corpus.
#include "echotrace/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <string>
#include <utility>

#include "store/fts_query.h"
#include "store/schema.h"
#include "store/sqlite_util.h"

namespace echotrace {

using store_internal::Exec;
using store_internal::SqliteStatus;
using store_internal::StepDone;
using store_internal::StepDoneLazy;
using store_internal::Stmt;

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int kMaxSearchK = 10000;
// A first batch at least this large into an empty store starts an initial
// load (secondary indexes dropped until BuildIndexes). Smaller first writes
// (tests, a handful of files) are not worth an index rebuild.
constexpr size_t kInitialLoadMinDocs = 1024;

constexpr const char kInsertDoc[] =
    "INSERT INTO docs(ext_id, source, author, time, parent, url, title, lang, text, "
    "norm_hash, extra, origin_file, origin_line, run_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
    "ON CONFLICT(ext_id) DO NOTHING";
constexpr const char kInsertEntity[] =
    "INSERT INTO entities(doc_id, kind, value, start, end) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT DO NOTHING";  // only an exact repeat of an entity can conflict
constexpr const char kInsertFts[] = "INSERT INTO docs_fts(rowid, text, title) VALUES (?1, ?2, ?3)";
constexpr const char kInsertReject[] =
    "INSERT INTO rejects(run_id, file, line, reason, raw) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char kSelectDocColumns[] =
    "SELECT ext_id, source, author, time, parent, url, title, lang, text, norm_hash, extra, "
    "origin_file, origin_line, id FROM docs ";

int64_t NowUnix() { return static_cast<int64_t>(std::time(nullptr)); }

std::string DocLabel(const Document& d) {
  std::string s = "document '" + d.ext_id + "'";
  if (!d.origin_file.empty()) {
    s += " (" + d.origin_file + ":" + std::to_string(d.origin_line) + ")";
  }
  return s;
}

// The caller-side preconditions of WriteBatch, checked before anything is
// written so that a bad batch leaves no trace.
Status ValidateBatch(const std::vector<Document>& docs) {
  for (size_t i = 0; i < docs.size(); ++i) {
    const Document& d = docs[i];
    if (d.ext_id.empty()) {
      return Status::InvalidArgument(
          "document " + std::to_string(i) + " of the batch" +
          (d.origin_file.empty()
               ? ""
               : " (" + d.origin_file + ":" + std::to_string(d.origin_line) + ")") +
          " has an empty ext_id");
    }
    for (const Entity& e : d.entities) {
      if (e.start > e.end || e.end > d.text.size()) {
        return Status::InvalidArgument(DocLabel(d) + ": entity [" + std::to_string(e.start) + ", " +
                                       std::to_string(e.end) + ") lies outside its text of " +
                                       std::to_string(d.text.size()) + " bytes");
      }
    }
  }
  return Status::OK();
}

// Adds rows of (key, count) from `st` (key NULL → "") to `out`.
Status CollectCounts(sqlite3* db, Stmt& st, std::string_view doing, std::vector<CountRow>* out) {
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    out->push_back(CountRow{st.Text(0), static_cast<uint64_t>(st.Int64(1))});
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, doing);
  std::sort(out->begin(), out->end(), [](const CountRow& a, const CountRow& b) {
    return a.count != b.count ? a.count > b.count : a.key < b.key;
  });
  return Status::OK();
}

}  // namespace

// Per-Store state behind the pimpl: the statements of the hot paths,
// prepared on first use and kept for the life of the Store.
struct Store::Statements {
  sqlite3* db = nullptr;  // owned by the Store
  std::string path;
  bool read_only = false;
  // Initial-load state (see the file comment): whether the first batch with
  // documents has been committed, and whether it dropped the secondary
  // indexes, which then wait for BuildIndexes().
  bool load_checked = false;
  bool initial_load = false;
  Stmt begin, commit, rollback;
  Stmt insert_doc, insert_entity, insert_fts, insert_reject;
  Stmt count_docs;
  Stmt select_clash;
  Status QualifiedId(const Document& d, std::string* qualified);

  Status PrepareWrites() {
    if (insert_doc.prepared()) return Status::OK();
    ET_RETURN_IF_ERROR(begin.Prepare(db, "BEGIN IMMEDIATE", true));
    ET_RETURN_IF_ERROR(commit.Prepare(db, "COMMIT", true));
    ET_RETURN_IF_ERROR(rollback.Prepare(db, "ROLLBACK", true));
    ET_RETURN_IF_ERROR(insert_entity.Prepare(db, kInsertEntity, true));
    ET_RETURN_IF_ERROR(insert_fts.Prepare(db, kInsertFts, true));
    ET_RETURN_IF_ERROR(insert_reject.Prepare(db, kInsertReject, true));
    // Last: its presence marks the whole set as prepared.
    return insert_doc.Prepare(db, kInsertDoc, true);
  }

  Status DropIndexesIfEmpty(size_t batch_docs, bool* dropped);
  Status BuildIndexes();
  Status WriteBatchRows(int64_t run_id, const std::vector<Document>& docs,
                        const std::vector<Reject>& rejects, InsertCounts* counts);
  Result<std::optional<int64_t>> QueryOptInt(const char* sql, std::string_view doing);
  Status StatsInSnapshot(CorpusStats* out);
  Result<std::vector<SearchHit>> SearchInSnapshot(const std::string& match, int k);
  // Reads the document at the row `st` steps to (columns kSelectDocColumns).
  Result<std::optional<Document>> ReadDocument(Stmt& st, std::string_view doing);

  // Drops the statements' pointers into the caller's strings.
  void ClearBindings() {
    insert_doc.ClearBindings();
    insert_entity.ClearBindings();
    insert_fts.ClearBindings();
    insert_reject.ClearBindings();
  }
};

Store::Store(sqlite3* db) : db_(db), stmts_(std::make_unique<Statements>()) {}

Store::~Store() {
  // An initial load whose caller never ended its run: build the indexes now
  // rather than leave readers without them. On failure the next writable
  // Open retries.
  if (stmts_->initial_load) stmts_->BuildIndexes().ok();
  stmts_.reset();  // statements must be finalised before the connection closes
  sqlite3_close_v2(db_);
}

const std::string& Store::path() const { return stmts_->path; }

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, OpenMode mode) {
  if (path.empty()) return Status::InvalidArgument("no store path given (--db)");
  const bool read_only = mode == OpenMode::kReadOnly;
  if (read_only) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return Status::NotFound(path + ": no such store; create it with `echotrace ingest --db " +
                              path + " FILE...`");
    }
  }
  // A leading "file:" would be read as a URI by SQLite builds that enable
  // URI names; "./" keeps the name a plain path.
  const std::string open_name = path.rfind("file:", 0) == 0 ? "./" + path : path;
  // NOMUTEX: a Store is used by one thread at a time (store.h), so SQLite's
  // per-call mutexes would be pure overhead.
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(open_name.c_str(), &db, flags, nullptr);
  std::unique_ptr<Store> store(new Store(db));  // owns db from here, even on failure
  store->stmts_->db = db;
  store->stmts_->path = path;
  store->stmts_->read_only = read_only;
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, "opening " + path);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // The check comes first: pragmas read the file, and a file that is not
  // ours must be refused with a clear message and left as it is.
  ET_RETURN_IF_ERROR(store_internal::EnsureSchema(db, path, !read_only));
  if (!read_only) {
    // Persistent in the file. NORMAL sync in WAL mode keeps the store
    // consistent after a crash; only the last commits may be lost.
    ET_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                            "switching " + path + " to WAL"));
  }
  // cache_size is in KiB when negative: 256 MiB keeps the ext_id index of
  // several million documents (random keys for content-hash ids) and the
  // FTS5 segments being merged in memory during ingest; on the 2.46M IRA
  // tweets it took the ingest from 82 s to 60 s. No memory map: mapped pages
  // count towards the resident set, which must stay bounded whatever the
  // store's size. A larger WAL auto-checkpoint (32 MiB) copies pages that
  // are rewritten batch after batch (index interiors, FTS segments) back to
  // the database once instead of many times.
  ET_RETURN_IF_ERROR(Exec(db,
                          "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8192; "
                          "PRAGMA mmap_size = 0",
                          "configuring " + path));
  return store;
}

Result<int64_t> Store::BeginRun(std::string_view kind, std::string_view params_json) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db_,
                                "INSERT INTO runs(kind, params, version, started_at, status) "
                                "VALUES (?1, ?2, ?3, ?4, 'running')"));
  st.BindText(1, kind);
  st.BindTextOrNull(2, params_json);
  st.BindText(3, ECHOTRACE_VERSION);
  st.BindInt64(4, NowUnix());
  ET_RETURN_IF_ERROR(
      StepDone(db_, st, "recording the start of a " + std::string(kind) + " run in " + path()));
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status Store::EndRun(int64_t run_id, std::string_view status, std::string_view summary_json) {
  if (status != "ok" && status != "failed" && status != "interrupted") {
    return Status::InvalidArgument("a run ends as ok, failed or interrupted, not '" +
                                   std::string(status) + "'");
  }
  // The end of an ingest run is the end of an initial load, if it was one.
  Status built = stmts_->initial_load ? stmts_->BuildIndexes() : Status::OK();
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db_, "UPDATE runs SET ended_at = ?1, status = ?2, summary = ?3 WHERE id = ?4"));
  st.BindInt64(1, NowUnix());
  st.BindText(2, status);
  st.BindTextOrNull(3, summary_json);
  st.BindInt64(4, run_id);
  ET_RETURN_IF_ERROR(
      StepDone(db_, st, "recording the end of run " + std::to_string(run_id) + " in " + path()));
  if (sqlite3_changes(db_) == 0) {
    return Status::NotFound("run " + std::to_string(run_id) + " does not exist in " + path());
  }
  return built;
}

Status Store::WriteBatch(int64_t run_id, const std::vector<Document>& docs,
                         const std::vector<Reject>& rejects, InsertCounts* counts) {
  if (docs.empty() && rejects.empty()) return Status::OK();
  const std::string doing = "writing a batch of " + std::to_string(docs.size()) +
                            " documents and " + std::to_string(rejects.size()) + " rejects to " +
                            path();
  if (stmts_->read_only) {
    return Status::IOError(doing + ": the store was opened read-only");
  }
  ET_RETURN_IF_ERROR(ValidateBatch(docs).WithContext(doing));
  Statements& s = *stmts_;
  ET_RETURN_IF_ERROR(s.PrepareWrites());
  ET_RETURN_IF_ERROR(StepDone(db_, s.begin, doing + ": starting the transaction"));

  InsertCounts local;
  bool dropped = false;
  Status st;
  if (!s.load_checked && !docs.empty()) st = s.DropIndexesIfEmpty(docs.size(), &dropped);
  if (st.ok()) st = s.WriteBatchRows(run_id, docs, rejects, &local);
  if (st.ok()) st = StepDone(db_, s.commit, "committing");
  if (!st.ok()) {
    // A failed COMMIT may leave the transaction open; some errors (a full
    // disk) roll it back themselves.
    if (!sqlite3_get_autocommit(db_)) {
      StepDone(db_, s.rollback, "rolling back").ok();  // the first error is the one to report
    }
    s.ClearBindings();
    return st.WithContext(doing + " (nothing of this batch was stored)");
  }
  s.ClearBindings();
  if (!docs.empty()) s.load_checked = true;
  if (dropped) s.initial_load = true;
  if (counts != nullptr) {
    counts->inserted += local.inserted;
    counts->duplicates += local.duplicates;
    counts->rejects += local.rejects;
  }
  return Status::OK();
}

// Inside the first write transaction that carries documents: when the store
// is empty and the batch large enough to suggest a bulk load, drops the
// secondary indexes (rolled back with the batch if it fails).
Status Store::Statements::DropIndexesIfEmpty(size_t batch_docs, bool* dropped) {
  if (batch_docs < kInitialLoadMinDocs) return Status::OK();
  Stmt any;
  ET_RETURN_IF_ERROR(any.Prepare(db, "SELECT EXISTS (SELECT 1 FROM docs)"));
  int rc = any.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "checking whether " + path + " is empty");
  if (any.Int64(0) != 0) return Status::OK();
  any = Stmt();  // finalised before the schema changes
  ET_RETURN_IF_ERROR(store_internal::DropSecondaryIndexes(db, path));
  *dropped = true;
  return Status::OK();
}

Status Store::Statements::BuildIndexes() {
  if (read_only)
    return Status::IOError("cannot build the indexes of " + path + ": opened read-only");
  // One statement per index, each atomic: a crash in between leaves some
  // missing, and the next writable Open builds those.
  ET_RETURN_IF_ERROR(store_internal::CreateSecondaryIndexes(db, path));
  ET_RETURN_IF_ERROR(Exec(db, "INSERT INTO docs_fts(docs_fts) VALUES ('optimize')",
                          "merging the full-text index of " + path));
  initial_load = false;
  // The index builds went through the WAL; give its space back. Fails
  // harmlessly (busy) while another process reads.
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  return Status::OK();
}

Status Store::BuildIndexes() { return stmts_->BuildIndexes(); }

// The inserts of WriteBatch, inside its transaction. Kept apart so that every
// error path returns through WriteBatch's single rollback.
Status Store::Statements::WriteBatchRows(int64_t run_id, const std::vector<Document>& docs,
                                         const std::vector<Reject>& rejects, InsertCounts* counts) {
  Stmt& ins = insert_doc;
  for (const Document& d : docs) {
    ins.BindText(1, d.ext_id);
    ins.BindTextOrNull(2, d.source);
    ins.BindTextOrNull(3, d.author);
    ins.BindOptInt64(4, d.time);
    ins.BindTextOrNull(5, d.parent);
    ins.BindTextOrNull(6, d.url);
    ins.BindTextOrNull(7, d.title);
    ins.BindTextOrNull(8, d.lang);
    ins.BindText(9, d.text);
    ins.BindInt64(10, static_cast<int64_t>(d.norm_hash));  // the bit pattern (schema.md)
    ins.BindTextOrNull(11, d.extra_json);
    ins.BindTextOrNull(12, d.origin_file);
    ins.BindInt64(13, static_cast<int64_t>(d.origin_line));
    if (run_id > 0) {
      ins.BindInt64(14, run_id);
    } else {
      ins.BindNull(14);
    }
    ET_RETURN_IF_ERROR(StepDoneLazy(db, ins, [&] { return "inserting " + DocLabel(d); }));
    if (sqlite3_changes(db) == 0) {
      std::string qualified;
      ET_RETURN_IF_ERROR(QualifiedId(d, &qualified));
      if (!qualified.empty()) {
        ins.BindText(1, qualified);  // `qualified` outlives the step below
        ET_RETURN_IF_ERROR(StepDoneLazy(db, ins, [&] { return "inserting " + DocLabel(d); }));
      }
      if (qualified.empty() || sqlite3_changes(db) == 0) {
        ++counts->duplicates;
        continue;
      }
    }
    ++counts->inserted;
    const int64_t id = sqlite3_last_insert_rowid(db);
    for (const Entity& e : d.entities) {
      Stmt& ent = insert_entity;
      ent.BindInt64(1, id);
      ent.BindInt64(2, static_cast<int64_t>(e.kind));
      ent.BindText(3, e.value);
      ent.BindInt64(4, e.start);
      ent.BindInt64(5, e.end);
      ET_RETURN_IF_ERROR(
          StepDoneLazy(db, ent, [&] { return "inserting an entity of " + DocLabel(d); }));
    }
    Stmt& fts = insert_fts;
    fts.BindInt64(1, id);
    fts.BindText(2, d.text);
    fts.BindTextOrNull(3, d.title);
    ET_RETURN_IF_ERROR(
        StepDoneLazy(db, fts, [&] { return "indexing " + DocLabel(d) + " for search"; }));
  }
  for (const Reject& r : rejects) {
    Stmt& rej = insert_reject;
    if (run_id > 0) {
      rej.BindInt64(1, run_id);
    } else {
      rej.BindNull(1);
    }
    rej.BindText(2, r.file);
    rej.BindInt64(3, static_cast<int64_t>(r.line));
    rej.BindText(4, r.reason);
    rej.BindBlob(5, r.raw);  // raw input bytes, not necessarily UTF-8
    ET_RETURN_IF_ERROR(StepDoneLazy(db, rej, [&] {
      return "recording the reject at " + r.file + ":" + std::to_string(r.line);
    }));
    ++counts->rejects;
  }
  return Status::OK();
}

// `d` clashed with a stored ext_id. Sets *qualified to the id it should take
// instead when the stored row is a different item (see WriteBatch in
// store.h), or leaves it empty when `d` is a true duplicate.
Status Store::Statements::QualifiedId(const Document& d, std::string* qualified) {
  qualified->clear();
  if (!select_clash.prepared()) {
    ET_RETURN_IF_ERROR(select_clash.Prepare(
        db, "SELECT source, origin_file, origin_line FROM docs WHERE ext_id = ?1", true));
  }
  select_clash.BindText(1, d.ext_id);
  int rc = select_clash.Step();
  if (rc != SQLITE_ROW) {
    Status st = SqliteStatus(db, rc, "looking up the stored " + DocLabel(d));
    select_clash.Reset();
    return st;
  }
  std::string source = select_clash.Text(0);
  std::string file = select_clash.Text(1);
  int64_t line = select_clash.Int64(2);
  select_clash.Reset();
  if (d.ext_id_derived) {
    if (file == d.origin_file && line != static_cast<int64_t>(d.origin_line)) {
      *qualified = d.ext_id + "#" + std::to_string(d.origin_line);
    }
  } else if (source != d.source) {
    *qualified = d.source + ":" + d.ext_id;
  }
  return Status::OK();
}

Result<uint64_t> Store::CountDocuments() {
  Stmt& st = stmts_->count_docs;
  if (!st.prepared()) ET_RETURN_IF_ERROR(st.Prepare(db_, "SELECT count(*) FROM docs", true));
  int rc = st.Step();
  Result<uint64_t> out =
      rc == SQLITE_ROW
          ? Result<uint64_t>(static_cast<uint64_t>(st.Int64(0)))
          : Result<uint64_t>(SqliteStatus(db_, rc, "counting the documents in " + path()));
  st.Reset();
  return out;
}

// Runs a query returning one integer (NULL → nullopt).
Result<std::optional<int64_t>> Store::Statements::QueryOptInt(const char* sql,
                                                              std::string_view doing) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, sql));
  int rc = st.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, std::string(doing) + " in " + path);
  return st.OptInt64(0);
}

Result<CorpusStats> Store::Stats() {
  CorpusStats out;
  // All reads in one transaction: one consistent snapshot even while an
  // ingest is committing batches.
  ET_RETURN_IF_ERROR(Exec(db_, "BEGIN", "starting a read of " + path()));
  Status s = stmts_->StatsInSnapshot(&out);
  Exec(db_, "COMMIT", "").ok();  // ends a read-only transaction; cannot lose data
  if (!s.ok()) return s;
  return out;
}

Status Store::Statements::StatsInSnapshot(CorpusStats* out) {
  struct Count {
    const char* sql;
    const char* what;
    uint64_t* into;
  };
  // Each count walks the smallest index that answers it.
  const Count counts[] = {
      {"SELECT count(*) FROM docs", "counting documents", &out->documents},
      {"SELECT count(*) FROM rejects", "counting rejects", &out->rejects},
      {"SELECT count(*) FROM entities", "counting entities", &out->entities},
      {"SELECT count(*) FROM docs WHERE time IS NULL", "counting undated documents", &out->undated},
  };
  for (const Count& c : counts) {
    ET_ASSIGN_OR_RETURN(auto v, QueryOptInt(c.sql, c.what));
    *c.into = static_cast<uint64_t>(v.value_or(0));
  }
  // Two queries: SQLite answers a lone min() or max() from the index in one
  // step, but not both in the same query.
  ET_ASSIGN_OR_RETURN(out->first_time, QueryOptInt("SELECT min(time) FROM docs", "reading times"));
  ET_ASSIGN_OR_RETURN(out->last_time, QueryOptInt("SELECT max(time) FROM docs", "reading times"));

  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT source, count(*) FROM docs GROUP BY source"));
  ET_RETURN_IF_ERROR(
      CollectCounts(db, st, "counting documents by source in " + path, &out->by_source));
  for (const CountRow& r : out->by_source) out->sources += r.key.empty() ? 0 : 1;
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT lang, count(*) FROM docs GROUP BY lang"));
  ET_RETURN_IF_ERROR(
      CollectCounts(db, st, "counting documents by language in " + path, &out->by_lang));

  // One pass over the author index gives both the number of authors and the
  // most prolific ones; there may be millions of authors, so only the top
  // ten are kept while streaming.
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT author, count(*) FROM docs WHERE author IS NOT NULL GROUP BY author"));
  constexpr size_t kTop = 10;
  auto better = [](const CountRow& a, const CountRow& b) {
    return a.count != b.count ? a.count > b.count : a.key < b.key;
  };
  std::vector<CountRow>& top = out->top_authors;  // a heap whose front is the worst kept
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    ++out->authors;
    CountRow row{std::string(), static_cast<uint64_t>(st.Int64(1))};
    if (top.size() == kTop && row.count < top.front().count) continue;  // cheap reject
    row.key = st.Text(0);
    if (top.size() < kTop) {
      top.push_back(std::move(row));
      std::push_heap(top.begin(), top.end(), better);
    } else if (better(row, top.front())) {
      std::pop_heap(top.begin(), top.end(), better);
      top.back() = std::move(row);
      std::push_heap(top.begin(), top.end(), better);
    }
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "counting documents by author in " + path);
  std::sort(top.begin(), top.end(), better);
  return Status::OK();
}

Result<std::vector<SearchHit>> Store::Search(std::string_view query, int k) {
  if (k < 1 || k > kMaxSearchK) {
    return Status::InvalidArgument("the number of results (k) must be between 1 and " +
                                   std::to_string(kMaxSearchK) + ", not " + std::to_string(k));
  }
  const std::string match = store_internal::BuildFtsQuery(query);
  if (match.empty()) return Status::InvalidArgument("the query has no searchable words");
  const std::string doing = "searching " + path();
  ET_RETURN_IF_ERROR(Exec(db_, "BEGIN", doing));  // ranking and snippets see one snapshot
  auto hits = stmts_->SearchInSnapshot(match, k);
  Exec(db_, "COMMIT", "").ok();
  if (!hits.ok()) return hits.status().WithContext(doing);
  return hits;
}

Result<std::vector<SearchHit>> Store::Statements::SearchInSnapshot(const std::string& match,
                                                                   int k) {
  std::vector<SearchHit> hits;
  Stmt rank;
  // bm25 weights: a word in the text counts twice as much as one in the
  // title (most posts have no title; for articles the text holds the claim).
  ET_RETURN_IF_ERROR(rank.Prepare(db,
                                  "SELECT rowid, bm25(docs_fts, 1.0, 0.5) AS r FROM docs_fts "
                                  "WHERE docs_fts MATCH ?1 ORDER BY r, rowid LIMIT ?2"));
  rank.BindText(1, match);
  rank.BindInt64(2, k);
  int rc;
  while ((rc = rank.Step()) == SQLITE_ROW) {
    SearchHit h;
    h.doc_id = rank.Int64(0);
    h.score = -rank.Double(1);  // FTS5's bm25 is negated so that ascending sorts best first
    hits.push_back(std::move(h));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "ranking matches");

  Stmt detail;
  ET_RETURN_IF_ERROR(detail.Prepare(db,
                                    "SELECT d.ext_id, d.source, d.author, d.time, d.title, "
                                    "snippet(docs_fts, 0, '[', ']', '\xE2\x80\xA6', 24) "
                                    "FROM docs_fts JOIN docs AS d ON d.id = docs_fts.rowid "
                                    "WHERE docs_fts MATCH ?1 AND docs_fts.rowid = ?2"));
  for (SearchHit& h : hits) {
    detail.BindText(1, match);
    detail.BindInt64(2, h.doc_id);
    rc = detail.Step();
    if (rc != SQLITE_ROW) {
      return SqliteStatus(db, rc == SQLITE_DONE ? SQLITE_INTERNAL : rc,
                          "reading hit " + std::to_string(h.doc_id));
    }
    h.ext_id = detail.Text(0);
    h.source = detail.Text(1);
    h.author = detail.Text(2);
    h.time = detail.OptInt64(3);
    h.title = detail.Text(4);
    h.snippet = detail.Text(5);
    detail.Reset();
  }
  return hits;
}

Result<std::optional<Document>> Store::Statements::ReadDocument(Stmt& st, std::string_view doing) {
  int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<Document>();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, doing);
  Document d;
  d.ext_id = st.Text(0);
  d.source = st.Text(1);
  d.author = st.Text(2);
  d.time = st.OptInt64(3);
  d.parent = st.Text(4);
  d.url = st.Text(5);
  d.title = st.Text(6);
  d.lang = st.Text(7);
  d.text = st.Text(8);
  d.norm_hash = static_cast<uint64_t>(st.Int64(9));
  d.extra_json = st.Text(10);
  d.origin_file = st.Text(11);
  d.origin_line = static_cast<uint64_t>(st.Int64(12));
  const int64_t id = st.Int64(13);

  Stmt ent;
  ET_RETURN_IF_ERROR(ent.Prepare(
      db,
      "SELECT kind, value, start, end FROM entities WHERE doc_id = ?1 ORDER BY start, end, kind"));
  ent.BindInt64(1, id);
  while ((rc = ent.Step()) == SQLITE_ROW) {
    Entity e;
    e.kind = static_cast<EntityKind>(ent.Int64(0));
    e.value = ent.Text(1);
    e.start = static_cast<uint32_t>(ent.Int64(2));
    e.end = static_cast<uint32_t>(ent.Int64(3));
    d.entities.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, doing);
  return std::optional<Document>(std::move(d));
}

Result<std::optional<Document>> Store::GetDocument(int64_t id) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db_, std::string(kSelectDocColumns) + "WHERE id = ?1"));
  st.BindInt64(1, id);
  return stmts_->ReadDocument(st, "reading document " + std::to_string(id) + " from " + path());
}

Result<std::optional<Document>> Store::GetDocumentByExtId(std::string_view ext_id) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db_, std::string(kSelectDocColumns) + "WHERE ext_id = ?1"));
  st.BindText(1, ext_id);
  return stmts_->ReadDocument(st, "reading document '" + std::string(ext_id) + "' from " + path());
}

Result<std::vector<Reject>> Store::ListRejects(int64_t limit) {
  if (limit < 0) return Status::InvalidArgument("a negative limit for rejects");
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db_, "SELECT file, line, reason, raw FROM rejects ORDER BY id LIMIT ?1"));
  st.BindInt64(1, limit);
  std::vector<Reject> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    Reject r;
    r.file = st.Text(0);
    r.line = static_cast<uint64_t>(st.Int64(1));
    r.reason = st.Text(2);
    r.raw = st.Text(3);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db_, rc, "reading the rejects of " + path());
  return out;
}

}  // namespace echotrace
