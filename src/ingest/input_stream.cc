// Input streams: a POSIX file descriptor, an in-memory string, and gzip
// (zlib inflate) and zstd (ZSTD_decompressStream) decoders stacked on top.
//
// OpenDecompressed reads the first four bytes of the raw stream to choose a
// decoder, then puts them back in front of the stream (PrefixStream) so that
// the decoder sees the whole input. Both decoders read several members /
// frames in a row, as `gzip -dc` and `zstd -dc` do for concatenated files, and
// report a truncated or damaged stream as Corruption only after every byte
// decoded before the damage has been handed out: the readers deliver the
// records they could read, then stop with the error.
#include "ingest/input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace echotrace {
namespace {

constexpr size_t kCompressedChunk = size_t{128} << 10;

std::string Quoted(const std::string& name) {
  return name == "-" ? std::string("standard input") : "'" + name + "'";
}

class MemoryStream final : public InputStream {
 public:
  explicit MemoryStream(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    if (k > 0) std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class FdStream final : public InputStream {
 public:
  FdStream(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FdStream() override {
    if (owned_) close(fd_);
  }
  FdStream(const FdStream&) = delete;
  FdStream& operator=(const FdStream&) = delete;

  Result<size_t> Read(char* buf, size_t n) override {
    for (;;) {
      ssize_t r = read(fd_, buf, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno == EINTR) continue;
      return Status::IOError("error reading " + Quoted(name_) + ": " + std::strerror(errno));
    }
  }

 private:
  int fd_;
  bool owned_;
  std::string name_;
};

// Serves `prefix` first, then the bytes of `rest`.
class PrefixStream final : public InputStream {
 public:
  PrefixStream(std::string prefix, std::unique_ptr<InputStream> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    if (pos_ < prefix_.size()) {
      size_t k = std::min(n, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    return rest_->Read(buf, n);
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<InputStream> rest_;
};

class GzipStream final : public InputStream {
 public:
  GzipStream(std::unique_ptr<InputStream> src, std::string name)
      : src_(std::move(src)), name_(std::move(name)), in_(kCompressedChunk) {
    std::memset(&z_, 0, sizeof(z_));
    // 15 + 32: the largest window, and accept both gzip and zlib headers.
    init_ok_ = inflateInit2(&z_, 15 + 32) == Z_OK;
  }
  ~GzipStream() override {
    if (init_ok_) inflateEnd(&z_);
  }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  Result<size_t> Read(char* buf, size_t n) override {
    if (!init_ok_) return Status::Internal("zlib inflateInit2 failed for " + Quoted(name_));
    if (done_ || n == 0) return size_t{0};
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    const uInt out_size = z_.avail_out;
    while (z_.avail_out == out_size) {
      if (z_.avail_in == 0 && !src_eof_) {
        ET_ASSIGN_OR_RETURN(size_t got, src_->Read(in_.data(), in_.size()));
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(got);
        src_eof_ = got == 0;
      }
      if (z_.avail_in == 0 && src_eof_) {
        if (member_done_) {
          done_ = true;
          break;
        }
        return Status::Corruption(Quoted(name_) +
                                  ": unexpected end of gzip data (the file is truncated)");
      }
      const uInt avail_before = z_.avail_in;
      int r = inflate(&z_, Z_NO_FLUSH);
      if (r == Z_STREAM_END) {
        // Another member may follow (concatenated .gz files).
        inflateReset(&z_);
        member_done_ = true;
        continue;
      }
      if (r != Z_OK && r != Z_BUF_ERROR) {
        return Status::Corruption(Quoted(name_) + ": corrupt gzip data (" +
                                  (z_.msg ? z_.msg : "inflate error " + std::to_string(r)) + ")");
      }
      if (z_.avail_in != avail_before || z_.avail_out != out_size) member_done_ = false;
    }
    return static_cast<size_t>(out_size - z_.avail_out);
  }

 private:
  std::unique_ptr<InputStream> src_;
  std::string name_;
  std::vector<char> in_;
  z_stream z_;
  bool init_ok_ = false;
  bool src_eof_ = false;
  bool member_done_ = false;  // the last inflate() ended a member
  bool done_ = false;
};

class ZstdStream final : public InputStream {
 public:
  ZstdStream(std::unique_ptr<InputStream> src, std::string name)
      : src_(std::move(src)),
        name_(std::move(name)),
        in_(ZSTD_DStreamInSize()),
        dctx_(ZSTD_createDCtx()) {}
  ~ZstdStream() override { ZSTD_freeDCtx(dctx_); }
  ZstdStream(const ZstdStream&) = delete;
  ZstdStream& operator=(const ZstdStream&) = delete;

  Result<size_t> Read(char* buf, size_t n) override {
    if (dctx_ == nullptr) return Status::Internal("ZSTD_createDCtx failed");
    if (done_ || n == 0) return size_t{0};
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0) {
      if (in_buf_.pos == in_buf_.size && !src_eof_) {
        ET_ASSIGN_OR_RETURN(size_t got, src_->Read(in_.data(), in_.size()));
        in_buf_ = ZSTD_inBuffer{in_.data(), got, 0};
        src_eof_ = got == 0;
      }
      const bool no_input = in_buf_.pos == in_buf_.size;
      if (no_input && src_eof_ && last_ == 0) {
        done_ = true;  // every frame was complete
        break;
      }
      // With no input left this call only flushes what zstd holds back.
      size_t r = ZSTD_decompressStream(dctx_, &out, &in_buf_);
      if (ZSTD_isError(r)) {
        return Status::Corruption(Quoted(name_) + ": corrupt zstd data (" + ZSTD_getErrorName(r) +
                                  ")");
      }
      last_ = r;  // 0: a frame just ended
      if (no_input && src_eof_ && out.pos == 0 && r != 0) {
        return Status::Corruption(Quoted(name_) +
                                  ": unexpected end of zstd data (the file is truncated)");
      }
    }
    return out.pos;
  }

 private:
  std::unique_ptr<InputStream> src_;
  std::string name_;
  std::vector<char> in_;
  ZSTD_inBuffer in_buf_{nullptr, 0, 0};
  ZSTD_DCtx* dctx_;
  size_t last_ = 0;
  bool src_eof_ = false;
  bool done_ = false;
};

}  // namespace

Compression DetectCompression(std::string_view head) {
  if (head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b') return Compression::kGzip;
  if (head.size() >= 4 && head.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4)) {
    return Compression::kZstd;
  }
  return Compression::kNone;
}

std::unique_ptr<InputStream> MakeMemoryStream(std::string data) {
  return std::make_unique<MemoryStream>(std::move(data));
}

Result<std::unique_ptr<InputStream>> OpenFileStream(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<InputStream>(std::make_unique<FdStream>(0, false, path));
  }
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IOError("cannot open '" + path + "': " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    return Status::IOError("cannot read '" + path + "': " + std::strerror(EISDIR));
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<InputStream>(std::make_unique<FdStream>(fd, true, path));
}

Result<std::unique_ptr<InputStream>> OpenDecompressed(std::unique_ptr<InputStream> raw,
                                                      std::string name) {
  // Short reads are legal (pipes), so gather the magic bytes in a loop.
  std::string head(4, '\0');
  size_t have = 0;
  while (have < head.size()) {
    ET_ASSIGN_OR_RETURN(size_t got, raw->Read(head.data() + have, head.size() - have));
    if (got == 0) break;
    have += got;
  }
  head.resize(have);
  Compression c = DetectCompression(head);
  std::unique_ptr<InputStream> s = std::make_unique<PrefixStream>(std::move(head), std::move(raw));
  switch (c) {
    case Compression::kGzip:
      return std::unique_ptr<InputStream>(std::make_unique<GzipStream>(std::move(s), name));
    case Compression::kZstd:
      return std::unique_ptr<InputStream>(std::make_unique<ZstdStream>(std::move(s), name));
    case Compression::kNone:
      break;
  }
  return s;
}

}  // namespace echotrace
