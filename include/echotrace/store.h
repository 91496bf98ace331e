// The store: one SQLite file (WAL mode) holding the corpus and every
// analysis result. Its schema is a contract, documented and versioned in
// docs/schema.md; anyone may open it with sqlite3, Python or R.
//
// Thread-safety: a Store is used by one thread at a time (SQLite handles are
// not shared). Several processes may read while one writes (WAL).
#ifndef ECHOTRACE_STORE_H_
#define ECHOTRACE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"
#include "echotrace/status.h"

struct sqlite3;

namespace echotrace {

// Incremented on every change to the tables or to what a column means.
inline constexpr int kSchemaVersion = 1;

enum class OpenMode {
  kReadWrite,  // creates the file and schema when absent
  kReadOnly,   // NotFound if the file does not exist
};

struct InsertCounts {
  uint64_t inserted = 0;
  uint64_t duplicates = 0;  // ext_id already stored: skipped
};

struct CountRow {
  std::string key;
  uint64_t count = 0;
};

struct CorpusStats {
  uint64_t documents = 0;
  uint64_t authors = 0;  // distinct non-empty authors
  uint64_t sources = 0;
  uint64_t rejects = 0;
  uint64_t entities = 0;
  uint64_t undated = 0;  // documents whose time is unknown
  std::optional<int64_t> first_time;
  std::optional<int64_t> last_time;
  std::vector<CountRow> by_source;  // descending count, then key
  std::vector<CountRow> by_lang;    // descending count, then key
  std::vector<CountRow> top_authors;  // the 10 most prolific
};

struct SearchHit {
  int64_t doc_id = 0;
  std::string ext_id;
  std::string source;
  std::string author;
  std::optional<int64_t> time;
  std::string title;
  double score = 0;      // BM25 as a positive number: higher is better
  std::string snippet;   // plain text; matched terms wrapped in [ and ]
};

class Store {
 public:
  // Opens or creates the store at `path`. Errors: IOError (cannot open or
  // create), Corruption (not an echotrace store, or a newer schema version
  // than this build knows, with the version numbers in the message).
  static Result<std::unique_ptr<Store>> Open(const std::string& path, OpenMode mode);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Records the start of a run (ingest or analysis). `params_json` is a JSON
  // object text. Returns the run id.
  Result<int64_t> BeginRun(std::string_view kind, std::string_view params_json);
  // Records the end of a run with its status ("ok", "failed", "interrupted")
  // and a JSON summary.
  Status EndRun(int64_t run_id, std::string_view status, std::string_view summary_json);

  // Stores documents, their entities and FTS entries, and rejects, in ONE
  // transaction: after a crash either all of the batch is stored or none.
  // A document whose ext_id is already stored is skipped and counted as a
  // duplicate. Adds to *counts.
  Status WriteBatch(int64_t run_id, const std::vector<Document>& docs,
                    const std::vector<Reject>& rejects, InsertCounts* counts);

  Result<CorpusStats> Stats();

  // Full-text search: the free text is split into terms (quoted, so FTS5
  // syntax in user text is inert), ranked by BM25 over text and title.
  // Returns at most k hits, best first; ties broken by doc id.
  Result<std::vector<SearchHit>> Search(std::string_view query, int k);

  // Number of stored documents.
  Result<uint64_t> CountDocuments();

  // The underlying handle, for detectors in this library that own their
  // tables. Owned by the Store.
  sqlite3* handle() { return db_; }

 private:
  explicit Store(sqlite3* db);
  sqlite3* db_;
  struct Statements;
  std::unique_ptr<Statements> stmts_;
};

}  // namespace echotrace

#endif  // ECHOTRACE_STORE_H_
