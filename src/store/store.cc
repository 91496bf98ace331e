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
// Initial load. Every index (the ext_id key, entities by document, author,
// time, source+lang, norm_hash, parent) takes inserts into a B-tree that,
// for random keys, cost several times the row itself, and each small
// transaction rewrites most of their pages (schema.cc has the figures). So
// when the first batch of documents goes into an empty store, that batch's
// transaction drops them, and BuildIndexes() creates them again by sorting,
// which takes seconds; EndRun() and the destructor call it, and the next
// writable Open rebuilds whatever a crash left missing. Meanwhile queries
// are correct, only slower.
//
// An initial load also leaves WAL mode for its duration. In WAL mode every
// page is written twice, once into the log and once by the checkpoint that
// copies it back (on the full IRA tweets ~11 s of a 26.5 s ingest was the
// closing checkpoint). A rollback journal instead saves only the pages a
// transaction changes that existed before it, and a load into an empty
// file appends almost every page, so each is written once. It is as crash
// safe: a killed transaction leaves a hot journal that the next writable
// open plays back, and committed batches stay (synchronous = FULL while the
// load lasts, as SQLite advises for a rollback journal). Readers may read
// meanwhile (they wait out each commit, busy timeout); BuildIndexes switches
// back to WAL, and so does any later writable Open if the process died.
//
// Without the ext_id key, the Store itself keeps ext_ids unique: LoadKeys
// maps the XXH3 of every ext_id it inserted to the row's id, and a hit is
// checked against the stored row (a hash collision is not a clash). So the
// rows committed so far are always unique, and the key can be built at any
// moment: at the end, after a crash, when a batch fails (its keys were
// rolled back), or when another process opening the store built the
// indexes. From then on ON CONFLICT(ext_id) decides. When LoadKeys reaches
// its cap (kMaxLoadKeys), its keys are written out as a sorted run
// (key_runs.h) and it starts again empty, so its memory is bounded whatever
// the input's size while no insert probes a B-tree larger than the cache.
//
// Read path. Search ranks in a first query that returns only rowids and
// BM25 scores, then builds snippets for the k winners one by one: putting
// snippet() in the ranking query would make SQLite compute a snippet for
// every matching document before sorting, which for a common word is most
// of the corpus.
#include "echotrace/store.h"

#include <sqlite3.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>

#include "store/fts_loader.h"
#include "store/fts_query.h"
#include "store/key_runs.h"
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
// The writer's during a load through a rollback journal (LeaveWalIfEmpty).
constexpr int kLoadBusyTimeoutMs = 60000;
constexpr int kMaxSearchK = 10000;
// A first batch at least this large into an empty store starts an initial
// load (secondary indexes dropped until BuildIndexes). Smaller first writes
// (tests, a handful of files) are not worth an index rebuild.
constexpr size_t kInitialLoadMinDocs = 1024;
// LoadKeys holds at most this many keys (2^23 slots of 16 bytes: 128 MiB);
// then they are written out as a sorted run (key_runs.h) and the table
// starts again empty.
constexpr size_t kMaxLoadKeys = 5'500'000;
// The page cache (KiB when negative); Open says why 256 MiB.
constexpr const char kCacheSize[] = "PRAGMA cache_size = -262144";

#define ET_INSERT_DOC                                                               \
  "INSERT INTO docs(ext_id, source, author, time, parent, url, title, lang, text, " \
  "norm_hash, extra, origin_file, origin_line, run_id, input_lang) "                \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
// With the ext_id key in place: a clash inserts nothing (sqlite3_changes 0).
constexpr const char kInsertDoc[] = ET_INSERT_DOC "ON CONFLICT(ext_id) DO NOTHING";
// During an initial load, with LoadKeys in its place.
constexpr const char kInsertDocKeyed[] = ET_INSERT_DOC;
#undef ET_INSERT_DOC
constexpr const char kInsertEntity[] =
    "INSERT INTO entities(doc_id, kind, value, start, end) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char kInsertFts[] = "INSERT INTO docs_fts(rowid, text, title) VALUES (?1, ?2, ?3)";
// A reject already recorded (same file, line, reason and bytes: a rerun of
// the same input) is not recorded again (index rejects_once).
constexpr const char kInsertReject[] =
    "INSERT INTO rejects(run_id, file, line, reason, raw) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT DO NOTHING";
constexpr const char kSelectDocColumns[] =
    "SELECT ext_id, source, author, time, parent, url, title, lang, text, norm_hash, extra, "
    "origin_file, origin_line, id FROM docs ";

int64_t NowUnix() { return static_cast<int64_t>(std::time(nullptr)); }

