// SpillFiles (spill_files.h): plain POSIX files, opened per append. Appends
// are large (a flushed buffer of hundreds of kilobytes), so an open and a
// close per append cost nothing next to the write, and no descriptor stays
// open for the hundreds of buckets a detector may use.
#include "util/spill_files.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/file_io.h"

namespace echotrace {

namespace {

constexpr char kOwnerFile[] = "owner.lock";

// Whether the scratch directory `dir` (named <prefix>-<pid>-<n>) belongs to
// no live process. Its owner holds an flock on dir/owner.lock for as long
// as it lives; the kernel drops the lock when the process ends, however it
// ends (SIGKILL included), and the lock is seen across pid namespaces and
// by other processes of the same program. A directory without the file
// (its owner was killed between mkdir and the lock, or an older version
// made it) is stale only when no process has the pid in its name.
bool IsStale(const std::filesystem::path& dir, std::string_view pid_text) {
  const std::string lock = (dir / kOwnerFile).string();
  const int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);  // releases the probe's lock, if it got it
    return free;
  }
  if (errno != ENOENT) return false;
  pid_t pid = 0;
  for (char c : pid_text) pid = pid * 10 + (c - '0');
  return pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH;
}

// Removes the scratch directories <prefix>-<pid>-<n> under `parent` that
// belong to no live process (a run killed before it could remove them).
void RemoveStale(const std::filesystem::path& parent, std::string_view prefix) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(parent, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() + 1 || name.compare(0, prefix.size(), prefix) != 0 ||
        name[prefix.size()] != '-') {
      continue;
    }
    std::string_view rest = std::string_view(name).substr(prefix.size() + 1);
    const size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string_view::npos ||
        rest.find_first_not_of("0123456789-") != std::string_view::npos) {
      continue;  // not a name Create makes
    }
    std::error_code is_dir_ec;
    if (!it->is_directory(is_dir_ec) || !IsStale(it->path(), rest.substr(0, dash))) continue;
    std::error_code rm;
    std::filesystem::remove_all(it->path(), rm);
  }
}

}  // namespace

Result<std::unique_ptr<SpillFiles>> SpillFiles::Create(const std::string& parent,
                                                       std::string_view prefix, size_t buckets) {
  static std::atomic<int> counter{0};
  const std::filesystem::path where(parent.empty() ? "." : parent);
  RemoveStale(where, prefix);
  const std::string dir = (where / (std::string(prefix) + "-" + std::to_string(getpid()) + "-" +
                                    std::to_string(counter++)))
                              .string();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);  // a stale one from a killed run of this pid
  if (!std::filesystem::create_directory(dir, ec) || ec) {
    return Status::IOError("cannot create the scratch directory " + dir + ": " +
                           (ec ? ec.message() : std::string("it exists")) +
                           "; it needs a writable place with free space");
  }
  std::unique_ptr<SpillFiles> files(new SpillFiles(dir, buckets));
  const std::string lock = dir + "/" + kOwnerFile;
  files->owner_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (files->owner_fd_ < 0 || ::flock(files->owner_fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status::IOError("cannot create and lock " + lock + ": " + std::strerror(errno));
  }
  return files;
}

SpillFiles::SpillFiles(std::string dir, size_t buckets) : dir_(std::move(dir)) {
  locks_.reserve(buckets);
  for (size_t i = 0; i < buckets; ++i) locks_.push_back(std::make_unique<std::mutex>());
}

SpillFiles::~SpillFiles() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (owner_fd_ >= 0) ::close(owner_fd_);
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
