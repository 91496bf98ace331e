// Whole-buffer writes and reads on a file descriptor: retried on EINTR and
// on short counts, so that callers see either all of the bytes or an error.
// `what` names the file in errors ("the scratch file /x/3.bin").
#ifndef ECHOTRACE_UTIL_FILE_IO_H_
#define ECHOTRACE_UTIL_FILE_IO_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "echotrace/status.h"

namespace echotrace {

// IOError "<doing>: <strerror(errno)>", for a failed system call.
Status ErrnoError(const std::string& doing);

// write(2) of all `bytes` at the descriptor's offset. IOError (a full disk
// is the usual cause, and the message says so).
Status WriteAll(int fd, const void* data, size_t bytes, const std::string& what);

// pread(2) of exactly `bytes` at `offset`. IOError on a read error;
// Corruption when the file ends first (it shrank, or the caller's idea of
// its size is wrong).
Status PreadAll(int fd, void* buf, size_t bytes, uint64_t offset, const std::string& what);

}  // namespace echotrace

#endif  // ECHOTRACE_UTIL_FILE_IO_H_
