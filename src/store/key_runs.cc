// KeyRuns (key_runs.h).
#include "store/key_runs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/file_io.h"

namespace echotrace::store_internal {
namespace {

constexpr size_t kBlockKeys = 256;  // 4 KiB of 16-byte records
constexpr int kBloomProbes = 7;     // optimal for 10 bits a key: ~0.8% false positives

// The second hash of double hashing, from the first (a 64-bit XXH3, whose
// bits are already well mixed); odd, so that the probes cover the filter.
uint64_t Step(uint64_t hash) {
  uint64_t z = hash + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) | 1;
}

}  // namespace

KeyRuns::KeyRuns(std::string path) : path_(std::move(path)) {}

KeyRuns::~KeyRuns() { Clear(); }

void KeyRuns::Clear() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!runs_.empty() || end_ > 0) std::remove(path_.c_str());
  runs_.clear();
  end_ = 0;
  keys_ = 0;
}

bool KeyRuns::BloomHas(const Run& r, uint64_t hash) {
  const uint64_t bits = r.bloom.size() * 64, step = Step(hash);
  for (int i = 0; i < kBloomProbes; ++i) {
    const uint64_t b = (hash + static_cast<uint64_t>(i) * step) % bits;
    if ((r.bloom[b / 64] >> (b % 64) & 1) == 0) return false;
  }
  return true;
}

void KeyRuns::BloomAdd(Run* r, uint64_t hash) {
  const uint64_t bits = r->bloom.size() * 64, step = Step(hash);
  for (int i = 0; i < kBloomProbes; ++i) {
    const uint64_t b = (hash + static_cast<uint64_t>(i) * step) % bits;
    r->bloom[b / 64] |= uint64_t{1} << (b % 64);
  }
}

Status KeyRuns::Add(std::vector<Key> keys) {
  if (keys.empty()) return Status::OK();
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) return ErrnoError("creating the scratch file " + path_);
    end_ = 0;
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.id < b.id;
  });
  Run run;
  run.offset = end_;
  run.count = keys.size();
  run.bloom.assign((keys.size() * 10 + 63) / 64 + 1, 0);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i % kBlockKeys == 0) run.block_first.push_back(keys[i].hash);
    BloomAdd(&run, keys[i].hash);
  }
  // Runs follow each other: the descriptor's offset is always end_ (reads
  // use pread, which leaves it alone).
  ET_RETURN_IF_ERROR(
      WriteAll(fd_, keys.data(), keys.size() * sizeof(Key), "the scratch file " + path_));
  end_ += keys.size() * sizeof(Key);
  keys_ += keys.size();
  runs_.push_back(std::move(run));
  return Status::OK();
}

Status KeyRuns::Find(uint64_t hash, std::vector<int64_t>* ids) const {
  Key block[kBlockKeys];
  for (const Run& r : runs_) {
    if (!BloomHas(r, hash)) continue;
    // Equal hashes are contiguous and may begin in the block before the
    // first whose first hash is >= hash.
    size_t b = static_cast<size_t>(
        std::lower_bound(r.block_first.begin(), r.block_first.end(), hash) - r.block_first.begin());
    if (b > 0) --b;
    for (; b < r.block_first.size() && r.block_first[b] <= hash; ++b) {
      const uint64_t first = static_cast<uint64_t>(b) * kBlockKeys;
      const size_t n = static_cast<size_t>(std::min<uint64_t>(kBlockKeys, r.count - first));
      ET_RETURN_IF_ERROR(PreadAll(fd_, block, n * sizeof(Key), r.offset + first * sizeof(Key),
                                  "the scratch file " + path_));
      for (size_t i = 0; i < n; ++i) {
        if (block[i].hash == hash) ids->push_back(block[i].id);
      }
      if (block[n - 1].hash > hash) break;  // the run of equal hashes ended here
    }
  }
  return Status::OK();
}

}  // namespace echotrace::store_internal
