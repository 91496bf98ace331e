// The ext_id keys an initial load has moved out of memory.
//
// Why: during a first load into an empty store the ext_id index is dropped
// and the store keeps ext_ids unique itself (store.cc, LoadKeys: XXH3 of the
// ext_id -> row id). Holding every key in memory would make the load's
// memory grow with the input; building the index when the table is full and
// going on with it made every later insert probe a B-tree far larger than
// the page cache (five copies of the IRA tweets: 10x the time of one). So a
// full table is written out as a sorted run instead, and the load goes on.
//
// Each run is a sorted array of (hash, row id) in one scratch file beside the
// store. In memory per run: a Bloom filter (10 bits a key, ~1% false
// positives) and the first hash of every 4 KiB block. A key that is not
// there (nearly every key of a load) costs a few bit tests; one that is, or a
// false positive, a read of one or two blocks. ~1.3 bytes of memory per key.
#ifndef ECHOTRACE_STORE_KEY_RUNS_H_
#define ECHOTRACE_STORE_KEY_RUNS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "echotrace/status.h"

namespace echotrace::store_internal {

class KeyRuns {
 public:
  struct Key {
    uint64_t hash;
    int64_t id;
  };

  // The scratch file is `path`; it is created (replacing a stale one) by
  // the first Add and removed by Clear() and the destructor.
  explicit KeyRuns(std::string path);
  ~KeyRuns();
  KeyRuns(const KeyRuns&) = delete;
  KeyRuns& operator=(const KeyRuns&) = delete;

  // Writes `keys` (any order; sorted here) as a new run. IOError (a full
  // disk) leaves the runs as they were.
  Status Add(std::vector<Key> keys);

  // The row ids stored under `hash`, appended to *ids (in no promised
  // order). IOError when the file cannot be read.
  Status Find(uint64_t hash, std::vector<int64_t>* ids) const;

  size_t size() const { return keys_; }  // keys in all runs
  size_t runs() const { return runs_.size(); }
  // Drops every run and removes the file.
  void Clear();

 private:
  struct Run {
    uint64_t offset = 0;  // of its first record in the file
    uint64_t count = 0;
    std::vector<uint64_t> block_first;  // first hash of each block
    std::vector<uint64_t> bloom;        // bits
  };
  static bool BloomHas(const Run& r, uint64_t hash);
  static void BloomAdd(Run* r, uint64_t hash);

  std::string path_;
  int fd_ = -1;
  uint64_t end_ = 0;  // bytes written
  std::vector<Run> runs_;
  size_t keys_ = 0;
};

}  // namespace echotrace::store_internal

#endif  // ECHOTRACE_STORE_KEY_RUNS_H_
