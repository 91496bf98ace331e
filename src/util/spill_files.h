// Bucketed spill files: fixed-size records appended to one of N files in a
// private directory, and read back one bucket at a time.
//
// Why: a detector's intermediate data over a whole corpus — reuse's n-gram
// index and its pair links — grows with the corpus (13 GB for five copies
// of the IRA tweets when held in RAM). Written out by bucket, only the
// bucket being worked on is in memory; the operating system's page cache
// keeps the files in RAM when there is room, so a small corpus pays little.
//
// Records are raw bytes of a trivially copyable type, in the order they
// were appended per call; calls from different threads interleave in any
// order, so readers must not depend on the order across calls (sort).
#ifndef ECHOTRACE_UTIL_SPILL_FILES_H_
#define ECHOTRACE_UTIL_SPILL_FILES_H_

#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "echotrace/status.h"

namespace echotrace {

class SpillFiles {
 public:
  // Creates an empty directory `<parent>/<prefix>-<pid>-<n>` for `buckets`
  // files, holding an flock on its `owner.lock` file while the object
  // lives. First removes the directories `<parent>/<prefix>-<pid>-<n>` of
  // runs that ended without removing theirs (SIGKILL): those whose lock no
  // process holds — never another live process's. IOError naming the path
  // when it cannot be made.
  static Result<std::unique_ptr<SpillFiles>> Create(const std::string& parent,
                                                    std::string_view prefix, size_t buckets);
  // Removes the directory and everything in it.
  ~SpillFiles();
  SpillFiles(const SpillFiles&) = delete;
  SpillFiles& operator=(const SpillFiles&) = delete;

  // Appends records to a bucket. Thread-safe. IOError (a full disk) names
  // the file.
  template <typename T>
  Status Append(size_t bucket, std::span<const T> records) {
    static_assert(std::is_trivially_copyable_v<T>);
    return AppendBytes(bucket, records.data(), records.size_bytes());
  }

  // All records of a bucket, and the bucket emptied (its file removed).
  // Not to be called while another thread appends to the same bucket.
  template <typename T>
  Result<std::vector<T>> Take(size_t bucket) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::vector<T> out;
    ET_RETURN_IF_ERROR(TakeBytes(bucket, sizeof(T), [&out](size_t n) {
      out.resize(n);
      return static_cast<void*>(out.data());
    }));
    return out;
  }

  // Bytes written so far over all buckets (taken ones included).
  uint64_t bytes_written() const;
  const std::string& dir() const { return dir_; }

 private:
  SpillFiles(std::string dir, size_t buckets);
  std::string Path(size_t bucket) const;
  Status AppendBytes(size_t bucket, const void* data, size_t bytes);
  // Reads the bucket's file into the buffer that alloc(records) returns.
  template <typename Alloc>
  Status TakeBytes(size_t bucket, size_t record_size, Alloc alloc);
  Status ReadInto(const std::string& path, size_t bytes, void* buf);
  Result<size_t> FileSize(size_t bucket);

  std::string dir_;
  int owner_fd_ = -1;  // holds the flock on dir_/owner.lock
  std::vector<std::unique_ptr<std::mutex>> locks_;
  mutable std::mutex total_mu_;
  uint64_t total_ = 0;
};

template <typename Alloc>
Status SpillFiles::TakeBytes(size_t bucket, size_t record_size, Alloc alloc) {
  ET_ASSIGN_OR_RETURN(size_t bytes, FileSize(bucket));
  if (bytes % record_size != 0) {
    return Status::Corruption("spill file " + Path(bucket) + " holds a partial record");
  }
  void* buf = alloc(bytes / record_size);
  if (bytes == 0) return Status::OK();
  return ReadInto(Path(bucket), bytes, buf);
}

}  // namespace echotrace

#endif  // ECHOTRACE_UTIL_SPILL_FILES_H_
