// FtsLoader (fts_loader.h): a thread indexing committed documents, read back
// from the store, into a scratch contentless FTS5 table, and the copy of its
// index into the store.
#include "store/fts_loader.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <utility>

#include "store/schema.h"
#include "store/sqlite_util.h"

namespace echotrace::store_internal {

namespace {

void RemoveScratch(const std::string& path) {
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    std::remove((path + suffix).c_str());
  }
}

// Rows read back from the store per read transaction: short transactions
// let the writer's WAL checkpoints proceed past them.
constexpr int kRowsPerRead = 16384;

}  // namespace

std::string FtsScratchPath(const std::string& store_path) { return store_path + "-ftsload"; }

struct FtsLoader::State {
  std::string store_path;
  std::string path;
  sqlite3* db = nullptr;     // the scratch database
  sqlite3* store = nullptr;  // read-only connection to the store
  std::thread thread;
  std::mutex mu;
  std::condition_variable changed;
  int owner_fd = -1;      // a shared flock on `path` while the load lives
  int64_t committed = 0;  // highest row id the writer has committed
  bool closed = false;
  bool cancelled = false;
  Status status;  // the thread's result, read after join

  ~State() {
    if (thread.joinable()) {
      {
        std::lock_guard<std::mutex> lock(mu);
        cancelled = true;
      }
      changed.notify_all();
      thread.join();
    }
    sqlite3_close_v2(store);
    sqlite3_close_v2(db);
    RemoveScratch(path);
    if (owner_fd >= 0) ::close(owner_fd);
  }

  void Run() { status = IndexAll(); }

  // Indexes every committed row in id order until the input is closed and
  // everything up to the last commit is indexed, then merges the segments.
  Status IndexAll() {
    const std::string doing = "building the full-text index of " + store_path + " in " + path;
    Stmt read, ins;
    ET_RETURN_IF_ERROR(read.Prepare(
        store, "SELECT id, text, title FROM docs WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT ?3",
        true));
    ET_RETURN_IF_ERROR(
        ins.Prepare(db, "INSERT INTO docs_fts(rowid, text, title) VALUES (?1, ?2, ?3)", true));
    int64_t done = 0;  // rows with id <= done are indexed
    std::vector<int64_t> ids;
    std::vector<size_t> off;
    std::string bytes;
    for (;;) {
      int64_t upto = 0;
      bool last = false;
      {
        std::unique_lock<std::mutex> lock(mu);
        changed.wait(lock, [&] { return cancelled || closed || committed > done; });
        if (cancelled) return Status::Cancelled(doing + ": stopped");
        upto = committed;
        last = closed && committed <= done;
      }
      if (last) break;
      // Copy a slice out of one short read transaction, then index it.
      ids.clear();
      off.assign(1, 0);
      bytes.clear();
      read.BindInt64(1, done);
      read.BindInt64(2, upto);
      read.BindInt64(3, kRowsPerRead);
      int rc;
      while ((rc = read.Step()) == SQLITE_ROW) {
        ids.push_back(read.Int64(0));
        bytes += read.TextView(1);
        off.push_back(bytes.size());
        bytes += read.TextView(2);
        off.push_back(bytes.size());
      }
      read.Reset();
      if (rc != SQLITE_DONE) return SqliteStatus(store, rc, doing + ": reading the documents");
      // Ids need not be dense (a duplicate takes none, a failed batch leaves
      // a gap), so an empty slice means everything up to `upto` is done.
      done = ids.empty() ? upto : ids.back();
      if (!ids.empty()) ET_RETURN_IF_ERROR(IndexSlice(ins, ids, off, bytes, doing));
    }
    return Exec(db, "INSERT INTO docs_fts(docs_fts) VALUES ('optimize')", doing);
  }

  Status IndexSlice(Stmt& ins, const std::vector<int64_t>& ids, const std::vector<size_t>& off,
                    std::string_view bytes, const std::string& doing) {
    ET_RETURN_IF_ERROR(Exec(db, "BEGIN", doing));
    Status st;
    for (size_t i = 0; i < ids.size() && st.ok(); ++i) {
      ins.BindInt64(1, ids[i]);
      ins.BindText(2, bytes.substr(off[2 * i], off[2 * i + 1] - off[2 * i]));
      // NULL title as in the store (an empty string is never stored).
      ins.BindTextOrNull(3, bytes.substr(off[2 * i + 1], off[2 * i + 2] - off[2 * i + 1]));
      st = StepDoneLazy(db, ins, [&] { return doing + " (row " + std::to_string(ids[i]) + ")"; });
    }
    if (st.ok()) return Exec(db, "COMMIT", doing);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return st;
  }
};

FtsLoader::FtsLoader(std::unique_ptr<State> state) : s_(std::move(state)) {}

FtsLoader::~FtsLoader() = default;

