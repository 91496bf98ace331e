// BufferedInput keeps one vector<char>: [0, begin_) consumed, [begin_, end_)
// the window, [end_, size - kPadding) free space for the next read, and
// kPadding spare bytes at the end. Fill() first slides the window to the
// front (a partial record is usually small, so the move is cheap), grows the
// vector only when a record does not fit, then reads.
//
// LineSplitter scans each new stretch of the window once with memchr, so a
// line that arrives in many chunks costs O(length), not O(length^2).
#include "ingest/buffered_input.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace echotrace {

namespace {
constexpr size_t kRawHeadBytes = 256;
}  // namespace

BufferedInput::BufferedInput(std::unique_ptr<InputStream> stream, std::string name)
    : stream_(std::move(stream)), name_(std::move(name)), buf_(kChunk + kPadding) {}

Result<bool> BufferedInput::Fill(size_t want) {
  if (!error_.ok()) return error_;
  if (eof_) return false;
  const size_t have = end_ - begin_;
  if (begin_ > 0) {
    if (have > 0) std::memmove(buf_.data(), buf_.data() + begin_, have);
    begin_ = 0;
    end_ = have;
  }
  const size_t need = std::max(want, have + kChunk);
  if (buf_.size() < need + kPadding) buf_.resize(need + kPadding);
  const size_t limit = buf_.size() - kPadding;
  bool added = false;
  while (end_ < limit && (!added || end_ < want)) {
    Result<size_t> r = stream_->Read(buf_.data() + end_, limit - end_);
    if (!r.ok()) {
      // Hand out the bytes read before the error first; report it next time.
      if (added) {
        error_ = r.status();
        break;
      }
      return r.status();
    }
    size_t got = *r;
    if (got == 0) {
      eof_ = true;
      break;
    }
    end_ += got;
    added = true;
  }
  return added;
}

Result<LineSplitter::Kind> LineSplitter::Next(std::string_view* line, uint64_t* line_no) {
  in_->Consume(pending_);
  pending_ = 0;
  size_t scanned = 0;
  for (;;) {
    std::string_view d = in_->data();
    const void* nl = std::memchr(d.data() + scanned, '\n', d.size() - scanned);
    size_t len = nl ? static_cast<size_t>(static_cast<const char*>(nl) - d.data()) : d.size();
    if (nl != nullptr || (in_->eof() && !d.empty())) {
      *line_no = ++line_no_;
      pending_ = nl ? len + 1 : len;
      if (len > max_bytes_) {
        too_long_head_.assign(d.data(), std::min(len, kRawHeadBytes));
        *line = too_long_head_;
        return Kind::kTooLong;
      }
      *line = d.substr(0, len);
      return Kind::kLine;
    }
    if (in_->eof()) return Kind::kEnd;
    if (d.size() > max_bytes_) {
      *line_no = ++line_no_;
      too_long_head_.assign(d.data(), std::min(d.size(), kRawHeadBytes));
      in_->Consume(d.size());
      ET_RETURN_IF_ERROR(in_->SkipLine().status());
      *line = too_long_head_;
      return Kind::kTooLong;
    }
    scanned = d.size();
    ET_RETURN_IF_ERROR(in_->Fill(d.size() + 1).status());
  }
}

Result<uint64_t> BufferedInput::SkipLine() {
  uint64_t skipped = 0;
  for (;;) {
    std::string_view d = data();
    const void* nl = std::memchr(d.data(), '\n', d.size());
    if (nl != nullptr) {
      size_t n = static_cast<size_t>(static_cast<const char*>(nl) - d.data()) + 1;
      Consume(n);
      return skipped + n;
    }
    Consume(d.size());
    skipped += d.size();
    if (eof()) return skipped;
    ET_RETURN_IF_ERROR(Fill(kChunk).status());
  }
}

}  // namespace echotrace
