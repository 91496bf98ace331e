// Error translation and the out-of-line parts of the SQLite helpers (see
// sqlite_util.h). The mapping from SQLite result codes to StatusCode decides
// what the user is told to do: a busy or full disk is the environment's
// problem (IOError), a file that is not a database is Corruption, and an SQL
// error is our bug (Internal).
#include "store/sqlite_util.h"

#include <mutex>
#include <string>

namespace echotrace::store_internal {

namespace {

StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {  // primary code; extended codes only refine it
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return StatusCode::kCorruption;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
      return StatusCode::kIOError;
    case SQLITE_INTERRUPT:
      return StatusCode::kCancelled;
    case SQLITE_TOOBIG:
      return StatusCode::kInvalidArgument;
    default:
      return StatusCode::kInternal;
  }
}

// What the user can do about it, for the codes where there is something.
const char* HintFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return " (another process is writing to this store; retry when it has finished)";
    case SQLITE_FULL:
      return " (the disk is full; free space and rerun: committed batches are kept)";
    case SQLITE_READONLY:
      return " (the store or its directory is not writable)";
    default:
      return "";
  }
}

}  // namespace

Status SqliteStatus(sqlite3* db, int rc, std::string_view doing) {
  std::string msg(doing);
  msg += ": ";
  // sqlite3_errmsg describes the most recent failed call on `db`; when the
  // code came from a bind it may not, so fall back to the generic text.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : nullptr;
  if (detail == nullptr || sqlite3_errcode(db) != rc) detail = sqlite3_errstr(rc);
  msg += detail;
  msg += HintFor(rc);
  switch (CodeFor(rc)) {
    case StatusCode::kCorruption:
      return Status::Corruption(msg);
    case StatusCode::kIOError:
      return Status::IOError(msg);
    case StatusCode::kCancelled:
      return Status::Cancelled(msg);
    case StatusCode::kInvalidArgument:
      return Status::InvalidArgument(msg);
    default:
      return Status::Internal(msg);
  }
}

Status Exec(sqlite3* db, const char* sql, std::string_view doing) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, doing);
  return Status::OK();
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    stmt_ = o.stmt_;
    bind_rc_ = o.bind_rc_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Status Stmt::Prepare(sqlite3* db, std::string_view sql, bool persistent) {
  sqlite3_finalize(stmt_);
  stmt_ = nullptr;
  bind_rc_ = SQLITE_OK;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    std::string doing = "preparing SQL \"";
    doing += sql;
    doing += "\"";
    return SqliteStatus(db, rc, doing);
  }
  return Status::OK();
}

std::string Stmt::Text(int i) const {
  const void* p = sqlite3_column_blob(stmt_, i);  // works for text too
  int n = sqlite3_column_bytes(stmt_, i);
  if (p == nullptr || n <= 0) return std::string();
  return std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

Status StepDone(sqlite3* db, Stmt& stmt, std::string_view doing) {
  int rc = stmt.Step();
  Status s;
  if (rc != SQLITE_DONE) s = SqliteStatus(db, rc, doing);
  stmt.Reset();
  return s;
}

namespace {

Result<bool> SchemaHas(sqlite3* db, const char* type, const char* name) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT 1 FROM sqlite_schema WHERE type = ?1 AND name = ?2"));
  st.BindText(1, type);
  st.BindText(2, name);
  const int rc = st.Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(db, rc, std::string("looking for ") + type + " " + name);
}

}  // namespace

Result<bool> TableExists(sqlite3* db, const char* name) { return SchemaHas(db, "table", name); }

Result<int64_t> QueryInt64(sqlite3* db, const char* sql, std::optional<int64_t> arg,
                           std::string_view doing) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, sql));
  if (arg) st.BindInt64(1, *arg);
  const int rc = st.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, doing);
  return st.Int64(0);
}

Result<bool> IndexExists(sqlite3* db, const char* name) { return SchemaHas(db, "index", name); }

std::string SqliteOpenName(const std::string& path) {
  return path.rfind("file:", 0) == 0 ? "./" + path : path;
}

int OpenSqlite(const std::string& path, int flags, sqlite3** db) {
  static std::once_flag configured;
  std::call_once(configured, [] {
    // Fails harmlessly (SQLITE_MISUSE) if the library was initialised
    // before, e.g. by a test that opened a database directly.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
  const std::string name = (flags & SQLITE_OPEN_URI) != 0 ? path : SqliteOpenName(path);
  return sqlite3_open_v2(name.c_str(), db, flags, nullptr);
}

std::string SqliteUri(const std::string& path, std::string_view params) {
  static const char kHex[] = "0123456789ABCDEF";
  // An absolute path gets an empty authority ("file://" + "/x"), so that
  // one starting with "//" is not read as a host name.
  std::string uri = path.rfind('/', 0) == 0 ? "file://" : "file:";
  for (unsigned char c : path) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
        c == '.' || c == '_' || c == '-' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  if (!params.empty()) {
    uri += '?';
    uri += params;
  }
  return uri;
}

std::string SqlUnixDay(std::string_view column) {
  const std::string c(column);
  return "((" + c + " - (((" + c + " % 86400) + 86400) % 86400)) / 86400)";
}

}  // namespace echotrace::store_internal
