// BufferedInput: a growable window over an InputStream, the base of every
// reader, plus a line splitter on top of it.
//
// The window holds the bytes read but not yet consumed. Readers look at
// data(), parse what they can, Consume() it, and Fill() when a record runs
// past the end of the window. Memory is bounded by what the caller asks
// Fill() for: readers never ask for more than max_record_bytes plus one read
// chunk, so a 50 MB line costs 50 MB, and a 5 GB file costs one chunk.
//
// The window is always followed by at least kPadding readable bytes, so
// simdjson can parse a line in place without copying it.
//
// Thread-safety: none.
#ifndef ECHOTRACE_INGEST_BUFFERED_INPUT_H_
#define ECHOTRACE_INGEST_BUFFERED_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/status.h"
#include "ingest/input_stream.h"

namespace echotrace {

class BufferedInput {
 public:
  static constexpr size_t kChunk = size_t{256} << 10;
  static constexpr size_t kPadding = 64;  // >= SIMDJSON_PADDING

  // Takes ownership of `stream`; `name` labels errors.
  BufferedInput(std::unique_ptr<InputStream> stream, std::string name);

  // Unconsumed bytes. Valid until the next Fill() or Consume().
  std::string_view data() const { return {buf_.data() + begin_, end_ - begin_}; }
  // True once the stream reported end of input.
  bool eof() const { return eof_; }
  // Bytes consumed since the start of the stream.
  uint64_t consumed() const { return consumed_; }
  const std::string& name() const { return name_; }

  // Reads until data().size() >= `want` or end of input, at least one chunk
  // unless at end of input. Returns whether any byte was added. Errors: the
  // stream's. An error met after some bytes were read in the same call is
  // held back and returned by the next call, so that readers deliver every
  // record before the damage; once returned, it is returned again forever.
  Result<bool> Fill(size_t want);
  // Drops the first `n` bytes of data(). Precondition: n <= data().size().
  void Consume(size_t n) {
    begin_ += n;
    consumed_ += n;
  }
  // Consumes up to and including the next '\n' (or to the end of input),
  // reading chunk by chunk without keeping what it skips. Returns the number
  // of bytes skipped. Errors: the stream's.
  Result<uint64_t> SkipLine();

 private:
  std::unique_ptr<InputStream> stream_;
  std::string name_;
  std::vector<char> buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t consumed_ = 0;
  bool eof_ = false;
  Status error_;  // held back by Fill(); OK when none
};

// Splits a BufferedInput into lines ('\n'; a '\r' before it is kept for the
// caller to strip), numbering them from 1. A line longer than `max_bytes` is
// reported once as kTooLong with its first bytes and skipped in a streaming
// fashion: memory stays at about max_bytes however long the line is.
class LineSplitter {
 public:
  enum class Kind { kLine, kTooLong, kEnd };

  LineSplitter(BufferedInput* in, size_t max_bytes) : in_(in), max_bytes_(max_bytes) {}

  // kLine: *line is the line without its '\n', valid until the next call;
  // kTooLong: *line holds the first (up to 256) bytes of the skipped line.
  // *line_no is the 1-based number of that line. A kLine points into the
  // input buffer and is followed by at least BufferedInput::kPadding
  // readable bytes. Errors: the stream's.
  Result<Kind> Next(std::string_view* line, uint64_t* line_no);

 private:
  BufferedInput* in_;
  size_t max_bytes_;
  size_t pending_ = 0;  // bytes of the previous line (and '\n') to consume
  uint64_t line_no_ = 0;
  std::string too_long_head_;
};

}  // namespace echotrace

#endif  // ECHOTRACE_INGEST_BUFFERED_INPUT_H_