// Opens `path` for the reading verbs, which must work on read-only media
// (an archive, a write-blocked copy, a shared folder) and never write.
//
// A store is in WAL mode, and even a reader needs the -shm index of the
// log, which SQLite creates beside the file when it is absent: in a folder
// it cannot write that fails (SQLITE_CANTOPEN). Then:
//  - no log, or an empty one: the store is opened immutable (SQLite reads
//    the file alone, without locks). That is safe because no writer can
//    exist: a WAL writer must create or write the -wal file in this folder,
//    which cannot be written (unless its permissions change meanwhile).
//  - a log with content (a writer that did not end cleanly): it holds
//    committed changes that an immutable open would silently miss, and it
//    cannot be read without its -shm file, so a clear error says what to do.
// When -wal and -shm both exist, SQLite reads them without writing
// (mode=ro), which is the first try in every case.
// *db receives the handle even on failure (the caller closes it).
Status OpenForReading(const std::string& path, sqlite3** db) {
  constexpr int kFlags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  int rc = store_internal::OpenSqlite(store_internal::SqliteUri(path, "mode=ro"), kFlags, db);
  if (rc != SQLITE_OK) return SqliteStatus(*db, rc, "opening " + path);
  // The first read is where SQLite opens the log and its index. Other
  // failures (not a database, ...) are EnsureSchema's to explain.
  rc = sqlite3_exec(*db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  const int primary = rc & 0xff;
  if (primary != SQLITE_CANTOPEN && primary != SQLITE_READONLY) return Status::OK();
  namespace fs = std::filesystem;
  std::error_code ec;
  // A first load goes through a rollback journal (see the file comment);
  // killed in the middle of a batch it leaves the batch to undo in a hot
  // journal, which only a writer may play back.
  const std::string journal = path + "-journal";
  const auto journal_size = fs::file_size(journal, ec);
  if (!ec && journal_size > 0) {
    return Status::IOError("opening " + path + " for reading: a first load into it was stopped " +
                           "in the middle of a batch, which " + journal +
                           " holds to be undone, and only a writing verb can undo it: run the "
                           "same ingest again (it resumes), or `echotrace upgrade --db " +
                           path + "` once");
  }
  fs::path folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  if (::access(folder.c_str(), W_OK) == 0) {
    return SqliteStatus(*db, rc, "opening " + path + " for reading");
  }
  const std::string wal = path + "-wal";
  const auto wal_size = fs::file_size(wal, ec);
  if (!ec && wal_size > 0) {
    return Status::IOError(
        "opening " + path + " for reading: its write-ahead log " + wal + " holds " +
        std::to_string(wal_size) +
        " bytes of changes not yet merged into the store (a writer did not end cleanly), and "
        "they cannot be read here without the index file " +
        path + "-shm, which cannot be created because " + folder.string() +
        " is not writable. Copy the store with its -wal file to a writable folder, or run "
        "`echotrace upgrade --db " +
        path + "` once where it is writable (it merges the log)");
  }
  sqlite3_close_v2(*db);
  *db = nullptr;
  rc = store_internal::OpenSqlite(store_internal::SqliteUri(path, "immutable=1"), kFlags, db);
  if (rc != SQLITE_OK) return SqliteStatus(*db, rc, "opening " + path + " (read-only media)");
  return Status::OK();
}

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

// What a new document `d` must do when its ext_id is already stored, in the
// row (source, origin_file, origin_line): take the returned qualified id
// when the stored row is a different item (see WriteBatch in store.h), or
// nothing (empty) when `d` is a true duplicate.
std::string QualifyAfterClash(const Document& d, std::string_view source, std::string_view file,
                              int64_t line) {
  if (d.ext_id_derived) {
    if (file == d.origin_file && line != static_cast<int64_t>(d.origin_line)) {
      return d.ext_id + "#" + std::to_string(d.origin_line);
    }
  } else if (source != d.source) {
    return d.source + ":" + d.ext_id;
  }
  return {};
}

// The ext_ids of an initial load (see the file comment): a hash set of
// XXH3 values mapping to row ids, open addressing with linear probing.
// Equal hashes may map to different rows; the caller compares the ext_ids.
class LoadKeys {
 public:
  size_t size() const { return size_; }
  void Clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    size_ = 0;
  }
  // Calls f(id) for every row id stored under `hash` until f returns true;
  // returns whether one did.
  template <typename F>
  bool AnyWithHash(uint64_t hash, F&& f) const {
    if (slots_.empty()) return false;
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask; slots_[i].id != 0; i = (i + 1) & mask) {
      if (slots_[i].hash == hash && f(slots_[i].id)) return true;
    }
    return false;
  }
  // Every (hash, id), and the table emptied.
  std::vector<store_internal::KeyRuns::Key> Take() {
    std::vector<store_internal::KeyRuns::Key> out;
    out.reserve(size_);
    for (const Slot& s : slots_) {
      if (s.id != 0) out.push_back({s.hash, s.id});
    }
    Clear();
    return out;
  }
  void Insert(uint64_t hash, int64_t id) {
    if (10 * (size_ + 1) > 7 * slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    size_t i = hash & mask;
    while (slots_[i].id != 0) i = (i + 1) & mask;
    slots_[i] = Slot{hash, id};
    ++size_;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    int64_t id = 0;  // 0: empty (row ids start at 1)
  };
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? size_t{1} << 16 : old.size() * 2, Slot{});
    size_ = 0;
    for (const Slot& s : old) {
      if (s.id != 0) Insert(s.hash, s.id);
    }
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

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
  // The load switched the file from WAL to a rollback journal (see the
  // file comment) and has not switched it back yet.
  bool rollback_journal = false;
  Status LeaveWalIfEmpty(size_t batch_docs);
  void ReturnToWal();
  // While true, docs_ext_id is dropped and load_keys keeps ext_ids unique;
  // keys_lost: a failed batch left load_keys out of step with the store.
  bool keys_in_memory = false;
  bool keys_lost = false;
  LoadKeys load_keys;
  // Keys moved out of load_keys when it was full (null outside an initial
  // load), and the cap (tests lower it: Store::TEST_SetLoadKeyCap).
  std::unique_ptr<store_internal::KeyRuns> key_runs;
  size_t max_load_keys = kMaxLoadKeys;
  std::vector<int64_t> run_ids;  // scratch of FindLoadedKey
  void LeaveKeyedMode() {
    keys_in_memory = false;
    keys_lost = false;
    load_keys.Clear();
    key_runs.reset();
  }
  // During an initial load, the thread building the full-text index (null
  // otherwise, or when it could not start: then FTS rows go in inline), and
  // the largest row id the current batch inserted (0: none), which it may
  // index once the batch is committed.
  std::unique_ptr<store_internal::FtsLoader> fts_loader;
  int64_t batch_max_id = 0;
  std::vector<uint32_t> entity_order;  // scratch of WriteBatchRows
  Stmt begin, commit, rollback;
  Stmt insert_doc, insert_doc_keyed, insert_entity, insert_fts, insert_reject;
  Stmt count_docs;
  Stmt select_clash, select_key;
  Status QualifiedId(const Document& d, std::string* qualified);
  static void BindDoc(Stmt& ins, int64_t run_id, const Document& d);
  Result<int64_t> InsertDoc(int64_t run_id, const Document& d);
  Result<int64_t> InsertDocKeyed(int64_t run_id, const Document& d);
  Status FindLoadedKey(std::string_view key, uint64_t hash, bool* found, std::string* source,
                       std::string* file, int64_t* line);
  Status KeepKeysInMemory();
  Status KeepFtsLoader();
  Status FinishFullTextIndex();

  Status PrepareWrites() {
    if (insert_doc_keyed.prepared()) return Status::OK();
    ET_RETURN_IF_ERROR(begin.Prepare(db, "BEGIN IMMEDIATE", true));
    ET_RETURN_IF_ERROR(commit.Prepare(db, "COMMIT", true));
    ET_RETURN_IF_ERROR(rollback.Prepare(db, "ROLLBACK", true));
    ET_RETURN_IF_ERROR(insert_entity.Prepare(db, kInsertEntity, true));
    ET_RETURN_IF_ERROR(insert_fts.Prepare(db, kInsertFts, true));
    ET_RETURN_IF_ERROR(insert_reject.Prepare(db, kInsertReject, true));
    // Last: its presence marks the whole set as prepared. kInsertDoc is
    // prepared only once the ext_id key is known to exist (CheckExtIdKey):
    // its ON CONFLICT(ext_id) does not compile without it.
    return insert_doc_keyed.Prepare(db, kInsertDocKeyed, true);
  }

  // Inside a write transaction that is not part of this Store's own initial
  // load: the ext_id key must exist, or another process is in the middle of
  // an initial load (it dropped the key until its end; a crashed load's is
  // rebuilt by Open). IOError saying so, as for a busy store.
  Status CheckExtIdKey() {
    ET_ASSIGN_OR_RETURN(bool has_key,
                        store_internal::IndexExists(db, store_internal::kSecondaryIndexes[0].name));
    if (!has_key) {
      return Status::IOError(
          "another process is writing to this store (its first load builds the indexes when "
          "it ends); retry when it has finished");
    }
    if (!insert_doc.prepared()) return insert_doc.Prepare(db, kInsertDoc, true);
    return Status::OK();
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
    insert_doc_keyed.ClearBindings();
    insert_entity.ClearBindings();
    insert_fts.ClearBindings();
    insert_reject.ClearBindings();
  }
};

