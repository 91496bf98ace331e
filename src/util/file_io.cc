// WriteAll / PreadAll (file_io.h).
#include "util/file_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace echotrace {

Status ErrnoError(const std::string& doing) {
  return Status::IOError(doing + ": " + std::strerror(errno));
}

Status WriteAll(int fd, const void* data, size_t bytes, const std::string& what) {
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::write(fd, p, bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::IOError("writing " + what + " (is the disk full?): " +
                             (n < 0 ? std::strerror(errno) : "nothing written"));
    }
    p += n;
    bytes -= static_cast<size_t>(n);
  }
  return Status::OK();
}

Status PreadAll(int fd, void* buf, size_t bytes, uint64_t offset, const std::string& what) {
  char* p = static_cast<char*>(buf);
  while (bytes > 0) {
    const ssize_t n = ::pread(fd, p, bytes, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("reading " + what);
    if (n == 0) {
      return Status::Corruption(what + " ends before offset " + std::to_string(offset + bytes) +
                                ": it shrank while in use");
    }
    p += n;
    offset += static_cast<uint64_t>(n);
    bytes -= static_cast<size_t>(n);
  }
  return Status::OK();
}

}  // namespace echotrace
