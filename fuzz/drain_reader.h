// The body shared by the reader fuzzers: arbitrary bytes through the
// in-memory stream into one reader, drained to the end, twice — with the
// default record limit and with a 100-byte one, which exercises the
// too-long-record path. The reader must neither crash nor hang and must
// always end (kEnd or an error status).
#ifndef ECHOTRACE_FUZZ_DRAIN_READER_H_
#define ECHOTRACE_FUZZ_DRAIN_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/input_stream.h"
#include "ingest/reader.h"

namespace echotrace {

inline void DrainReader(const uint8_t* data, size_t size, Format format) {
  for (size_t max_bytes : {size_t{64} << 20, size_t{100}}) {
    ReaderOptions options;
    options.max_record_bytes = max_bytes;
    auto reader = OpenReaderFromStream(
        MakeMemoryStream(std::string(reinterpret_cast<const char*>(data), size)), "fuzz", format,
        options);
    if (!reader.ok()) continue;
    RawRecord record;
    Reject reject;
    // Every record or reject consumes at least one byte, so a reader that
    // is still going after size + 2 calls is stuck: make that a crash.
    size_t calls = 0;
    for (;;) {
      Result<ReadOutcome> r = (*reader)->Next(&record, &reject);
      if (!r.ok() || *r == ReadOutcome::kEnd) break;
      if (++calls > size + 2) __builtin_trap();
    }
  }
}

}  // namespace echotrace

#endif  // ECHOTRACE_FUZZ_DRAIN_READER_H_