Store::Store() : stmts_(std::make_unique<Statements>()) {}

sqlite3* store_internal::StoreAccess::Handle(Store* store) { return store->stmts_->db; }

Store::~Store() {
  // An initial load whose caller never ended its run: build the indexes now
  // rather than leave readers without them. On failure the next writable
  // Open retries.
  if (stmts_->initial_load) stmts_->BuildIndexes().ok();
  sqlite3* db = stmts_->db;
  stmts_.reset();  // statements must be finalised before the connection closes
  sqlite3_close_v2(db);
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
  sqlite3* db = nullptr;
  Status opened;
  if (read_only) {
    opened = OpenForReading(path, &db);
  } else {
    // NOMUTEX: a Store is used by one thread at a time (store.h), so
    // SQLite's per-call mutexes would be pure overhead.
    int rc = store_internal::OpenSqlite(
        path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, &db);
    if (rc != SQLITE_OK) opened = SqliteStatus(db, rc, "opening " + path);
  }
  std::unique_ptr<Store> store(new Store());
  store->stmts_->db = db;  // owned by the store from here, even on failure
  store->stmts_->path = path;
  store->stmts_->read_only = read_only;
  ET_RETURN_IF_ERROR(opened);
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
  ET_RETURN_IF_ERROR(Exec(db, kCacheSize, "configuring " + path));
  // threads: CREATE INDEX may sort with helper threads (index builds after
  // an initial load); one per further core, at most 3.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::string pragmas =
      "PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8192; PRAGMA mmap_size = 0; "
      "PRAGMA threads = " +
      std::to_string(std::min(cores - 1, 3u));
  ET_RETURN_IF_ERROR(Exec(db, pragmas.c_str(), "configuring " + path));
  return store;
}