bool FtsLoadInProgress(const std::string& store_path) {
  const std::string path = FtsScratchPath(store_path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

Result<std::unique_ptr<FtsLoader>> FtsLoader::Start(const std::string& store_path) {
  auto s = std::make_unique<State>();
  s->store_path = store_path;
  s->path = FtsScratchPath(store_path);
  RemoveScratch(s->path);  // a stale one from a killed load
  const std::string doing = "creating the scratch full-text index " + s->path;
  int rc =
      OpenSqlite(s->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, &s->db);
  if (rc != SQLITE_OK) return SqliteStatus(s->db, rc, doing);
  // Scratch: no journal, no sync. A crash loses it, and the store then
  // rebuilds its index from the stored text (meta.fts_pending).
  ET_RETURN_IF_ERROR(Exec(s->db,
                          "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; "
                          "PRAGMA synchronous = OFF; "
                          "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY",
                          doing));
  ET_RETURN_IF_ERROR(Exec(s->db,
                          "CREATE VIRTUAL TABLE docs_fts USING fts5(" ET_FTS_COLUMNS
                          ", content='', " ET_FTS_TOKENIZE "); " ET_FTS_SETTINGS,
                          doing));
  // The mark of a live load (FtsLoadInProgress): the kernel drops the lock
  // when this process ends, however it ends.
  s->owner_fd = ::open(s->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (s->owner_fd >= 0) ::flock(s->owner_fd, LOCK_SH | LOCK_NB);
  rc = OpenSqlite(store_path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &s->store);
  if (rc != SQLITE_OK) return SqliteStatus(s->store, rc, doing + ": opening " + store_path);
  ET_RETURN_IF_ERROR(Exec(s->store, "PRAGMA cache_size = -8192", doing));
  // While the load writes through a rollback journal (store.cc), a read
  // waits out the writer's commit instead of failing.
  sqlite3_busy_timeout(s->store, 60000);
  State* raw = s.get();
  s->thread = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<FtsLoader>(new FtsLoader(std::move(s)));
}

void FtsLoader::Committed(int64_t max_id) {
  {
    std::lock_guard<std::mutex> lock(s_->mu);
    if (max_id > s_->committed) s_->committed = max_id;
  }
  s_->changed.notify_all();
}

void FtsLoader::CloseInput() {
  {
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->closed = true;
  }
  s_->changed.notify_all();
}

Status FtsLoader::Wait() {
  CloseInput();
  if (s_->thread.joinable()) s_->thread.join();
  return s_->status;
}

Status FtsLoader::CopyInto(const std::string& store_path, bool* copied) {
  *copied = false;
  const std::string doing = "moving the full-text index from " + s_->path + " into " + store_path;
  // The scratch connection is done; close it so that the copy reads a file
  // nobody writes.
  sqlite3_close_v2(s_->db);
  s_->db = nullptr;
  sqlite3_close_v2(s_->store);
  s_->store = nullptr;
  sqlite3* raw = nullptr;
  int rc = OpenSqlite(store_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &raw);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close_v2);
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, doing);
  sqlite3_busy_timeout(raw, 5000);
  Stmt attach;
  ET_RETURN_IF_ERROR(attach.Prepare(raw, "ATTACH DATABASE ?1 AS ftsload"));
  const std::string scratch = SqliteOpenName(s_->path);  // bound, not copied
  attach.BindText(1, scratch);
  ET_RETURN_IF_ERROR(StepDone(raw, attach, doing));
  ET_RETURN_IF_ERROR(Exec(raw, "BEGIN IMMEDIATE", doing));
  auto pending = FullTextPending(raw);  // ftsload has no meta: this reads the store's
  Status st = pending.status();
  if (st.ok() && *pending) {
    // Same table definitions on both sides: SQLite copies the B-tree
    // records as they are (its transfer optimisation), ~0.6 s per million
    // tweets.
    st = Exec(raw,
              "DELETE FROM main.docs_fts_data; DELETE FROM main.docs_fts_idx; "
              "DELETE FROM main.docs_fts_docsize; "
              "INSERT INTO main.docs_fts_data SELECT * FROM ftsload.docs_fts_data; "
              "INSERT INTO main.docs_fts_idx SELECT * FROM ftsload.docs_fts_idx; "
              "INSERT INTO main.docs_fts_docsize SELECT * FROM ftsload.docs_fts_docsize; "
              "DELETE FROM main.meta WHERE key = 'fts_pending'",
              doing);
    if (st.ok()) *copied = true;
  }
  if (st.ok()) st = Exec(raw, "COMMIT", doing);
  if (!st.ok()) {
    *copied = false;
    if (!sqlite3_get_autocommit(raw)) sqlite3_exec(raw, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  sqlite3_exec(raw, "DETACH DATABASE ftsload", nullptr, nullptr, nullptr);
  return st;
}

}  // namespace echotrace::store_internal
