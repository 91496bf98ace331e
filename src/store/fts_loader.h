// The full-text index of an initial load, built on a thread of its own.
//
// Why: FTS5 indexing is about half of what the single SQLite writer does
// during a bulk ingest (5–6 µs of a ~14 µs tweet), and SQLite allows one
// writer per file. So while the calling thread writes documents into the
// store, an FtsLoader indexes the committed documents into a scratch database
// beside it (`<store>-ftsload`, a contentless FTS5 table with the store's
// columns, tokenizer and settings: the index it builds is, byte for byte,
// the index an external-content table over the same rows would hold), and
// at the end CopyInto() moves the finished index into the store's docs_fts
// shadow tables in one transaction. store_test checks the result with FTS5's
// own integrity-check against the stored text and against an index built
// inline.
//
// Crash safety lives in the store (store.cc): meta.fts_pending marks a store
// whose full-text index is still being built elsewhere; a writable Open that
// finds it rebuilds the index from the stored text. The scratch file is
// disposable at every moment.
#ifndef ECHOTRACE_STORE_FTS_LOADER_H_
#define ECHOTRACE_STORE_FTS_LOADER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "echotrace/document.h"
#include "echotrace/status.h"

struct sqlite3;

namespace echotrace::store_internal {

// The scratch file of the store at `store_path`.
std::string FtsScratchPath(const std::string& store_path);

// Whether a live process is loading the store at `store_path` with an
// FtsLoader: it holds a lock on the scratch file for as long as it lives
// (a load that was killed or failed leaves none). Never writes.
bool FtsLoadInProgress(const std::string& store_path);

class FtsLoader {
 public:
  // Creates the scratch database (replacing a stale one) and starts the
  // thread. IOError when the file cannot be created.
  static Result<std::unique_ptr<FtsLoader>> Start(const std::string& store_path);
  // Stops the thread if still running and removes the scratch file.
  ~FtsLoader();
  FtsLoader(const FtsLoader&) = delete;
  FtsLoader& operator=(const FtsLoader&) = delete;

  // The writer committed rows up to `max_id`. The thread reads committed
  // rows back from the store (a read-only connection, in short reads that
  // wait out the writer's commits) in id order, so nothing is queued in memory and
  // it may fall behind as far as it likes: it does, on purpose, while the
  // writer and the readers take the cores, and catches up while the writer
  // builds the other indexes at the end.
  void Committed(int64_t max_id);

  // No more commits; returns at once, the thread indexes what is left and
  // then merges its index into one segment.
  void CloseInput();

  // Waits for the thread; its first error, or OK with the index complete.
  Status Wait();

  // After a successful Wait(): replaces the full-text index of the store at
  // `store_path` with the scratch index and deletes meta.fts_pending, in one
  // transaction on a connection of its own (so the store's connection, whose
  // FTS5 table caches its index structure, sees another connection's commit
  // and re-reads it). Returns false in *copied, changing nothing, when
  // meta.fts_pending is gone: another process rebuilt the index meanwhile.
  // Waits up to 5 s for the write lock.
  Status CopyInto(const std::string& store_path, bool* copied);

 private:
  struct State;
  explicit FtsLoader(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace echotrace::store_internal

#endif  // ECHOTRACE_STORE_FTS_LOADER_H_