Result<int64_t> Store::BeginRun(std::string_view kind, std::string_view params_json) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(stmts_->db,
                                "INSERT INTO runs(kind, params, version, started_at, status) "
                                "VALUES (?1, ?2, ?3, ?4, 'running')"));
  st.BindText(1, kind);
  st.BindTextOrNull(2, params_json);
  st.BindText(3, ECHOTRACE_VERSION);
  st.BindInt64(4, NowUnix());
  ET_RETURN_IF_ERROR(StepDone(
      stmts_->db, st, "recording the start of a " + std::string(kind) + " run in " + path()));
  return static_cast<int64_t>(sqlite3_last_insert_rowid(stmts_->db));
}

Result<std::optional<RunRecord>> Store::LatestRun(std::initializer_list<std::string_view> kinds) {
  std::string sql = "SELECT id, kind, params, summary FROM runs WHERE status = 'ok' AND kind IN (";
  for (size_t i = 0; i < kinds.size(); ++i) sql += i == 0 ? "?" : ", ?";
  sql += ") ORDER BY id DESC LIMIT 1";
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(stmts_->db, sql));
  int i = 1;
  for (std::string_view k : kinds) st.BindText(i++, k);
  const int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<RunRecord>();
  if (rc != SQLITE_ROW) return SqliteStatus(stmts_->db, rc, "reading the runs of " + path());
  return std::optional<RunRecord>(RunRecord{st.Int64(0), st.Text(1), st.Text(2), st.Text(3)});
}

