// libFuzzer target for the search query parser (store/fts_query.h): any
// bytes either are refused with a Status or become an FTS5 expression that
// FTS5 accepts — user text never reaches FTS5 as syntax it could misread or
// reject.
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/fts_query.h"

namespace {

sqlite3* Db() {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    if (sqlite3_open(":memory:", &d) != SQLITE_OK ||
        sqlite3_exec(d,
                     "CREATE VIRTUAL TABLE t USING fts5(text, title, tokenize='unicode61 "
                     "remove_diacritics 2'); INSERT INTO t VALUES ('alpha beta gamma', 'delta')",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::abort();
    }
    return d;
  }();
  return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto q = echotrace::store_internal::ParseSearchQuery(text);
  if (!q.ok()) return 0;
  const std::string match = echotrace::store_internal::RenderFtsQuery(*q);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(Db(), "SELECT rowid FROM t WHERE t MATCH ?1", -1, &st, nullptr) !=
      SQLITE_OK) {
    std::abort();
  }
  sqlite3_bind_text(st, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    std::fprintf(stderr, "FTS5 refused %s: %s\n", match.c_str(), sqlite3_errmsg(Db()));
    std::abort();
  }
  sqlite3_finalize(st);
  return 0;
}
