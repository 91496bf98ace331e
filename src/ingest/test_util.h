// Helpers shared by the ingest tests: drain a reader, open in-memory input,
// compress with zlib / zstd, and scratch directories.
#ifndef ECHOTRACE_INGEST_TEST_UTIL_H_
#define ECHOTRACE_INGEST_TEST_UTIL_H_

#include <string>
#include <vector>

#include "echotrace/document.h"
#include "echotrace/status.h"
#include "ingest/reader.h"

namespace echotrace::testing {

// Everything a reader produced, in order of kind.
struct Drained {
  std::vector<RawRecord> records;
  std::vector<Reject> rejects;
  std::vector<char> order;  // 'R' record, 'X' reject, in the order produced
  Status status;            // the error that stopped the reader, or OK
  uint64_t bytes_read = 0;
};

// Reads `reader` to its end (or error).
Drained Drain(RecordReader* reader);
// OpenReaderFromStream over a copy of `data`, then Drain. Fails the test
// when opening fails.
Drained ReadString(const std::string& data, Format format, const ReaderOptions& options = {},
                   const std::string& name = "mem");

// The fields of a record as a flat list "name=value".
std::vector<std::string> FieldList(const RawRecord& r);

std::string GzipCompress(const std::string& data, int level = 6);
std::string ZstdCompress(const std::string& data, int level = 3);

// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/rel, creating parent directories.
  std::string Write(const std::string& rel, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace echotrace::testing

#endif  // ECHOTRACE_INGEST_TEST_UTIL_H_