Status Store::EndRun(int64_t run_id, std::string_view status, std::string_view summary_json) {
  if (status != "ok" && status != "failed" && status != "interrupted") {
    return Status::InvalidArgument("a run ends as ok, failed or interrupted, not '" +
                                   std::string(status) + "'");
  }
  // The end of an ingest run is the end of an initial load, if it was one.
  // When that fails (a full disk), the run failed: it is recorded so, and
  // the build's error is the one reported, whatever follows.
  Status built = stmts_->initial_load ? stmts_->BuildIndexes() : Status::OK();
  if (!built.ok() && status == "ok") status = "failed";
  const std::string doing = "recording the end of run " + std::to_string(run_id) + " in " + path();
  Status recorded;
  for (int attempt = 0; attempt < 2; ++attempt) {
    Stmt st;
    recorded = st.Prepare(stmts_->db,
                          "UPDATE runs SET ended_at = ?1, status = ?2, summary = ?3 WHERE id = ?4");
    if (recorded.ok()) {
      st.BindInt64(1, NowUnix());
      st.BindText(2, status);
      st.BindTextOrNull(3, summary_json);
      st.BindInt64(4, run_id);
      recorded = StepDone(stmts_->db, st, doing);
    }
    if (recorded.ok() || recorded.code() != StatusCode::kIOError) break;
    // A full disk: giving the write-ahead log's space back may make room
    // for this one row (docs/schema.md says a 'running' run means a crash).
    sqlite3_exec(stmts_->db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  }
  // The first error is the one to report: after a failed build, that one.
  if (!recorded.ok() && built.ok()) return recorded;
  if (!recorded.ok()) return built;
  if (sqlite3_changes(stmts_->db) == 0) {
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
  // Outside a transaction (the journal mode cannot change inside one).
  if (!s.load_checked && !docs.empty()) ET_RETURN_IF_ERROR(s.LeaveWalIfEmpty(docs.size()));
  Status began = StepDone(stmts_->db, s.begin, doing + ": starting the transaction");
  if (!began.ok()) {
    if (!s.initial_load) s.ReturnToWal();
    return began;
  }

  InsertCounts local;
  bool dropped = false;
  Status st;
  if (!s.load_checked && !docs.empty()) st = s.DropIndexesIfEmpty(docs.size(), &dropped);
  if (st.ok() && s.keys_in_memory && !dropped) st = s.KeepKeysInMemory();
  if (st.ok() && s.fts_loader && !dropped) st = s.KeepFtsLoader();
  if (st.ok() && !s.keys_in_memory && !docs.empty()) st = s.CheckExtIdKey();
  if (st.ok()) st = s.WriteBatchRows(run_id, docs, rejects, &local);
  if (st.ok()) st = StepDone(stmts_->db, s.commit, "committing");
  if (!st.ok()) {
    // A failed COMMIT may leave the transaction open; some errors (a full
    // disk) roll it back themselves.
    if (!sqlite3_get_autocommit(stmts_->db)) {
      StepDone(stmts_->db, s.rollback, "rolling back")
          .ok();  // the first error is the one to report
    }
    s.ClearBindings();
    if (dropped) {
      s.LeaveKeyedMode();    // the rollback restored the indexes
      s.fts_loader.reset();  // and removed meta.fts_pending
    } else if (s.keys_in_memory) {
      s.keys_lost = true;  // load_keys holds keys of rolled-back rows
    }
    s.load_keys.Clear();
    if (!s.initial_load) s.ReturnToWal();  // no load under way: back to WAL
    return st.WithContext(doing + " (nothing of this batch was stored)");
  }
  s.ClearBindings();
  if (s.fts_loader && s.batch_max_id > 0) s.fts_loader->Committed(s.batch_max_id);
  if (!docs.empty()) s.load_checked = true;
  if (dropped) s.initial_load = true;
  if (!s.initial_load) s.ReturnToWal();  // the store was not empty after all
  if (counts != nullptr) {
    counts->inserted += local.inserted;
    counts->duplicates += local.duplicates;
    counts->rejects += local.rejects;
  }
  return Status::OK();
}

// Before the first write transaction that carries documents: when the store
// is empty and the batch large enough to start an initial load, leaves WAL
// for a rollback journal (see the file comment). Best effort: when another
// connection has the store open the mode stays WAL (SQLite refuses the
// switch), which is only slower.
Status Store::Statements::LeaveWalIfEmpty(size_t batch_docs) {
  if (batch_docs < kInitialLoadMinDocs || rollback_journal) return Status::OK();
  ET_ASSIGN_OR_RETURN(int64_t any, store_internal::QueryInt64(
                                       db, "SELECT EXISTS (SELECT 1 FROM docs)", std::nullopt,
                                       "checking whether " + path + " is empty"));
  if (any != 0) return Status::OK();
  Stmt mode;
  ET_RETURN_IF_ERROR(mode.Prepare(db, "PRAGMA journal_mode = TRUNCATE"));
  const int rc = mode.Step();
  const bool left = rc == SQLITE_ROW && mode.TextView(0) == "truncate";
  mode = Stmt();
  if (!left) return Status::OK();  // still WAL: another connection has the store open
  rollback_journal = true;
  // A commit now waits for readers to finish their read (in WAL it never
  // does); the server bounds each of its answers to 10 s, so a minute is
  // ample, and a failed commit would fail the ingest.
  sqlite3_busy_timeout(db, kLoadBusyTimeoutMs);
  return Exec(db, "PRAGMA synchronous = FULL", "configuring " + path + " for its first load");
}

// Back to WAL after a load that left it (nothing otherwise). Best effort:
// if another connection keeps the switch from happening now (busy after the
// timeout), the next writable Open makes it; a rollback journal is as safe,
// only without concurrent reads during writes.
void Store::Statements::ReturnToWal() {
  if (!rollback_journal || !sqlite3_get_autocommit(db)) return;
  Stmt mode;
  if (!mode.Prepare(db, "PRAGMA journal_mode = WAL").ok()) return;
  const bool wal = mode.Step() == SQLITE_ROW && mode.TextView(0) == "wal";
  mode = Stmt();
  if (!wal) return;
  rollback_journal = false;
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  Exec(db, "PRAGMA synchronous = NORMAL", "").ok();  // as Open sets it
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
  keys_in_memory = true;
  keys_lost = false;
  key_runs = std::make_unique<store_internal::KeyRuns>(path + "-loadkeys");
  // The full-text index on its own thread. If the scratch file cannot be
  // made (a read-only directory), FTS rows go in inline as usual.
  auto loader = store_internal::FtsLoader::Start(path);
  if (loader.ok()) {
    // With neither the ext_id key nor FTS5 segments to keep warm, the page
    // cache holds little worth keeping during the load and the index builds
    // (which sort in their own memory): a quarter of it makes room for the
    // loader's own caches within the same peak.
    ET_RETURN_IF_ERROR(Exec(db,
                            "INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_pending', '1'); "
                            "PRAGMA cache_size = -65536",
                            "marking the full-text index of " + path + " as being built"));
    fts_loader = std::move(*loader);
  }
  return Status::OK();
}

// At the start of a later batch of an initial load with an FtsLoader
// (inside its transaction): another process that opened the store meanwhile
// rebuilt the full-text index from the stored text and removed
// meta.fts_pending; then the loader's work is moot and new rows are indexed
// inline, as outside an initial load.
Status Store::Statements::KeepFtsLoader() {
  ET_ASSIGN_OR_RETURN(bool pending, store_internal::FullTextPending(db));
  if (!pending) fts_loader.reset();
  return Status::OK();
}

// The end of an initial load with an FtsLoader: its index is moved into the
// store or, if that failed, rebuilt from the stored text; either way
// meta.fts_pending goes. Called after the secondary indexes were built, which
// the loader's thread overlaps.
Status Store::Statements::FinishFullTextIndex() {
  std::unique_ptr<store_internal::FtsLoader> loader = std::move(fts_loader);
  Status st = loader->Wait();
  bool copied = false;
  if (st.ok()) st = loader->CopyInto(path, &copied);
  loader.reset();  // removes the scratch file
  if (copied) return Status::OK();
  // Not copied: the loader failed, or another process rebuilt the index
  // (no fts_pending left: nothing to do).
  return store_internal::RebuildFullTextIndexIfPending(db, path);
}

// At the start of a later batch of an initial load (inside its
// transaction): stays with load_keys, or builds the ext_id key and leaves
// them — when they are full, out of step after a failed batch, or when
// another process built the indexes (then its rows are not in load_keys).
Status Store::Statements::KeepKeysInMemory() {
  const store_internal::SecondaryIndex& key = store_internal::kSecondaryIndexes[0];
  ET_ASSIGN_OR_RETURN(bool has_key, store_internal::IndexExists(db, key.name));
  if (!has_key && !keys_lost) {
    if (load_keys.size() < max_load_keys) return Status::OK();
    // Full: its keys (all committed: this runs before the batch's inserts)
    // become a run on disk. If that fails, the index is built as below.
    if (key_runs && key_runs->Add(load_keys.Take()).ok()) return Status::OK();
  }
  ET_RETURN_IF_ERROR(Exec(db, key.create_sql, "building the ext_id index of " + path));
  LeaveKeyedMode();
  return Status::OK();
}

Status Store::Statements::BuildIndexes() {
  if (read_only)
    return Status::IOError("cannot build the indexes of " + path + ": opened read-only");
  // One statement per index, each atomic: a crash in between leaves some
  // missing, and the next writable Open builds those. The FtsLoader's thread
  // catches up with the committed rows and merges its segments meanwhile.
  if (fts_loader) fts_loader->CloseInput();
  ET_RETURN_IF_ERROR(store_internal::CreateSecondaryIndexes(db, path));
  LeaveKeyedMode();
  if (fts_loader) {
    ET_RETURN_IF_ERROR(FinishFullTextIndex());
  } else {
    ET_RETURN_IF_ERROR(Exec(db, "INSERT INTO docs_fts(docs_fts) VALUES ('optimize')",
                            "merging the full-text index of " + path));
  }
  initial_load = false;
  ET_RETURN_IF_ERROR(Exec(db, kCacheSize, "configuring " + path));
  if (rollback_journal) {
    // The load wrote the file directly; from now on WAL, as every store.
    ReturnToWal();
  } else {
    // The index builds went through the WAL; give its space back. Fails
    // harmlessly (busy) while another process reads.
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  }
  return Status::OK();
}

Status Store::BuildIndexes() { return stmts_->BuildIndexes(); }

void Store::TEST_SetLoadKeyCap(size_t keys) { stmts_->max_load_keys = keys; }

// The inserts of WriteBatch, inside its transaction. Kept apart so that every
// error path returns through WriteBatch's single rollback.
Status Store::Statements::WriteBatchRows(int64_t run_id, const std::vector<Document>& docs,
                                         const std::vector<Reject>& rejects, InsertCounts* counts) {
  batch_max_id = 0;
  for (const Document& d : docs) {
    int64_t id = 0;
    if (keys_in_memory) {
      ET_ASSIGN_OR_RETURN(id, InsertDocKeyed(run_id, d));
    } else {
      ET_ASSIGN_OR_RETURN(id, InsertDoc(run_id, d));
    }
    batch_max_id = std::max(batch_max_id, id);
    if (id == 0) {
      ++counts->duplicates;
      continue;
    }
    ++counts->inserted;
    // Entities in (start, end, kind) order, an exact repeat stored once:
    // rows of one document are then in a fixed order whatever order the
    // extractor found them in.
    entity_order.resize(d.entities.size());
    for (uint32_t i = 0; i < entity_order.size(); ++i) entity_order[i] = i;
    auto key = [&d](uint32_t i) {
      const Entity& e = d.entities[i];
      return std::tuple(e.start, e.end, static_cast<int>(e.kind));
    };
    std::sort(entity_order.begin(), entity_order.end(),
              [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
    for (size_t k = 0; k < entity_order.size(); ++k) {
      if (k > 0 && key(entity_order[k]) == key(entity_order[k - 1])) continue;
      const Entity& e = d.entities[entity_order[k]];
      Stmt& ent = insert_entity;
      ent.BindInt64(1, id);
      ent.BindInt64(2, static_cast<int64_t>(e.kind));
      ent.BindText(3, e.value);
      ent.BindInt64(4, e.start);
      ent.BindInt64(5, e.end);
      ET_RETURN_IF_ERROR(
          StepDoneLazy(db, ent, [&] { return "inserting an entity of " + DocLabel(d); }));
    }
    if (fts_loader) continue;  // the loader's thread indexes it once committed
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
    if (sqlite3_changes(db) > 0) ++counts->rejects;
  }
  return Status::OK();
}

// Binds the columns of `d` but the ext_id (?1) to `ins` (kInsertDoc or
// kInsertDocKeyed).
void Store::Statements::BindDoc(Stmt& ins, int64_t run_id, const Document& d) {
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
  ins.BindTextOrNull(15, d.input_lang);
}

// Inserts `d` with the ext_id key in place; returns its row id, or 0 when
// it is a duplicate of a stored document.
Result<int64_t> Store::Statements::InsertDoc(int64_t run_id, const Document& d) {
  Stmt& ins = insert_doc;
  BindDoc(ins, run_id, d);
  ins.BindText(1, d.ext_id);
  ET_RETURN_IF_ERROR(StepDoneLazy(db, ins, [&] { return "inserting " + DocLabel(d); }));
  if (sqlite3_changes(db) == 0) {
    std::string qualified;
    ET_RETURN_IF_ERROR(QualifiedId(d, &qualified));
    if (qualified.empty()) return 0;
    ins.BindText(1, qualified);  // `qualified` outlives the step below
    ET_RETURN_IF_ERROR(StepDoneLazy(db, ins, [&] { return "inserting " + DocLabel(d); }));
    if (sqlite3_changes(db) == 0) return 0;
  }
  return sqlite3_last_insert_rowid(db);
}

// InsertDoc during an initial load: load_keys instead of the ext_id key,
// with the same outcome for every input (store_test checks both paths on
// the same batches).
Result<int64_t> Store::Statements::InsertDocKeyed(int64_t run_id, const Document& d) {
  std::string qualified;
  std::string_view key = d.ext_id;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const uint64_t hash = XXH3_64bits(key.data(), key.size());
    bool found = false;
    std::string source, file;
    int64_t line = 0;
    ET_RETURN_IF_ERROR(FindLoadedKey(key, hash, &found, &source, &file, &line));
    if (!found) {
      Stmt& ins = insert_doc_keyed;
      BindDoc(ins, run_id, d);
      ins.BindText(1, key);  // d.ext_id or `qualified`, both outlive the step
      ET_RETURN_IF_ERROR(StepDoneLazy(db, ins, [&] { return "inserting " + DocLabel(d); }));
      const int64_t id = sqlite3_last_insert_rowid(db);
      load_keys.Insert(hash, id);
      return id;
    }
    if (attempt == 1) break;  // the qualified id is stored too: a duplicate
    qualified = QualifyAfterClash(d, source, file, line);
    if (qualified.empty()) break;
    key = qualified;
  }
  return 0;
}

// Whether a row inserted during this initial load has ext_id `key` (XXH3
// `hash`); if so, that row's source, origin_file and origin_line.
Status Store::Statements::FindLoadedKey(std::string_view key, uint64_t hash, bool* found,
                                        std::string* source, std::string* file, int64_t* line) {
  if (!select_key.prepared()) {
    ET_RETURN_IF_ERROR(select_key.Prepare(
        db, "SELECT ext_id, source, origin_file, origin_line FROM docs WHERE id = ?1", true));
  }
  Status st;
  auto matches = [&](int64_t id) {
    select_key.BindInt64(1, id);
    const int rc = select_key.Step();
    bool same = false;
    if (rc == SQLITE_ROW) {
      same = select_key.Text(0) == key;
      if (same) {
        *source = select_key.Text(1);
        *file = select_key.Text(2);
        *line = select_key.Int64(3);
      }
    } else {
      st = SqliteStatus(db, rc, "reading back stored document " + std::to_string(id));
    }
    select_key.Reset();
    return same || !st.ok();
  };
  *found = load_keys.AnyWithHash(hash, matches);
  if (*found || !st.ok() || !key_runs || key_runs->size() == 0) return st;
  run_ids.clear();
  ET_RETURN_IF_ERROR(key_runs->Find(hash, &run_ids));
  for (int64_t id : run_ids) {
    if (matches(id)) {
      *found = true;
      break;
    }
  }
  return st;
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
  *qualified = QualifyAfterClash(d, source, file, line);
  return Status::OK();
}

Result<uint64_t> Store::CountDocuments() {
  Stmt& st = stmts_->count_docs;
  if (!st.prepared()) ET_RETURN_IF_ERROR(st.Prepare(stmts_->db, "SELECT count(*) FROM docs", true));
  int rc = st.Step();
  Result<uint64_t> out =
      rc == SQLITE_ROW
          ? Result<uint64_t>(static_cast<uint64_t>(st.Int64(0)))
          : Result<uint64_t>(SqliteStatus(stmts_->db, rc, "counting the documents in " + path()));
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
  ET_RETURN_IF_ERROR(Exec(stmts_->db, "BEGIN", "starting a read of " + path()));
  Status s = stmts_->StatsInSnapshot(&out);
  Exec(stmts_->db, "COMMIT", "").ok();  // ends a read-only transaction; cannot lose data
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

Status Store::CheckFullTextIndex() {
  ET_ASSIGN_OR_RETURN(bool pending, store_internal::FullTextPending(stmts_->db));
  if (!pending) return Status::OK();
  if (store_internal::FtsLoadInProgress(path())) {
    return Status::NotFound(path() +
                            ": its full-text index is still being built by the ingest loading it "
                            "(a first load indexes the text at its end); search once it has ended");
  }
  return Status::NotFound(path() +
                          ": its full-text index was left unfinished by a first load that did not "
                          "end (killed, or failed: its run is in the runs table); finish it where "
                          "the store is writable with `echotrace upgrade --db " +
                          path() + "` (about 5 s per million documents) or any ingest");
}

Result<std::vector<SearchHit>> Store::Search(std::string_view query, int k) {
  if (k < 1 || k > kMaxSearchK) {
    return Status::InvalidArgument("the number of results (k) must be between 1 and " +
                                   std::to_string(kMaxSearchK) + ", not " + std::to_string(k));
  }
  const std::string match = store_internal::BuildFtsQuery(query);
  if (match.empty()) return Status::InvalidArgument("the query has no searchable words");
  ET_RETURN_IF_ERROR(CheckFullTextIndex());
  const std::string doing = "searching " + path();
  ET_RETURN_IF_ERROR(Exec(stmts_->db, "BEGIN", doing));  // ranking and snippets see one snapshot
  auto hits = stmts_->SearchInSnapshot(match, k);
  Exec(stmts_->db, "COMMIT", "").ok();
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
  ET_RETURN_IF_ERROR(st.Prepare(stmts_->db, std::string(kSelectDocColumns) + "WHERE id = ?1"));
  st.BindInt64(1, id);
  return stmts_->ReadDocument(st, "reading document " + std::to_string(id) + " from " + path());
}

Result<std::optional<Document>> Store::GetDocumentByExtId(std::string_view ext_id) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(stmts_->db, std::string(kSelectDocColumns) + "WHERE ext_id = ?1"));
  st.BindText(1, ext_id);
  return stmts_->ReadDocument(st, "reading document '" + std::string(ext_id) + "' from " + path());
}

Result<std::vector<Reject>> Store::ListRejects(int64_t limit) {
  if (limit < 0) return Status::InvalidArgument("a negative limit for rejects");
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(stmts_->db, "SELECT file, line, reason, raw FROM rejects ORDER BY id LIMIT ?1"));
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
  if (rc != SQLITE_DONE) return SqliteStatus(stmts_->db, rc, "reading the rejects of " + path());
  return out;
}

}  // namespace echotrace
