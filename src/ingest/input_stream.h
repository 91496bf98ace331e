// Byte streams under the readers: a file descriptor, an in-memory buffer, and
// gzip / zstd decompressors stacked on another stream.
//
// An InputStream hands out bytes in order until it reports end of input. The
// decompressors are chosen by magic bytes (OpenDecompressed), never by the
// file name alone, so "data.csv" that is really gzip still reads. Every error
// message names the input as the user gave it.
//
// Thread-safety: none; one stream is used by one thread at a time.
#ifndef ECHOTRACE_INGEST_INPUT_STREAM_H_
#define ECHOTRACE_INGEST_INPUT_STREAM_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "echotrace/status.h"

namespace echotrace {

class InputStream {
 public:
  virtual ~InputStream() = default;
  // Reads up to `n` bytes into `buf`. Returns the number read; 0 means end of
  // input (and keeps meaning it on later calls). A non-OK status (IOError for
  // the OS, Corruption for a damaged compressed stream) names the input; the
  // stream must not be read again afterwards.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

// Compression of a stream, recognised by its first bytes.
enum class Compression { kNone, kGzip, kZstd };

// gzip: 1f 8b; zstd: 28 b5 2f fd. `head` may be shorter than 4 bytes.
Compression DetectCompression(std::string_view head);

// A stream over a copy of `data` (tests, fuzzers).
std::unique_ptr<InputStream> MakeMemoryStream(std::string data);

// Opens `path` for reading; "-" is standard input (which is not closed).
// Errors: IOError "cannot open '<path>': <strerror>" or "... is a directory".
Result<std::unique_ptr<InputStream>> OpenFileStream(const std::string& path);

// Wraps `raw` so that reads return decompressed bytes when `raw` starts with
// gzip or zstd magic (concatenated gzip members and zstd frames are read in
// turn), and the bytes of `raw` unchanged otherwise. `name` labels errors.
// Takes ownership of `raw`. Errors: the IOError of the first read of `raw`.
Result<std::unique_ptr<InputStream>> OpenDecompressed(std::unique_ptr<InputStream> raw,
                                                      std::string name);

}  // namespace echotrace

#endif  // ECHOTRACE_INGEST_INPUT_STREAM_H_
