// Thin RAII helpers over the SQLite C API, private to the store component.
//
// Why not a full wrapper: the store's hot path (WriteBatch) binds a dozen
// values per document millions of times, so these helpers stay inline and
// add nothing but ownership and error translation. Bind errors are not
// returned one by one: a statement remembers the first failed bind and
// Step() reports it, so a failed bind can never silently insert a NULL.
#ifndef ECHOTRACE_STORE_SQLITE_UTIL_H_
#define ECHOTRACE_STORE_SQLITE_UTIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "echotrace/status.h"
#include "store/store_internal.h"  // Handle(Store*): the connection of a Store

namespace echotrace::store_internal {

// A Status for SQLite result code `rc` on `db`: "<doing>: <sqlite message>".
// The code maps to Corruption (not a database, corrupt), IOError (busy,
// locked, disk full, read-only, cannot open), Cancelled (interrupted),
// InvalidArgument (a value too big for SQLite) or Internal (SQL errors,
// which are bugs in echotrace). `db` may be null.
Status SqliteStatus(sqlite3* db, int rc, std::string_view doing);

// Runs one or more SQL statements without results (sqlite3_exec).
Status Exec(sqlite3* db, const char* sql, std::string_view doing);

// An owned prepared statement. Move-only; finalised on destruction.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(Stmt&& o) noexcept : stmt_(o.stmt_), bind_rc_(o.bind_rc_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Prepares `sql` (one statement). `persistent` hints SQLite that the
  // statement is reused many times (kept out of the lookaside allocator).
  Status Prepare(sqlite3* db, std::string_view sql, bool persistent = false);
  bool prepared() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_; }

  // Parameters are 1-based. Text and blobs are bound SQLITE_STATIC: the
  // caller's bytes must stay alive and unchanged until Reset()/ClearBindings().
  void BindInt64(int i, int64_t v) { Note(sqlite3_bind_int64(stmt_, i, v)); }
  void BindNull(int i) { Note(sqlite3_bind_null(stmt_, i)); }
  void BindDouble(int i, double v) { Note(sqlite3_bind_double(stmt_, i, v)); }
  void BindText(int i, std::string_view s) {
    // A null pointer would bind SQL NULL; "" keeps an empty string a string.
    Note(sqlite3_bind_text64(stmt_, i, s.data() ? s.data() : "", s.size(), SQLITE_STATIC,
                             SQLITE_UTF8));
  }
  // Binds NULL for an empty string: the store keeps "absent" as NULL.
  void BindTextOrNull(int i, std::string_view s) {
    if (s.empty()) {
      BindNull(i);
    } else {
      BindText(i, s);
    }
  }
  void BindBlob(int i, std::string_view b) {
    Note(sqlite3_bind_blob64(stmt_, i, b.data() ? b.data() : "", b.size(), SQLITE_STATIC));
  }
  void BindOptInt64(int i, const std::optional<int64_t>& v) {
    if (v) {
      BindInt64(i, *v);
    } else {
      BindNull(i);
    }
  }

  // sqlite3_step, or the first failed bind's code since the last Reset().
  int Step() { return bind_rc_ != SQLITE_OK ? bind_rc_ : sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    bind_rc_ = SQLITE_OK;
  }
  void ClearBindings() {
    if (stmt_) sqlite3_clear_bindings(stmt_);
  }

  // Column readers for the current row (0-based).
  bool IsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  int64_t Int64(int i) const { return sqlite3_column_int64(stmt_, i); }
  double Double(int i) const { return sqlite3_column_double(stmt_, i); }
  // Text or blob bytes; "" for NULL.
  std::string Text(int i) const;
  // The same without a copy: valid until the next Step(), Reset() or read
  // of the same column as another type.
  std::string_view TextView(int i) const {
    const void* p = sqlite3_column_blob(stmt_, i);
    int n = sqlite3_column_bytes(stmt_, i);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
             : std::string_view();
  }
  std::optional<int64_t> OptInt64(int i) const {
    if (IsNull(i)) return std::nullopt;
    return Int64(i);
  }

 private:
  void Note(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

// Steps a statement that returns no rows; always resets it. Returns the
// SQLite error, described by `doing`, unless the step ends with SQLITE_DONE.
Status StepDone(sqlite3* db, Stmt& stmt, std::string_view doing);

// The same for hot loops: `describe()` builds the description only when the
// step fails, so the success path allocates nothing.
template <typename Describe>
Status StepDoneLazy(sqlite3* db, Stmt& stmt, Describe describe) {
  int rc = stmt.Step();
  if (rc == SQLITE_DONE) {
    stmt.Reset();
    return Status::OK();
  }
  Status s = SqliteStatus(db, rc, describe());
  stmt.Reset();
  return s;
}

// Whether the store has a table of that name: result tables exist only once
// their detector has run.
Result<bool> TableExists(sqlite3* db, const char* name);

// The integer in the first column of a query's first row (NULL reads as 0),
// with ?1 bound to `arg` when given. `doing` names the work for errors.
Result<int64_t> QueryInt64(sqlite3* db, const char* sql, std::optional<int64_t> arg = std::nullopt,
                           std::string_view doing = "reading the store");
// An SQL expression for the unix day (floor division by 86400) of the unix
// seconds in `column`: SQLite's % keeps the sign of the dividend, so times
// before 1970 need the correction.
std::string SqlUnixDay(std::string_view column);

// Whether it has an index of that name: a first load drops them (store.cc).
Result<bool> IndexExists(sqlite3* db, const char* name);

// The name to give sqlite3_open_v2 for the file `path`: a leading "file:"
// would be read as a URI by SQLite builds that enable URI names, and "./"
// keeps it a plain path.
std::string SqliteOpenName(const std::string& path);

// sqlite3_open_v2 of SqliteOpenName(path) with `flags` (of `path` itself,
// a URI, when the flags hold SQLITE_OPEN_URI); the handle is stored
// in *db even on failure (close it). The first call configures the SQLite
// library for the process: no memory statistics, whose global mutex every
// sqlite3_malloc of every connection takes (an initial load runs two
// connections on two threads, and it was ~2% of its CPU).
int OpenSqlite(const std::string& path, int flags, sqlite3** db);

// `path` as an SQLite URI ("file:" and the path, every byte but letters,
// digits and "/._-~" percent-encoded) with the query `params` (e.g.
// "mode=ro"; empty for none). Open it with SQLITE_OPEN_URI.
std::string SqliteUri(const std::string& path, std::string_view params);

}  // namespace echotrace::store_internal

#endif  // ECHOTRACE_STORE_SQLITE_UTIL_H_
