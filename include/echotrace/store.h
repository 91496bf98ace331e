// The store: one SQLite file (WAL mode) holding the corpus and every
// analysis result. Its schema is a contract, documented and versioned in
// docs/schema.md; anyone may open it with the SQLite shell, Python or R.
//
// Thread-safety: a Store is used by one thread at a time (SQLite handles are
// not shared). Several processes may read while one writes (WAL).
#ifndef ECHOTRACE_STORE_H_
#define ECHOTRACE_STORE_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"
#include "echotrace/status.h"

namespace echotrace {

namespace store_internal {
struct StoreAccess;  // the library's own access to the connection (src/store/store_internal.h)
}

// Incremented on every change to the tables or to what a column means.
inline constexpr int kSchemaVersion = 3;

enum class OpenMode {
  kReadWrite,  // creates the file and schema when absent
  kReadOnly,   // NotFound if the file does not exist
};

struct InsertCounts {
  uint64_t inserted = 0;
  uint64_t duplicates = 0;  // ext_id already stored: skipped
  uint64_t rejects = 0;     // rejects stored (one recorded before is not stored again)
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
  // Descending count, then key; every value, with "" for documents that
  // have none, so the counts add up to `documents`.
  std::vector<CountRow> by_source;
  std::vector<CountRow> by_lang;
  std::vector<CountRow> top_authors;  // the 10 most prolific
};

// A recorded run (the `runs` table, docs/schema.md).
struct RunRecord {
  int64_t id = 0;
  std::string kind;
  std::string params;   // JSON object text; "" when none was recorded
  std::string summary;  // JSON object text; "" when none was recorded
};

struct SearchHit {
  int64_t doc_id = 0;
  std::string ext_id;
  std::string source;
  std::string author;
  std::optional<int64_t> time;
  std::string title;
  double score = 0;     // BM25 as a positive number: higher is better
  std::string snippet;  // plain text; matched terms wrapped in [ and ]
};

class Store {
 public:
  // Opens or creates the store at `path`. Errors: IOError (cannot open or
  // create), Corruption (not an echotrace store, or a newer schema version
  // than this build knows, with the version numbers in the message).
  // kReadOnly gives NotFound when the file does not exist. Blocks up to 5 s
  // when another process holds a lock.
  // kReadOnly never writes to the store, its folder or its -wal/-shm files
  // beyond what SQLite's readers do, so it works on read-only media (a
  // store whose folder cannot be written is opened immutable when it has no
  // pending write-ahead log; one that has is IOError saying what to do). It
  // upgrades nothing and builds no index: a store of an older schema
  // version is read as it is when its tables allow it, else IOError naming
  // `echotrace upgrade`; a store whose initial load was killed is read as
  // it is (CheckFullTextIndex says so).
  // kReadWrite upgrades an older store, builds any index a killed load
  // left missing, and finishes its full-text index.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, OpenMode mode);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Records the start of a run (ingest or analysis). `params_json` is a JSON
  // object text. Returns the run id.
  Result<int64_t> BeginRun(std::string_view kind, std::string_view params_json);
  // Records the end of a run with its status ("ok", "failed", "interrupted")
  // and a JSON summary. InvalidArgument for another status, NotFound for an
  // unknown run id. After an initial load (see WriteBatch) it first calls
  // BuildIndexes(), so it may take a few seconds per million documents.
  Status EndRun(int64_t run_id, std::string_view status, std::string_view summary_json);

  // The latest run (highest id) of one of `kinds` that ended "ok", with its
  // params and summary; nullopt when there is none. The one definition of
  // "the current result" of a detector: its stage asks it for the run it may
  // extend (comparing the params), its readers for the run to show.
  Result<std::optional<RunRecord>> LatestRun(std::initializer_list<std::string_view> kinds);
  Result<std::optional<RunRecord>> LatestRun(std::string_view kind) { return LatestRun({kind}); }

  // Stores documents, their entities and FTS entries, and rejects, in ONE
  // transaction: after a crash either all of the batch is stored or none.
  // A document whose ext_id is already stored (or appears earlier in the
  // batch) is a duplicate: skipped, with its entities, and counted; except
  // that a clash with a *different* item takes a qualified id instead:
  //   - an input id stored for another source: ext_id becomes
  //     "<source>:<id>" (two platforms may both have a post "1");
  //   - a content-hash id (ext_id_derived) stored from the same file at
  //     another line: ext_id becomes "<hash>#<line>" (the input repeats the
  //     same record, and every input row is kept).
  // The qualified id is what a rerun derives again, so reruns stay
  // idempotent; a clash of the qualified id is a duplicate. Adds
  // to *counts (may be null) only when the batch is committed; on error
  // nothing of the batch is stored and *counts is unchanged.
  // Preconditions, checked (InvalidArgument, nothing written): every ext_id
  // is non-empty and every entity lies within its document's text.
  // Empty strings are stored as NULL (see docs/schema.md). The strings are
  // bound without copying: the vectors must not change during the call.
  // IOError when another process holds the write lock for over 5 s, or the
  // store was opened read-only.
  // Initial load: when the first batch with documents (>= 1024 of them)
  // goes into an empty store, its indexes (docs/schema.md) are dropped for
  // speed until BuildIndexes() runs (EndRun and ~Store call it; the next
  // writable Open after a crash does), and the full-text index is built on a
  // thread of its own from the committed rows and moved in by
  // BuildIndexes(). Meanwhile queries stay correct, but full-text search
  // answers NotFound (CheckFullTextIndex) until the load ends.
  Status WriteBatch(int64_t run_id, const std::vector<Document>& docs,
                    const std::vector<Reject>& rejects, InsertCounts* counts);

  // Builds any missing index and finishes the full-text index (moves in
  // the one built during an initial load, or merges it into one segment).
  // Idempotent; seconds per million documents.
  Status BuildIndexes();

  // Tests only: during an initial load the store keeps at most `keys`
  // ext_id keys in memory before it writes them out as a sorted run on
  // disk (5.5M by default), so that tests reach that path with small data.
  void TEST_SetLoadKeyCap(size_t keys);

  // One consistent snapshot; about a second on 2.5M documents.
  Result<CorpusStats> Stats();

  // OK when the full-text index covers every stored document; NotFound,
  // saying to search later, while another process's first load (an initial
  // load, see WriteBatch) is still building it. Search calls it; so must
  // anything else that queries docs_fts.
  Status CheckFullTextIndex();

  // Full-text search: the free text is split into terms (quoted, so FTS5
  // syntax in user text is inert), ranked by BM25 over text and title.
  // Returns at most k hits, best first; ties broken by doc id. Terms are
  // OR-ed; at most 256 distinct terms are used. InvalidArgument when k is
  // not in 1..10000 or the query has no searchable words.
  Result<std::vector<SearchHit>> Search(std::string_view query, int k);

  // Number of stored documents.
  Result<uint64_t> CountDocuments();

  // The document with this id (or ext_id), as written, with its entities in
  // order of start offset; nullopt when there is none.
  Result<std::optional<Document>> GetDocument(int64_t id);
  Result<std::optional<Document>> GetDocumentByExtId(std::string_view ext_id);

  // The first `limit` (>= 0) stored rejects, in the order they were stored.
  Result<std::vector<Reject>> ListRejects(int64_t limit);

  // The path the store was opened with.
  const std::string& path() const;

 private:
  friend struct store_internal::StoreAccess;
  Store();
  struct Statements;
  std::unique_ptr<Statements> stmts_;
};

}  // namespace echotrace

#endif  // ECHOTRACE_STORE_H_
