// OpenReader: file → decompression → first block → checks → format reader.
//
// The first 64 KB of decompressed input are read once into the reader's own
// buffer and looked at before a format reader is chosen: empty input gets a
// reader that ends at once; input the readers cannot handle (NUL bytes,
// UTF-16, another compressor's magic) gets one whole-file Reject with line 0;
// with Format::kAuto the head also decides the format (DetectFormat). The
// format reader then starts on the very same buffer, so nothing is read
// twice and standard input works like a file.
#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include "ingest/input_stream.h"
#include "ingest/readers.h"

namespace echotrace {

namespace {

constexpr size_t kSniffBytes = size_t{64} << 10;
constexpr size_t kRawBytes = 256;
// A head with at least this share (%) of control bytes is binary.
constexpr size_t kBinaryControlPercent = 5;

class RejectReader final : public RecordReader {
 public:
  RejectReader(Reject reject, uint64_t bytes) : reject_(std::move(reject)), bytes_(bytes) {}
  Result<ReadOutcome> Next(RawRecord* /*record*/, Reject* reject) override {
    if (done_) return ReadOutcome::kEnd;
    done_ = true;
    *reject = reject_;
    return ReadOutcome::kReject;
  }
  uint64_t bytes_read() const override { return bytes_; }

 private:
  Reject reject_;
  uint64_t bytes_;
  bool done_ = false;
};

// Counts the bytes read through it (ReaderOptions::file_bytes_read).
class CountingStream final : public InputStream {
 public:
  CountingStream(std::unique_ptr<InputStream> in, uint64_t* count)
      : in_(std::move(in)), count_(count) {}
  Result<size_t> Read(char* buf, size_t n) override {
    Result<size_t> r = in_->Read(buf, n);
    if (r.ok()) *count_ += *r;
    return r;
  }

 private:
  std::unique_ptr<InputStream> in_;
  uint64_t* count_;
};

class EmptyReader final : public RecordReader {
 public:
  Result<ReadOutcome> Next(RawRecord*, Reject*) override { return ReadOutcome::kEnd; }
  uint64_t bytes_read() const override { return 0; }
};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Why the readers cannot take `head`, or nullopt when they can try.
std::optional<std::string> WhyUnsupported(std::string_view head) {
  struct Magic {
    std::string_view bytes;
    const char* what;
  };
  static constexpr Magic kMagics[] = {
      {{"\xFD\x37\x7A\x58\x5A\x00", 6}, "xz-compressed input; decompress it first (xz -d)"},
      {"BZh", "bzip2-compressed input; decompress it first (bzip2 -d)"},
      {"PK\x03\x04", "a zip archive; unpack it first (unzip)"},
      {"\x04\x22\x4D\x18", "lz4-compressed input; decompress it first (lz4 -d)"},
      {"\xFF\xFE", "UTF-16 text; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)"},
      {"\xFE\xFF", "UTF-16 text; convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)"},
  };
  for (const Magic& m : kMagics) {
    // "BZh" must be followed by the block size digit to count as bzip2.
    if (m.bytes == "BZh" && !(head.size() > 3 && head[3] >= '1' && head[3] <= '9')) continue;
    if (StartsWith(head, m.bytes)) return std::string(m.what);
  }
  // Binary by the share of control bytes, not by their presence: text
  // holds none but the white space ones and ESC (terminal colours in logs),
  // while compressed or random bytes have about 11% and executables far more.
  // One stray NUL in a CSV must not cost its good records (it is dropped and
  // counted instead, see RawRecord::nul_bytes).
  size_t controls = 0;
  for (unsigned char c : head) {
    controls +=
        c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != 0x1B;
  }
  if (controls * 100 >= head.size() * kBinaryControlPercent) {
    return "binary file (" + std::to_string(controls) + " of its first " +
           std::to_string(head.size()) +
           " bytes are NUL or control bytes); not a supported format. UTF-16 text without a "
           "byte-order mark looks like this: convert it with iconv -f UTF-16 -t UTF-8";
  }
  return std::nullopt;
}

}  // namespace

const std::string* RawRecord::Find(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return &v;
  }
  return nullptr;
}

void SetReject(Reject* reject, const std::string& file, uint64_t line, std::string reason,
               std::string_view raw) {
  reject->file = file;
  reject->line = line;
  reject->reason = std::move(reason);
  reject->raw.assign(raw.substr(0, std::min(raw.size(), kRawBytes)));
}

Result<bool> ReadAll(BufferedInput* in, size_t max_bytes, std::string* out) {
  out->clear();
  for (;;) {
    std::string_view d = in->data();
    if (out->size() + d.size() > max_bytes) return false;
    out->append(d);
    in->Consume(d.size());
    if (in->eof()) return true;
    ET_RETURN_IF_ERROR(in->Fill(BufferedInput::kChunk).status());
  }
}

uint32_t StripNul(std::string* s) {
  const size_t before = s->size();
  if (std::memchr(s->data(), '\0', before) == nullptr) return 0;
  s->erase(std::remove(s->begin(), s->end(), '\0'), s->end());
  return static_cast<uint32_t>(before - s->size());
}

std::unique_ptr<RecordReader> MakeRejectReader(Reject reject, uint64_t bytes) {
  return std::make_unique<RejectReader>(std::move(reject), bytes);
}

std::unique_ptr<RecordReader> MakeEmptyReader() { return std::make_unique<EmptyReader>(); }

Result<std::unique_ptr<RecordReader>> OpenReaderFromStream(std::unique_ptr<InputStream> stream,
                                                           std::string name, Format format,
                                                           const ReaderOptions& options) {
  ET_ASSIGN_OR_RETURN(auto decoded, OpenDecompressed(std::move(stream), name));
  auto in = std::make_unique<BufferedInput>(std::move(decoded), name);
  ET_RETURN_IF_ERROR(in->Fill(kSniffBytes).status());
  std::string_view head = in->data().substr(0, kSniffBytes);
  if (head.empty()) return MakeEmptyReader();
  if (std::optional<std::string> why = WhyUnsupported(head)) {
    Reject r;
    SetReject(&r, name, 0, std::move(*why), head);
    return MakeRejectReader(std::move(r), head.size());
  }
  if (format == Format::kAuto) format = DetectFormat(name, head);
  switch (format) {
    case Format::kJsonl:
      return MakeJsonlReader(std::move(in), options);
    case Format::kCsv:
      return MakeCsvReader(std::move(in), ',', options);
    case Format::kTsv:
      return MakeCsvReader(std::move(in), '\t', options);
    case Format::kHtml:
      return MakeHtmlReader(std::move(in), options);
    case Format::kText:
    case Format::kAuto:
      break;
  }
  return MakeTextReader(std::move(in), options);
}

Result<std::unique_ptr<RecordReader>> OpenReader(const std::string& path,
                                                 const ReaderOptions& options) {
  ET_ASSIGN_OR_RETURN(std::unique_ptr<InputStream> stream, OpenFileStream(path));
  if (options.file_bytes_read != nullptr) {
    stream = std::make_unique<CountingStream>(std::move(stream), options.file_bytes_read);
  }
  return OpenReaderFromStream(std::move(stream), path, options.format, options);
}

}  // namespace echotrace
