// SpillFiles (spill_files.h): plain POSIX files, opened per append. Appends
// are large (a flushed buffer of hundreds of kilobytes), so an open and a
// close per append cost nothing next to the write, and no descriptor stays
// open for the hundreds of buckets a detector may use.
#include "util/spill_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/file_io.h"

namespace echotrace {

Result<std::unique_ptr<SpillFiles>> SpillFiles::Create(const std::string& parent,
                                                       std::string_view prefix, size_t buckets) {
  static std::atomic<int> counter{0};
  const std::string dir =
      (std::filesystem::path(parent.empty() ? "." : parent) /
       (std::string(prefix) + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
          .string();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);  // a stale one from a killed run of this pid
  if (!std::filesystem::create_directory(dir, ec) || ec) {
    return Status::IOError("cannot create the scratch directory " + dir + ": " +
                           (ec ? ec.message() : std::string("it exists")) +
                           "; it needs a writable place with free space");
  }
  return std::unique_ptr<SpillFiles>(new SpillFiles(dir, buckets));
}

SpillFiles::SpillFiles(std::string dir, size_t buckets) : dir_(std::move(dir)) {
  locks_.reserve(buckets);
  for (size_t i = 0; i < buckets; ++i) locks_.push_back(std::make_unique<std::mutex>());
}

SpillFiles::~SpillFiles() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string SpillFiles::Path(size_t bucket) const {
  return dir_ + "/" + std::to_string(bucket) + ".bin";
}

uint64_t SpillFiles::bytes_written() const {
  std::lock_guard<std::mutex> lock(total_mu_);
  return total_;
}

Status SpillFiles::AppendBytes(size_t bucket, const void* data, size_t bytes) {
  if (bytes == 0) return Status::OK();
  const std::string path = Path(bucket);
  std::lock_guard<std::mutex> lock(*locks_.at(bucket));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("opening the scratch file " + path);
  Status st = WriteAll(fd, data, bytes, "the scratch file " + path);
  if (!st.ok()) {
    ::close(fd);
    return st;
  }
  if (::close(fd) != 0) return ErrnoError("closing the scratch file " + path);
  std::lock_guard<std::mutex> total_lock(total_mu_);
  total_ += bytes;
  return Status::OK();
}

Result<size_t> SpillFiles::FileSize(size_t bucket) {
  struct stat st {};
  if (::stat(Path(bucket).c_str(), &st) != 0) {
    if (errno == ENOENT) return size_t{0};  // nothing was appended
    return ErrnoError("reading the scratch file " + Path(bucket));
  }
  return static_cast<size_t>(st.st_size);
}

Status SpillFiles::ReadInto(const std::string& path, size_t bytes, void* buf) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("opening the scratch file " + path);
  Status st = PreadAll(fd, buf, bytes, 0, "the scratch file " + path);
  ::close(fd);
  if (st.ok()) ::unlink(path.c_str());
  return st;
}

}  // namespace echotrace
